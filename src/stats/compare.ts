/**
 * Comparison of two candidates' samples of one measurement: relative difference with a bootstrap CI,
 * a hypothesis test, and a verdict. Latency: medians + Mann–Whitney U (latency distributions are
 * skewed, so no normality is assumed). Throughput: means + Welch's t test.
 */
import { bootstrapRelativeDifferenceCi, meanStat, medianStat, type BootstrapOptions } from './bootstrap.js';
import { assertFiniteSamples } from './errors.js';
import { medianOf } from './quantile.js';
import { mannWhitneyU, welchTTest } from './tests.js';

export type Verdict = 'better' | 'worse' | 'no significant difference';

export interface CompareOptions extends BootstrapOptions {
  kind: 'latency' | 'throughput';
  higherIsBetter: boolean;
  /** Significance level; default 0.05. */
  alpha?: number;
  /** Names the measurement in error messages. */
  label?: string;
}

export interface Comparison {
  /** Which statistic was compared: median (latency) or mean (throughput). */
  statistic: 'median' | 'mean';
  baseline: number;
  candidate: number;
  /** candidate / baseline − 1 (e.g. −0.13 = 13% lower); null when the baseline statistic is 0. */
  relativeDifference: number | null;
  /** 95% (1 − alpha) percentile-bootstrap CI of relativeDifference; null when not estimable. */
  relativeDifferenceCi: [number, number] | null;
  test: 'mann-whitney-u' | 'welch-t';
  /** Extra figures of the test (U, z, method, t, df). */
  testDetail: Record<string, number | string>;
  /** Two-sided p-value; null when the test cannot run (a side with fewer than two samples for Welch). */
  p: number | null;
  alpha: number;
  /** The candidate against the baseline. */
  verdict: Verdict;
  /** Why a difference could not be shown, when the sample sizes make it impossible. */
  note?: string;
}

/**
 * Compares `candidate` against `baseline`. The verdict is "better"/"worse" only when p < alpha; the
 * direction comes from the sign of the difference and higherIsBetter.
 */
export function compareSamples(
  baseline: readonly number[],
  candidate: readonly number[],
  opts: CompareOptions,
): Comparison {
  const { kind, higherIsBetter, alpha = 0.05, label = 'unnamed measurement' } = opts;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be between 0 and 1 (got ${alpha})`);
  assertFiniteSamples(baseline, `${label} (baseline)`);
  assertFiniteSamples(candidate, `${label} (candidate)`);
  const statistic = kind === 'latency' ? 'median' : 'mean';
  const stat = kind === 'latency' ? medianStat : meanStat;
  const base = kind === 'latency' ? medianOf(baseline) : meanStat(baseline);
  const cand = kind === 'latency' ? medianOf(candidate) : meanStat(candidate);
  const relativeDifference = base === 0 ? null : cand / base - 1;
  const relativeDifferenceCi =
    base === 0
      ? null
      : bootstrapRelativeDifferenceCi(baseline, candidate, stat, { ...opts, level: 1 - alpha });

  let p: number | null;
  let testDetail: Record<string, number | string>;
  let note: string | undefined;
  if (kind === 'latency') {
    const r = mannWhitneyU(baseline, candidate);
    p = r.p;
    testDetail = { U: r.u, U1: r.u1, method: r.method, ...(r.z !== undefined ? { z: r.z } : {}) };
    if (r.minAchievableP !== undefined && r.minAchievableP >= alpha) {
      note =
        `with ${baseline.length} and ${candidate.length} samples Mann–Whitney U cannot reach p < ${alpha} ` +
        `(smallest possible p = ${r.minAchievableP.toPrecision(3)}); collect more repetitions`;
    }
  } else {
    const r = welchTTest(baseline, candidate);
    p = r.p;
    testDetail = { t: r.t, df: r.df };
    if (p === null) note = 'Welch t test needs at least two samples on each side';
  }
  let verdict: Verdict = 'no significant difference';
  if (p !== null && p < alpha && cand !== base) {
    const higher = cand > base;
    verdict = higher === higherIsBetter ? 'better' : 'worse';
  }
  return {
    statistic,
    baseline: base,
    candidate: cand,
    relativeDifference,
    relativeDifferenceCi,
    test: kind === 'latency' ? 'mann-whitney-u' : 'welch-t',
    testDetail,
    p,
    alpha,
    verdict,
    ...(note ? { note } : {}),
  };
}
