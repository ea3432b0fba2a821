/**
 * Summary of one measurement's samples. Uses simple-statistics for the primitives.
 * (Refined by the statistics stage: bootstrap CI of the median, t-based CI of the mean, IQR outliers.)
 */
import * as ss from 'simple-statistics';
import type { Summary } from './types.js';

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('cannot summarize zero samples');
  for (const s of samples) {
    if (!Number.isFinite(s)) throw new Error(`a sample is not a finite number (${s}): the measuring tool failed`);
  }
  const xs = [...samples];
  const n = xs.length;
  const mean = ss.mean(xs);
  const median = ss.median(xs);
  const stdev = n > 1 ? ss.sampleStandardDeviation(xs) : 0;
  const q = (p: number) => ss.quantile(xs, p);
  const half = n > 1 ? 1.96 * (stdev / Math.sqrt(n)) : 0;
  return {
    n,
    mean,
    median,
    stdev,
    cv: mean === 0 ? 0 : stdev / mean,
    min: ss.min(xs),
    max: ss.max(xs),
    p50: q(0.5),
    p90: q(0.9),
    p99: q(0.99),
    ci95: [mean - half, mean + half],
    ci95Median: [median, median],
    outliers: [],
  };
}
