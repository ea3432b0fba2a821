/**
 * The eBPF policy engine against nftables on the local cluster: issue 19's two targets, measured by
 * cnibench itself.
 *
 *   programming  `cnibench run bench/scenarios/engines-programming.yaml`, `runs` times (routed, both
 *                engines interleaved block by block, 9 blocks): how many times less eBPF takes than
 *                nftables to add, and to remove, one deny at 1,000 policies, as the run's own comparison
 *                states it (the geometric-mean ratio and its 90 % interval). Target: at least 100× for
 *                adding, by the ratio; the figure also says whether the whole interval is above 100.
 *   latency      the policy-scale sweep on the eBPF engine at 0 and 100,000 policies (scale.bench.ts,
 *                3 samples): RR p50 at 100,000 within 10 % of at none.
 *
 * Run alone: `node dist/bench/engines.bench.js [--runs N]` (root; about 20 s a programming run and a
 * minute for the sweep). bench/run.ts calls runEnginesBench(). The machine is shared: the figures are
 * a record (README), never a gate.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResultsFile } from '../src/results/schema.js';
import { PROJECT_ROOT } from '../src/util/version.js';
import { runCli, runIds } from '../test/e2e/helpers-local.js';
import { runScaleBench } from './scale.bench.js';

const SCENARIO = path.join(PROJECT_ROOT, 'bench', 'scenarios', 'engines-programming.yaml');
const AT = 1000;
const TARGET_FACTOR = 100;

/** nftables' time over eBPF's, from the run's comparison of the eBPF candidate against nftables. */
export interface Factor {
  factor: number;
  /** The 90 % interval of the factor, low to high. */
  ci: [number, number] | null;
}

export interface ProgrammingRun {
  seconds: number;
  /** Load average (1 min) at the start and the end. */
  load: [number, number];
  add: Factor | null;
  remove: Factor | null;
  runId: string;
}

export interface EnginesBenchResult {
  programming: ProgrammingRun[];
  /** eBPF RR p50, µs, at 0 and 100,000 policies (null where the sweep did not measure it). */
  rttUs: { none: number | null; atMax: number | null; policies: number };
}

/** A figure's comparison as a factor: the relative difference d = eBPF / nftables − 1 gives 1 / (1 + d). */
export function factorOf(r: ResultsFile, change: 'add-deny' | 'remove-deny', policies = AT): Factor | null {
  const id = `policy-scale/policies=${policies}/programming/${change}`;
  const f = r.analysis?.figures?.find((x) => x.measurement === id);
  if (!f || f.relativeDifference === null) return null;
  const inv = (d: number) => 1 / (1 + d);
  const ci = f.relativeDifferenceCi;
  return {
    factor: inv(f.relativeDifference),
    ci: ci ? [inv(ci[1]), inv(ci[0])] : null,
  };
}

export function describeFactor(f: Factor | null): string {
  if (!f) return 'n/a';
  const x = (v: number) => `${v.toPrecision(3)}×`;
  return `${x(f.factor)}${f.ci ? ` [90% CI ${x(f.ci[0])}, ${x(f.ci[1])}]` : ''}`;
}

/** The target, by the ratio, and whether the whole interval lies above it. */
export function meetsTarget(f: Factor | null): { met: boolean; intervalAbove: boolean } {
  if (!f) return { met: false, intervalAbove: false };
  return { met: f.factor >= TARGET_FACTOR, intervalAbove: (f.ci?.[0] ?? 0) >= TARGET_FACTOR };
}

async function programmingRun(dir: string, log: (line: string) => void): Promise<ProgrammingRun> {
  const load0 = os.loadavg()[0] ?? 0;
  const started = Date.now();
  const run = await runCli(['run', SCENARIO, '--results-dir', dir, '--no-report']);
  const seconds = (Date.now() - started) / 1000;
  if (run.code !== 0)
    throw new Error(`cnibench run ${SCENARIO} exited ${run.code}: ${run.stderr.slice(-2000)}`);
  const { runId } = runIds(run.stderr);
  const r = JSON.parse(readFileSync(path.join(dir, runId, 'results.json'), 'utf8')) as ResultsFile;
  const out: ProgrammingRun = {
    seconds,
    load: [load0, os.loadavg()[0] ?? 0],
    add: factorOf(r, 'add-deny'),
    remove: factorOf(r, 'remove-deny'),
    runId,
  };
  log(
    `  adding one deny at ${AT} policies: eBPF ${describeFactor(out.add)} faster than nftables; removing: ${describeFactor(out.remove)} (${seconds.toFixed(0)} s, load ${out.load[0].toFixed(1)})`,
  );
  return out;
}

export async function runEnginesBench(
  opts: { runs?: number; log?: (line: string) => void } = {},
): Promise<EnginesBenchResult> {
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cnb-engines-'));
  const programming: ProgrammingRun[] = [];
  for (let i = 0; i < (opts.runs ?? 3); i++) programming.push(await programmingRun(dir, log));
  const policies = 100_000;
  const sweep = await runScaleBench({
    engine: 'ebpf',
    mode: 'routed',
    counts: [0, policies],
    samples: 3,
    duration: 1,
    maxInstallSeconds: 120,
    log: () => undefined,
  });
  const rtt = (n: number) => sweep.rows.find((x) => x.policies === n)?.rttUs ?? null;
  const rttUs = { none: rtt(0), atMax: rtt(policies), policies };
  log(`  eBPF RR p50: ${rttUs.none ?? 'n/a'} µs with no policy, ${rttUs.atMax ?? 'n/a'} µs at ${policies}`);
  return { programming, rttUs };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--runs');
  const r = await runEnginesBench({
    runs: at >= 0 ? Number(process.argv[at + 1]) : undefined,
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
