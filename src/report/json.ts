/** The machine-readable report: a summary for dashboards plus the complete scoring record. */
import { originSource, originTitle } from '../results/origin.js';
import type { RunOrigin } from '../results/schema.js';
import type { ScoringResult } from '../scoring/types.js';
import { hasConformance, type ReportModel, type RunInfo } from './model.js';

// 2: each run says what produced it (`origin`, `title`, `source`) instead of scenarioFile/scenarioName.
const REPORT_JSON_SCHEMA = 'cnibench-report/2';

/** The shape of report.json (schema cnibench-report/2), for whoever reads it back. */
export interface ReportJson {
  schema: typeof REPORT_JSON_SCHEMA;
  title: string;
  generatedAt: string;
  runs: Array<
    Pick<RunInfo, 'runId' | 'status' | 'candidates'> & {
      /** A scenario run or a compliance check. */
      origin: RunOrigin['kind'];
      /** The scenario's name, or the standard checked. */
      title: string;
      /** The scenario file, or the check's command. */
      source: string;
    }
  >;
  summary: {
    winner: string | null;
    winnerLabel: string | null;
    score: number | null;
    confidence: number | null;
    referenceOnly: boolean;
    decisiveCriteria: ScoringResult['decisiveCriteria'];
    minimalWeightShift: ScoringResult['sensitivity']['minimalShift'];
    /** Leader against runner-up with measurement uncertainty (winner is null when not separated). */
    separation: ScoringResult['separation'];
    ranking: Array<{
      rank: number;
      name: string;
      label: string;
      total: number;
      /** 95 % block-bootstrap interval of the total. */
      totalInterval: { lo: number; hi: number } | null;
      confidence: number;
    }>;
    conformance: Array<{
      name: string;
      label: string;
      cases: number;
      passed: number;
      failed: number;
      skipped: number;
      /** Cases the cluster or harness does not enforce (admin tier); 0 when none. */
      unsupported: number;
    }>;
    warnings: string[];
  };
  scoring: ScoringResult;
}

export function renderJson(m: ReportModel): string {
  const s = m.scoring;
  const w = s.candidates.find((c) => c.name === s.winner);
  const out: ReportJson = {
    schema: REPORT_JSON_SCHEMA,
    title: m.title,
    generatedAt: s.generatedAt,
    runs: m.runs.map(({ runId, origin, status, candidates }) => ({
      runId,
      origin: origin.kind,
      title: originTitle(origin),
      source: originSource(origin),
      status,
      candidates,
    })),
    summary: {
      winner: s.winner,
      winnerLabel: w?.label ?? null,
      score: w?.total ?? null,
      confidence: w?.confidence ?? null,
      referenceOnly: s.referenceOnly,
      decisiveCriteria: s.decisiveCriteria,
      minimalWeightShift: s.sensitivity.minimalShift,
      separation: s.separation,
      ranking: s.candidates
        .flatMap((c) =>
          c.rank === null || c.total === null
            ? []
            : [
                {
                  rank: c.rank,
                  name: c.name,
                  label: c.label,
                  total: c.total,
                  totalInterval: c.totalInterval ?? null,
                  confidence: c.confidence,
                },
              ],
        )
        .sort((a, b) => a.rank - b.rank),
      conformance: m.candidates.filter(hasConformance).map((c) => ({
        name: c.name,
        label: c.label,
        cases: c.conformance.cases,
        passed: c.conformance.passed,
        failed: c.conformance.failed,
        skipped: c.conformance.skipped,
        unsupported: c.conformance.unsupported ?? 0,
      })),
      warnings: s.warnings,
    },
    scoring: s,
  };
  return JSON.stringify(out, null, 2) + '\n';
}
