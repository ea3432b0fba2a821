/**
 * `cnibench compare` core: pairs measurements of several runs' candidates by (workload, path, metric,
 * parameters), compares each candidate with the baseline candidate, relates each figure to the same
 * run's `baseline` path, and collects provenance differences that make a comparison questionable.
 * Pure (no I/O) so it is tested on synthetic ResultsFile objects; formatting lives in compare-format.ts.
 */
import type { CandidateResult, Measurement, Provenance, ResultsFile } from '../results/schema.js';
import { InputError } from '../util/errors.js';
import { compareSamples, type Comparison } from './compare.js';
import { InvalidSampleError } from './errors.js';
import { summarize } from './summary.js';
import type { Summary } from './types.js';

export interface LoadedRun {
  /** Where it was read from (for messages). */
  source: string;
  results: ResultsFile;
}

/** One candidate of one run, as compared. */
export interface ComparedCandidate {
  /** Unique label: the candidate name, or "runId:name" when several runs share a name. */
  id: string;
  runId: string;
  name: string;
  label: string;
  source: string;
}

export interface CandidateFigure {
  candidate: string;
  /** "median" for lower-is-better metrics, "mean" for higher-is-better ones (what is compared). */
  statistic: 'median' | 'mean';
  value: number;
  /** 95% CI of that statistic; null with a single sample. */
  ci: [number, number] | null;
  n: number;
  outliers: number;
  /** Figure divided by the same run's `baseline`-path figure of the same metric, when one exists. */
  ofBaselinePath: number | null;
  /** The comparison against the baseline candidate (absent for the baseline candidate itself). */
  comparison?: Comparison;
}

export interface CompareRow {
  key: string;
  workload: Measurement['workload'];
  path: Measurement['path'];
  metric: string;
  unit: string;
  higherIsBetter: boolean;
  /** The identifying (configuration) parameters; result figures filed as parameters are left out. */
  parameters: Measurement['parameters'];
  /** One per candidate that has this measurement, in candidate order. */
  figures: CandidateFigure[];
  /** Candidates without this measurement. */
  missing: string[];
  /** Why no comparison was made for this row (e.g. the baseline candidate lacks it). */
  note?: string;
}

export interface CompareReport {
  candidates: ComparedCandidate[];
  baseline: string;
  alpha: number;
  /** Machine/kernel differences between the runs; non-empty means the numbers may not be comparable. */
  warnings: string[];
  rows: CompareRow[];
}

export interface CompareRunsOptions {
  /** Candidate id, candidate name or run id of the baseline; default: the first candidate. */
  baseline?: string;
  alpha?: number;
}

/**
 * Numeric parameters that describe the configuration. Other numeric parameters are results the
 * workloads file alongside (retransmits, pooled percentiles, round-trip counts, CI half-width) and
 * differ from run to run, so they must not split rows. String and boolean parameters are
 * configuration (protocol, mode, tool, udpRate).
 */
export const NUMERIC_CONFIG_PARAMETERS: readonly string[] = [
  'streams',
  'duration',
  'payloadBytes',
  'policies',
];

/** The parameters that identify a measurement (see NUMERIC_CONFIG_PARAMETERS), keys sorted. */
export function configParameters(parameters: Measurement['parameters']): Measurement['parameters'] {
  const out: Measurement['parameters'] = {};
  for (const k of Object.keys(parameters).sort()) {
    const v = parameters[k];
    if (typeof v !== 'number' || NUMERIC_CONFIG_PARAMETERS.includes(k)) out[k] = v;
  }
  return out;
}

/** Stable key of a measurement's identity; parameters sorted so key order in the file does not matter. */
export function measurementKey(m: Pick<Measurement, 'workload' | 'path' | 'metric' | 'parameters'>): string {
  const cfg = configParameters(m.parameters);
  const params = Object.keys(cfg)
    .map((k) => `${k}=${String(cfg[k])}`)
    .join(',');
  return `${m.workload}|${m.path}|${m.metric}|${params}`;
}

/** The same key without the path: how a figure finds its run's `baseline`-path counterpart. */
function pathlessKey(m: Measurement): string {
  return measurementKey({ ...m, path: 'baseline' });
}

const PROVENANCE_FIELDS: Array<keyof Provenance> = ['hostname', 'kernel', 'cpus', 'cpuModel'];

/** Human-readable differences in machine identity between runs. */
export function provenanceWarnings(runs: readonly LoadedRun[]): string[] {
  const warnings: string[] = [];
  if (runs.length < 2) return warnings;
  for (const field of PROVENANCE_FIELDS) {
    const values = new Map<string, string[]>();
    for (const r of runs) {
      const v = String(r.results.provenance?.[field] ?? 'unknown');
      values.set(v, [...(values.get(v) ?? []), r.results.runId]);
    }
    if (values.size > 1) {
      const detail = [...values].map(([v, ids]) => `${ids.join(', ')}: ${v}`).join('; ');
      warnings.push(`runs differ in ${field} (${detail})`);
    }
  }
  const kinds = new Set(runs.map((r) => r.results.provenance?.cluster?.kind ?? 'unknown'));
  if (kinds.size > 1) warnings.push(`runs used different cluster kinds (${[...kinds].join(', ')})`);
  return warnings;
}

function candidateIds(runs: readonly LoadedRun[]): ComparedCandidate[] {
  const all = runs.flatMap((r) =>
    r.results.candidates.map((c) => ({
      runId: r.results.runId,
      name: c.name,
      label: c.label,
      source: r.source,
    })),
  );
  const count = new Map<string, number>();
  for (const c of all) count.set(c.name, (count.get(c.name) ?? 0) + 1);
  const ids = all.map((c) => ({ ...c, id: (count.get(c.name) ?? 0) > 1 ? `${c.runId}:${c.name}` : c.name }));
  const seen = new Set<string>();
  for (const c of ids) {
    if (seen.has(c.id))
      throw new InputError(`candidate ${c.id} appears twice (the same run given twice?): ${c.source}`);
    seen.add(c.id);
  }
  return ids;
}

