/**
 * Cost-recording overhead: does reading the CPU and memory counters (docs/cost.md) move the
 * throughput it is recorded with? On one local cluster (routed profile, cross-node path), rounds of
 * two TCP throughput runs through the real workload code, one with cost recording (every command in
 * its pod's cgroup, counters read before and after the run) and one without (commands in the
 * harness's cgroup, no counter read), back to back in alternating order so that the machine's load
 * drifts alike on both sides.
 *
 * The effect is the mean of the paired log-ratios ln(with / without), as a ratio with its 95% CI. The
 * noise it is held against is the minimum detectable effect of these paired samples: the smallest
 * true difference a two-sided paired t test at α = 0.05 finds with 80% power,
 * (t₀.₉₇₅,ₙ₋₁ + t₀.₈₀,ₙ₋₁) · sd / √n of the log-ratios (computed here from the bench's own pairs;
 * a paired design, which src/stats's figure MDE does not cover). Pass: |effect| < MDE.
 *
 * Run alone: `node dist/bench/cost-overhead.bench.js [--rounds N] [--duration S]` (root; exit 1 if
 * the effect is not within the MDE). bench/run.ts calls runCostOverheadBench().
 */
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { LocalDriver } from '../src/cluster/local/driver.js';
import { tCritical } from '../src/stats/ci.js';
import { medianOf } from '../src/stats/quantile.js';
import { runThroughput, type ThroughputWorkload } from '../src/workloads/throughput/run.js';
import { PROJECT_ROOT } from '../src/util/version.js';

export interface CostOverheadOptions {
  /** Rounds (pairs of runs); default 10. */
  rounds?: number;
  /** Seconds per iperf3 run; default 2. */
  duration?: number;
  log?: (line: string) => void;
}

export interface CostOverheadReport {
  withCost: number[];
  withoutCost: number[];
  /** exp(mean ln(with/without)): the effect of cost recording on throughput, as a ratio. */
  ratio: number;
  ratioCi95: [number, number];
  /** Minimum detectable effect of the paired samples, as a fraction (0.05 = 5%). */
  mde: number;
  /** CPU seconds per Gbit of the runs with cost recording (median). */
  cpuPerGbitMedian: number;
  pass: boolean;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
};

/** Effect, CI and MDE of paired samples (log-ratios), as fractions of the without-cost throughput. */
export function pairedEffect(
  withCost: readonly number[],
  without: readonly number[],
): { ratio: number; ratioCi95: [number, number]; mde: number } {
  if (withCost.length !== without.length || withCost.length < 3) throw new Error('need ≥ 3 pairs');
  const d = withCost.map((w, i) => Math.log(w / (without[i] ?? NaN)));
  const n = d.length;
  const se = sd(d) / Math.sqrt(n);
  const t975 = tCritical(n - 1, 0.95);
  const t80 = tCritical(n - 1, 0.6); // the 0.80 quantile: 1 − (1 − 0.6)/2
  const m = mean(d);
  return {
    ratio: Math.exp(m),
    ratioCi95: [Math.exp(m - t975 * se), Math.exp(m + t975 * se)],
    mde: Math.exp((t975 + t80) * se) - 1,
  };
}

export async function runCostOverheadBench(opts: CostOverheadOptions = {}): Promise<CostOverheadReport> {
  const rounds = opts.rounds ?? 10;
  const duration = opts.duration ?? 2;
  const log = opts.log ?? (() => undefined);
  const driver = new LocalDriver({
    mode: 'routed',
    nodes: 2,
    agentPath: path.join(PROJECT_ROOT, 'dist', 'src', 'agent', 'main.js'),
  });
  const withCost: number[] = [];
  const withoutCost: number[] = [];
  const perGbit: number[] = [];
  try {
    const topology = await driver.preparePerf(['cross-node']);
    const arm = { name: 'routed', driver, topology, agentCommand: [process.execPath] };
    const workload: ThroughputWorkload = {
      kind: 'throughput',
      tool: 'iperf3',
      protocol: 'TCP',
      streams: [1],
      udpRate: '1G',
      paths: ['cross-node'],
      duration,
      baseline: false,
    };
    const once = async (cost: boolean) => {
      driver.topology.setAccounting(cost);
      const ms = await runThroughput([arm], workload, { count: 1, warmup: 0, adaptive: false }, { seed: 1 });
      const tput = ms.find((x) => x.measurement.metric === 'throughput')?.measurement.samples[0];
      const cpu = ms.find((x) => x.measurement.metric === 'cpu-per-gbit')?.measurement.samples[0];
      if (tput === undefined) throw new Error('no throughput measured');
      if (cost !== (cpu !== undefined))
        throw new Error(`cost recording ${cost ? 'off' : 'on'} when asked ${cost ? 'on' : 'off'}`);
      if (cpu !== undefined) perGbit.push(cpu);
      return tput;
    };
    await once(true); // warm-up: caches, first cgroup creation
    for (let r = 0; r < rounds; r++) {
      const first = r % 2 === 0;
      const a = await once(first);
      const b = await once(!first);
      withCost.push(first ? a : b);
      withoutCost.push(first ? b : a);
      log(
        `round ${r + 1}/${rounds}: with cost ${withCost.at(-1)?.toFixed(2)} Gbit/s, without ${withoutCost.at(-1)?.toFixed(2)} Gbit/s`,
      );
    }
  } finally {
    driver.topology.setAccounting(true);
    await driver.cleanup();
  }
  const e = pairedEffect(withCost, withoutCost);
  return {
    withCost,
    withoutCost,
    ...e,
    cpuPerGbitMedian: medianOf(perGbit),
    pass: Math.abs(e.ratio - 1) < e.mde,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const r = await runCostOverheadBench({
    rounds: arg('--rounds'),
    duration: arg('--duration'),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  process.exitCode = r.pass ? 0 : 1;
}
