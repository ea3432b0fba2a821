/**
 * The repetition loop every performance measurement goes through, in blocks (docs/statistics.md):
 *
 * - A *unit* is what one candidate measures in one turn: e.g. one iperf3 run on the baseline path and
 *   one on each pod path, all with the same parameters. The baseline run of a turn is the paired
 *   baseline of the turn's pod-path runs (measured seconds apart, by the same candidate).
 * - A *block* runs every candidate's turn once, in an order shuffled with a seeded generator from the
 *   run's seed, the unit's name and the block number (so a rerun or a resumed run repeats it).
 * - Warm-up blocks come first (kept apart, excluded from the summaries), then measured blocks: exactly
 *   `count`, or adaptively — after `count` blocks, stop as soon as the 95% CI half-width of every
 *   adaptive figure of every candidate is within `targetCiPercent` % of its compared statistic
 *   (stats/ci.ts, the one definition), or when `maxSamples` blocks were measured.
 *
 * With one candidate (real clusters: one CNI installed at a time) a block is that candidate's turn.
 */
import { shuffle } from 'simple-statistics';
import type { AdaptiveOutcome, SamplePlacement } from '../results/schema.js';
import type { Repetitions } from '../scenario/schema.js';
import { ciHalfWidthPercent, type FigureStatistic } from '../stats/ci.js';
import { seededRandom } from '../stats/prng.js';

type SamplePhase = 'warmup' | 'sample';

/** One figure a turn yields. */
export interface FigureSpec {
  /** Measurement id, e.g. `throughput/tcp/streams=1/cross-node`. */
  id: string;
  statistic: FigureStatistic;
  /** Whether the adaptive rule waits for this figure (side figures such as p99 or UDP loss do not). */
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
  const halfWidth = (arm: string, f: FigureSpec) =>
    ciHalfWidthPercent(series(arm, f.id).samples, f.statistic);
  const driving = figures.filter((f) => f.adaptive);
  for (let block = 0; block < max; block++) {
    const order = blockOrder(seed, unit, block, arms);
    for (const [position, arm] of order.entries()) {
      const values = await take(arm, 'sample', block);
      for (const f of figures) {
        const s = series(arm, f.id);
        s.samples.push(values[f.id] ?? NaN);
        s.schedule.push({ block, position });
      }
    }
    if (!adaptive || block + 1 < reps.count) continue;
    const target = adaptive.targetCiPercent;
    if (arms.every((arm) => driving.every((f) => halfWidth(arm, f) <= target))) break;
  }

  for (const arm of arms) {
    for (const f of figures) {
      const s = series(arm, f.id);
      if (f.pairedWith) s.paired = { id: f.pairedWith, samples: [...series(arm, f.pairedWith).samples] };
      if (adaptive && f.adaptive) {
        const ci = halfWidth(arm, f);
        s.adaptive = {
          targetCiPercent: adaptive.targetCiPercent,
          maxSamples: max,
          reached: ci <= adaptive.targetCiPercent,
          ...(Number.isFinite(ci) ? { ciPercent: Math.round(ci * 1000) / 1000 } : {}),
        };
      }
    }
  }
  return out;
}
