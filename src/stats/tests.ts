/**
 * Two-sample hypothesis tests: Mann–Whitney U (latency distributions, no normality assumed) and
 * Welch's t test (throughput means, unequal variances), two-sided or one-sided (the one-sided forms
 * are the two halves of the equivalence test, compare.ts). Welch's test is stdlib's `ttest2`; the
 * Mann–Whitney U distribution is written here because neither simple-statistics nor stdlib has it
 * (simple-statistics' wilcoxonRankSum returns the rank sum only, without a distribution).
 */
import { itemAt } from '../util/arrays.js';
import { errorFunction, mean as ssMean } from 'simple-statistics';
import ttest2 from '@stdlib/stats-ttest2';

/** Which difference a test looks for: any, or the second sample larger ('greater') / smaller ('less'). */
export type Alternative = 'two-sided' | 'greater' | 'less';

/** Standard normal CDF Φ(z), from simple-statistics' error function (max. error 1.2e-7). */
function normalCdf(z: number): number {
  return 0.5 * (1 + errorFunction(z / Math.SQRT2));
}

/** Two-sided normal p-value P(|Z| >= |z|). */
function normalTwoSidedP(z: number): number {
  return Math.min(1, Math.max(0, 1 - errorFunction(Math.abs(z) / Math.SQRT2)));
}

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
const MANN_WHITNEY_EXACT_MAX_N = 25;

/** Average ranks (1-based) of the pooled values, plus Σ(t³ − t) over tie groups. */
function rankWithTies(values: readonly number[]): { ranks: number[]; tieTerm: number } {
  const order = values.map((v, i) => ({ v, i })).sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(values.length);
  let tieTerm = 0;
  for (let start = 0; start < order.length;) {
    let end = start;
    const v = itemAt(order, start).v;
    while (end + 1 < order.length && itemAt(order, end + 1).v === v) end++;
    const avg = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[itemAt(order, k).i] = avg;
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
        const a = itemAt(prev, j); // (i-1, j): largest value in sample 1 adds j to U
        const b = itemAt(cur, j - 1); // (i, j-1): largest value in sample 2 adds 0
        // Counts outside a shorter table are 0: no arrangement gives that U.
        for (let u = 0; u < size; u++) counts[u] = (a[u - j] ?? 0) + (b[u] ?? 0);
      }
      cur.push(counts);
    }
    prev = cur;
  }
  return itemAt(prev, n2);
}

/** P(U1 <= u) under the null, from the exact counts. */
function exactLowerTail(counts: readonly number[], u: number): number {
  const total = counts.reduce((s, c) => s + c, 0);
  let tail = 0;
  for (const c of counts.slice(0, Math.floor(u) + 1)) tail += c;
  return tail / total;
}

function exactTwoSidedP(n1: number, n2: number, u: number): number {
  return Math.min(1, 2 * exactLowerTail(exactUCounts(n1, n2), u));
}

/**
 * Mann–Whitney U test of b against a. Exact distribution when there are no ties and both n ≤ 25;
 * otherwise the normal approximation with tie correction and a 0.5 continuity correction.
 * `alternative` 'greater': b tends to be larger than a (small U1); 'less': b tends to be smaller.
 */
export function mannWhitneyU(
  a: readonly number[],
  b: readonly number[],
  alternative: Alternative = 'two-sided',
): MannWhitneyResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('Mann–Whitney U needs at least one sample on each side');
  const { ranks, tieTerm } = rankWithTies([...a, ...b]);
  let r1 = 0;
  for (const r of ranks.slice(0, n1)) r1 += r;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = Math.min(u1, u2);
  if (tieTerm === 0 && n1 <= MANN_WHITNEY_EXACT_MAX_N && n2 <= MANN_WHITNEY_EXACT_MAX_N) {
    if (alternative === 'two-sided') {
      return {
        u1,
        u2,
        u,
        p: exactTwoSidedP(n1, n2, u),
        method: 'exact',
        minAchievableP: exactTwoSidedP(n1, n2, 0),
      };
    }
    // U1 counts pairs with a > b: b larger means U1 small. The null distribution is symmetric.
    const counts = exactUCounts(n1, n2);
    const p = exactLowerTail(counts, alternative === 'greater' ? u1 : u2);
    return { u1, u2, u, p, method: 'exact', minAchievableP: exactLowerTail(counts, 0) };
  }
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u1, u2, u, p: 1, method: 'normal', z: 0 }; // every value tied: no evidence
  const diff = u1 - mu;
  if (alternative !== 'two-sided') {
    // 'greater' (b larger) means U1 below its mean: P(U1 <= u1) with the continuity correction +0.5.
    const d = alternative === 'greater' ? diff : -diff;
    const z = (d + 0.5) / Math.sqrt(variance);
    return { u1, u2, u, p: Math.min(1, normalCdf(z)), method: 'normal', z };
  }
  const corrected = Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5);
  const z = corrected / Math.sqrt(variance);
  return { u1, u2, u, p: normalTwoSidedP(z), method: 'normal', z };
}

export interface WelchResult {
  /** t = (mean(b) − mean(a) − difference) / √(s²a/na + s²b/nb). */
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** p-value of the alternative asked; null when either sample has fewer than two values (no variance). */
  p: number | null;
  meanA: number;
  meanB: number;
}

export interface WelchOptions {
  alternative?: Alternative;
  /** mean(b) − mean(a) under the null hypothesis; default 0. */
  difference?: number;
}

/**
 * Welch's unequal-variance t test of mean(b) − mean(a) against `difference` (stdlib's ttest2). With
 * zero variance on both sides the test degenerates and is decided exactly: the observed difference
 * is the true one, so p is 0 when it lies on the alternative's side and 1 otherwise.
 */
export function welchTTest(a: readonly number[], b: readonly number[], opts: WelchOptions = {}): WelchResult {
  const { alternative = 'two-sided', difference = 0 } = opts;
  const meanA = ssMean([...a]);
  const meanB = ssMean([...b]);
  if (a.length < 2 || b.length < 2) return { t: NaN, df: NaN, p: null, meanA, meanB };
  const r = ttest2([...b], [...a], { variance: 'unequal', alternative, difference });
  if (Number.isFinite(r.statistic) && Number.isFinite(r.pValue)) {
    return { t: r.statistic, df: r.df, p: r.pValue, meanA, meanB };
  }
  const d = meanB - meanA - difference;
  const onSide = alternative === 'two-sided' ? d !== 0 : alternative === 'greater' ? d > 0 : d < 0;
  return {
    t: d === 0 ? 0 : Math.sign(d) * Infinity,
    df: a.length + b.length - 2,
    p: onSide ? 0 : 1,
    meanA,
    meanB,
  };
}
