/**
 * THE OLD METHOD, kept only so bench/stats-method.bench.ts can show it beside the new one (issue 18):
 * unpaired two-sample tests that ignore the blocks. cnibench itself no longer uses it.
 *
 * Comparison of two candidates' samples of one figure: relative difference with a bootstrap CI, a
 * difference test, an equivalence test (two one-sided tests against ±margin), and a verdict. Rates
 * (higher is better) compare means with Welch's t test; latencies, loss and jitter compare medians with
 * Mann–Whitney U (no normality assumed). docs/statistics.md has the formulas.
 *
 * A lone comparison decides on its raw p-values; `cnibench compare` and the report adjust the p-values
 * of all rows together first (family.ts) and then decide with `decideVerdict`.
 */
import {
  bootstrapRelativeDifferenceCi,
  meanStat,
  medianStat,
  type BootstrapOptions,
} from '../../src/stats/bootstrap.js';
import { statisticFor, type FigureStatistic } from '../../src/stats/ci.js';
import { assertFiniteSamples } from '../../src/stats/errors.js';
import { medianOf } from '../../src/stats/quantile.js';
import { mannWhitneyU, welchTTest } from '../../src/stats/tests.js';

/**
 * `better`/`worse`: the difference is significant (adjusted p < alpha) and not inside ±margin;
 * `equivalent`: the difference lies inside ±margin (both one-sided tests reject, adjusted);
 * `inconclusive`: neither could be shown.
 */
type Verdict = 'better' | 'worse' | 'equivalent' | 'inconclusive';

/** Default smallest relative difference that matters (the equivalence margin): 5%. */
const DEFAULT_MARGIN = 0.05;

export interface CompareOptions extends BootstrapOptions {
  higherIsBetter: boolean;
  /** Significance level; default 0.05. */
  alpha?: number;
  /** Equivalence margin as a fraction of the baseline's statistic; default 0.05. */
  margin?: number;
  /** Names the measurement in error messages. */
  label?: string;
}

export interface Comparison {
  /** Which statistic was compared: median (lower is better) or mean (higher is better). */
  statistic: FigureStatistic;
  higherIsBetter: boolean;
  baseline: number;
  candidate: number;
  /** candidate / baseline − 1 (e.g. −0.13 = 13% lower); null when the baseline statistic is 0. */
  relativeDifference: number | null;
  /** (1 − alpha) percentile-bootstrap CI of relativeDifference; null when not estimable. */
  relativeDifferenceCi: [number, number] | null;
  test: 'mann-whitney-u' | 'welch-t';
  /** Extra figures of the test (U, z, method, t, df, smallest achievable p). */
  testDetail: Record<string, number | string>;
  /** Two-sided p-value of the difference test; null when it cannot run. */
  p: number | null;
  /** p-value of the equivalence test (the larger of the two one-sided p-values); null when it cannot run. */
  pEquivalence: number | null;
  /** p after multiple-comparison control (equal to p for a lone comparison). */
  pAdjusted: number | null;
  pEquivalenceAdjusted: number | null;
  alpha: number;
  /** Equivalence margin (fraction). */
  margin: number;
  /** The candidate against the baseline. */
  verdict: Verdict;
  /** Why a difference could not be shown, when the sample sizes make it impossible. */
  note?: string;
}

/** The verdict from (adjusted) p-values; a difference inside the margin is equivalent even when significant. */
function decideVerdict(
  c: Pick<Comparison, 'alpha' | 'baseline' | 'candidate' | 'higherIsBetter'>,
  pAdjusted: number | null,
  pEquivalenceAdjusted: number | null,
): Verdict {
  if (pEquivalenceAdjusted !== null && pEquivalenceAdjusted < c.alpha) return 'equivalent';
  if (pAdjusted !== null && pAdjusted < c.alpha && c.candidate !== c.baseline) {
    return c.candidate > c.baseline === c.higherIsBetter ? 'better' : 'worse';
  }
  return 'inconclusive';
}

