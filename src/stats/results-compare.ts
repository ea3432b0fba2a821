/**
 * `cnibench compare` core: pairs measurements of several runs' candidates by (workload, path, metric,
 * parameters) and compares each candidate with the baseline candidate twice — the absolute figures,
 * and the per-pair ratios path / paired baseline (the baseline sample measured in the same turn) —
 * detects environment drift (the candidates' baselines differ), adjusts the p-values of all rows
 * together (Holm or Benjamini–Hochberg) and decides the verdicts on the adjusted values. Pure (no
 * I/O) so it is tested on synthetic ResultsFile objects; formatting lives in compare-format.ts.
 * docs/statistics.md describes every step.
 */
import type {
  AdaptiveOutcome,
  CandidateResult,
  Measurement,
  Provenance,
  ResultsFile,
} from '../results/schema.js';
import { InputError } from '../util/errors.js';
import { ADJUST_LABELS, adjustPValues, type AdjustMethod } from './adjust.js';
import { figureCi, statisticFor, type FigureStatistic } from './ci.js';
import { DEFAULT_MARGIN, compareSamples, decideVerdict, type Comparison, type Verdict } from './compare.js';
import { InvalidSampleError } from './errors.js';
import { fmtNumber, fmtP, fmtPercent } from './numbers.js';
import { summarize } from './summary.js';
import type { Summary } from './types.js';

export interface LoadedRun {
  /** Where it was read from (for messages). */
  source: string;
  results: ResultsFile;
}

/** One candidate of one run, as compared. */
interface ComparedCandidate {
  /** Unique label: the candidate name, or "runId:name" when several runs share a name. */
  id: string;
  runId: string;
  name: string;
  label: string;
  source: string;
}

/** A statistic with its 95% CI (null with a single sample). */
interface FigureValue {
  value: number;
  ci: [number, number] | null;
  n: number;
}

/** The candidates' baselines of one figure differ: the environment changed between their turns. */
interface DriftFinding {
  /** candidate's baseline / baseline candidate's baseline − 1. */
  relativeDifference: number | null;
  /** Raw p-value of the test between the two baseline series. */
  p: number | null;
  tolerance: number;
  /** Whether the baselines were paired samples (else the runs' baseline-path measurements). */
  paired: boolean;
  sentence: string;
}

export interface CandidateFigure {
  candidate: string;
  /** "median" for lower-is-better metrics, "mean" for higher-is-better ones (what is compared). */
  statistic: FigureStatistic;
  value: number;
  /** 95% CI of that statistic; null with a single sample. */
  ci: [number, number] | null;
  n: number;
  outliers: number;
  /** Figure divided by the same run's `baseline`-path figure of the same metric, when one exists. */
  ofBaselinePath: number | null;
  /** The per-pair ratios path / paired baseline (same statistic); absent without paired baselines. */
  normalized?: FigureValue;
  /** This candidate's paired baseline samples, summarized. */
  pairedBaseline?: FigureValue;
  /** How the adaptive rule ended for this figure, when it applied. */
  adaptive?: AdaptiveOutcome;
  /** Absolute figures against the baseline candidate (absent for the baseline candidate itself). */
  comparison?: Comparison;
  /** Per-pair ratios against the baseline candidate's. */
  normalizedComparison?: Comparison;
  /** Present when this candidate's baseline differs from the baseline candidate's. */
  drift?: DriftFinding;
  /** The figure's verdict against the baseline candidate. */
  verdict?: Verdict;
  /** What the verdict rests on: the absolute figures, or the baseline-normalized ones under drift. */
  verdictBasis?: 'absolute' | 'normalized';
  /** Why the verdict is inconclusive beyond the tests (drift with nothing to normalize by). */
  verdictNote?: string;
}

export interface CompareRow {
  key: string;
  /** Measurement id (of the first candidate that has it). */
  id: string;
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
  /**
   * The baseline path is the same hardware for every candidate: its row is an environment check
   * (drift), never a verdict about a candidate.
   */
  environmentCheck?: boolean;
}

