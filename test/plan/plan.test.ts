import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan, candidateLabel, formatPlan, localProfilesNeedingBpf } from '../../src/plan/build.js';
import { planDetailSources } from '../../src/plan/details.js';
import { loadScenario } from '../../src/run/scenario-file.js';

test('the plan lists every step in order, with one workload step per candidate and workload', () => {
  const { scenario } = loadScenario('scenarios/quickstart.yaml');
  const steps = buildPlan(scenario);
  assert.deepEqual(
    steps.map((s) => s.id),
    [
      'preflight',
      'cluster',
      'routed/install',
      'routed/0-conformance',
      'routed/1-throughput',
      'routed/2-throughput',
      'routed/3-latency',
      'routed/4-latency',
      'routed/5-policy-scale',
      'vxlan/install',
      'vxlan/0-conformance',
      'vxlan/1-throughput',
      'vxlan/2-throughput',
      'vxlan/3-latency',
      'vxlan/4-latency',
      'vxlan/5-policy-scale',
      'report',
      'cleanup',
    ],
  );
  const text = formatPlan(steps);
  assert.match(
    text,
    /set up local reference profile \(vxlan, ebpf\): VXLAN overlay between nodes, ebpf policy/,
  );
  assert.match(
    text,
    /set up local reference profile \(routed, nftables\): plain routes between nodes, nftables/,
  );
  // The profiles that load BPF programs are named before anything is touched.
  assert.match(text, /needs BPF: vxlan \(local reference profile \(vxlan, ebpf\)\)/);
  assert.doesNotMatch(text, /needs BPF: routed/);
  assert.match(text, /iperf3 TCP throughput, streams 1\/4, on same-node, cross-node, service, baseline/);
  assert.doesNotMatch(text, /Calico|Cilium/);
});

test('a real-cluster plan says how probes run, in either probe mode', async () => {
  const { scenario } = loadScenario('scenarios/kind-calico-vs-cilium.yaml');
  const probeLine = async (probeMode: 'agent' | 'agnhost') => {
    const s = structuredClone(scenario);
    if (s.cluster.kind !== 'kube') throw new Error('expected a kube scenario');
    s.cluster.probeMode = probeMode;
    const lines = (await planDetailSources(s)).cluster?.(s) ?? [];
    return lines.find((l) => l.startsWith('probes'));
  };
  assert.match(
    (await probeLine('agent')) ?? '',
    /^probes \(probeMode agent\): batched, one exec per source pod and round, from an agent container \(docker\.io\/library\/node:24\.21\.0-alpine/,
  );
  assert.match(
    (await probeLine('agnhost')) ?? '',
    /^probes \(probeMode agnhost\): one exec of agnhost connect per probe/,
  );
});

test('a real-cluster plan shows the conformance lanes', async () => {
  const { scenario } = loadScenario('scenarios/kind-calico-vs-cilium.yaml');
  const lanesLine = async (lanes: number) => {
    const s = structuredClone(scenario);
    if (s.cluster.kind !== 'kube') throw new Error('expected a kube scenario');
    s.cluster.conformanceLanes = lanes;
    const lines = (await planDetailSources(s)).cluster?.(s) ?? [];
    return lines.find((l) => l.startsWith('conformance lanes'));
  };
  assert.match((await lanesLine(1)) ?? '', /^conformance lanes: 1 \(cases one at a time/);
  assert.match(
    (await lanesLine(3)) ?? '',
    /^conformance lanes: 3 cases at once, lane k in cnb-<run id>-l<k>-x, -y, -z .*BaselineAdminNetworkPolicy cases in lane 0 only/,
  );
});

test('any pairing of routing and policy engine can be named; validate names the profiles needing BPF', () => {
  const { scenario } = loadScenario('scenarios/local-engines.yaml');
  assert.deepEqual(
    scenario.candidates.map((c) => candidateLabel(c)),
    [
      'local reference profile (routed, nftables)',
      'local reference profile (routed, ebpf)',
      'local reference profile (vxlan, nftables)',
      'local reference profile (vxlan, ebpf)',
    ],
  );
  assert.deepEqual(localProfilesNeedingBpf(scenario), [
    'routed-ebpf (local reference profile (routed, ebpf))',
    'vxlan-ebpf (local reference profile (vxlan, ebpf))',
  ]);
});
