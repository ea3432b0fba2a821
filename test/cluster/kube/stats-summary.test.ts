/**
 * The kube driver's cost reader against the fake API server's node proxy: CPU of the perf pair's
 * nodes and pods from the kubelet summary, the CNI agents' working set as dataplane memory, and a
 * 403 on nodes/proxy as one line with exit 3 (in the preflight and at the read itself).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import { isDataplaneAgent, parseSummary } from '../../../src/cluster/kube/stats-summary.js';
import { cpuDelta } from '../../../src/cluster/cost.js';
import { EnvironmentError } from '../../../src/util/errors.js';
import { clusterConfig, startFakeCluster } from './helpers.js';
import { must } from '../../helpers/must.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kubelet summary (kube cost reader)', () => {
  test('CPU of the pair: nodes in total, the pair’s pods as a part; counters read before and after', async () => {
    const fc = await startFakeCluster({ onExec: () => ({ exitCode: 0 }) });
    const driver = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'cs' });
    try {
      fc.api.kubelet.nodeCores = 1.5;
      fc.api.kubelet.podCores = 0.25;
      const topo = await driver.preparePerf(['same-node', 'cross-node']);
      const same = must(topo.pairs.find((p) => p.path === 'same-node'));
      const cross = must(topo.pairs.find((p) => p.path === 'cross-node'));
      const reader = driver.cost();
      const before = await reader.readCpu(cross);
      await sleep(300);
      const after = await reader.readCpu(cross);
      const d = cpuDelta(before, after);
      // Two nodes at 1.5 cores for ~0.3 s; two pods at 0.25 cores.
      assert.ok(d.totalSeconds > 2 * 1.5 * 0.25 && d.totalSeconds < 2 * 1.5 * 1.5, `${d.totalSeconds}`);
      assert.equal(d.parts.nodes, d.totalSeconds);
      assert.ok(
        must(d.parts.pods) > 2 * 0.25 * 0.25 && must(d.parts.pods) < d.totalSeconds,
        `${d.parts.pods}`,
      );
      // The same-node pair reads its one node once.
      const s0 = await reader.readCpu(same);
      await sleep(200);
      const s1 = cpuDelta(s0, await reader.readCpu(same));
      assert.ok(s1.totalSeconds < 1.5 * 1.0, `one node: ${s1.totalSeconds}`);
      const reqs = fc.api.requests.filter((r) =>
        /\/proxy\/stats%2Fsummary$|\/proxy\/stats\/summary$/.test(r.path),
      );
      assert.ok(reqs.length >= 6);
      assert.deepEqual(must(reqs[0]).authz, [
        { verb: 'get', group: '', resource: 'nodes', subresource: 'proxy', name: cross.client.node },
      ]);
    } finally {
      await driver.cleanup();
      await fc.close();
    }
  });

  test('dataplane memory: the CNI node agents’ working set over every node, none without agents', async () => {
    const fc = await startFakeCluster({ onExec: () => ({ exitCode: 0 }) });
    const driver = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'cm' });
    try {
      assert.equal(await driver.cost().dataplaneMemoryBytes(), undefined);
      const nodes = fc.api.store.list('v1', 'Node').map((n) => n.metadata.name);
      for (const [i, node] of nodes.entries()) {
        for (const name of [`cilium-${i}abc`, `cilium-operator-${i}`, `coredns-${i}`]) {
          fc.api.store.create({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: { name, namespace: 'kube-system' },
            spec: { nodeName: node, containers: [{ name: 'c', image: 'x' }] },
          });
        }
      }
      fc.api.kubelet.podWorkingSetBytes = 100 * 1024 * 1024;
      assert.equal(await driver.cost().dataplaneMemoryBytes(), nodes.length * 100 * 1024 * 1024);
    } finally {
      await fc.close();
    }
  });

  test('nodes/proxy forbidden: the preflight names it (exit 3), and so does a read', async () => {
    const fc = await startFakeCluster({
      onExec: () => ({ exitCode: 0 }),
      deny: [{ verb: 'get', resource: 'nodes', subresource: 'proxy' }],
    });
    const driver = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'cf' });
    try {
      await assert.rejects(driver.preflight(), (err: Error) => {
        assert.ok(err instanceof EnvironmentError);
        assert.equal(err.exitCode, 3);
        assert.match(
          err.message,
          /lack 1 permission\(s\) the harness needs: cannot get nodes\/proxy \(cluster-wide\)\./,
        );
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
      const topo = await driver.preparePerf(['cross-node']);
      await assert.rejects(driver.cost().readCpu(must(topo.pairs[0])), (err: Error) => {
        assert.ok(err instanceof EnvironmentError);
        assert.equal(err.exitCode, 3);
        assert.match(
          err.message,
          /^forbidden: cannot get nodes\/proxy of node \S+ \(the kubelet summary, for CPU and memory\): nodes "\S+" is forbidden: User "fake-user" cannot get resource "nodes\/proxy"/,
        );
        assert.doesNotMatch(err.message, /\n/);
        return true;
      });
    } finally {
      await driver.cleanup();
      await fc.close();
    }
  });
});

describe('summary parsing', () => {
  test('a summary without node CPU is refused naming the node and the field', () => {
    assert.throws(
      () => parseSummary('n1', { node: { nodeName: 'n1' } }),
      /node n1 has no node\.cpu\.usageCoreNanoSeconds/,
    );
    assert.throws(() => parseSummary('n1', '{}'), /node n1 has no "node" object/);
    assert.equal(
      parseSummary('n1', '{"node":{"nodeName":"n1","cpu":{"usageCoreNanoSeconds":5}}}').node.cpu
        ?.usageCoreNanoSeconds,
      5,
    );
  });

  test('the datapath agents are calico-node and the cilium agent, not the operator or envoy', () => {
    assert.ok(isDataplaneAgent({ namespace: 'calico-system', name: 'calico-node-x7k2p' }));
    assert.ok(isDataplaneAgent({ namespace: 'kube-system', name: 'cilium-4fz9q' }));
    assert.ok(!isDataplaneAgent({ namespace: 'kube-system', name: 'cilium-operator-6d9f-abc' }));
    assert.ok(!isDataplaneAgent({ namespace: 'kube-system', name: 'cilium-envoy-abcde' }));
    assert.ok(!isDataplaneAgent({ namespace: 'calico-system', name: 'calico-kube-controllers-1' }));
  });
});
