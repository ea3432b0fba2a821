/**
 * The kube driver's batched probing (probe mode `agent`, the default) against the fake API server,
 * with the end-to-end test's dataplane answering execs from the NetworkPolicy model over what the
 * server stores: conformance pods get an agent container and the agent ConfigMap in their namespace,
 * a probe round is one exec per source pod, the verdicts are the model's, and a broken answer or a
 * lost cluster is reported as what it is. Exec calls are counted at the fake API server.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import type { ProbeRequest, ProbeResult } from '../../../src/cluster/driver.js';
import type { ResolvedCase, ResolvedPod } from '../../../src/netpol/types.js';
import { computeTruthTable } from '../../../src/netpol/truth-table.js';
import { compareRound } from '../../../src/workloads/conformance/compare.js';
import { probeRequests } from '../../../src/workloads/conformance/probe-loop.js';
import { fakeDataplane, type FakeDataplane } from '../../e2e/fake-dataplane.js';
import type { RecordedRequest } from './fake-apiserver.js';
import { clusterConfig, sampleCase, startFakeCluster, type FakeCluster } from './helpers.js';
import { schemaFor, validate } from './schema-check.js';
import { plain } from './fake-models.js';
import { must } from '../../helpers/must.js';

const isExec = (r: RecordedRequest) => r.path.endsWith('/exec');

/** A running "CNI" for the dataplane (it refuses every exec without one). */
function startCalico(fc: FakeCluster): void {
  fc.api.store.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'calico-node', namespace: 'calico-system' },
    spec: {},
  });
}

/** One round of every ordered pair and probe of `c`, its exec calls, and how it compares to the model. */
async function round(fc: FakeCluster, driver: KubeDriver, c: ResolvedCase, pods: ResolvedPod[]) {
  const requests = probeRequests(pods, c.probes, false);
  const before = fc.api.requests.filter(isExec).length;
  const results = await driver.probe(requests, { timeoutMs: 200, concurrency: 16 });
  const execs = fc.api.requests.filter(isExec).slice(before);
  const mismatches = compareRound(computeTruthTable({ ...c, pods }), results);
  return { requests, results, execs, mismatches };
}

