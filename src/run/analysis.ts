/**
 * What a finished run records about its own comparison (results.json `analysis`): the drift
 * warnings, the figure verdicts counted, and for an A/A run (`--aa`) the false-discovery count — the
 * comparisons called better or worse although both candidates are the same.
 */
import type { ResultsFile, RunAnalysis } from '../results/schema.js';
import { compareRuns, type CompareReport } from '../stats/results-compare.js';
import { plantedTally } from './planted.js';

/** compare's view of one results file, with the scenario's statistics settings. */
export function compareOwnRun(r: ResultsFile): CompareReport {
  const st = r.scenario.statistics;
  return compareRuns([{ source: 'results.json', results: r }], {
    alpha: st.alpha,
    adjust: st.adjust,
    margin: st.equivalenceMargin / 100,
    driftTolerance: st.driftTolerance / 100,
  });
}

export function analyzeRun(r: ResultsFile): RunAnalysis {
  const report = compareOwnRun(r);
  return {
    generatedAt: new Date().toISOString(),
    baseline: report.baseline,
    alpha: report.alpha,
    adjust: report.adjust,
    margin: report.margin,
    driftTolerance: report.driftTolerance,
    comparisons: report.comparisons,
    verdicts: { ...report.tally },
    drift: report.drift.map((d) => {
      const row = report.rows.find((x) => x.key === d.key);
      return {
        key: d.key,
        measurement: row?.id ?? d.id,
        candidate: d.candidate,
        against: d.against,
        relativeDifference: d.finding.relativeDifference,
        p: d.finding.p,
        tolerance: d.finding.tolerance,
        sentence: d.finding.sentence,
      };
    }),
    ...(r.aa
      ? {
          aa: {
            candidate: r.aa.of,
            comparisons: report.comparisons,
            falseDiscoveries: report.discoveries.length,
            discoveries: report.discoveries,
            alpha: report.alpha,
            adjust: report.adjust,
            margin: report.margin,
          },
        }
      : {}),
    ...(r.planted ? { planted: plantedTally(report, r.planted) } : {}),
  };
}
