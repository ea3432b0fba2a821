import { itemAt } from '../util/arrays.js';

/**
 * The one percentile definition of cnibench, used for summaries, the median, and the latency
 * percentiles of round trips: linear interpolation between order statistics (Hyndman & Fan type 7,
 * the default of R, NumPy and spreadsheets), so p50 always equals the median and reported
 * percentiles can be reproduced with common tools. Hand-written because simple-statistics'
 * quantileSorted is a different definition (it picks an order statistic instead of interpolating).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of zero samples');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile needs 0 <= p <= 1 (got ${p})`);
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const below = itemAt(sorted, lo);
  return below + (h - lo) * (itemAt(sorted, hi) - below);
}

/** Ascending numeric copy (Array.prototype.sort alone would sort as strings). */
export function sortedCopy(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

/** Median of an unsorted array (copies; does not reorder the input). */
export function medianOf(xs: readonly number[]): number {
  return quantileSorted(sortedCopy(xs), 0.5);
}
