/**
 * Two-sample hypothesis tests: Mann–Whitney U (latency distributions, no normality assumed) and
 * Welch's t test (throughput means, unequal variances). Both two-sided.
 */
import { mean as ssMean, sampleVariance } from 'simple-statistics';
import { normalTwoSidedP, studentTTwoSidedP } from './distributions.js';

export interface MannWhitneyResult {
  /** U statistic of the first sample: pairs (x in a, y in b) with x > y, ties counting ½. */
  u1: number;
  u2: number;
  /** min(u1, u2), the value tables list. */
  u: number;
  /** Two-sided p-value. */
  p: number;
  method: 'exact' | 'normal';
  /** z with continuity and tie correction (normal method only). */
  z?: number;
  /** Smallest two-sided p these sample sizes can produce (exact method): shows when n is too small. */
  minAchievableP?: number;
}

/** Exact two-sided tests are used without ties while both samples have at most this many values. */
export const MANN_WHITNEY_EXACT_MAX_N = 25;

/** Average ranks (1-based) of the pooled values, plus Σ(t³ − t) over tie groups. */
function rankWithTies(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].v === order[start].v) end++;
    const avg = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k].i] = avg;
    const t = end - start + 1;
    tieTerm += t * t * t - t;
    start = end + 1;
  }
  return { ranks, tieTerm };
}

/**
 * Number of arrangements of n1 + n2 distinct values giving each U from 0 to n1·n2, by the recurrence
 * f(n1, n2, u) = f(n1 − 1, n2, u − n2) + f(n1, n2 − 1, u) (the largest value belongs to one sample or
 * the other). Counts fit in a double exactly up to C(50, 25) ≈ 1.3e14.
 */
function exactUCounts(n1: number, n2: number): number[] {
  // table[j] holds counts for (i, j) while i runs from 0 to n1.
  let prev: number[][] = [];
  for (let i = 0; i <= n1; i++) {
    const cur: number[][] = [];
    for (let j = 0; j <= n2; j++) {
      const size = i * j + 1;
      const counts = new Array<number>(size).fill(0);
      if (i === 0 || j === 0) counts[0] = 1;
      else {
        const a = prev[j]; // (i-1, j): largest value in sample 1 adds j to U
        const b = cur[j - 1]; // (i, j-1): largest value in sample 2 adds 0
        for (let u = 0; u < size; u++) {
          counts[u] = (u - j >= 0 && u - j < a.length ? a[u - j] : 0) + (u < b.length ? b[u] : 0);
        }
      }
      cur.push(counts);
    }
    prev = cur;
  }
  return prev[n2];
}

function exactTwoSidedP(n1: number, n2: number, u: number): number {
  const counts = exactUCounts(n1, n2);
  const total = counts.reduce((s, c) => s + c, 0);
  let tail = 0;
  for (let k = 0; k <= Math.floor(u); k++) tail += counts[k];
  return Math.min(1, (2 * tail) / total);
}

/**
 * Mann–Whitney U test, two-sided. Exact distribution when there are no ties and both n ≤ 25;
 * otherwise the normal approximation with tie correction and a 0.5 continuity correction.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann–Whitney U needs at least one sample on each side');
  const { ranks, tieTerm } = rankWithTies([...a, ...b]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = Math.min(u1, u2);
  if (tieTerm === 0 && n1 <= MANN_WHITNEY_EXACT_MAX_N && n2 <= MANN_WHITNEY_EXACT_MAX_N) {
    return {
      u1,
      u2,
      u,
      p: exactTwoSidedP(n1, n2, u),
      method: 'exact',
      minAchievableP: exactTwoSidedP(n1, n2, 0),
    };
  }
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u1, u2, u, p: 1, method: 'normal', z: 0 }; // every value tied: no evidence
  const diff = u1 - mu;
  const corrected = Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5);
  const z = corrected / Math.sqrt(variance);
  return { u1, u2, u, p: normalTwoSidedP(z), method: 'normal', z };
}

export interface WelchResult {
  /** t = (mean(b) − mean(a)) / √(s²a/na + s²b/nb). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value; null when either sample has fewer than two values (no variance). */
  p: number | null;
  meanA: number;
  meanB: number;
}

/**
 * Welch's unequal-variance t test of mean(b) − mean(a), two-sided. With zero variance on both sides
 * the test degenerates: equal means give p = 1, different means p = 0 (the difference is exact).
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchResult {
  const meanA = ssMean([...a]);
  const meanB = ssMean([...b]);
  if (a.length < 2 || b.length < 2) return { t: NaN, df: NaN, p: null, meanA, meanB };
  const va = sampleVariance([...a]) / a.length;
  const vb = sampleVariance([...b]) / b.length;
  const se2 = va + vb;
  if (se2 === 0) {
    const same = meanA === meanB;
    return {
      t: same ? 0 : Math.sign(meanB - meanA) * Infinity,
      df: a.length + b.length - 2,
      p: same ? 1 : 0,
      meanA,
      meanB,
    };
  }
  const t = (meanB - meanA) / Math.sqrt(se2);
  const df = (se2 * se2) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  return { t, df, p: studentTTwoSidedP(t, df), meanA, meanB };
}
