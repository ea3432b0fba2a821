/**
 * Drift, injected with a driver hook: two identical local profiles measured in interleaved blocks,
 * where one candidate's driver makes its whole environment 40% slower — every round trip it reports,
 * on the baseline path and on the pod path alike, as a machine loaded during that candidate's turns
 * would. compare must name the drift, mark the absolute figures as confounded, and keep the verdict
 * of the baseline-normalized figures (per-pair ratios, which the drift cancels out of).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterDriver, ExecOptions, ExecResult, PodHandle } from '../../src/cluster/driver.js';
import type { Measurement } from '../../src/results/schema.js';
import { formatCompareReport } from '../../src/compare/format.js';
import { compareRuns } from '../../src/compare/results-compare.js';
import { runLatency } from '../../src/workloads/latency/run.js';
import { syntheticResults } from '../stats/fixtures.js';
import { AGENT_COMMAND, perfDriver } from '../workloads/helpers/perf-driver.js';

const SLOWER = 1.4;

/** The hook: every rr report of this driver says each round trip took SLOWER times as long. */
function slowedEnvironment(inner: ClusterDriver): ClusterDriver {
  const exec = async (pod: PodHandle, argv: string[], opts?: ExecOptions): Promise<ExecResult> => {
    const r = await inner.exec(pod, argv, opts);
    if (!argv.includes('rr') || r.exitCode !== 0) return r;
    const report = JSON.parse(r.stdout) as { samplesUs: number[]; transactionsPerSecond: number };
    report.samplesUs = report.samplesUs.map((x) => x * SLOWER);
    report.transactionsPerSecond /= SLOWER;
    return { ...r, stdout: JSON.stringify(report) };
  };
  return new Proxy(inner, {
    get: (target, prop, receiver): unknown => (prop === 'exec' ? exec : Reflect.get(target, prop, receiver)),
  });
}

const a = perfDriver();
const b = perfDriver();
after(async () => {
  await Promise.all([a.cleanup(), b.cleanup()]);
});

test(
  'a drifted candidate: compare names the drift and the normalized verdict is unchanged',
  { timeout: 120_000 },
  async () => {
    const paths = ['baseline', 'same-node'] as const;
    const [ta, tb] = await Promise.all([a.preparePerf([...paths]), b.preparePerf([...paths])]);
    const ms = await runLatency(
      [
        { name: 'a', driver: a, topology: ta, agentCommand: AGENT_COMMAND },
        { name: 'b', driver: slowedEnvironment(b), topology: tb, agentCommand: AGENT_COMMAND },
      ],
      { kind: 'latency', mode: 'rr', paths: ['same-node'], duration: 0.25, payloadBytes: 1, baseline: true },
      { count: 8, warmup: 1, adaptive: false },
      { seed: 3 },
    );
    const of = (name: string): Measurement[] => ms.filter((x) => x.arm === name).map((x) => x.measurement);
    /** What b measured without the hook: every sample divided back. */
    const unslowed = of('b').map((m) => ({
      ...m,
      samples: m.samples.map((x) => x / SLOWER),
      ...(m.paired ? { paired: { ...m.paired, samples: m.paired.samples.map((x) => x / SLOWER) } } : {}),
    }));
    const results = (bs: Measurement[]) => {
      const r = syntheticResults('drift', [
        { name: 'a', measurements: of('a') },
        { name: 'b', measurements: bs },
      ]);
      r.schemaVersion = 2;
      return [{ source: 'drift', results: r }];
    };
    const drifted = compareRuns(results(of('b')));
    const truth = compareRuns(results(unslowed));
    const fig = (rep: typeof truth) =>
      rep.rows
        .find((x) => x.metric === 'rtt' && x.path === 'same-node')
        ?.figures.find((f) => f.candidate === 'b');

    const d = fig(drifted);
    assert.ok(d?.drift, 'the drift is detected');
    assert.match(
      d.drift.sentence,
      /latency rtt same-node .*the baseline path measured .* for b against .* for a/,
    );
    assert.match(d.drift.sentence, /absolute difference is confounded by environment drift/);
    assert.ok(drifted.drift.some((x) => x.id === 'latency/rr/payload=1/same-node' && x.candidate === 'b'));
    assert.equal(d.verdictBasis, 'normalized');
    // The absolute comparison sees the 40%; the normalized one does not move.
    assert.ok((d.comparison?.relativeDifference ?? 0) > 0.2, `absolute ${d.comparison?.relativeDifference}`);
    const t = fig(truth);
    assert.ok(t?.normalizedComparison && d.normalizedComparison);
    assert.ok(
      Math.abs(
        (d.normalizedComparison.relativeDifference ?? NaN) -
          (t.normalizedComparison.relativeDifference ?? NaN),
      ) < 1e-9,
    );
    assert.equal(d.verdict, t.normalizedComparison.verdict, 'normalized verdict unchanged');
    assert.notEqual(d.comparison?.verdict, 'better', 'the slowed candidate is never better');
    // compare prints the absolute comparison marked as confounded, and the drift sentence.
    const text = formatCompareReport(drifted, 'table');
    assert.match(text, /latency rtt same-node .* b +absolute .*\(confounded by environment drift\)/);
    assert.match(text, /Environment drift:\n(.*\n)* {2}- latency rtt same-node /);
  },
);
