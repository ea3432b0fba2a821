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
  /**
   * False when the CIs could not be estimated (a single sample): they are then [x, x] and must be
   * shown as "n/a". Absent in summaries written before this field existed (treat as n > 1).
   */
  ciDefined?: boolean;
  /** How ci95Median was computed (percentile bootstrap), so it can be reproduced. */
  bootstrap?: { resamples: number; seed: number };
  /** Interquartile range Q3 − Q1 (type-7 quartiles). */
  iqr?: number;
  /** Outlier fences [Q1 − 1.5·IQR, Q3 + 1.5·IQR]. */
  outlierFences?: [number, number];
}
