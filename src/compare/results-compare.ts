/**
 * `cnibench compare` core: pairs measurements of several runs' candidates by (workload, path, metric,
 * parameters) and makes ONE comparison per figure and candidate against the baseline candidate, in
 * the design the runs used (docs/statistics.md):
 *
 * - candidates measured in the same run's interleaved blocks: paired t over blocks on the absolute
 *   figures (the block pairs the candidates; drift common to a block cancels), with the sequential
 *   looks the sampling made;
 * - candidates from separate runs: Welch's t on the per-turn ratios path / paired baseline when both
 *   have paired baselines (the baseline absorbs the machine's state at each turn), else on the
 *   absolute figures.
 *
 * The basis is chosen from the design, never from the data. The comparisons of every row are then
 * adjusted together (Holm or Benjamini–Hochberg) and the verdicts decided on the adjusted values.
 * Drift (the candidates' baseline-path figures differ) is decided on its interval and reported; it
 * makes an unpaired absolute comparison inconclusive, and changes nothing else. Pure (no I/O);
 * formatting lives in format.ts.
 */
import type {
  AdaptiveOutcome,
  LegacyAdaptiveOutcome,
  CandidateResult,
  Measurement,
  Provenance,
  ResultsFile,
} from '../results/schema.js';
import { InputError } from '../util/errors.js';
import { ADJUST_LABELS, adjustPValues, type AdjustMethod } from '../stats/adjust.js';
import { figureCi, statisticFor, type FigureStatistic } from '../stats/ci.js';
import {
  DEFAULT_MARGIN,
  compareFigure,
  decide,
  type Design,
  type FigureComparison,
  type Verdict,
} from '../stats/figure-comparison.js';
import { fmtNumber, fmtP, fmtRelative } from '../stats/numbers.js';
import type { SequentialDesign } from '../stats/sequential.js';
import { summarize } from '../stats/summary.js';
import type { Summary } from '../stats/types.js';

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

/**
 * The candidates' baseline-path figures differ beyond the tolerance, shown with their interval: the
 * (1 − 2α) CI of the baseline ratio lies wholly outside ±tolerance. A point estimate beyond the
 * tolerance is not enough (at CV 13% and 6 blocks it is that by chance half the time).
 */
interface DriftFinding {
  /** candidate's baseline / baseline candidate's baseline − 1. */
  relativeDifference: number | null;
  /** Its CI (the comparison's level, 1 − 2α). */
  ci: [number, number] | null;
  /** Raw p-value of the test between the two baseline series. */
  p: number | null;
  tolerance: number;
  /** Whether the baselines were paired samples (else the runs' baseline-path measurements). */
  paired: boolean;
  sentence: string;
}

