/**
 * The repetition loop every performance measurement goes through, in blocks (docs/statistics.md):
 *
 * - A *unit* is what one candidate measures in one turn: e.g. one iperf3 run on the baseline path and
 *   one on each pod path, all with the same parameters. The baseline run of a turn is the paired
 *   baseline of the turn's pod-path runs (measured seconds apart, by the same candidate).
 * - A *block* runs every candidate's turn once, in an order shuffled with a seeded generator from the
 *   run's seed, the unit's name and the block number (so a rerun or a resumed run repeats it).
 * - Warm-up blocks come first (kept apart, excluded from the summaries), then measured blocks: exactly
 *   `count`, or sequentially — after `count` blocks, after every block, each driving figure of each
 *   candidate is compared with the first candidate's by the test its verdict will rest on (paired t
 *   over blocks, stats/figure-comparison.ts) against group-sequential boundaries; sampling stops once
 *   every comparison is decided (better, worse or equivalent), at `maxSamples` blocks, or when the
 *   next block would overrun the time budget (`repetitions.maxDuration`).
 *
 * With one candidate (real clusters: one CNI installed at a time) there is nothing to decide: its
 * blocks run up to `maxSamples` within the budget.
 */
import { shuffle } from 'simple-statistics';
import type { AdaptiveOutcome, SamplePlacement } from '../results/schema.js';
import { durationSeconds, type Repetitions } from '../scenario/schema.js';
import type { FigureStatistic } from '../stats/ci.js';
import { DEFAULT_MARGIN, compareFigure } from '../stats/figure-comparison.js';
import { seededRandom } from '../stats/prng.js';

type SamplePhase = 'warmup' | 'sample';

/** One figure a turn yields. */
export interface FigureSpec {
  /** Measurement id, e.g. `throughput/tcp/streams=1/cross-node`. */
  id: string;
  statistic: FigureStatistic;
  /** Whether sequential sampling waits for this figure (side figures such as p99 or UDP loss do not). */
  adaptive: boolean;
  /** Id of the figure measured on the baseline path in the same turn: its paired baseline. */
  pairedWith?: string;
}

/** What one turn measured: figure id → value. */
export type TurnValues = Record<string, number>;

export interface BlockSamplingOptions {
  /** Names the unit: it seeds the blocks' order and appears in messages. */
  unit: string;
  /** The candidates taking turns. */
  arms: readonly string[];
  reps: Repetitions;
  /** Seed of the run (results.json `interleaving.seed`). */
  seed: number;
  figures: readonly FigureSpec[];
  /** False: exactly `count` blocks even when the repetitions are adaptive (the policy-scale sweep). */
  adaptive?: boolean;
  signal?: AbortSignal;
  /**
   * Level and equivalence margin of the comparisons (the scenario's statistics; default 0.05, 5%), and
   * how many comparisons the run's family will hold (default: this unit's).
   */
  decision?: { alpha: number; margin: number; familySize?: number };
  /**
   * When no further block may start (ms since the epoch; the workload's time budget for this unit).
   * The first `count` blocks run regardless.
   */
  deadline?: number;
  /** Clock (tests). */
  now?: () => number;
  /** Measures one candidate's turn. */
  turn: (arm: string, phase: SamplePhase, block: number) => Promise<TurnValues>;
  /** Called after every turn (progress). */
  onTurn?: (arm: string, phase: SamplePhase, block: number, values: TurnValues) => void;
}

/** Everything one candidate measured of one figure. */
export interface FigureSeries {
  samples: number[];
  warmup: number[];
  schedule: SamplePlacement[];
  paired?: { id: string; samples: number[] };
  adaptive?: AdaptiveOutcome;
}

