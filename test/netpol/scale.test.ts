import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCase } from '../../src/netpol/resolve.js';
import { syntheticCase } from '../../src/netpol/synthetic.js';
import { trafficAllowed } from '../../src/netpol/matcher.js';
import { computeTruthTable } from '../../src/netpol/truth-table.js';
import { validatePolicies } from '../../src/netpol/validate.js';

describe('synthetic realistic case', () => {
  test('is valid and its bitset truth table equals the direct evaluator on every pair', () => {
    const c = resolveCase(
      syntheticCase({
        pods: 90,
        policies: 90,
        namespaces: 6,
        seed: 7,
        probes: [
          { port: 80, protocol: 'TCP' },
          { port: 8500, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
        ],
      }),
    );
    validatePolicies(c.policies);
    const table = computeTruthTable(c);
    let allowed = 0;
    let denied = 0;
    for (const p of table.probes) {
      for (const s of c.pods) {
        for (const d of c.pods) {
          const want = trafficAllowed(c, s, d, p);
          assert.equal(p.allowed[s.key]?.[d.key], want, `${p.port}/${p.protocol} ${s.key}>${d.key}`);
          if (want) allowed++;
          else denied++;
        }
      }
    }
    // The case must exercise both outcomes to mean anything.
    assert.ok(allowed > 1000 && denied > 1000, `allowed ${allowed}, denied ${denied}`);
  });

  test('is deterministic for a seed', () => {
    assert.deepEqual(
      syntheticCase({ pods: 20, policies: 30, seed: 3 }),
      syntheticCase({ pods: 20, policies: 30, seed: 3 }),
    );
  });
});
