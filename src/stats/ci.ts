/**
 * Confidence-interval helpers shared by the summary and the adaptive repetition loop.
 */
import { mean as ssMean, sampleStandardDeviation } from 'simple-statistics';
import { studentTInv } from './distributions.js';

/** Critical value t_{1-(1-level)/2, df}; e.g. level 0.95, df 4 → 2.7764. */
export function tCritical(df: number, level = 0.95): number {
  return studentTInv(1 - (1 - level) / 2, df);
}

/** Half-width of the t-based CI of the mean; Infinity for fewer than two samples (not estimable). */
export function meanCiHalfWidth(samples: readonly number[], level = 0.95): number {
  const n = samples.length;
  if (n < 2) return Infinity;
  const s = sampleStandardDeviation([...samples]);
  return (tCritical(n - 1, level) * s) / Math.sqrt(n);
}

/**
 * Half-width of the 95% t-based CI of the mean, in percent of the mean: the stopping rule of the
 * adaptive repetition loop ("repeat until below targetCiPercent"). Returns Infinity when it cannot
 * be estimated yet (fewer than two samples), 0 when every sample is identical, and Infinity when the
 * mean is 0 but the samples vary (a relative width is meaningless there; keep sampling up to the cap).
 * Non-finite samples also give Infinity so a broken tool never satisfies the rule (summarize() then
 * reports the bad sample by name).
 */
export function ciHalfWidthPercent(samples: readonly number[], level = 0.95): number {
  if (samples.length < 2) return Infinity;
  if (samples.some((s) => !Number.isFinite(s))) return Infinity;
  const half = meanCiHalfWidth(samples, level);
  if (half === 0) return 0;
  const m = ssMean([...samples]);
  if (m === 0) return Infinity;
  return (100 * half) / Math.abs(m);
}
