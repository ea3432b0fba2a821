import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairFor, toMeasurement, workloadPaths } from '../../../src/workloads/tools/measure.js';
import { EnvironmentError } from '../../../src/util/errors.js';
import type { PodHandle } from '../../../src/cluster/driver.js';

test('workloadPaths: baseline first when asked, no duplicates', () => {
  assert.deepEqual(workloadPaths({ paths: ['same-node', 'cross-node'], baseline: true }), [
    'baseline',
    'same-node',
    'cross-node',
  ]);
  assert.deepEqual(workloadPaths({ paths: ['cross-node', 'cross-node'], baseline: false }), ['cross-node']);
  assert.deepEqual(workloadPaths({ paths: ['baseline'], baseline: false }), ['baseline']);
});

test('pairFor: a missing path is an environment error naming what exists', () => {
  const pod: PodHandle = { namespace: 'n', name: 'a', key: 'n/a', node: 'node-0', ip: '10.0.0.1' };
  const topo = { pairs: [{ path: 'same-node' as const, client: pod, server: pod, target: pod.ip }] };
  assert.equal(pairFor(topo, 'same-node').target, '10.0.0.1');
  assert.throws(
    () => pairFor(topo, 'service'),
    (e: unknown) => e instanceof EnvironmentError && /"service".*prepared: same-node/.test(e.message),
  );
});

test('toMeasurement: summary over samples only, adaptive outcome kept', () => {
  const m = toMeasurement(
    {
      id: 'throughput/tcp/streams=1/baseline',
      workload: 'throughput',
      path: 'baseline',
      metric: 'throughput',
      unit: 'Gbit/s',
      higherIsBetter: true,
      parameters: { streams: 1 },
      tool: { name: 'iperf3', version: '3.12' },
    },
    {
      samples: [10, 11, 12],
      warmup: [1],
      adaptive: {
        rule: 'group-sequential' as const,
        minBlocks: 3,
        maxBlocks: 10,
        alpha: 0.05,
        blocks: 10,
        stopped: 'max-blocks' as const,
        decided: false,
      },
    },
  );
  assert.equal(m.summary.n, 3);
  assert.equal(m.summary.median, 11);
  assert.equal(m.summary.min, 10, 'the warm-up sample is not in the summary');
  assert.deepEqual(m.warmup, [1]);
  // The CI half-width is part of the adaptive outcome, not a parameter (parameters identify a figure).
  assert.deepEqual(m.adaptive, {
    rule: 'group-sequential' as const,
    minBlocks: 3,
    maxBlocks: 10,
    alpha: 0.05,
    blocks: 10,
    stopped: 'max-blocks' as const,
    decided: false,
  });
  assert.equal(m.parameters.ciHalfWidthPercent, undefined);
  assert.equal(m.schedule, undefined);
  assert.equal(m.paired, undefined);
});