export interface CandidateFigure {
  candidate: string;
  /** "median" for lower-is-better metrics, "mean" for higher-is-better ones (the figure shown). */
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
  /** How sequential sampling ended for this figure, when it applied. */
  adaptive?: AdaptiveOutcome | LegacyAdaptiveOutcome;
  /** THE comparison against the baseline candidate (absent for the baseline candidate itself). */
  comparison?: FigureComparison;
  /** Present when this candidate's baseline is shown to differ from the baseline candidate's. */
  drift?: DriftFinding;
  /** The figure's verdict against the baseline candidate. */
  verdict?: Verdict;
  /** What the comparison compares, chosen from the design: absolute figures or per-turn ratios. */
  verdictBasis?: 'absolute' | 'normalized';
  /** Why the verdict is inconclusive beyond the tests (drift on an unpaired absolute comparison). */
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
  /** Comparisons adjusted together: one per figure and candidate. */
  comparisons: number;
  /** Level the minimum detectable effects are stated at (alpha / comparisons: Holm's first step). */
  mdeLevel: number;
  /** Figures called better or worse after adjustment, named (what an A/A run counts as false). */
  discoveries: string[];
  /** Figure verdicts counted. */
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

/**
 * Checks every sample of a run before anything is computed: a sample must be a finite number, and no
 * figure cnibench measures (rates, latencies, loss, jitter, times) can be negative. JSON turns NaN
 * into null, so a null is a broken file: bad input (exit 2), named by file and field.
 */
function validateSamples(run: CandidateSource): void {
  run.candidates.forEach((c, ci) => {
    (c.measurements ?? []).forEach((m, mi) => {
      const field = `candidates[${ci}].measurements[${mi}]`;
      const check = (xs: unknown, what: string) => {
        if (!Array.isArray(xs)) throw new InputError(`${run.source}: ${field}.${what} (${m.id}): not a list`);
        xs.forEach((x: unknown, k) => {
          const where = `${run.source}: ${field}.${what}[${k}] (${m.id}, candidate ${c.name})`;
          if (typeof x !== 'number' || !Number.isFinite(x))
            throw new InputError(
              `${where}: ${x === null ? 'null' : JSON.stringify(x)} is not a finite number`,
            );
          if (x < 0)
            throw new InputError(`${where}: ${x} is negative, which a ${m.metric} in ${m.unit} cannot be`);
        });
      };
      check(m.samples, 'samples');
      if (m.paired) check(m.paired.samples, 'paired.samples');
    });
  });
}

function summarizeMeasurement(m: Measurement, where: string): Summary {
  return summarize(m.samples, { label: `${where}: ${m.workload}/${m.path}/${m.metric}` });
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
  c: FigureComparison,
  tolerance: number,
  consequence: string,
): string {
  const ci = c.relativeDifferenceCi;
  const diff =
    c.relativeDifference === null
      ? ''
      : `${fmtRelative(c.relativeDifference)}${ci ? ` [${fmtRelative(ci[0])}, ${fmtRelative(ci[1])}]` : ''}, `;
  return (
    `${rowTitle(row)}: the baseline path measured ${fmtNumber(cand.value)} ${row.unit} for ${candidate} ` +
    `against ${fmtNumber(base.value)} ${row.unit} for ${against} (${diff}beyond the ±${(tolerance * 100).toFixed(0)}% tolerance with its ${Math.round(c.ciLevel * 100)}% interval) — ` +
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

/** The sequential design a measurement was sampled with (absent: a fixed number of blocks). */
function sequentialDesignOf(m: Measurement): (SequentialDesign & { final: boolean }) | undefined {
  const a = m.adaptive;
  if (!a || !('rule' in a)) return undefined;
  // Stopped by the budget or at the maximum: not by the data, so the last look spends what is left.
  return { minBlocks: a.minBlocks, maxBlocks: a.maxBlocks, final: a.stopped !== 'decided' };
}

function blocksOf(m: Measurement): number[] | undefined {
  return m.schedule?.map((p) => p.block);
}

function compareSources(runs: readonly CandidateSource[], opts: CompareRunsOptions): CompareReport {
  const {
    alpha = 0.05,
    margin = DEFAULT_MARGIN,
    adjust = 'bh',
    driftTolerance = DEFAULT_DRIFT_TOLERANCE,
  } = opts;
  if (!(alpha > 0 && alpha < 0.5)) throw new InputError(`alpha must be between 0 and 0.5 (got ${alpha})`);
  if (!(margin >= 0 && margin < 1)) throw new InputError(`margin must be from 0 to below 1 (got ${margin})`);
  for (const r of runs) validateSamples(r);
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

  // The family: one comparison per figure (row that is not an environment check) and candidate.
  let m = 0;
  for (const key of order) {
    const b = byCandidate.get(baseline)?.get(key);
    if (!b || b.path === 'baseline') continue;
    m += cands.filter((c) => c.id !== baseline && byCandidate.get(c.id)?.has(key)).length;
  }
  const mdeLevel = alpha / Math.max(1, m);

  const summaries = new Map<Measurement, Summary>();
  const summaryOf = (meas: Measurement, cand: ComparedCandidate) => {
    let s = summaries.get(meas);
    if (!s) {
      s = summarizeMeasurement(meas, `${cand.source} candidate ${cand.name}`);
      summaries.set(meas, s);
    }
    return s;
  };

  const rows: CompareRow[] = [];
  const drift: DriftNotice[] = [];
  const family: Array<{ f: CandidateFigure; name: string; higherIsBetter: boolean }> = [];
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
      meas: Measurement,
      cand: ComparedCandidate,
    ): { samples: number[]; blocks?: number[]; paired: boolean } | null => {
      if (environmentCheck) return { samples: meas.samples, blocks: blocksOf(meas), paired: false };
      if (pairRatios(meas))
        return { samples: meas.paired?.samples ?? [], blocks: blocksOf(meas), paired: true };
      const bm = baselinePath.get(cand.id)?.get(pathlessKey(meas));
      if (!bm) return null;
      summaryOf(bm, cand);
      return { samples: bm.samples, blocks: blocksOf(bm), paired: false };
    };
    const baseRatios = baseM ? pairRatios(baseM) : null;
    const baseBaseline = baseM ? baselineSeries(baseM, baseCand) : null;
    const figures: CandidateFigure[] = present.map((c) => {
      const meas = byCandidate.get(c.id)?.get(key);
      if (!meas) throw new Error(`lost measurement ${key} of ${c.id}`);
      const s = summaryOf(meas, c);
      const fig = figureValue(meas.samples, statistic);
      const bm = meas.path === 'baseline' ? undefined : baselinePath.get(c.id)?.get(pathlessKey(meas));
      if (bm) summaryOf(bm, c);
      const bval = bm ? figureValue(bm.samples, statistic).value : 0;
      const ratios = pairRatios(meas);
      const out: CandidateFigure = {
        candidate: c.id,
        statistic,
        value: fig.value,
        ci: fig.ci,
        n: meas.samples.length,
        outliers: s.outliers.length,
        ofBaselinePath: bm && bval !== 0 ? fig.value / bval : null,
        ...(ratios ? { normalized: figureValue(ratios, statistic) } : {}),
        ...(ratios && meas.paired ? { pairedBaseline: figureValue(meas.paired.samples, statistic) } : {}),
        ...(meas.adaptive ? { adaptive: meas.adaptive } : {}),
      };
      if (!baseM || c.id === baseline) return out;
      summaryOf(baseM, baseCand);
      // The design decides the test and its basis, before any value is looked at.
      const design: Design =
        c.runId === baseCand.runId && c.source === baseCand.source && meas.schedule && baseM.schedule
          ? 'paired'
          : 'unpaired';
      const basis: 'absolute' | 'normalized' =
        design === 'unpaired' && ratios && baseRatios ? 'normalized' : 'absolute';
      const fcOpts = {
        higherIsBetter: meas.higherIsBetter,
        alpha,
        margin,
        design,
        mdeLevel,
        ...(design === 'paired' ? { sequential: sequentialDesignOf(meas) ?? sequentialDesignOf(baseM) } : {}),
      };
      if (fcOpts.sequential === undefined) delete fcOpts.sequential;
      const seriesOf = (x: Measurement, r: number[] | null) =>
        basis === 'normalized' && r ? { samples: r } : { samples: x.samples, blocks: blocksOf(x) };
      // Drift: the candidates' baseline series differ beyond the tolerance, interval and all.
      const own = baselineSeries(meas, c);
      let driftFinding: DriftFinding | undefined;
      if (own && baseBaseline && own.samples.length > 0 && baseBaseline.samples.length > 0) {
        const d = compareFigure(baseBaseline, own, {
          ...fcOpts,
          margin: driftTolerance,
          ...(design === 'paired' && own.blocks && baseBaseline.blocks
            ? {}
            : { design: 'unpaired' as const }),
        });
        const dci = d.relativeDifferenceCi;
        if (dci && (dci[0] > driftTolerance || dci[1] < -driftTolerance)) {
          const baseFig = figureValue(baseBaseline.samples, statistic);
          const ownFig = figureValue(own.samples, statistic);
          const consequence = environmentCheck
            ? 'on the same hardware: the environment changed between the candidates’ measurements'
            : design === 'paired'
              ? 'drift common to both candidates cancels within their shared blocks, so the verdict stands; a lasting difference between their own baselines means something else on the machine differed'
              : basis === 'normalized'
                ? 'the verdict rests on the per-turn ratios to the paired baseline, which absorb it'
                : 'the absolute difference is confounded by environment drift and there is no paired baseline to normalize it, so the verdict is inconclusive';
          driftFinding = {
            relativeDifference: d.relativeDifference,
            ci: dci,
            p: d.p,
            tolerance: driftTolerance,
            paired: own.paired && baseBaseline.paired,
            sentence: driftSentence(rowInfo, c.id, baseline, baseFig, ownFig, d, driftTolerance, consequence),
          };
          out.drift = driftFinding;
          drift.push({ key, id: meas.id, candidate: c.id, against: baseline, finding: driftFinding });
        }
      }
      if (environmentCheck) return out;
      out.comparison = compareFigure(seriesOf(baseM, baseRatios), seriesOf(meas, ratios), fcOpts);
      out.verdictBasis = basis;
      family.push({
        f: out,
        name: `${rowTitle(rowInfo)}: ${c.id} vs ${baseline}`,
        higherIsBetter: meas.higherIsBetter,
      });
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

  // Multiple-comparison control over the one comparison of every figure, then the verdicts.
  const pAdj = adjustPValues(
    family.map((x) => x.f.comparison?.p ?? null),
    adjust,
  );
  const eqAdj = adjustPValues(
    family.map((x) => x.f.comparison?.pEquivalence ?? null),
    adjust,
  );
  const discoveries: string[] = [];
  const tally = emptyTally();
  family.forEach(({ f, name, higherIsBetter }, i) => {
    const c = f.comparison;
    if (!c) return;
    c.pAdjusted = pAdj[i] ?? null;
    c.pEquivalenceAdjusted = eqAdj[i] ?? null;
    c.verdict = decide(c, higherIsBetter, c.pAdjusted, c.pEquivalenceAdjusted);
    if (
      c.verdict === 'inconclusive' &&
      !c.note &&
      c.p !== null &&
      c.p < alpha &&
      c.pAdjusted !== null &&
      c.pAdjusted >= alpha
    ) {
      // Stated from the adjusted p itself, so it agrees with Holm's step-down (and BH's step-up).
      c.note = `significant before adjustment (p = ${fmtP(c.p)}), not after ${ADJUST_LABELS[adjust]} over ${m} comparisons (adjusted p = ${fmtP(c.pAdjusted)})`;
    }
    if (f.drift && f.verdictBasis === 'absolute' && c.design === 'unpaired') {
      f.verdict = 'inconclusive';
      f.verdictNote = 'confounded by environment drift; no paired baseline to normalize by';
    } else f.verdict = c.verdict;
    if (f.verdict === 'better' || f.verdict === 'worse') discoveries.push(`${name}: ${f.verdict}`);
    tally[f.verdict]++;
  });
  return {
    candidates: cands,
    baseline,
    alpha,
    margin,
    adjust,
    driftTolerance,
    comparisons: m,
    mdeLevel,
    discoveries,
    tally,
    warnings: [],
    drift,
    rows,
  };
}
