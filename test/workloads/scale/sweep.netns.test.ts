/**
 * The policy-scale sweep end to end on the LOCAL cluster (the suite's "long test", ~1 minute):
 * 0 → 1,000 policies with 1-second throughput runs and short latency runs, 2 samples each.
 * Checks every measurement's shape and that the programming latency of the extra policy was
 * observed (a real flip of the probe pair, seen by probes) at every N.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { LocalDriver } from '../../../src/cluster/local/driver.js';
import { listNetns } from '../../../src/cluster/local/cleanup.js';
import type { Measurement } from '../../../src/results/schema.js';
import { runPolicyScale, scaleId, type PolicyScaleWorkload } from '../../../src/workloads/scale/run.js';
import { PROJECT_ROOT } from '../../../src/util/version.js';
import { must } from '../../helpers/must.js';

const AGENT_COMMAND = [process.execPath, path.join(PROJECT_ROOT, 'dist', 'src', 'agent', 'main.js')];
const COUNTS = [0, 10, 100, 1000];

describe('policy-scale sweep on the local cluster', () => {
  const driver = new LocalDriver({ mode: 'routed', nodes: 2 });
  after(async () => {
    await driver.cleanup();
    const left = (await listNetns()).filter((n) => n.startsWith(driver.runId));
    assert.deepEqual(left, [], 'every namespace of the test is gone');
  });

  test(`0 → ${COUNTS.at(-1)} policies: throughput, rr, crr and programming latency at every N`, async () => {
    const workload: PolicyScaleWorkload = {
      kind: 'policy-scale',
      maxInstallSeconds: 300,
      counts: COUNTS,
      measure: ['throughput', 'rr', 'crr', 'programming'],
      path: 'cross-node',
      duration: 0.3,
    };
    const steps: Array<{ policies: number; setPoliciesMs: number }> = [];
    const saved: Measurement[] = [];
    const measured = await runPolicyScale(
      [{ name: 'routed', driver, agentCommand: AGENT_COMMAND }],
      workload,
      { count: 2, warmup: 0, adaptive: { maxSamples: 10 } },
      { seed: 1, onMeasurement: (_arm, m) => void saved.push(m) },
      { flip: { probeTimeoutMs: 500, timeoutMs: 20_000 }, onStep: (s) => void steps.push(s) },
    );
    const ms = measured.map((x) => x.measurement);
    assert.deepEqual(saved, ms, 'each measurement is handed to onMeasurement');
    assert.deepEqual(
      steps.map((s) => s.policies),
      COUNTS,
    );
    for (const n of COUNTS) {
      const at = ms.filter((m) => m.parameters.policies === n);
      const ids = at.map((m) => m.id).sort();
      assert.deepEqual(
        ids,
        [
          scaleId(n, 'connection-rate/crr-cpu-per-kconn/payload=1/cross-node'),
          scaleId(n, 'connection-rate/crr/payload=1/cross-node'),
          ...(n > 0 ? [scaleId(n, 'dataplane/memory-per-kpolicy')] : []),
          scaleId(n, 'latency/rr-cpu-per-transaction/payload=1/cross-node'),
          scaleId(n, 'latency/rr-p99/payload=1/cross-node'),
          scaleId(n, 'latency/rr/payload=1/cross-node'),
          scaleId(n, 'policy-state'),
          scaleId(n, 'programming/add-deny'),
          scaleId(n, 'programming/install'),
          scaleId(n, 'programming/remove-deny'),
          scaleId(n, 'throughput/tcp-cpu-per-gbit/streams=1/cross-node'),
          scaleId(n, 'throughput/tcp/streams=1/cross-node'),
        ].sort(),
      );
      for (const m of at) {
        const once = m.id.endsWith('/install') || m.id.endsWith('/policy-state');
        assert.equal(
          m.samples.length,
          once ? 1 : 2,
          `${m.id}: exactly count samples, adaptive does not apply`,
        );
        // Memory per policy at a handful of policies can round to nothing; everything else is positive.
        const positive = m.metric !== 'memory-per-kpolicy' || n >= 1000;
        for (const v of m.samples) assert.ok(Number.isFinite(v) && (!positive || v > 0), `${m.id}: ${v}`);
      }
      const perGbit = must(
        at.find((m) => m.metric === 'cpu-per-gbit'),
        `CPU per Gbit at N=${n}`,
      );
      assert.equal(perGbit.derivedFrom, scaleId(n, 'throughput/tcp/streams=1/cross-node'));
      const thr = must(
        at.find((m) => m.metric === 'throughput'),
        `throughput at N=${n}`,
      );
      assert.ok(thr.summary.median > 0.05, `throughput at N=${n}: ${thr.summary.median} Gbit/s`);
      const prog = must(
        at.find((m) => m.id.endsWith('add-deny')),
        `add-deny at N=${n}`,
      );
      assert.equal(prog.workload, 'policy-programming');
      assert.equal(prog.metric, 'programming-latency');
      assert.equal(prog.unit, 'ms');
      assert.equal(prog.parameters.change, 'add-deny');
    }
    // Print the figures (the test log is where CI keeps them).
    for (const m of ms) {
      if (m.metric === 'rtt-p99') continue;
      console.log(
        `  N=${String(m.parameters.policies).padStart(5)} ${m.id.split('/').slice(2).join('/').padEnd(40)} median ${m.summary.median.toFixed(3)} ${m.unit}`,
      );
    }
  });

  test('each engine side by side; a candidate whose next install would take too long stops and says why', async () => {
    const ebpf = new LocalDriver({ mode: 'vxlan', engine: 'ebpf', nodes: 2 });
    try {
      await ebpf.preflight();
      const measured = await runPolicyScale(
        [
          { name: 'nft', driver, agentCommand: AGENT_COMMAND },
          { name: 'ebpf', driver: ebpf, agentCommand: AGENT_COMMAND },
        ],
        // 0.001 s: no engine installs 100 policies that fast, so both stop after 10 (nothing at 0 to extrapolate from).
        {
          kind: 'policy-scale',
          maxInstallSeconds: 0.001,
          counts: [0, 10, 100],
          measure: ['rr'],
          path: 'cross-node',
          duration: 0.2,
        },
        { count: 1, warmup: 0, adaptive: false },
        { seed: 1 },
        { flip: { probeTimeoutMs: 500, timeoutMs: 20_000 } },
      );
      for (const arm of ['nft', 'ebpf']) {
        const ms = measured.filter((x) => x.arm === arm).map((x) => x.measurement);
        assert.deepEqual([...new Set(ms.map((m) => m.parameters.policies))], [0, 10], arm);
        const install = must(ms.find((m) => m.id === scaleId(10, 'programming/install')));
        assert.match(
          String(install.parameters.sweepStopped),
          /not tried at 100 policies: installing 10 took .* over maxInstallSeconds 0.001/,
        );
        const mem = must(ms.find((m) => m.id === scaleId(10, 'policy-state')));
        assert.ok((mem.samples[0] ?? 0) > 0, `${arm}: policy state size`);
      }
    } finally {
      await ebpf.cleanup();
    }
  });
});
