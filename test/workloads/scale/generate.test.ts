// Properties of the policy-scale generator, checked with the exact NetworkPolicy model.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { validatePolicies } from '../../../src/netpol/validate.js';
import { computeTruthTable } from '../../../src/netpol/truth-table.js';
import { generateScalePolicies, probeDenyPolicy } from '../../../src/workloads/scale/generate.js';
import { scaleLayout, scaleLayoutCase, type PerfEndpoints } from '../../../src/workloads/scale/layout.js';
import { checkScalePolicies, scaleModelCase } from '../../../src/workloads/scale/verify.js';
import { LOCAL_PERF_ENDPOINTS } from '../helpers/perf-endpoints.js';
import { resolveCase } from '../../../src/netpol/resolve.js';
import { must } from '../../helpers/must.js';

const perf = LOCAL_PERF_ENDPOINTS;
const layout = scaleLayout(perf);

describe('generateScalePolicies', () => {
  test('exactly N policies, unique names per namespace, valid for the API, for N up to 5000', () => {
    for (const n of [0, 1, 2, 9, 10, 100, 1000, 5000]) {
      const ps = generateScalePolicies(n, layout);
      assert.equal(ps.length, n);
      const ids = new Set(ps.map((p) => `${p.metadata.namespace}/${p.metadata.name}`));
      assert.equal(ids.size, n, `unique names at N=${n}`);
      assert.doesNotThrow(() => validatePolicies(ps), `valid at N=${n}`);
    }
  });

  test('the perf pair is allowed on every perf port and the probe pair is allowed, at every N', () => {
    for (const n of [0, 1, 2, 5, 9, 10, 50, 100, 1000, 5000]) {
      const r = checkScalePolicies(layout, generateScalePolicies(n, layout));
      assert.deepEqual(r.perfDenied, [], `N=${n}`);
      assert.equal(r.probeAllowed, true, `probe at N=${n}`);
    }
  });

  test('the one extra policy flips the probe pair to denied and leaves the perf pair alone', () => {
    for (const n of [0, 1, 100, 1000]) {
      const r = checkScalePolicies(layout, [...generateScalePolicies(n, layout), probeDenyPolicy(layout)]);
      assert.equal(r.probeAllowed, false, `N=${n}`);
      assert.equal(r.perfAllowed, true);
    }
  });

  test('the perf path is isolated (not just unpoliced) once N ≥ 1: other namespaces are denied', () => {
    // A filler pod may not reach the perf server on a perf port: the explicit allow is what admits the client.
    const c = scaleModelCase(layout, generateScalePolicies(1, layout));
    const tt = computeTruthTable(c);
    const iperf = must(
      tt.probes.find((p) => p.port === 5201 && p.protocol === 'TCP'),
      'the iperf3 probe',
    );
    assert.equal(iperf.allowed['cnibench-perf/client']?.['cnibench-perf/server-remote'], true);
    assert.equal(iperf.allowed['scale-00/filler-0']?.['cnibench-perf/server-remote'], false);
    const c0 = scaleModelCase(layout, []);
    assert.equal(
      computeTruthTable(c0).probes[1]?.allowed['scale-00/filler-0']?.['cnibench-perf/server-remote'],
      true,
    );
  });

  test('policies really restrict: filler namespaces are default-deny, with allow rules that match pods', () => {
    const ps = generateScalePolicies(200, layout);
    const denies = ps.filter((p) => p.metadata.name === 'scale-default-deny');
    assert.equal(denies.length, layout.fillerNamespaces.length);
    const kinds = new Set(ps.map((p) => p.metadata.name.replace(/^scale-\d+-/, '')));
    for (const k of ['app', 'team', 'ipblock', 'egress', 'metrics'])
      assert.ok(kinds.has(k), `has ${k} policies`);
    assert.ok(ps.some((p) => p.spec.ingress?.some((r) => r.from?.some((f) => f.ipBlock?.except?.length))));
    assert.ok(ps.some((p) => p.spec.ingress?.some((r) => r.ports?.some((pt) => pt.endPort !== undefined))));
    // Model: in a default-deny filler namespace, the probe port is closed between filler pods.
    const tt = computeTruthTable(scaleModelCase(layout, ps));
    assert.equal(tt.probes[0]?.allowed['scale-01/filler-0']?.['scale-00/filler-0'], false);
  });

  test('deterministic for a seed; a prefix of the larger sweep; another seed differs', () => {
    const a = generateScalePolicies(300, layout, 7);
    assert.deepEqual(generateScalePolicies(300, layout, 7), a);
    assert.deepEqual(generateScalePolicies(120, layout, 7), a.slice(0, 120));
    assert.notDeepEqual(generateScalePolicies(300, layout, 8), a);
  });

  test('property: any seed, N, namespace count and perf placement keep the perf and probe pairs allowed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer(),
        fc.boolean(),
        (n, namespaces, seed, sameNamespace) => {
          const p: PerfEndpoints = sameNamespace
            ? perf
            : { ...perf, clientNamespace: 'perf-clients', clientName: 'c' };
          const l = scaleLayout(p, { namespaces, fillerPodsPerNamespace: 2 });
          const ps = generateScalePolicies(n, l, seed);
          const r = checkScalePolicies(l, ps);
          const flipped = checkScalePolicies(l, [...ps, probeDenyPolicy(l)]);
          return (
            ps.length === n && r.perfAllowed && r.probeAllowed && !flipped.probeAllowed && flipped.perfAllowed
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  test('the layout case resolves (it is what ensureLayout receives)', () => {
    const c = resolveCase(scaleLayoutCase(layout));
    assert.equal(c.pods.length, layout.fillerNamespaces.length + 2);
    assert.equal(c.namespaces['scale-00']?.team, 'payments');
  });
});
