/**
 * What a finished run records about its own comparison (results.json `analysis`): the drift
 * warnings, every figure's comparison with its minimum detectable effect, the figure verdicts counted,
 * and for an A/A run (`--aa`) the false-discovery count — the figures called better or worse
 * although both candidates are the same (one verdict per figure, never the tests behind it).
 */
import type { FigureAnalysis, ResultsFile, RunAnalysis } from '../results/schema.js';
import { scenarioOf } from '../results/origin.js';
import { compareRuns, type CompareReport } from '../compare/results-compare.js';
import { plantedTally } from './planted.js';

/** compare's view of one results file, with the scenario's statistics settings (a check has none: the defaults). */
export function compareOwnRun(r: ResultsFile): CompareReport {
  const st = scenarioOf(r)?.statistics;
  return compareRuns([{ source: 'results.json', results: r }], {
    alpha: st?.alpha,
    adjust: st?.adjust,
    margin: (st?.equivalenceMargin ?? 5) / 100,
    driftTolerance: (st?.driftTolerance ?? 5) / 100,
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
    mdeLevel: report.mdeLevel,
    verdicts: { ...report.tally },
    figures: report.rows.flatMap((row) =>
      row.figures.flatMap((f): FigureAnalysis[] => {
        const c = f.comparison;
        if (!c || !f.verdict) return [];
        return [
          {
            measurement: row.id,
            candidate: f.candidate,
            against: report.baseline,
            verdict: f.verdict,
            design: c.design,
            basis: f.verdictBasis ?? 'absolute',
            n: c.n,
            relativeDifference: c.relativeDifference,
            relativeDifferenceCi: c.relativeDifferenceCi,
            ciLevel: c.ciLevel,
            p: c.p,
            pAdjusted: c.pAdjusted,
            minimumDetectableEffect: c.minimumDetectableEffect,
            blocksForMargin: c.blocksForMargin,
          },
        ];
      }),
    ),
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
