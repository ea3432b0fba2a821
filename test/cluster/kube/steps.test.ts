/**
 * Multi-step cases on real clusters, against the fake API server (docs/policy-change.md): the kube
 * driver relabels pods and namespaces in place and syncs policies step by step, in two conformance
 * lanes; the fake dataplane decides every probe from what the server stores, so a relabel or a
 * policy change the driver failed to make shows as a failed step. Held flows run as `agent hold` in
 * the pods' agent containers, started and stopped through the exec API; a fake CNI that cuts
 * established flows and one that keeps them are told apart.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import { builtinSuite, filterByTags } from '../../../src/netpol/suite/index.js';
import { runConformance, type ConformanceOptions } from '../../../src/workloads/conformance/run.js';
import { fakeDataplane } from '../../e2e/fake-dataplane.js';
import { clusterConfig, startFakeCluster, type FakeCluster } from './helpers.js';

const NAMES = [
  'change-upstream-updated-namespace',
  'change-upstream-updated-pod-and-back',
  'change-deny-ingress-added',
  'change-upstream-updated-policy',
  'change-pod-swaps-subject-and-peer',
  'change-last-ingress-policy-deleted',
];
const cases = filterByTags(builtinSuite(), { tags: ['policy-change'] }).filter((c) => NAMES.includes(c.name));

const opts: ConformanceOptions = {
  probeTimeoutMs: 200,
  convergenceTimeoutMs: 5000,
  concurrency: 32,
  protocols: ['TCP', 'UDP'],
  heldFlowWindowMs: 300,
};

for (const behaviour of ['cut', 'kept'] as const) {
  describe(`multi-step cases on the kube driver (fake CNI: established flows ${behaviour})`, () => {
    let fc: FakeCluster;
    before(async () => {
      fc = await startFakeCluster({});
      fc.api.store.create({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'calico-node', namespace: 'calico-system' },
        spec: {},
      });
      fc.api.onExec = fakeDataplane(fc.api, { heldFlows: behaviour }).handler;
    });
    after(() => fc?.close());

    test('every step passes in 2 lanes; held flows are judged as the CNI behaves', async () => {
      assert.equal(cases.length, NAMES.length);
      const d = new KubeDriver(clusterConfig(fc.kubeconfig, { conformanceLanes: 2 }), {
        runId: `st${behaviour}`,
      });
      try {
        const result = await runConformance(d, cases, opts);
        assert.deepEqual(
          result.caseResults
            .filter((c) => c.status !== 'pass')
            .map((c) => `${c.name}: ${JSON.stringify(c.steps)}`),
          [],
        );
        let judged = 0;
        for (const c of result.caseResults) {
          assert.equal(c.steps?.length, (cases.find((x) => x.name === c.name)?.steps?.length ?? 0) + 1);
          for (const s of c.steps ?? []) {
            assert.ok(s.timeToEnforceMs !== null);
            for (const f of s.heldFlows ?? []) {
              judged++;
              assert.equal(f.outcome, behaviour, `${c.name} step ${s.step}: ${JSON.stringify(f)}`);
            }
          }
        }
        assert.ok(judged >= 4, `${judged} flows judged`);
      } finally {
        await d.cleanup();
      }
    });
  });
}
