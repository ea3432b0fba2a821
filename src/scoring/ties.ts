/**
 * Ties for the performance criterion: two candidates whose figure the comparison calls `equivalent`
 * or `inconclusive` (docs/statistics.md) score the same for that figure — a difference that is not
 * shown, or smaller than the equivalence margin, must not move a score. The verdicts are the
 * statistics stage's (the same as `cnibench compare`), with the scenario's statistics settings.
 */
import type { CandidateResult, Measurement } from '../results/schema.js';
import type { StatisticsConfig } from '../scenario/schema.js';
import { compareCandidateResults, measurementKey, type CompareReport } from '../compare/results-compare.js';

/** Whether candidates `a` and `b` tie on the figure of measurement `m`. */
export type Ties = (a: string, b: string, m: Measurement) => boolean;

export function performanceTies(candidates: readonly CandidateResult[], st?: StatisticsConfig): Ties {
  const reports = new Map<string, CompareReport | null>();
  const reportAgainst = (name: string): CompareReport | null => {
    if (!reports.has(name)) {
      let r: CompareReport | null;
      try {
        r = compareCandidateResults(candidates, {
          baseline: name,
          alpha: st?.alpha,
          adjust: st?.adjust,
          margin: (st?.equivalenceMargin ?? 5) / 100,
          driftTolerance: (st?.driftTolerance ?? 5) / 100,
        });
      } catch {
        r = null; // no comparison possible (e.g. a single candidate): no ties
      }
      reports.set(name, r);
    }
    return reports.get(name) ?? null;
  };
  return (a, b, m) => {
    if (a === b) return true;
    const key = measurementKey(m);
    const verdict = reportAgainst(a)
      ?.rows.find((r) => r.key === key)
      ?.figures.find((f) => f.candidate === b)?.verdict;
    return verdict === 'equivalent' || verdict === 'inconclusive';
  };
}
