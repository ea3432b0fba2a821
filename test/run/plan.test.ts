import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPlan, formatPlan } from '../../src/plan/build.js';
import { loadScenario } from '../../src/scenario/load.js';

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
  assert.match(text, /set up local reference profile \(vxlan\): VXLAN overlay between nodes/);
  assert.match(text, /iperf3 TCP throughput, streams 1\/4, on same-node, cross-node, service, baseline/);
  assert.doesNotMatch(text, /Calico|Cilium/);
});