/** Unsigned 32-bit FNV-1a of a string: mixes the unit's name into the seed. */
function hash32(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The order of the candidates in one block: Fisher–Yates (simple-statistics' shuffle), seeded. */
export function blockOrder(seed: number, unit: string, block: number, arms: readonly string[]): string[] {
  return shuffle([...arms], seededRandom(hash32(`${unit}#${block}`, seed)));
}

/** A fresh seed for a run's blocks (recorded, so the orders can be reproduced). */
export function newBlockSeed(): number {
  return Math.floor(Math.random() * 2 ** 32) >>> 0;
}

export async function collectBlocks(
  opts: BlockSamplingOptions,
): Promise<Map<string, Map<string, FigureSeries>>> {
  const { unit, arms, reps, seed, figures } = opts;
  if (arms.length === 0) throw new Error(`${unit}: no candidate to measure`);
  const out = new Map<string, Map<string, FigureSeries>>();
  for (const arm of arms) {
    out.set(arm, new Map(figures.map((f) => [f.id, { samples: [], warmup: [], schedule: [] }])));
  }
  const series = (arm: string, id: string): FigureSeries => {
    const s = out.get(arm)?.get(id);
    if (!s) throw new Error(`${unit}: no figure ${id} for ${arm}`);
    return s;
  };
  const take = async (arm: string, phase: SamplePhase, block: number): Promise<TurnValues> => {
    opts.signal?.throwIfAborted();
    const values = await opts.turn(arm, phase, block);
    for (const f of figures) {
      const v = values[f.id];
      if (v === undefined)
        throw new Error(`${unit}: ${arm}'s ${phase} run ${block + 1} did not measure ${f.id}`);
      if (!Number.isFinite(v)) {
        throw new Error(`${f.id}: ${arm}'s ${phase} run ${block + 1} produced a non-finite value (${v})`);
      }
    }
    opts.onTurn?.(arm, phase, block, values);
    return values;
  };

  for (let w = 0; w < reps.warmup; w++) {
    for (const arm of blockOrder(seed, `${unit}/warmup`, w, arms)) {
      const values = await take(arm, 'warmup', w);
      for (const f of figures) series(arm, f.id).warmup.push(values[f.id] ?? NaN);
    }
  }

  const adaptive = opts.adaptive !== false && reps.adaptive ? reps.adaptive : undefined;
  const max = adaptive ? Math.max(reps.count, adaptive.maxSamples) : reps.count;
  const now = opts.now ?? Date.now;
  // Baseline-path figures are what others pair with: environment checks, never a comparison to decide.
  const pairedTargets = new Set(figures.flatMap((f) => (f.pairedWith ? [f.pairedWith] : [])));
  const driving = figures.filter((f) => f.adaptive && !pairedTargets.has(f.id));
  const [first, ...others] = arms;
  const comparisons = driving.length * others.length;
  const alpha = opts.decision?.alpha ?? 0.05;
  const margin = opts.decision?.margin ?? DEFAULT_MARGIN;
  // The stopping rule asks each comparison to be decided at the level Holm tests the most significant
  // of the run's comparisons at (alpha / m): stopping at alpha would often leave the verdict
  // undecided after adjustment. This choice affects when sampling stops, not the validity of the
  // verdicts (the sequential p-values are valid under any stopping rule).
  const stopAlpha = alpha / Math.max(1, opts.decision?.familySize ?? comparisons);
  const design = { minBlocks: reps.count, maxBlocks: max };
  const decided = (f: FigureSpec): boolean =>
    first !== undefined &&
    others.every((arm) => {
      const c = compareFigure(
        { samples: series(first, f.id).samples, blocks: series(first, f.id).schedule.map((p) => p.block) },
        { samples: series(arm, f.id).samples, blocks: series(arm, f.id).schedule.map((p) => p.block) },
        {
          higherIsBetter: f.statistic === 'mean',
          alpha: stopAlpha,
          margin,
          design: 'paired',
          sequential: design,
        },
      );
      return c.verdict !== 'inconclusive';
    });
  let stopped: AdaptiveOutcome['stopped'] = 'max-blocks';
  let blocks = 0;
  const started = now();
  for (let block = 0; block < max; block++) {
    const blockStart = now();
    const order = blockOrder(seed, unit, block, arms);
    for (const [position, arm] of order.entries()) {
      const values = await take(arm, 'sample', block);
      for (const f of figures) {
        const s = series(arm, f.id);
        s.samples.push(values[f.id] ?? NaN);
        s.schedule.push({ block, position });
      }
    }
    blocks = block + 1;
    if (!adaptive || blocks < reps.count) continue;
    if (others.length > 0 && driving.every(decided)) {
      stopped = 'decided';
      break;
    }
    // The next block would likely end after the deadline: its duration is guessed from the mean so far.
    const perBlock = (now() - started) / blocks;
    if (
      opts.deadline !== undefined &&
      blocks < max &&
      now() + Math.max(perBlock, now() - blockStart) > opts.deadline
    ) {
      stopped = 'budget';
      break;
    }
  }
  if (adaptive && others.length === 0 && stopped === 'max-blocks') stopped = 'single-candidate';

  for (const arm of arms) {
    for (const f of figures) {
      const s = series(arm, f.id);
      if (f.pairedWith) s.paired = { id: f.pairedWith, samples: [...series(arm, f.pairedWith).samples] };
      if (adaptive && f.adaptive) {
        s.adaptive = {
          rule: 'group-sequential',
          minBlocks: reps.count,
          maxBlocks: max,
          alpha: stopAlpha,
          blocks,
          stopped,
          decided: others.length > 0 && !pairedTargets.has(f.id) && decided(f),
          ...(reps.maxDuration ? { maxDurationSeconds: durationSeconds(reps.maxDuration) } : {}),
        };
      }
    }
  }
  return out;
}

/**
 * The time budget of one workload's blocks, shared by its units in turn: each unit may use the
 * budget left divided by the units left (a unit that stops early leaves time to the next).
 */
export function workloadBudget(
  reps: Repetitions,
  units: number,
  now: () => number = Date.now,
): () => number | undefined {
  if (!reps.maxDuration || !reps.adaptive) return () => undefined;
  const total = durationSeconds(reps.maxDuration) * 1000;
  let start: number | undefined;
  let left = Math.max(1, units);
  return () => {
    const t = now();
    start ??= t;
    const remaining = Math.max(0, start + total - t);
    const share = remaining / left;
    left = Math.max(1, left - 1);
    return t + share;
  };
}
