/**
 * The method's power and false discoveries on this machine, measured by cnibench itself:
 *
 *   power-check  `cnibench run bench/scenarios/power-check.yaml` (TCP throughput, RR, CRR on same-node
 *                and cross-node, 6 blocks, about 3 minutes a run) with `--aa` and with `--planted P`,
 *                each with `repetitions.duet` off and on. Figures: planted figures detected with the
 *                right sign (and with the wrong one), A/A figures called better or worse, and — whatever
 *                the analysis — the spread of the within-block log ratio of the two copies (what a
 *                block-paired test divides the effect by; duet mode should make it smaller).
 *   quickstart   `./cnibench run scenarios/quickstart.yaml --planted P` (the target: ≥ 80 % of
 *                throughput and latency figures on a quiet machine, ≥ 50 % with one CPU-heavy process
 *                beside it; 6–10 minutes).
 *
 * Run alone: `node dist/bench/power-check.bench.js [--planted 10] [--quickstart]` (root, local
 * cluster). bench/run.ts calls runPowerCheckBench(). Nothing here is a test: the machine is shared, so
 * the figures are a record (README, docs/statistics.md), never a gate.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import type { Measurement, ResultsFile } from '../src/results/schema.js';
import { PROJECT_ROOT } from '../src/util/version.js';

const CLI = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
export const POWER_SCENARIO = path.join(PROJECT_ROOT, 'bench', 'scenarios', 'power-check.yaml');
const QUICKSTART = path.join(PROJECT_ROOT, 'scenarios', 'quickstart.yaml');

export interface CheckRun {
  scenario: string;
  check: 'aa' | 'planted';
  duet: boolean;
  seconds: number;
  /** Load average (1 min) at the start and the end: the machine is shared. */
  load: [number, number];
  /** Figure verdicts better or worse (A/A: all false) and all figure verdicts. */
  calls: number;
  figures: number;
  /** Planted runs: handicapped figures, detected with the right sign, with the wrong sign. */
  planted?: { figures: number; detected: number; wrongSign: number; byWorkload: Record<string, unknown> };
  /** Median over pod-path primary figures of the standard deviation of the within-block log ratio. */
  pairedLogRatioSd: number | null;
  runId: string;
}

export interface PowerCheckOptions {
  percent?: number;
  /** Also the quickstart with --planted (6–10 minutes). */
  quickstart?: boolean;
  /** Duet settings to compare; default both. */
  duet?: boolean[];
  log?: (line: string) => void;
}

function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The scenario with `repetitions.duet` set, in a temporary file. */
function withDuet(file: string, duet: boolean, dir: string): string {
  const doc = parse(readFileSync(file, 'utf8')) as { repetitions?: Record<string, unknown> };
  doc.repetitions = { ...(doc.repetitions ?? {}), duet };
  const out = path.join(dir, `${path.basename(file, '.yaml')}-duet-${duet}.yaml`);
  writeFileSync(out, stringify(doc));
  return out;
}

const PRIMARY =
  /^(?:policy-scale\/policies=\d+\/)?(throughput\/(tcp|udp)\/|latency\/rr\/|connection-rate\/crr\/)/;

/** Per figure: sd of log(copy 2 / copy 1) over the blocks both measured; the median over figures. */
export function pairedLogRatioSd(r: ResultsFile): number | null {
  const [a, b] = r.candidates;
  if (!a || !b) return null;
  const byBlock = (m: Measurement) =>
    new Map((m.schedule ?? []).map((s, i) => [s.block, m.samples[i] ?? NaN]));
  const sds: number[] = [];
  for (const ma of a.measurements) {
    if (ma.path === 'baseline' || !PRIMARY.test(ma.id)) continue;
    const mb = b.measurements.find((m) => m.id === ma.id);
    if (!mb) continue;
    const ba = byBlock(ma);
    const lr = [...byBlock(mb)].flatMap(([blk, vb]) => {
      const va = ba.get(blk);
      return va !== undefined && va > 0 && vb > 0 ? [Math.log(vb / va)] : [];
    });
    if (lr.length < 3) continue;
    const mean = lr.reduce((s, x) => s + x, 0) / lr.length;
    sds.push(Math.sqrt(lr.reduce((s, x) => s + (x - mean) ** 2, 0) / (lr.length - 1)));
  }
  sds.sort((x, y) => x - y);
  return sds.length ? (sds[Math.floor((sds.length - 1) / 2)] ?? null) : null;
}

