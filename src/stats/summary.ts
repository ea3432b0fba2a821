/**
 * Summary of one measurement's samples (warm-up samples excluded): centre, spread, percentiles,
 * confidence intervals and outliers. Documented choices:
 * - percentiles interpolate linearly between order statistics (type 7, as R/NumPy), so p50 = median;
 * - 95% CI of the mean: mean ± t(0.975, n−1)·s/√n with our own Student t quantile;
 * - 95% CI of the median: percentile bootstrap, 2,000 resamples, fixed seed (reproducible);
 * - outliers: outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR]; flagged by index, never dropped;
 * - one sample: both CIs are [x, x] and `ciDefined` is false — formatters print "n/a", not a
 *   zero-width interval, and ciHalfWidthPercent() says Infinity so adaptive sampling continues;
 * - identical samples: stdev 0, CIs [x, x] with `ciDefined` true (zero spread was observed);
 * - NaN/±Infinity: InvalidSampleError naming the measurement (the tool failed).
 */
import { itemAt } from '../util/arrays.js';
import * as ss from 'simple-statistics';
import { DEFAULT_RESAMPLES, bootstrapMedianCi } from './bootstrap.js';
import { meanCiHalfWidth } from './ci.js';
import { assertFiniteSamples } from './errors.js';
import { DEFAULT_SEED } from './prng.js';
import { quantileSorted, sortedCopy } from './quantile.js';
import type { Summary } from './types.js';

export interface SummarizeOptions {
  /** Names the measurement in error messages (e.g. "cilium/throughput/cross-node"). */
  label?: string;
  resamples?: number;
  seed?: number;
}

export function summarize(samples: readonly number[], opts: SummarizeOptions = {}): Summary {
  const { label = 'unnamed measurement', resamples = DEFAULT_RESAMPLES, seed = DEFAULT_SEED } = opts;
  assertFiniteSamples(samples, label);
  const xs = [...samples];
  const sorted = sortedCopy(xs);
  const n = xs.length;
  const mean = ss.mean(xs);
  const median = quantileSorted(sorted, 0.5);
  const stdev = n > 1 ? ss.sampleStandardDeviation(xs) : 0;
  // A zero mean with spread needs negative samples (no cnibench metric has them); 0 keeps JSON NaN-free.
  const cv = mean === 0 ? 0 : stdev / Math.abs(mean);
  const half = n > 1 ? meanCiHalfWidth(xs) : 0;
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  const fences: [number, number] = [q1 - 1.5 * iqr, q3 + 1.5 * iqr];
  const outliers: number[] = [];
  xs.forEach((x, i) => {
    if (x < fences[0] || x > fences[1]) outliers.push(i);
  });
  return {
    n,
    mean,
    median,
    stdev,
    cv,
    min: itemAt(sorted, 0),
    max: itemAt(sorted, n - 1),
    p50: median,
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
    ci95: [mean - half, mean + half],
    ci95Median: bootstrapMedianCi(xs, { resamples, seed }),
    outliers,
    ciDefined: n > 1,
    bootstrap: { resamples, seed },
    iqr,
    outlierFences: fences,
  };
}
