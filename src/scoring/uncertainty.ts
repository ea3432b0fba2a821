/**
 * Measurement uncertainty carried into the scores. A score computed from point estimates (medians)
 * hides how much those medians could move with other samples of the same noise; a winner named on
 * them can be an accident of noise. The scores are therefore recomputed on block-bootstrap replicates
 * of the measurements, and each total gets a percentile interval.
 *
 * Why blocks: the interleaved block is the unit of replication (docs/statistics.md): every candidate
 * ran once in each block, one after the other, so candidates' samples in the same block share the
 * machine's state of that moment. A replicate draws blocks with replacement — the same draws for every
 * candidate of a measurement — so that pairing, and the noise it cancels, is kept. Samples without a
 * schedule (real clusters, version-1 files) are drawn one by one, per candidate.
 *
 * Facts do not vary between replicates: they carry no measurement uncertainty.
 */
import type { CandidateResult, Measurement } from '../results/schema.js';
import { randomIndex, seededRandom, type Random } from '../stats/prng.js';
import { quantileSorted, sortedCopy } from '../stats/quantile.js';

/** Replicates used for the score intervals; enough for a stable 2.5–97.5 % percentile interval. */
const SCORE_RESAMPLES = 400;
/** Seed of the score bootstrap (recorded with the intervals, so a report can be reproduced). */
export const SCORE_SEED = 0x5c0e;

/** The blocks each measurement id was run in, over every candidate (sorted). */
function blocksById(candidates: readonly CandidateResult[]): Map<string, number[]> {
  const out = new Map<string, Set<number>>();
  for (const c of candidates) {
    for (const m of c.measurements) {
      if (!m.schedule || m.schedule.length !== m.samples.length) continue;
      const set = out.get(m.id) ?? new Set<number>();
      for (const p of m.schedule) set.add(p.block);
      out.set(m.id, set);
    }
  }
  return new Map([...out].map(([id, s]) => [id, [...s].sort((a, b) => a - b)]));
}

/** The summary fields scoring reads, recomputed from resampled values; the rest is kept as it was. */
function withSamples(m: Measurement, xs: number[]): Measurement {
  if (xs.length === 0) return m;
  const sorted = sortedCopy(xs);
  const median = quantileSorted(sorted, 0.5);
  return {
    ...m,
    samples: xs,
    schedule: undefined,
    summary: {
      ...m.summary,
      n: xs.length,
      mean: xs.reduce((a, b) => a + b, 0) / xs.length,
      median,
      p50: median,
      p90: quantileSorted(sorted, 0.9),
      p99: quantileSorted(sorted, 0.99),
    },
  };
}

/**
 * One bootstrap replicate of every candidate's measurements: blocks drawn with replacement per
 * measurement id, the same blocks for every candidate; unscheduled samples drawn one by one.
 */
export function resampleCandidates(candidates: readonly CandidateResult[], rand: Random): CandidateResult[] {
  const blocks = blocksById(candidates);
  const draws = new Map<string, number[]>();
  for (const [id, bs] of blocks)
    draws.set(
      id,
      bs.map(() => bs[randomIndex(rand, bs.length)] ?? 0),
    );
  return candidates.map((c) => ({
    ...c,
    measurements: c.measurements.map((m) => {
      if (m.samples.length === 0) return m;
      const drawn = draws.get(m.id);
      if (drawn && m.schedule && m.schedule.length === m.samples.length) {
        const { schedule } = m;
        const xs = drawn.flatMap((b) => m.samples.filter((_, i) => schedule[i]?.block === b));
        return withSamples(m, xs);
      }
      return withSamples(
        m,
        m.samples.map(() => m.samples[randomIndex(rand, m.samples.length)] ?? 0),
      );
    }),
  }));
}

export interface Interval {
  lo: number;
  hi: number;
}

/** The central 95 % percentile interval of replicate values. */
export function percentileInterval(values: readonly number[]): Interval | null {
  if (values.length === 0) return null;
  const sorted = sortedCopy(values);
  return { lo: quantileSorted(sorted, 0.025), hi: quantileSorted(sorted, 0.975) };
}

/** Replicate scores of one candidate: totals and criterion scores (null where a replicate had none). */
export interface ReplicateScores {
  total: number | null;
  criteria: Record<string, number | null>;
}

/**
 * Runs `score` on `resamples` replicates of the candidates (seeded), returning each replicate's
 * scores by candidate name.
 */
export function bootstrapScores(
  candidates: readonly CandidateResult[],
  score: (replicate: CandidateResult[]) => Map<string, ReplicateScores>,
  resamples = SCORE_RESAMPLES,
  seed = SCORE_SEED,
): Array<Map<string, ReplicateScores>> {
  const rand = seededRandom(seed);
  const out: Array<Map<string, ReplicateScores>> = [];
  for (let r = 0; r < resamples; r++) out.push(score(resampleCandidates(candidates, rand)));
  return out;
}

/** Whether any measurement has more than one sample: otherwise there is nothing to resample. */
export function hasMeasurementNoise(candidates: readonly CandidateResult[]): boolean {
  return candidates.some((c) => c.measurements.some((m) => m.samples.length > 1));
}
