/**
 * The comparison of one figure between two candidates, in the design the run used
 * (docs/statistics.md, "Paired blocks"):
 *
 * - interleaved blocks: the block is the unit of replication. Runs of one candidate within a block are
 *   averaged first (on the log scale; Kalibera & Jones, "Rigorous Benchmarking in Reasonable Time",
 *   2013: the upper level is the block), then each block gives one difference candidate − baseline,
 *   and a paired t test on those differences decides. Slow drift and block effects hit both candidates
 *   of a block and cancel in the difference.
 * - separate runs (one candidate at a time): Welch's t on the two sets of values.
 *
 * Positive figures are compared on the log scale, so the effect is the geometric-mean ratio
 * exp(mean log ratio) − 1 and its CI comes from the same t statistic as the test: direction,
 * significance and interval cannot disagree. Figures that can be 0 (loss, jitter) are compared on
 * the linear scale (mean difference, relative to the baseline's mean).
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, sampleVariance } from 'simple-statistics';

/** Fewest blocks (pairs) for any verdict: below it the test's variance estimate means nothing. */
export const MIN_BLOCKS = 3;

export type Scale = 'log' | 'linear';

/** A series with its placement in the interleaved schedule (block per sample), when known. */
export interface PlacedSeries {
  samples: readonly number[];
  /** Block of each sample (same index); absent: sample i is block i. */
  blocks?: readonly number[];
}

/** The scale a pair of series is compared on: log when every value is positive. */
export function scaleOf(a: readonly number[], b: readonly number[]): Scale {
  return a.every((x) => x > 0) && b.every((x) => x > 0) ? 'log' : 'linear';
}

function transform(x: number, scale: Scale): number {
  return scale === 'log' ? Math.log(x) : x;
}

/** Per block: the mean of the block's (transformed) runs — the first level of the two-level design. */
function blockMeans(s: PlacedSeries, scale: Scale): Map<number, number> {
  const sums = new Map<number, { sum: number; n: number }>();
  s.samples.forEach((x, i) => {
    const b = s.blocks?.[i] ?? i;
    const cur = sums.get(b) ?? { sum: 0, n: 0 };
    cur.sum += transform(x, scale);
    cur.n++;
    sums.set(b, cur);
  });
  return new Map([...sums].sort(([a], [b]) => a - b).map(([b, v]) => [b, v.sum / v.n]));
}

/** Block by block (ascending): candidate − baseline, for the blocks both measured. */
export function blockDifferences(
  baseline: PlacedSeries,
  candidate: PlacedSeries,
  scale: Scale,
): { block: number; d: number; base: number }[] {
  const b = blockMeans(baseline, scale);
  const c = blockMeans(candidate, scale);
  const out: { block: number; d: number; base: number }[] = [];
  for (const [block, bv] of b) {
    const cv = c.get(block);
    if (cv !== undefined) out.push({ block, d: cv - bv, base: bv });
  }
  return out;
}

/** An estimate of candidate − baseline (transformed scale) with its standard error and df. */
export interface Estimate {
  estimate: number;
  se: number;
  df: number;
  /** Blocks (paired) or the smaller sample size (Welch). */
  n: number;
}

/** Paired: mean and standard error of the block differences; null below MIN_BLOCKS. */
export function pairedEstimate(d: readonly number[]): Estimate | null {
  if (d.length < MIN_BLOCKS) return null;
  return {
    estimate: mean([...d]),
    se: Math.sqrt(sampleVariance([...d]) / d.length),
    df: d.length - 1,
    n: d.length,
  };
}

/** Welch: difference of the means, unequal variances; null below MIN_BLOCKS values a side. */
export function welchEstimate(a: readonly number[], b: readonly number[]): Estimate | null {
  if (a.length < MIN_BLOCKS || b.length < MIN_BLOCKS) return null;
  const va = sampleVariance([...a]) / a.length;
  const vb = sampleVariance([...b]) / b.length;
  const se = Math.sqrt(va + vb);
  const df =
    se === 0
      ? a.length + b.length - 2
      : (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return { estimate: mean([...b]) - mean([...a]), se, df, n: Math.min(a.length, b.length) };
}

/** The tests of one estimate: two-sided p of "no difference", and the TOST p for (lower, upper). */
export interface Tests {
  p: number | null;
  /** max of the two one-sided p-values of the equivalence test; null when it cannot run. */
  pEquivalence: number | null;
  /** The one-sided p-values (difference above `lower`, below `upper`). */
  pLower: number | null;
  pUpper: number | null;
}

/**
 * p-values from an estimate. With no spread at all (se 0) nothing can be estimated about the noise,
 * so there is no test (null): constant samples never give p = 0.
 */
export function testsOf(e: Estimate | null, lower: number, upper: number): Tests {
  if (!e || !(e.se > 0) || !Number.isFinite(e.se))
    return { p: null, pEquivalence: null, pLower: null, pUpper: null };
  const t = e.estimate / e.se;
  const p = Math.min(1, 2 * (1 - tCdf(Math.abs(t), e.df)));
  const pLower = 1 - tCdf((e.estimate - lower) / e.se, e.df);
  const pUpper = tCdf((e.estimate - upper) / e.se, e.df);
  return { p, pEquivalence: Math.max(pLower, pUpper), pLower, pUpper };
}

/** Two-sided CI of the estimate at `level` (e.g. 0.9), transformed scale. */
export function ciOf(e: Estimate, level: number): [number, number] {
  if (!(e.se > 0)) return [e.estimate, e.estimate];
  const q = tQuantile(1 - (1 - level) / 2, e.df);
  return [e.estimate - q * e.se, e.estimate + q * e.se];
}

/** The equivalence bounds on the transformed scale for a relative margin (log: ln(1 ± margin)). */
export function marginBounds(margin: number, scale: Scale, baseMean: number): [number, number] {
  if (scale === 'log') return [Math.log(1 - margin), Math.log(1 + margin)];
  const m = margin * Math.abs(baseMean);
  return [-m, m];
}

/** An estimate on the transformed scale as a relative difference (candidate / baseline − 1). */
export function relative(x: number, scale: Scale, baseMean: number): number | null {
  if (scale === 'log') return Math.expm1(x);
  return baseMean === 0 ? null : x / Math.abs(baseMean);
}

/**
 * The smallest difference (transformed scale) a two-sided test at `level` detects with `power`
 * at this standard error and df: (t₁₋level/2 + t_power)·se.
 */
export function detectable(se: number, df: number, level: number, power = 0.8): number {
  return (tQuantile(1 - level / 2, df) + tQuantile(power, df)) * se;
}

/**
 * Blocks a paired comparison would need for a difference of `effect` (transformed scale) to be
 * detected at `level` with `power`, at a per-block standard deviation `sd`. Capped at 10,000.
 */
export function blocksFor(effect: number, sd: number, level: number, power = 0.8): number | null {
  if (!(effect > 0) || !(sd >= 0)) return null;
  if (sd === 0) return MIN_BLOCKS;
  for (let n = MIN_BLOCKS; n <= 10_000; n++) {
    if (detectable(sd / Math.sqrt(n), n - 1, level, power) <= effect) return n;
  }
  return null;
}
