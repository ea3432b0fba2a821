/**
 * What every renderer reads: the merged results of one or more runs plus the scoring. Candidates of
 * several results files are concatenated; a name used twice is qualified with its run id so no
 * measurement is silently merged into another candidate's.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type {
  CandidateResult,
  ComplianceCheck,
  ConformanceResult,
  ResultsFile,
  RunAnalysis,
  RunOrigin,
} from '../results/schema.js';
import { originTitle, scenarioOf } from '../results/origin.js';
import { scoringSchema, type Candidate, type Scenario, type ScoringConfig } from '../scenario/schema.js';
import { factsFor, loadFacts, type FactsHistory, type LoadedFacts } from '../scoring/facts.js';
import { scoreResults } from '../scoring/score.js';
import { compareRuns, type CompareReport } from '../compare/results-compare.js';
import type { ScoringResult } from '../scoring/types.js';
import { PROJECT_ROOT } from '../util/version.js';

export interface RunInfo {
  runId: string;
  /** What produced the run: a scenario, or a compliance check with its options. */
  origin: RunOrigin;
  status: ResultsFile['status'];
  provenance: ResultsFile['provenance'];
  candidates: string[];
  /** What the run recorded about its own comparison (drift, the A/A check). */
  analysis?: RunAnalysis;
  /** A compliance check run (`cnibench check`): its verdicts. */
  check?: ComplianceCheck;
}

/** A candidate that has a conformance run. */
export type WithConformance = CandidateResult & { conformance: ConformanceResult };

export function hasConformance(c: CandidateResult): c is WithConformance {
  return c.conformance !== undefined;
}

export interface ReportModel {
  title: string;
  /** The first run's scenario; absent when it is a compliance check, which has none. */
  scenario?: Scenario;
  /** The scoring settings applied: given, the first scenario's, or the defaults (a check). */
  scoringConfig: ScoringConfig;
  runs: RunInfo[];
  candidates: CandidateResult[];
  /** Candidate name → the run it came from. */
  runOf: Map<string, string>;
  scoring: ScoringResult;
  /** Every candidate against the first, as `cnibench compare` computes it; null when it cannot be made. */
  comparison: CompareReport | null;
  /** Activity and releases measured from git (`facts measure`), per candidate whose project has them. */
  projectHistory: ProjectHistory[];
}

interface ProjectHistory {
  /** Candidate name and label, and the facts key of its project. */
  name: string;
  label: string;
  project: string;
  history: FactsHistory;
  /** The project's measured facts (key → value), for the report's table. */
  measured: Array<{ key: string; value: string }>;
}

function projectHistoryOf(
  candidates: readonly CandidateResult[],
  scenarioCandidates: readonly Candidate[],
  facts: LoadedFacts | undefined,
): ProjectHistory[] {
  const out: ProjectHistory[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    const key = scenarioCandidates.find((x) => x.name === c.name)?.facts ?? c.cni;
    const lookup = factsFor(facts?.facts, key);
    if (lookup.kind !== 'project' || !lookup.project.history || seen.has(key)) continue;
    seen.add(key);
    out.push({
      name: c.name,
      label: c.label,
      project: key,
      history: lookup.project.history,
      measured: Object.entries(lookup.project.facts)
        .filter(([, f]) => f.measured)
        .map(([k, f]) => ({ key: k, value: Array.isArray(f.value) ? f.value.join(', ') : String(f.value) })),
    });
  }
  return out;
}

