/**
 * Drift, injected with a driver hook, a benchmark (it measures the machine, so it never gates CI):
 * two identical local profiles measured in interleaved blocks, where one candidate's driver makes its
 * whole environment 40% slower — every round trip it reports, on the baseline path and on the pod path
 * alike. compare must name the drift (its interval beyond the tolerance) and never call the slowed
 * candidate better. CI checks drift detection on synthetic data (test/compare/defects.test.ts).
 */
import type { ClusterDriver, ExecOptions, ExecResult, PodHandle } from '../src/cluster/driver.js';
import type { Measurement } from '../src/results/schema.js';
import { formatCompareReport } from '../src/compare/format.js';
import { compareRuns } from '../src/compare/results-compare.js';
import { runLatency } from '../src/workloads/latency/run.js';
import { syntheticResults } from '../test/stats/fixtures.js';
import { AGENT_COMMAND, perfDriver } from '../test/workloads/helpers/perf-driver.js';

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

export interface DriftBenchResult {
  driftDetected: boolean;
  driftCi: [number, number] | null;
  verdict: string;
  relativeDifference: number | null;
}

export async function runDriftBench(opts: { log: (line: string) => void }): Promise<DriftBenchResult> {
  const a = perfDriver();
  const b = perfDriver();
  try {
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
    const r = syntheticResults('drift', [
      { name: 'a', measurements: of('a') },
      { name: 'b', measurements: of('b') },
    ]);
    const report = compareRuns([{ source: 'drift', results: r }]);
    const d = report.rows
      .find((x) => x.metric === 'rtt' && x.path === 'same-node')
      ?.figures.find((f) => f.candidate === 'b');
    opts.log(formatCompareReport(report, 'table'));
    return {
      driftDetected: Boolean(d?.drift),
      driftCi: d?.drift?.ci ?? null,
      verdict: d?.verdict ?? 'none',
      relativeDifference: d?.comparison?.relativeDifference ?? null,
    };
  } finally {
    await Promise.all([a.cleanup(), b.cleanup()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runDriftBench({ log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
