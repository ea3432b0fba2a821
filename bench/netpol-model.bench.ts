/**
 * Benchmark of the exact NetworkPolicy model: a full truth table (every ordered pair, self pairs
 * included) for 1,000 pods × 1,000 policies. Called by bench/run.ts; also runnable alone:
 *   npx tsc -p . && node dist/bench/netpol-model.bench.js
 */
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { resolveCase } from '../src/netpol/resolve.js';
import { syntheticCase } from '../src/netpol/synthetic.js';
import { computeReachability, computeTruthTable } from '../src/netpol/truth-table.js';
import { compileModel } from '../src/netpol/compile.js';
import { validatePolicies } from '../src/netpol/validate.js';

export interface BenchTaskReport {
  name: string;
  samples: number;
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  minMs: number;
  maxMs: number;
  /** Relative margin of error of the mean, percent. */
  rme: number;
}

export interface BenchReport {
  name: string;
  tasks: BenchTaskReport[];
  notes: string[];
}

export interface NetpolModelBenchOptions {
  pods?: number;
  policies?: number;
  iterations?: number;
}

export async function benchNetpolModel(opts: NetpolModelBenchOptions = {}): Promise<BenchReport> {
  const pods = opts.pods ?? 1000;
  const policies = opts.policies ?? 1000;
  const iterations = opts.iterations ?? 10;
  const oneProbe = resolveCase(syntheticCase({ pods, policies }));
  const [probe] = oneProbe.probes;
  if (probe === undefined) throw new Error('the synthetic case has no probe');
  const threeProbes = resolveCase(
    syntheticCase({
      pods,
      policies,
      probes: [
        { port: 80, protocol: 'TCP' },
        { port: 443, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ],
    }),
  );
  validatePolicies(oneProbe.policies);
  const size = `${pods} pods x ${policies} policies`;
  const bench = new Bench({ name: 'netpol-model', iterations, time: 0, warmupIterations: 2, warmupTime: 0 });
  bench
    .add(`truth table, 1 probe (${size})`, () => {
      computeTruthTable(oneProbe);
    })
    .add(`truth table, 3 probes (${size})`, () => {
      computeTruthTable(threeProbes);
    })
    .add(`compile only (${size})`, () => {
      compileModel(oneProbe);
    })
    .add(`bit matrix only, 1 probe (${size})`, () => {
      computeReachability(oneProbe, probe);
    });
  await bench.run();
  const tasks: BenchTaskReport[] = bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== 'completed') throw new Error(`benchmark task "${t.name}" ended in state ${r.state}`);
    const l = r.latency;
    return {
      name: t.name,
      samples: l.samplesCount,
      meanMs: l.mean,
      p50Ms: l.p50,
      p99Ms: l.p99,
      minMs: l.min,
      maxMs: l.max,
      rme: l.rme,
    };
  });
  const table = computeTruthTable(oneProbe);
  let allowed = 0;
  for (const row of Object.values(table.probes[0]?.allowed ?? {}))
    for (const v of Object.values(row)) if (v) allowed++;
  return {
    name: 'netpol-model',
    tasks,
    notes: [`${pods * pods} ordered pairs per probe; ${allowed} allowed for 80/TCP in the synthetic case`],
  };
}

function formatReport(r: BenchReport): string {
  const lines = r.tasks.map(
    (t) =>
      `${t.name}: mean ${t.meanMs.toFixed(1)} ms, p50 ${t.p50Ms.toFixed(1)} ms, p99 ${t.p99Ms.toFixed(1)} ms, min ${t.minMs.toFixed(1)} ms, max ${t.maxMs.toFixed(1)} ms (n=${t.samples}, ±${t.rme.toFixed(1)}%)`,
  );
  return [`# ${r.name}`, ...lines, ...r.notes.map((n) => `note: ${n}`)].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(formatReport(await benchNetpolModel()));
}