/** A drift sentence and where it belongs. */
interface DriftNotice {
  key: string;
  id: string;
  candidate: string;
  against: string;
  finding: DriftFinding;
}

export interface CompareReport {
  candidates: ComparedCandidate[];
  baseline: string;
  alpha: number;
  /** Equivalence margin (fraction). */
  margin: number;
  adjust: AdjustMethod;
  /** Drift tolerance (fraction). */
  driftTolerance: number;
  /** Difference tests adjusted together (absolute and normalized comparisons of every row). */
  comparisons: number;
  /** Comparisons called better or worse after adjustment, named (what an A/A run counts as false). */
  discoveries: string[];
  /** Figure verdicts (what each figure's verdict rests on), counted. */
  tally: Record<Verdict, number>;
  /** Machine/kernel differences between the runs; non-empty means the numbers may not be comparable. */
  warnings: string[];
  /** One per figure and candidate whose baseline drifted, in row order. */
  drift: DriftNotice[];
  rows: CompareRow[];
}

export interface CompareRunsOptions {
  /** Candidate id, candidate name or run id of the baseline; default: the first candidate. */
  baseline?: string;
  alpha?: number;
  /** Equivalence margin, fraction; default 0.05. */
  margin?: number;
  adjust?: AdjustMethod;
  /** Drift tolerance, fraction; default 0.05. */
  driftTolerance?: number;
}

const DEFAULT_DRIFT_TOLERANCE = 0.05;

/**
 * Numeric parameters that describe the configuration. Other numeric parameters are results the
 * workloads file alongside (retransmits, pooled percentiles, round-trip counts, CI half-width) and
 * differ from run to run, so they must not split rows. String and boolean parameters are
 * configuration (protocol, mode, tool, udpRate).
 */
const NUMERIC_CONFIG_PARAMETERS: readonly string[] = ['streams', 'duration', 'payloadBytes', 'policies'];

