/**
 * Policy-scale benchmark:
 *   generator  tinybench timing of generateScalePolicies + the model check at 100, 1,000 and 5,000
 *              policies (what every sweep step pays before touching the cluster), and of summarize()
 *              on 1,000 samples (2,000 bootstrap resamples);
 *   sweep      runPolicyScale on the LOCAL cluster (routed profile, nftables unless --engine ebpf) at
 *              0, 100, 1,000, 2,000 and 5,000 policies: TCP throughput, RR latency, CRR rate, the time
 *              to install the whole set, the policy memory, and the programming latency of one extra
 *              policy, cross-node — the numbers behind "does the dataplane slow down with policy count".
 *              A count whose install would take longer than --max-install seconds is not tried.
 *
 * Run alone: `node dist/bench/scale.bench.js [--counts 0,100,1000,2000,5000] [--duration S] [--samples N]
 * [--engine nftables|ebpf] [--mode routed|vxlan] [--max-install S]` (root). The lead's bench/run.ts
 * calls runScaleBench().
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { LocalDriver } from '../src/cluster/local/driver.js';
import type { LocalPolicyEngineName } from '../src/scenario/local-profile.js';
import type { Measurement } from '../src/results/schema.js';
import { summarize } from '../src/stats/summary.js';
import { generateScalePolicies } from '../src/workloads/scale/generate.js';
import { scaleLayout } from '../src/workloads/scale/layout.js';
import { runPolicyScale } from '../src/workloads/scale/run.js';
import { checkScalePolicies } from '../src/workloads/scale/verify.js';
import { LOCAL_PERF_ENDPOINTS } from '../test/workloads/helpers/perf-endpoints.js';
import { PROJECT_ROOT } from '../src/util/version.js';

export interface ScaleBenchOptions {
  counts?: number[];
  /** Seconds per throughput/latency sample; default 1. */
  duration?: number;
  /** Samples per measurement (after one warm-up); default 3. */
  samples?: number;
  engine?: LocalPolicyEngineName;
  mode?: 'routed' | 'vxlan';
  maxInstallSeconds?: number;
  /** Skip the local-cluster sweep (generator timings only). */
  generatorOnly?: boolean;
  log?: (line: string) => void;
}

export interface ScaleBenchRow {
  policies: number;
  setPoliciesMs: number;
  installMs: number | null;
  memoryBytes: number | null;
  stopped: string | null;
  throughputGbps: number | null;
  rttUs: number | null;
  crrPerSec: number | null;
  programmingAddMs: number | null;
  programmingRemoveMs: number | null;
}

export interface ScaleBenchReport {
  generator: Array<{ name: string; meanMs: number; p99Ms: number; samples: number }>;
  rows: ScaleBenchRow[];
  measurements: Measurement[];
}

async function generatorTimings(log: (l: string) => void): Promise<ScaleBenchReport['generator']> {
  const layout = scaleLayout(LOCAL_PERF_ENDPOINTS);
  const bench = new Bench({ time: 500, iterations: 5 });
  for (const n of [100, 1000, 5000]) {
    bench.add(`generate ${n} policies`, () => void generateScalePolicies(n, layout));
    const ps = generateScalePolicies(n, layout);
    bench.add(`model check of ${n} policies`, () => void checkScalePolicies(layout, ps));
  }
  const samples = Array.from({ length: 1000 }, (_, i) => 100 + Math.sin(i) * 5);
  bench.add('summarize 1000 samples', () => void summarize(samples));
  await bench.run();
  return bench.tasks.map((t) => {
    const r = t.result as {
      latency?: { mean: number; p99: number; samplesCount?: number };
      samples?: number[];
    };
    const out = {
      name: t.name,
      meanMs: r.latency?.mean ?? NaN,
      p99Ms: r.latency?.p99 ?? NaN,
      samples: r.latency?.samplesCount ?? r.samples?.length ?? 0,
    };
    log(`${out.name.padEnd(32)} mean ${out.meanMs.toFixed(3)} ms  p99 ${out.p99Ms.toFixed(3)} ms`);
    return out;
  });
}

