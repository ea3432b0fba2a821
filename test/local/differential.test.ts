/**
 * Differential test: random NetworkPolicy sets (seeded, reproducible) applied to the local cluster's
 * nftables dataplane and probed on every pair, TCP and UDP 80/81, against the exact model. A
 * disagreement is shrunk (policies, rules, peers, ports, excepts removed while it persists) and
 * written as a case file that `cnibench` can replay.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { LocalDriver } from '../../src/cluster/local/driver.js';
import type { PolicyCase } from '../../src/netpol/types.js';
import { seededRandom } from '../../src/stats/prng.js';
import { runCase, type ConformanceOptions } from '../../src/workloads/conformance/run.js';
import { netnsWithPrefix, testRunId } from './helpers.js';
import { randomCase, shrinkSteps } from './policy-gen.js';

const SEED = Number(process.env.CNB_DIFF_SEED ?? 20261124);
const CASES = Number(process.env.CNB_DIFF_CASES ?? 300);

const opts: ConformanceOptions = {
  probeTimeoutMs: 1000,
  // nft applies synchronously; the retry window only absorbs a stale conntrack entry now and then.
  convergenceTimeoutMs: 1500,
  concurrency: 64,
  protocols: ['TCP', 'UDP'],
};

describe('differential: nftables dataplane vs model', () => {
  const runId = testRunId();
  const driver = new LocalDriver({ runId, mode: 'routed' });
  before(() => driver.preflight());
  after(async () => {
    await driver.cleanup();
    assert.deepEqual(await netnsWithPrefix(runId), []);
  });

  async function fails(c: PolicyCase): Promise<boolean> {
    return (await runCase(driver, c, opts)).result.status === 'fail';
  }

  async function shrink(c: PolicyCase): Promise<PolicyCase> {
    let current = c;
    for (let progress = true; progress;) {
      progress = false;
      for (const smaller of shrinkSteps(current)) {
        if (await fails(smaller)) {
          current = smaller;
          progress = true;
          break;
        }
      }
    }
    return current;
  }

  test(`${CASES} random policy sets agree with the model (seed ${SEED})`, async () => {
    const rand = seededRandom(SEED);
    const problems: string[] = [];
    let probes = 0;
    for (let i = 0; i < CASES; i++) {
      const c = randomCase(rand, `random-${SEED}-${i}`);
      const run = await runCase(driver, c, opts);
      probes += run.result.probes;
      if (run.result.status === 'pass') continue;
      assert.equal(run.result.status, 'fail', run.result.skipReason);
      const minimal = problems.length < 3 ? await shrink(c) : c;
      const final = await runCase(driver, minimal, opts);
      const file = join(tmpdir(), `${c.name}.yaml`);
      writeFileSync(file, `# mismatches: ${JSON.stringify(final.result.mismatches)}\n${stringify(minimal)}`);
      problems.push(
        `${c.name}: ${final.result.mismatches.length} mismatches; minimal case: ${file}\n${stringify(minimal)}`,
      );
    }
    assert.equal(probes, CASES * 72 * 4, 'every ordered pair (no self pairs) × 4 probes');
    assert.deepEqual(problems, []);
  });
});