async function oneRun(
  scenario: string,
  check: 'aa' | 'planted',
  duet: boolean,
  percent: number,
  dir: string,
  log: (line: string) => void,
): Promise<CheckRun> {
  const load0 = os.loadavg()[0] ?? 0;
  const started = Date.now();
  const flags = check === 'aa' ? ['--aa'] : ['--planted', String(percent)];
  const run = await cli(['run', scenario, ...flags, '--results-dir', dir, '--no-report', '--quiet']);
  const seconds = (Date.now() - started) / 1000;
  if (run.code !== 0 && run.code !== 1)
    throw new Error(`cnibench run ${flags.join(' ')} exited ${run.code}: ${run.stderr.slice(-2000)}`);
  const file = /results: (\S+results\.json)/.exec(run.stdout)?.[1];
  if (!file) throw new Error(`no results file in the output: ${run.stdout.slice(-1000)}`);
  const r = JSON.parse(readFileSync(path.resolve(PROJECT_ROOT, file), 'utf8')) as ResultsFile;
  const v = r.analysis?.verdicts ?? {};
  const figures = Object.values(v).reduce((s, n) => s + n, 0);
  const p = r.analysis?.planted;
  const out: CheckRun = {
    scenario: path.basename(scenario),
    check,
    duet,
    seconds,
    load: [load0, os.loadavg()[0] ?? 0],
    calls: (v.better ?? 0) + (v.worse ?? 0),
    figures,
    ...(p
      ? {
          planted: {
            figures: p.figures,
            detected: p.detected,
            wrongSign: p.wrongSign,
            byWorkload: p.byWorkload,
          },
        }
      : {}),
    pairedLogRatioSd: pairedLogRatioSd(r),
    runId: r.runId,
  };
  log(`  ${describeCheckRun(out)}`);
  return out;
}

export function describeCheckRun(c: CheckRun): string {
  const what =
    c.check === 'aa'
      ? `A/A: ${c.calls} of ${c.figures} figures better/worse`
      : `planted: ${c.planted?.detected ?? 0} of ${c.planted?.figures ?? 0} detected with the right sign, ${c.planted?.wrongSign ?? 0} wrong sign`;
  return `${c.scenario}, duet ${c.duet ? 'on' : 'off'}: ${what}; paired log-ratio sd ${c.pairedLogRatioSd?.toFixed(3) ?? 'n/a'}; ${c.seconds.toFixed(0)} s, load ${c.load[0].toFixed(1)}→${c.load[1].toFixed(1)}`;
}

export async function runPowerCheckBench(opts: PowerCheckOptions = {}): Promise<CheckRun[]> {
  const log = opts.log ?? (() => undefined);
  const percent = opts.percent ?? 10;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cnb-power-'));
  const runs: CheckRun[] = [];
  for (const duet of opts.duet ?? [false, true]) {
    const scenario = withDuet(POWER_SCENARIO, duet, dir);
    for (const check of ['aa', 'planted'] as const)
      runs.push(await oneRun(scenario, check, duet, percent, dir, log));
  }
  if (opts.quickstart) runs.push(await oneRun(QUICKSTART, 'planted', false, percent, dir, log));
  return runs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--planted');
  const percent = at >= 0 ? Number(args[at + 1]) : 10;
  const runs = await runPowerCheckBench({
    percent,
    quickstart: args.includes('--quickstart'),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
}