describe('KubeDriver, probe mode agent: one exec per source pod and round', () => {
  let fc: FakeCluster;
  let dp: FakeDataplane;
  let driver: KubeDriver;
  let pods: ResolvedPod[];

  before(async () => {
    fc = await startFakeCluster();
    startCalico(fc);
    dp = fakeDataplane(fc.api);
    fc.api.onExec = dp.handler;
    driver = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'b1' });
    pods = await driver.ensureLayout(sampleCase());
    await driver.setPolicies(sampleCase().policies, pods);
  });
  after(async () => {
    await driver.cleanup();
    await fc.close();
  });

  test('conformance pods carry an agent container mounting the agent ConfigMap of their namespace', () => {
    for (const ns of ['cnb-b1-x', 'cnb-b1-y']) {
      const cm = fc.api.store.get('v1', 'ConfigMap', 'cnibench-agent', ns);
      assert.deepEqual(Object.keys(cm?.data ?? {}), ['cnibench-agent.mjs'], ns);
      // The ConfigMap is created before the namespace's pods, which could not start without it.
      const cmAt = fc.api.requests.findIndex(
        (r) => r.method === 'POST' && r.path === `/api/v1/namespaces/${ns}/configmaps`,
      );
      const podAt = fc.api.requests.findIndex(
        (r) => r.method === 'POST' && r.path === `/api/v1/namespaces/${ns}/pods`,
      );
      assert.ok(cmAt >= 0 && cmAt < podAt, ns);
    }
    const a = fc.api.store.model('Pod', 'a', 'cnb-b1-x');
    assert.deepEqual(
      a?.spec?.containers.map((c) => [c.name, c.image]),
      [
        ['cont-80-tcp', 'registry.k8s.io/e2e-test-images/agnhost:2.53'],
        ['cont-81-udp', 'registry.k8s.io/e2e-test-images/agnhost:2.53'],
        ['agent', 'docker.io/library/node:24.21.0-alpine'],
      ],
    );
    assert.deepEqual(plain(a?.spec?.volumes), [
      {
        name: 'agent',
        configMap: {
          name: 'cnibench-agent',
          items: [{ key: 'cnibench-agent.mjs', path: 'cnibench-agent.mjs' }],
        },
      },
    ]);
    assert.equal(a?.spec?.initContainers, undefined, 'no agnhost copy without SCTP probes');
    for (const r of fc.api.requests.filter(
      (q) => q.method === 'POST' && /\/(pods|configmaps)$/.test(q.path),
    )) {
      const body = r.body as { kind: string };
      assert.deepEqual(validate(schemaFor(body.kind), body), [], r.path);
    }
  });

  test('a round is one exec per source pod; the verdicts match the model and name who answered', async () => {
    const c = sampleCase();
    const r = await round(fc, driver, c, pods);
    assert.equal(r.requests.length, 3 * 2 * 2);
    assert.equal(r.execs.length, 3, 'one exec per source pod');
    assert.deepEqual(
      r.execs.map((e) => e.query.container),
      ['agent', 'agent', 'agent'],
    );
    assert.deepEqual(r.mismatches, []);
    const byKey = (from: string, to: string, port: number) =>
      r.results.find((x) => x.from === from && x.to === to && x.port === port) as ProbeResult;
    // The policy admits only namespace y into x/a, on TCP 80; UDP 81 into x/a is isolated too.
    assert.deepEqual(
      [
        byKey('y/a', 'x/a', 80),
        byKey('x/b', 'x/a', 80),
        byKey('x/a', 'x/b', 81),
        byKey('y/a', 'x/a', 81),
      ].map((x) => [x.connected, x.answeredBy, x.error]),
      [
        [true, 'x/a', undefined],
        [false, undefined, 'timeout'],
        [true, 'x/b', undefined],
        [false, undefined, 'timeout'],
      ],
    );
    const batches = dp.log.filter((e) => e.kind === 'probe-batch');
    assert.deepEqual(
      batches.slice(-3).map((e) => e.probes),
      [4, 4, 4],
    );
  });

  test('the same round in agnhost mode is one exec per probe, with the same verdicts', async () => {
    const other = new KubeDriver(clusterConfig(fc.kubeconfig, { probeMode: 'agnhost' }), {
      runId: 'b2',
    });
    try {
      const c = sampleCase();
      const p2 = await other.ensureLayout(c);
      await other.setPolicies(c.policies, p2);
      assert.equal(fc.api.store.get('v1', 'ConfigMap', 'cnibench-agent', 'cnb-b2-x'), undefined);
      const r = await round(fc, other, c, p2);
      assert.equal(r.execs.length, r.requests.length);
      assert.ok(r.execs.every((e) => e.query.container !== 'agent'));
      assert.deepEqual(r.mismatches, []);
    } finally {
      await other.cleanup();
    }
  });

  test('an agent answer that cannot be trusted makes only that pod’s probes inconclusive', async () => {
    const saved = fc.api.onExec;
    fc.api.onExec = (pod, container, command, ctx) =>
      pod.metadata.name === 'b' ? { stdout: '[]\n', exitCode: 0 } : saved(pod, container, command, ctx);
    try {
      const r = await round(fc, driver, sampleCase(), pods);
      for (const x of r.results) {
        if (x.from === 'x/b')
          assert.match(x.error ?? '', /^probe-failed: the agent answered 0 probe\(s\) of 4/);
        else assert.ok(!x.error?.startsWith('probe-failed'), JSON.stringify(x));
      }
    } finally {
      fc.api.onExec = saved;
    }
  });

  test('SCTP cases give the agent a copy of agnhost, and its output is judged as in agnhost mode', async () => {
    const c = sampleCase();
    c.probes = [{ port: 82, protocol: 'SCTP' }];
    c.pods = c.pods.map((p) => ({ ...p, ports: [{ name: 'serve-82-sctp', port: 82, protocol: 'SCTP' }] }));
    c.pods[2] = { ...must(c.pods[2], 'pod y/a'), ports: [] }; // y/a serves nothing: refused
    c.policies = [];
    const p3 = await driver.ensureLayout(c);
    await driver.setPolicies([], p3);
    const a = fc.api.store.get('v1', 'Pod', 'a', 'cnb-b1-x');
    assert.deepEqual(
      fc.api.store.model('Pod', 'a', 'cnb-b1-x')?.spec?.initContainers?.map((x) => [x.name, x.command]),
      [['agnhost-bin', ['cp', '/agnhost', '/opt/cnibench/bin/agnhost']]],
    );
    assert.deepEqual(validate(schemaFor('Pod'), a), []);
    const r = await round(fc, driver, c, p3);
    assert.equal(r.execs.length, 3);
    for (const e of dp.log.filter((x) => x.kind === 'probe-batch').slice(-3))
      assert.deepEqual(e.command.slice(e.command.indexOf('--agnhost'), -2), [
        '--agnhost',
        '/opt/cnibench/bin/agnhost',
      ]);
    // No policies: what is served connects (agnhost says nothing of who answered).
    assert.ok(
      r.results.filter((x) => x.to !== 'y/a').every((x) => x.connected && x.answeredBy === undefined),
    );
    const toYa = r.results.filter((x) => x.to === 'y/a');
    assert.deepEqual(
      toYa.map((x) => [x.connected, x.error]),
      [
        [false, 'refused'],
        [false, 'refused'],
      ],
      'SCTP refused (agnhost prints OTHER) reads as refused, as for TCP',
    );
    await driver.ensureLayout(sampleCase());
  });

  test('a cluster that went away stops the round with an environment error (exit 3)', async () => {
    const lost = await startFakeCluster();
    startCalico(lost);
    lost.api.onExec = fakeDataplane(lost.api).handler;
    const d = new KubeDriver(clusterConfig(lost.kubeconfig), { runId: 'b3' });
    const c = sampleCase();
    const p4 = await d.ensureLayout(c);
    await lost.close();
    const req: ProbeRequest[] = probeRequests(p4, c.probes, false);
    await assert.rejects(
      d.probe(req, { timeoutMs: 200, concurrency: 4 }),
      (err: Error & { exitCode?: number }) => {
        assert.equal(err.exitCode, 3, err.message);
        return true;
      },
    );
  });
});