/** The parameters that identify a measurement (see NUMERIC_CONFIG_PARAMETERS), keys sorted. */
function configParameters(parameters: Measurement['parameters']): Measurement['parameters'] {
  const out: Measurement['parameters'] = {};
  for (const [k, v] of Object.entries(parameters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
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

const PROVENANCE_FIELDS = ['hostname', 'kernel', 'cpus', 'cpuModel'] as const satisfies ReadonlyArray<
  keyof Provenance
>;

/** Human-readable differences in machine identity between runs. */
function provenanceWarnings(runs: readonly LoadedRun[]): string[] {
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

function candidateIds(runs: readonly CandidateSource[]): ComparedCandidate[] {
  const all = runs.flatMap((r) =>
    r.candidates.map((c) => ({
      runId: r.runId,
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
  if (wanted === undefined) {
    const [first] = cands;
    if (first) return first.id;
    throw new InputError('no candidates to compare');
  }
  const byId = cands.find((c) => c.id === wanted);
  if (byId) return byId.id;
  const byName = cands.filter((c) => c.name === wanted || c.runId === wanted);
  const [only] = byName;
  if (byName.length === 1 && only) return only.id;
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

/** "throughput throughput cross-node (protocol=TCP, streams=1)": how rows are named in sentences. */
export function rowTitle(r: Pick<CompareRow, 'workload' | 'metric' | 'path' | 'parameters'>): string {
  const params = Object.entries(r.parameters)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return `${r.workload} ${r.metric} ${r.path}${params ? ` (${params})` : ''}`;
}

/** Per-pair ratios path / paired baseline; null without pairing or with a zero baseline sample. */
function pairRatios(m: Measurement): number[] | null {
  const p = m.paired;
  if (!p || !Array.isArray(p.samples) || p.samples.length !== m.samples.length || m.samples.length === 0)
    return null;
  const out: number[] = [];
  for (let i = 0; i < m.samples.length; i++) {
    const b = p.samples[i];
    const x = m.samples[i];
    if (
      typeof b !== 'number' ||
      typeof x !== 'number' ||
      !Number.isFinite(b) ||
      !Number.isFinite(x) ||
      b === 0
    )
      return null;
    out.push(x / b);
  }
  return out;
}

function figureValue(samples: readonly number[], statistic: FigureStatistic): FigureValue {
  const { value, ci } = figureCi(samples, statistic);
  return { value, ci, n: samples.length };
}

function driftSentence(
  row: Pick<CompareRow, 'workload' | 'metric' | 'path' | 'parameters' | 'unit'>,
  candidate: string,
  against: string,
  base: FigureValue,
  cand: FigureValue,
  c: Comparison,
  tolerance: number,
  normalizable: boolean,
): string {
  const diff = c.relativeDifference === null ? '' : `${fmtPercent(c.relativeDifference)}, `;
  const why =
    c.p !== null && c.p < c.alpha
      ? `a significant difference`
      : `more than the ${(tolerance * 100).toFixed(0)}% tolerance`;
  const consequence = normalizable
    ? 'the verdict rests on the baseline-normalized figure; the absolute difference is confounded by environment drift'
    : 'the absolute difference is confounded by environment drift and there is no paired baseline to normalize it, so the verdict is inconclusive';
  return (
    `${rowTitle(row)}: the baseline path measured ${fmtNumber(cand.value)} ${row.unit} for ${candidate} ` +
    `against ${fmtNumber(base.value)} ${row.unit} for ${against} (${diff}p = ${fmtP(c.p)}: ${why}) — ` +
    `environment drift; ${consequence}.`
  );
}

function emptyTally(): Record<Verdict, number> {
  return { better: 0, worse: 0, equivalent: 0, inconclusive: 0 };
}

/** Compares the candidates of one or more runs; the baseline candidate is the first unless named. */
export function compareRuns(runs: readonly LoadedRun[], opts: CompareRunsOptions = {}): CompareReport {
  if (runs.length === 0) throw new InputError('name at least one results file or directory');
  return {
    ...compareSources(
      runs.map((r) => ({ source: r.source, runId: r.results.runId, candidates: r.results.candidates })),
      opts,
    ),
    warnings: provenanceWarnings(runs),
  };
}

/**
 * Compares candidates that are already merged (the report's and the scoring's view): one source,
 * candidate names as ids.
 */
export function compareCandidateResults(
  candidates: readonly CandidateResult[],
  opts: CompareRunsOptions = {},
): CompareReport {
  return compareSources([{ source: 'results', runId: 'results', candidates }], opts);
}

interface CandidateSource {
  source: string;
  runId: string;
  candidates: readonly CandidateResult[];
}

function compareSources(runs: readonly CandidateSource[], opts: CompareRunsOptions): CompareReport {
  const {
    alpha = 0.05,
    margin = DEFAULT_MARGIN,
    adjust = 'holm',
    driftTolerance = DEFAULT_DRIFT_TOLERANCE,
  } = opts;
  if (!(alpha > 0 && alpha < 1)) throw new InputError(`alpha must be between 0 and 1 (got ${alpha})`);
  const cands = candidateIds(runs);
  if (cands.length === 0) throw new InputError('the results files hold no candidates');
  const baseline = resolveBaseline(cands, opts.baseline);
  const baseCand = cands.find((c) => c.id === baseline);
  if (!baseCand) throw new InputError(`no baseline candidate ${baseline}`);

  // candidate id → measurement key → measurement (+ its run's baseline-path measurements).
  const byCandidate = new Map<string, Map<string, Measurement>>();
  const baselinePath = new Map<string, Map<string, Measurement>>();
  const order: string[] = [];
  let ci = 0;
  for (const run of runs) {
    const runBaselines = new Map<string, Measurement>();
    // A baseline-path measurement belongs to the machine, not to a candidate: any candidate's counts.
    for (const c of run.candidates) {
      for (const m of c.measurements ?? []) if (m.path === 'baseline') runBaselines.set(pathlessKey(m), m);
    }
    for (const c of run.candidates) {
      const id = cands[ci++]?.id ?? c.name;
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
  const cmpOpts = (higherIsBetter: boolean, label: string) => ({ higherIsBetter, alpha, margin, label });

  const rows: CompareRow[] = [];
  const drift: DriftNotice[] = [];
  // Every comparison that enters the family, with a name for the A/A count.
  const family: Array<{ c: Comparison; name: string }> = [];
  for (const key of order) {
    const present = cands.filter((c) => byCandidate.get(c.id)?.has(key));
    const first = present[0] ? byCandidate.get(present[0].id)?.get(key) : undefined;
    if (!first) continue;
    const statistic = statisticFor(first.higherIsBetter);
    const baseM = byCandidate.get(baseline)?.get(key);
    const environmentCheck = first.path === 'baseline';
    const rowInfo = {
      workload: first.workload,
      path: first.path,
      metric: first.metric,
      unit: first.unit,
      parameters: configParameters(first.parameters),
    };
    /** The baseline series a figure's drift is judged on: its paired samples, else the run's baseline path. */
    const baselineSeries = (
      m: Measurement,
      cand: ComparedCandidate,
    ): { samples: number[]; paired: boolean } | null => {
      if (environmentCheck) return { samples: m.samples, paired: false };
      if (pairRatios(m)) return { samples: m.paired?.samples ?? [], paired: true };
      const bm = baselinePath.get(cand.id)?.get(pathlessKey(m));
      if (!bm) return null;
      summaryOf(bm, cand);
      return { samples: bm.samples, paired: false };
    };
    const baseRatios = baseM ? pairRatios(baseM) : null;
    const baseBaseline = baseM ? baselineSeries(baseM, baseCand) : null;
    const figures: CandidateFigure[] = present.map((c) => {
      const m = byCandidate.get(c.id)?.get(key);
      if (!m) throw new Error(`lost measurement ${key} of ${c.id}`);
      const s = summaryOf(m, c);
      const fig = figureValue(m.samples, statistic);
      const bm = m.path === 'baseline' ? undefined : baselinePath.get(c.id)?.get(pathlessKey(m));
      if (bm) summaryOf(bm, c);
      const bval = bm ? figureValue(bm.samples, statistic).value : 0;
      const ratios = pairRatios(m);
      const out: CandidateFigure = {
        candidate: c.id,
        statistic,
        value: fig.value,
        ci: fig.ci,
        n: m.samples.length,
        outliers: s.outliers.length,
        ofBaselinePath: bm && bval !== 0 ? fig.value / bval : null,
        ...(ratios ? { normalized: figureValue(ratios, statistic) } : {}),
        ...(ratios && m.paired ? { pairedBaseline: figureValue(m.paired.samples, statistic) } : {}),
        ...(m.adaptive ? { adaptive: m.adaptive } : {}),
      };
      if (!baseM || c.id === baseline) return out;
      summaryOf(baseM, baseCand); // validates the baseline's samples with its own file name
      const name = `${rowTitle(rowInfo)}: ${c.id} vs ${baseline}`;
      // Drift: the candidates' baseline series differ significantly or beyond the tolerance.
      const own = baselineSeries(m, c);
      if (own && baseBaseline && own.samples.length > 0 && baseBaseline.samples.length > 0) {
        const d = compareSamples(
          baseBaseline.samples,
          own.samples,
          cmpOpts(first.higherIsBetter, `${key} baseline`),
        );
        const significant = d.p !== null && d.p < alpha;
        const beyond = d.relativeDifference !== null && Math.abs(d.relativeDifference) > driftTolerance;
        if (significant || beyond) {
          const finding: DriftFinding = {
            relativeDifference: d.relativeDifference,
            p: d.p,
            tolerance: driftTolerance,
            paired: own.paired && baseBaseline.paired,
            sentence: environmentCheck
              ? `${rowTitle(rowInfo)}: ${fmtNumber(figureValue(own.samples, statistic).value)} ${first.unit} for ${c.id} against ${fmtNumber(figureValue(baseBaseline.samples, statistic).value)} ${first.unit} for ${baseline} (${d.relativeDifference === null ? '' : `${fmtPercent(d.relativeDifference)}, `}p = ${fmtP(d.p)}) on the same hardware — environment drift between the candidates' measurements.`
              : driftSentence(
                  { ...rowInfo },
                  c.id,
                  baseline,
                  figureValue(baseBaseline.samples, statistic),
                  figureValue(own.samples, statistic),
                  d,
                  driftTolerance,
                  Boolean(ratios && baseRatios),
                ),
          };
          out.drift = finding;
          drift.push({ key, id: m.id, candidate: c.id, against: baseline, finding });
        }
      }
      if (environmentCheck) return out;
      out.comparison = compareSamples(baseM.samples, m.samples, cmpOpts(m.higherIsBetter, key));
      family.push({ c: out.comparison, name: `${name} (absolute)` });
      if (ratios && baseRatios) {
        out.normalizedComparison = compareSamples(
          baseRatios,
          ratios,
          cmpOpts(m.higherIsBetter, `${key} ÷ baseline`),
        );
        family.push({ c: out.normalizedComparison, name: `${name} (normalized)` });
      }
      return out;
    });
    rows.push({
      key,
      id: first.id,
      ...rowInfo,
      higherIsBetter: first.higherIsBetter,
      figures,
      missing: cands.filter((c) => !present.includes(c)).map((c) => c.id),
      ...(baseM ? {} : { note: `baseline candidate ${baseline} has no such measurement` }),
      ...(environmentCheck
        ? {
            environmentCheck: true,
            note: 'baseline path: the same hardware for every candidate, so this row checks the environment (drift); it gives no verdict',
          }
        : {}),
    });
  }

  // Multiple-comparison control over every comparison of every row, then the verdicts.
  const m = family.length;
  const pAdj = adjustPValues(
    family.map((f) => f.c.p),
    adjust,
  );
  const eqAdj = adjustPValues(
    family.map((f) => f.c.pEquivalence),
    adjust,
  );
  const discoveries: string[] = [];
  family.forEach((f, i) => {
    const c = f.c;
    c.pAdjusted = pAdj[i] ?? null;
    c.pEquivalenceAdjusted = eqAdj[i] ?? null;
    c.verdict = decideVerdict(c, c.pAdjusted, c.pEquivalenceAdjusted);
    if (c.verdict === 'better' || c.verdict === 'worse') discoveries.push(`${f.name}: ${c.verdict}`);
    const minP = c.testDetail.minAchievableP;
    if (adjust === 'holm' && typeof minP === 'number' && minP < alpha && minP * m >= alpha && !c.note) {
      c.note =
        `after ${ADJUST_LABELS[adjust]} over ${m} comparisons Mann–Whitney U with these sample sizes cannot reach ` +
        `an adjusted p < ${alpha} (smallest possible ${fmtP(Math.min(1, minP * m))}); collect more repetitions`;
    }
  });
  const tally = emptyTally();
  for (const row of rows) {
    for (const f of row.figures) {
      if (!f.comparison) continue;
      const useNormalized = Boolean(f.drift && f.normalizedComparison);
      f.verdictBasis = useNormalized ? 'normalized' : 'absolute';
      if (f.drift && !f.normalizedComparison) {
        f.verdict = 'inconclusive';
        f.verdictNote = 'confounded by environment drift; no paired baseline to normalize by';
      } else {
        f.verdict = (useNormalized ? f.normalizedComparison : f.comparison)?.verdict ?? 'inconclusive';
      }
      tally[f.verdict]++;
    }
  }
  return {
    candidates: cands,
    baseline,
    alpha,
    margin,
    adjust,
    driftTolerance,
    comparisons: m,
    discoveries,
    tally,
    warnings: [],
    drift,
    rows,
  };
}