function resolveBaseline(cands: readonly ComparedCandidate[], wanted: string | undefined): string {
  if (wanted === undefined) return cands[0].id;
  const byId = cands.find((c) => c.id === wanted);
  if (byId) return byId.id;
  const byName = cands.filter((c) => c.name === wanted || c.runId === wanted);
  if (byName.length === 1) return byName[0].id;
  const known = cands.map((c) => c.id).join(', ');
  if (byName.length > 1)
    throw new InputError(
      `--baseline ${wanted} is ambiguous: use one of ${byName.map((c) => c.id).join(', ')}`,
    );
  throw new InputError(`--baseline ${wanted}: no such candidate (candidates: ${known})`);
}

/** Checks the samples (JSON turns NaN into null) and summarizes them, naming file and measurement. */
function summarizeMeasurement(m: Measurement, where: string): Summary {
  const label = `${where}: ${m.workload}/${m.path}/${m.metric}`;
  if (!Array.isArray(m.samples)) throw new InputError(`${label}: "samples" is not a list`);
  const samples = m.samples.map((s, i) => {
    if (typeof s !== 'number' || !Number.isFinite(s))
      throw new InvalidSampleError(label, i, s === null ? NaN : Number(s));
    return s;
  });
  return summarize(samples, { label });
}

function figureOf(
  s: Summary,
  higherIsBetter: boolean,
): { statistic: 'median' | 'mean'; value: number; ci: [number, number] | null } {
  const defined = s.ciDefined ?? s.n > 1;
  return higherIsBetter
    ? { statistic: 'mean', value: s.mean, ci: defined ? s.ci95 : null }
    : { statistic: 'median', value: s.median, ci: defined ? s.ci95Median : null };
}

export function compareRuns(runs: readonly LoadedRun[], opts: CompareRunsOptions = {}): CompareReport {
  const { alpha = 0.05 } = opts;
  if (runs.length === 0) throw new InputError('name at least one results file or directory');
  const cands = candidateIds(runs);
  if (cands.length === 0) throw new InputError('the results files hold no candidates');
  const baseline = resolveBaseline(cands, opts.baseline);

  // candidate id → measurement key → measurement (+ its run's baseline-path figures for ratios).
  const byCandidate = new Map<string, Map<string, Measurement>>();
  const baselinePath = new Map<string, Map<string, Measurement>>();
  const order: string[] = [];
  let ci = 0;
  for (const run of runs) {
    const runBaselines = new Map<string, Measurement>();
    // A baseline-path measurement belongs to the machine, not to a candidate: any candidate's counts.
    for (const c of run.results.candidates) {
      for (const m of c.measurements ?? []) if (m.path === 'baseline') runBaselines.set(pathlessKey(m), m);
    }
    for (const c of run.results.candidates as CandidateResult[]) {
      const id = cands[ci++].id;
      const map = new Map<string, Measurement>();
      for (const m of c.measurements ?? []) {
        const key = measurementKey(m);
        map.set(key, m);
        if (!order.includes(key)) order.push(key);
      }
      byCandidate.set(id, map);
      const own = new Map(runBaselines);
      for (const m of c.measurements ?? []) if (m.path === 'baseline') own.set(pathlessKey(m), m);
      baselinePath.set(id, own);
    }
  }

  const summaries = new Map<Measurement, Summary>();
  const summaryOf = (m: Measurement, cand: ComparedCandidate) => {
    let s = summaries.get(m);
    if (!s) {
      s = summarizeMeasurement(m, `${cand.source} candidate ${cand.name}`);
      summaries.set(m, s);
    }
    return s;
  };

  const rows: CompareRow[] = [];
  for (const key of order) {
    const present = cands.filter((c) => byCandidate.get(c.id)?.has(key));
    const first = byCandidate.get(present[0].id)!.get(key)!;
    const baseM = byCandidate.get(baseline)?.get(key);
    const baseCand = cands.find((c) => c.id === baseline)!;
    const figures: CandidateFigure[] = present.map((c) => {
      const m = byCandidate.get(c.id)!.get(key)!;
      const fig = figureOf(summaryOf(m, c), m.higherIsBetter);
      const bm = m.path === 'baseline' ? undefined : baselinePath.get(c.id)?.get(pathlessKey(m));
      const bval = bm ? figureOf(summaryOf(bm, c), bm.higherIsBetter).value : 0;
      const out: CandidateFigure = {
        candidate: c.id,
        ...fig,
        n: m.samples.length,
        outliers: summaryOf(m, c).outliers.length,
        ofBaselinePath: bm && bval !== 0 ? fig.value / bval : null,
      };
      if (baseM && c.id !== baseline) {
        summaryOf(baseM, baseCand); // validates the baseline's samples with its own file name
        out.comparison = compareSamples(baseM.samples, m.samples, {
          kind: m.higherIsBetter ? 'throughput' : 'latency',
          higherIsBetter: m.higherIsBetter,
          alpha,
          label: key,
        });
      }
      return out;
    });
    rows.push({
      key,
      workload: first.workload,
      path: first.path,
      metric: first.metric,
      unit: first.unit,
      higherIsBetter: first.higherIsBetter,
      parameters: configParameters(first.parameters),
      figures,
      missing: cands.filter((c) => !present.includes(c)).map((c) => c.id),
      ...(baseM ? {} : { note: `baseline candidate ${baseline} has no such measurement` }),
    });
  }
  return { candidates: cands, baseline, alpha, warnings: provenanceWarnings(runs), rows };
}