export async function runScaleBench(opts: ScaleBenchOptions = {}): Promise<ScaleBenchReport> {
  const {
    counts = [0, 100, 1000, 2000, 5000],
    duration = 1,
    samples = 3,
    log = (l: string) => console.log(l),
  } = opts;
  const generator = await generatorTimings(log);
  if (opts.generatorOnly) return { generator, rows: [], measurements: [] };

  const engine = opts.engine ?? 'nftables';
  const mode = opts.mode ?? 'routed';
  const driver = new LocalDriver({ mode, engine, nodes: 2 });
  const setMs = new Map<number, number>();
  try {
    await driver.preflight();
    const measured = await runPolicyScale(
      [
        {
          name: `${mode}-${engine}`,
          driver,
          agentCommand: [process.execPath, path.join(PROJECT_ROOT, 'dist', 'src', 'agent', 'main.js')],
        },
      ],
      {
        kind: 'policy-scale',
        counts,
        measure: ['throughput', 'rr', 'crr', 'programming'],
        path: 'cross-node',
        duration,
        maxInstallSeconds: opts.maxInstallSeconds ?? 300,
      },
      { count: samples, warmup: 1, adaptive: false },
      { seed: 0, onProgress: (m) => log(`  ${m}`) },
      { onStep: (s) => setMs.set(s.policies, s.setPoliciesMs) },
    );
    const measurements = measured.map((x) => x.measurement);
    const med = (n: number, pred: (m: Measurement) => boolean) =>
      measurements.find((m) => m.parameters.policies === n && pred(m))?.summary.median ?? null;
    const install = (n: number) =>
      measurements.find((m) => m.parameters.policies === n && m.parameters.change === 'install');
    const rows = counts.map((n) => ({
      policies: n,
      setPoliciesMs: setMs.get(n) ?? NaN,
      installMs: install(n)?.summary.median ?? null,
      memoryBytes: med(n, (m) => m.metric === 'policy-state-bytes'),
      stopped: ((): string | null => {
        const s = measurements.find((m) => typeof m.parameters.sweepStopped === 'string');
        return s && Number(s.parameters.policies) < n ? String(s.parameters.sweepStopped) : null;
      })(),
      throughputGbps: med(n, (m) => m.metric === 'throughput'),
      rttUs: med(n, (m) => m.metric === 'rtt'),
      crrPerSec: med(n, (m) => m.metric === 'connections'),
      programmingAddMs: med(n, (m) => m.parameters.change === 'add-deny'),
      programmingRemoveMs: med(n, (m) => m.parameters.change === 'remove-deny'),
    }));
    const f = (x: number | null, d: number) => (x === null ? 'n/a' : x.toFixed(d));
    log(`${mode}, ${engine}`);
    log(
      'policies  setPolicies ms  install ms  memory KiB  TCP Gbit/s  RR p50 us  CRR conn/s  +1 policy ms  -1 policy ms',
    );
    for (const r of rows) {
      if (r.stopped) {
        log(`${String(r.policies).padStart(8)}  stopped: ${r.stopped}`);
        continue;
      }
      log(
        `${String(r.policies).padStart(8)}  ${f(r.setPoliciesMs, 1).padStart(14)}  ${f(r.installMs, 1).padStart(10)}  ${f(r.memoryBytes === null ? null : r.memoryBytes / 1024, 0).padStart(10)}  ${f(r.throughputGbps, 3).padStart(10)}  ${f(r.rttUs, 1).padStart(9)}  ${f(r.crrPerSec, 0).padStart(10)}  ${f(r.programmingAddMs, 1).padStart(12)}  ${f(r.programmingRemoveMs, 1).padStart(12)}`,
      );
    }
    return { generator, rows, measurements };
  } finally {
    await driver.cleanup();
  }
}

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const counts = flag('counts')?.split(',').map(Number);
  runScaleBench({
    counts,
    duration: flag('duration') ? Number(flag('duration')) : undefined,
    samples: flag('samples') ? Number(flag('samples')) : undefined,
    engine: flag('engine') === 'ebpf' ? 'ebpf' : 'nftables',
    mode: flag('mode') === 'vxlan' ? 'vxlan' : 'routed',
    maxInstallSeconds: flag('max-install') ? Number(flag('max-install')) : undefined,
    generatorOnly: process.argv.includes('--generator-only'),
  }).catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 3;
  });
}
