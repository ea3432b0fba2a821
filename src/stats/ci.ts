/**
 * The one definition of a figure's confidence interval and of its half-width, shared by the summary,
 * `compare` and the adaptive repetition loop (docs/statistics.md, "Confidence intervals").
 *
 * A figure is compared by one statistic: the mean for higher-is-better metrics (rates: throughput,
 * connections per second), the median for lower-is-better ones (latencies, loss, jitter). Its 95% CI is
 * t-based for the mean (mean ± t(0.975, n−1)·s/√n) and a seeded percentile bootstrap for the median.
 * The CI half-width is half that interval's width, in percent of the statistic.
 */
import { mean as ssMean, sampleStandardDeviation } from 'simple-statistics';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { DEFAULT_RESAMPLES, bootstrapMedianCi } from './bootstrap.js';
import { DEFAULT_SEED } from './prng.js';
import { medianOf } from './quantile.js';

/** The statistic a figure is compared by. */
export type FigureStatistic = 'mean' | 'median';

/** Rates (higher is better) compare means; latencies, loss and jitter (lower is better) compare medians. */
export function statisticFor(higherIsBetter: boolean): FigureStatistic {
  return higherIsBetter ? 'mean' : 'median';
}

/** Critical value t_{1-(1-level)/2, df}; e.g. level 0.95, df 4 → 2.7764 (stdlib's t quantile). */
export function tCritical(df: number, level = 0.95): number {
  return tQuantile(1 - (1 - level) / 2, df);
}

/** Half-width of the t-based CI of the mean; Infinity for fewer than two samples (not estimable). */
export function meanCiHalfWidth(samples: readonly number[], level = 0.95): number {
  const n = samples.length;
  if (n < 2) return Infinity;
  const s = sampleStandardDeviation([...samples]);
  return (tCritical(n - 1, level) * s) / Math.sqrt(n);
}

export interface FigureCiOptions {
  level?: number;
  /** Bootstrap of the median: resamples and seed (defaults as in every summary). */
  resamples?: number;
  seed?: number;
}

/** A figure's statistic and its CI; `ci` is null with fewer than two samples (not estimable). */
export function figureCi(
  samples: readonly number[],
  statistic: FigureStatistic,
  opts: FigureCiOptions = {},
): { value: number; ci: [number, number] | null } {
  const { level = 0.95, resamples = DEFAULT_RESAMPLES, seed = DEFAULT_SEED } = opts;
  if (statistic === 'mean') {
    const value = ssMean([...samples]);
    if (samples.length < 2) return { value, ci: null };
    const half = meanCiHalfWidth(samples, level);
    return { value, ci: [value - half, value + half] };
  }
  const value = medianOf(samples);
  if (samples.length < 2) return { value, ci: null };
  return { value, ci: bootstrapMedianCi(samples, { level, resamples, seed }) };
}

/**
 * THE CI half-width: half the width of the figure's 95% CI, in percent of the figure's statistic —
 * what the adaptive loop stops on and what reports show as "CI ±x%". Infinity when it cannot be
 * estimated (fewer than two samples, a non-finite sample, or a statistic of 0 with spread: a relative
 * width is meaningless there, so sampling goes on up to its cap); 0 when every sample is identical.
 */
export function ciHalfWidthPercent(
  samples: readonly number[],
  statistic: FigureStatistic,
  opts: FigureCiOptions = {},
): number {
  if (samples.length < 2 || samples.some((s) => !Number.isFinite(s))) return Infinity;
  const { value, ci } = figureCi(samples, statistic, opts);
  if (!ci) return Infinity;
  const half = (ci[1] - ci[0]) / 2;
  if (half === 0) return 0;
  if (value === 0) return Infinity;
  return (100 * half) / Math.abs(value);
}