function mergeResults(results: ResultsFile[]): {
  candidates: CandidateResult[];
  scenarioCandidates: Candidate[];
  runs: RunInfo[];
  runOf: Map<string, string>;
} {
  const counts = new Map<string, number>();
  for (const r of results) for (const c of r.candidates) counts.set(c.name, (counts.get(c.name) ?? 0) + 1);
  const candidates: CandidateResult[] = [];
  const scenarioCandidates: Candidate[] = [];
  const runOf = new Map<string, string>();
  const runs: RunInfo[] = [];
  for (const r of results) {
    const names: string[] = [];
    for (const c of r.candidates) {
      const name = (counts.get(c.name) ?? 0) > 1 ? `${c.name}@${r.runId}` : c.name;
      candidates.push(name === c.name ? c : { ...c, name });
      const sc = scenarioOf(r)?.candidates.find((s) => s.name === c.name);
      if (sc) scenarioCandidates.push({ ...sc, name });
      runOf.set(name, r.runId);
      names.push(name);
    }
    runs.push({
      runId: r.runId,
      origin: r.origin,
      status: r.status,
      provenance: r.provenance,
      candidates: names,
      ...(r.analysis ? { analysis: r.analysis } : {}),
      ...(r.check ? { check: r.check } : {}),
    });
  }
  return { candidates, scenarioCandidates, runs, runOf };
}

/**
 * The facts file to use: explicit, else the scenario's factsFile next to the scenario, the working
 * directory, or the project. A check names none: it scores nothing.
 */
function resolveFactsFile(first: ResultsFile, explicit?: string): string | null {
  if (explicit) return explicit;
  if (first.origin.kind !== 'scenario') return null;
  const f = first.origin.scenario.scoring.factsFile;
  if (path.isAbsolute(f)) return existsSync(f) ? f : null;
  for (const base of [path.dirname(first.origin.file), process.cwd(), PROJECT_ROOT]) {
    const p = path.resolve(base, f);
    if (existsSync(p)) return p;
  }
  return null;
}

export interface ModelOptions {
  /** Loaded facts, a path, or null for none; undefined = resolve from the scenario. */
  facts?: LoadedFacts | string | null;
  scoring?: ScoringConfig;
  now?: Date;
}

export function buildModel(results: ResultsFile[], opts: ModelOptions = {}): ReportModel {
  const [first] = results;
  if (first === undefined) throw new Error('no results to report');
  const merged = mergeResults(results);
  let facts: LoadedFacts | undefined;
  if (opts.facts && typeof opts.facts === 'object') facts = opts.facts;
  else if (opts.facts !== null) {
    const file = typeof opts.facts === 'string' ? opts.facts : resolveFactsFile(first);
    if (file) facts = loadFacts(file);
  }
  const scenario = scenarioOf(first);
  const scoringConfig = opts.scoring ?? scenario?.scoring ?? scoringSchema.parse({});
  // Version-1 results and checks have no statistics settings: the documented defaults apply.
  const st = scenario?.statistics;
  const scoring = scoreResults({
    candidates: merged.candidates,
    scenarioCandidates: merged.scenarioCandidates,
    config: scoringConfig,
    facts,
    now: opts.now,
    ...(st ? { statistics: st } : {}),
  });
  const names = [...new Set(results.map((r) => originTitle(r.origin)))];
  let comparison: CompareReport | null;
  try {
    comparison = compareRuns(
      results.map((r) => ({ source: r.runId, results: r })),
      {
        alpha: st?.alpha,
        adjust: st?.adjust,
        margin: (st?.equivalenceMargin ?? 5) / 100,
        driftTolerance: (st?.driftTolerance ?? 5) / 100,
      },
    );
  } catch {
    comparison = null; // e.g. a candidate name given twice in one file: the report goes on without it
  }
  return {
    title: names.join(' + '),
    ...(scenario ? { scenario } : {}),
    scoringConfig,
    runs: merged.runs,
    candidates: merged.candidates,
    runOf: merged.runOf,
    scoring,
    comparison,
    projectHistory: projectHistoryOf(merged.candidates, merged.scenarioCandidates, facts),
  };
}

/** Whether every run of the report is a compliance check (the report then shows the check, not a decision). */
export function isCheckReport(m: Pick<ReportModel, 'runs'>): boolean {
  return m.runs.length > 0 && m.runs.every((r) => r.check !== undefined);
}

export function labelOf(model: ReportModel, name: string): string {
  return model.candidates.find((c) => c.name === name)?.label ?? name;
}
