/**
 * Percentile bootstrap, seeded: resample with replacement, compute the statistic, take the 2.5th and
 * 97.5th percentiles of the resampled statistics. 2,000 resamples by default — enough for stable
 * 95% percentile bounds (the usual recommendation is ≥1,000) and fast for thousands of samples.
 */
import { itemAt } from '../util/arrays.js';
import { DEFAULT_SEED, randomIndex, seededRandom, type Random } from './prng.js';
import { quantileSorted, sortedCopy } from './quantile.js';

export const DEFAULT_RESAMPLES = 2000;

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  level?: number;
}

/** Resample buffers are Float64Arrays: their sort() is numeric and several times faster than a comparator. */
function resample(xs: readonly number[], rand: Random, out: Float64Array): Float64Array {
  for (let i = 0; i < xs.length; i++) out[i] = itemAt(xs, randomIndex(rand, xs.length));
  return out;
}

/** Reorders `a` so that a[k] is the k-th smallest (Hoare selection, median-of-three pivot): O(n). */
function selectInPlace(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = (lo + hi) >> 1;
    // Median of three as pivot, so sorted or constant input stays linear.
    const x = itemAt(a, lo);
    const y = itemAt(a, mid);
    const z = itemAt(a, hi);
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (itemAt(a, i) < pivot) i++;
      while (itemAt(a, j) > pivot) j--;
      if (i <= j) {
        const t = itemAt(a, i);
        a[i] = itemAt(a, j);
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return itemAt(a, k);
  }
  return itemAt(a, k);
}

/** Type-7 median (same as quantileSorted(sorted, 0.5)) in linear time; reorders the buffer. */
function medianInPlace(xs: Float64Array): number {
  const n = xs.length;
  const lo = (n - 1) >> 1;
  const a = selectInPlace(xs, lo);
  if (n % 2 === 1) return a;
  // Even n: the next order statistic is the minimum of the part right of lo.
  let b = Infinity;
  for (let i = lo + 1; i < n; i++) b = Math.min(b, itemAt(xs, i));
  return (a + b) / 2;
}

function percentileInterval(stats: number[], level: number): [number, number] {
  const sorted = sortedCopy(stats);
  const alpha = 1 - level;
  return [quantileSorted(sorted, alpha / 2), quantileSorted(sorted, 1 - alpha / 2)];
}

/** Bootstrap CI of the median of `xs`. */
export function bootstrapMedianCi(xs: readonly number[], opts: BootstrapOptions = {}): [number, number] {
  const { resamples = DEFAULT_RESAMPLES, seed = DEFAULT_SEED, level = 0.95 } = opts;
  if (xs.length === 0) throw new RangeError('bootstrap of zero samples');
  const [only] = xs;
  if (xs.length === 1 && only !== undefined) return [only, only];
  const rand = seededRandom(seed);
  const buf = new Float64Array(xs.length);
  const stats: number[] = [];
  for (let r = 0; r < resamples; r++) stats.push(medianInPlace(resample(xs, rand, buf)));
  return percentileInterval(stats, level);
}

/**
 * Bootstrap CI of stat(b)/stat(a) - 1 (the relative difference of b against a), resampling a and b
 * independently. Resamples where stat(a) is 0 are skipped (the ratio is undefined there); returns
 * null when more than half are, so the caller shows "n/a" instead of a made-up interval.
 */
export function bootstrapRelativeDifferenceCi(
  a: readonly number[],
  b: readonly number[],
  stat: (xs: Float64Array) => number,
  opts: BootstrapOptions = {},
): [number, number] | null {
  const { resamples = DEFAULT_RESAMPLES, seed = DEFAULT_SEED, level = 0.95 } = opts;
  const rand = seededRandom(seed);
  const bufA = new Float64Array(a.length);
  const bufB = new Float64Array(b.length);
  const ratios: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const sa = stat(resample(a, rand, bufA));
    const sb = stat(resample(b, rand, bufB));
    if (sa !== 0) ratios.push(sb / sa - 1);
  }
  if (ratios.length < resamples / 2) return null;
  return percentileInterval(ratios, level);
}

/** Median statistic for bootstrapRelativeDifferenceCi (sorts its scratch buffer in place). */
export const medianStat = (xs: Float64Array): number => medianInPlace(xs);
/** Mean statistic for bootstrapRelativeDifferenceCi. */
export const meanStat = (xs: Float64Array | readonly number[]): number => {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
};
