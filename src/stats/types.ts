/** Summary statistics of one measurement's samples (warm-up samples excluded). */
export interface Summary {
  n: number;
  mean: number;
  median: number;
  stdev: number;
  /** Coefficient of variation: stdev / mean. */
  cv: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  /** 95% confidence interval of the mean (t-based). */
  ci95: [number, number];
  /** 95% bootstrap confidence interval of the median. */
  ci95Median: [number, number];
  /** Indexes (into samples) of IQR outliers: flagged, never dropped. */
  outliers: number[];
}
