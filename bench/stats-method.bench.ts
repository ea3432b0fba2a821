/**
 * The statistical method, old and new side by side, on a SEEDED SYNTHETIC machine
 * (test/helpers/synthetic-machine.ts: per-run CV about 13% with block effects and slow drift, like
 * this machine under load; and a quiet one with CV 3%). Each synthetic run has 12 figures (6
 * throughput-like, 6 latency-like) of two candidates:
 *
 * - old: 6 blocks (what the old adaptive rule reached at CV 13%), each figure compared unpaired —
 *   Welch's t on means for rates, Mann–Whitney U on medians for latencies (bench/legacy) — Holm;
 * - new: 4 blocks, then sequential up to 10 (group-sequential boundaries), each figure compared
 *   paired by block (paired t on log ratios) — the real scheduler and the real compare — adjusted
 *   with Holm and with Benjamini–Hochberg (the default).
 *
 * Printed: the share of figures called better/worse in A/A runs (false discoveries), the share of
 * A/A runs with any such call (the family-wise error), and the share of figures whose planted 10%
 * difference is called with the right sign (power), with blocks used.
 */
import { adjustPValues, type AdjustMethod } from '../src/stats/adjust.js';
import { compareSamples } from './legacy/unpaired-compare.js';
import {
  THIS_MACHINE,
  rightSign,
  syntheticRun,
  type MachineNoise,
  type SyntheticRun,
} from '../test/helpers/synthetic-machine.js';

const QUIET: MachineNoise = { blockSd: 0.023, runSd: 0.016, driftAmplitude: 0.012, driftPeriod: 40 };

export interface MethodRow {
  machine: string;
  effect: number;
  method: 'old' | 'new-holm' | 'new-bh';
  /** Share of figures called better/worse (A/A: false; planted: with the right sign). */
  called: number;
  /** Share of runs with at least one figure called better/worse. */
  runsWithCall: number;
  wrongSign: number;
  meanBlocks: number;
  figures: number;
}

const FIGURES = 12;

/** One synthetic run's figures: called with the right sign, the wrong one, of how many; blocks used. */
interface RunTally {
  right: number;
  wrong: number;
  figures: number;
  blocks: number;
}

/** `runs` seeded runs of one method, summed; and how many runs called anything. */
async function overRuns(runs: number, seed0: number, one: (seed: number) => Promise<RunTally>) {
  const sum = { right: 0, wrong: 0, figures: 0, blocks: 0, runsWithCall: 0 };
  for (let s = 0; s < runs; s++) {
    const t = await one(seed0 + s);
    sum.right += t.right;
    sum.wrong += t.wrong;
    sum.figures += t.figures;
    sum.blocks += t.blocks;
    if (t.right + t.wrong > 0) sum.runsWithCall++;
  }
  return sum;
}

const blocksOf = (r: SyntheticRun) => r.measurements.a.reduce((n, m) => n + m.samples.length, 0);

function newMethod(noise: MachineNoise, effect: number, runs: number, seed0: number, adjust: AdjustMethod) {
  return overRuns(runs, seed0, async (seed) => {
    const r = await syntheticRun({
      figures: FIGURES,
      effect,
      noise,
      seed,
      reps: { count: 4, warmup: 0, adaptive: { maxSamples: 10 } },
      adjust,
    });
    return { ...rightSign(r.report), blocks: blocksOf(r) };
  });
}

function oldMethod(noise: MachineNoise, effect: number, runs: number, seed0: number) {
  return overRuns(runs, seed0, async (seed) => {
    const r = await syntheticRun({
      figures: FIGURES,
      effect,
      noise,
      seed,
      reps: { count: 6, warmup: 0, adaptive: false },
    });
    const cs = r.measurements.a.map((m, i) =>
      compareSamples(m.samples, r.measurements.b[i]?.samples ?? [], {
        higherIsBetter: m.higherIsBetter,
        resamples: 200,
      }),
    );
    const adj = adjustPValues(
      cs.map((c) => c.p),
      'holm',
    );
    const eq = adjustPValues(
      cs.map((c) => c.pEquivalence),
      'holm',
    );
    const t: RunTally = { right: 0, wrong: 0, figures: 0, blocks: blocksOf(r) };
    cs.forEach((c, i) => {
      t.figures++;
      // The old verdict: equivalent first, else direction from the compared statistic.
      if ((eq[i] ?? 1) < 0.05) return;
      if ((adj[i] ?? 1) < 0.05 && c.candidate !== c.baseline) {
        if (c.candidate > c.baseline === c.higherIsBetter) t.right++;
        else t.wrong++;
      }
    });
    return t;
  });
}

export async function runStatsMethodBench(opts: {
  log: (line: string) => void;
  runs?: number;
}): Promise<MethodRow[]> {
  const runs = opts.runs ?? 40;
  const rows: MethodRow[] = [];
  for (const [machine, noise] of [
    ['busy (CV 13%)', THIS_MACHINE],
    ['quiet (CV 3%)', QUIET],
  ] as const) {
    for (const effect of [0, 0.1]) {
      for (const method of ['old', 'new-holm', 'new-bh'] as const) {
        const seed = effect === 0 ? 10_000 : 20_000;
        const r =
          method === 'old'
            ? await oldMethod(noise, effect, runs, seed)
            : await newMethod(noise, effect, runs, seed, method === 'new-holm' ? 'holm' : 'bh');
        const row: MethodRow = {
          machine,
          effect,
          method,
          called: (r.right + r.wrong) / r.figures,
          runsWithCall: r.runsWithCall / runs,
          wrongSign: r.wrong / r.figures,
          meanBlocks: r.blocks / r.figures,
          figures: r.figures,
        };
        rows.push(row);
        opts.log(
          `${machine}, ${effect === 0 ? 'A/A' : `planted ${effect * 100}%`}, ${method}: ${(100 * row.called).toFixed(1)}% of ${row.figures} figures better/worse (${(100 * row.wrongSign).toFixed(1)}% wrong sign; ${(100 * row.runsWithCall).toFixed(1)}% of ${runs} runs with a call), ${row.meanBlocks.toFixed(1)} blocks a figure`,
        );
      }
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runStatsMethodBench({ log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
}