/** Two one-sided tests: the shift δ = margin·|baseline statistic| is inside (−δ, +δ). */
function equivalenceP(
  baseline: readonly number[],
  candidate: readonly number[],
  statistic: FigureStatistic,
  delta: number,
): number | null {
  if (statistic === 'mean') {
    const lower = welchTTest(baseline, candidate, { alternative: 'greater', difference: -delta }).p;
    const upper = welchTTest(baseline, candidate, { alternative: 'less', difference: delta }).p;
    return lower === null || upper === null ? null : Math.max(lower, upper);
  }
  // Shift version of Mann–Whitney U: candidate + δ tends to exceed the baseline, and candidate − δ
  // tends to fall below it (the Hodges–Lehmann shift lies inside ±δ).
  const lower = mannWhitneyU(
    baseline,
    candidate.map((x) => x + delta),
    'greater',
  ).p;
  const upper = mannWhitneyU(
    baseline,
    candidate.map((x) => x - delta),
    'less',
  ).p;
  return Math.max(lower, upper);
}

/**
 * Compares `candidate` against `baseline` on its own (raw p-values decide). The direction of a
 * difference comes from the sign of the difference and higherIsBetter.
 */
export function compareSamples(
  baseline: readonly number[],
  candidate: readonly number[],
  opts: CompareOptions,
): Comparison {
  const { higherIsBetter, alpha = 0.05, margin = DEFAULT_MARGIN, label = 'unnamed measurement' } = opts;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1 (got ${alpha})`);
  if (!(margin >= 0 && margin < 1)) throw new RangeError(`margin must be between 0 and 1 (got ${margin})`);
  assertFiniteSamples(baseline, `${label} (baseline)`);
  assertFiniteSamples(candidate, `${label} (candidate)`);
  const statistic = statisticFor(higherIsBetter);
  const stat = statistic === 'median' ? medianStat : meanStat;
  const base = statistic === 'median' ? medianOf(baseline) : meanStat(baseline);
  const cand = statistic === 'median' ? medianOf(candidate) : meanStat(candidate);
  const relativeDifference = base === 0 ? null : cand / base - 1;
  const relativeDifferenceCi =
    base === 0
      ? null
      : bootstrapRelativeDifferenceCi(baseline, candidate, stat, { ...opts, level: 1 - alpha });

  let p: number | null;
  let testDetail: Record<string, number | string>;
  let note: string | undefined;
  if (statistic === 'median') {
    const r = mannWhitneyU(baseline, candidate);
    p = r.p;
    testDetail = { U: r.u, U1: r.u1, method: r.method, ...(r.z !== undefined ? { z: r.z } : {}) };
    if (r.minAchievableP !== undefined) {
      testDetail.minAchievableP = r.minAchievableP;
      if (r.minAchievableP >= alpha) {
        note =
          `with ${baseline.length} and ${candidate.length} samples Mann–Whitney U cannot reach p < ${alpha} ` +
          `(smallest possible p = ${r.minAchievableP.toPrecision(3)}); collect more repetitions`;
      }
    }
  } else {
    const r = welchTTest(baseline, candidate);
    p = r.p;
    testDetail = { t: r.t, df: r.df };
    if (p === null) note = 'Welch t test needs at least two samples on each side';
  }
  const pEquivalence =
    base === 0 ? null : equivalenceP(baseline, candidate, statistic, margin * Math.abs(base));
  const partial = { alpha, baseline: base, candidate: cand, higherIsBetter };
  return {
    statistic,
    higherIsBetter,
    baseline: base,
    candidate: cand,
    relativeDifference,
    relativeDifferenceCi,
    test: statistic === 'median' ? 'mann-whitney-u' : 'welch-t',
    testDetail,
    p,
    pEquivalence,
    pAdjusted: p,
    pEquivalenceAdjusted: pEquivalence,
    alpha,
    margin,
    verdict: decideVerdict(partial, p, pEquivalence),
    ...(note ? { note } : {}),
  };
}
