/**
 * Performance indicators from measurements. Each is normalised to 0–100 as documented in
 * docs/scoring.md: throughput as a ratio to the bare baseline path (capped at 100), latency,
 * connection rate and programming latency relative to the best candidate, and the policy-scale
 * retention (value at the largest policy count relative to no policies); the cost figures (CPU per
 * Gbit, per thousand connections, per transaction; dataplane memory per thousand policies) relative
 * to the cheapest candidate. Given `ties`, a candidate
 * whose figure is equivalent to the best candidate's, or not shown to differ from it, gets the best
 * candidate's score for that figure (scoring/ties.ts).
 */
import type { CandidateResult, Measurement } from '../results/schema.js';
import { isCostMetric } from '../results/cost-metrics.js';
import { medianOf } from '../stats/quantile.js';
import type { Ties } from './ties.js';

export interface PerfValue {
  score: number | null;
  raw: string;
  note?: string;
}

function paramKey(m: Measurement): string {
  const entries = Object.entries(m.parameters)
    .filter(([k]) => k !== 'path')
    .sort(([a], [b]) => a.localeCompare(b));
  return `${m.metric}|${entries.map(([k, v]) => `${k}=${v}`).join(',')}`;
}

function groupKey(m: Measurement): string {
  return `${m.path}|${paramKey(m)}`;
}

/**
 * Measurements of the plain workloads: not the baseline path, not at a policy count, not programming.
 * `atPolicyCounts`: the figures of the policy-scale sweep instead (dataplane memory per policy).
 */
function plain(c: CandidateResult, metric: string, atPolicyCounts = false): Measurement[] {
  return c.measurements.filter(
    (m) =>
      m.metric === metric &&
      m.path !== 'baseline' &&
      m.summary.n > 0 &&
      (atPolicyCounts
        ? m.parameters.policies !== undefined
        : m.workload !== 'policy-programming' && m.parameters.policies === undefined),
  );
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (x: number, digits = 2) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));

/** Throughput: median / baseline median with the same metric and parameters, ×100, capped at 100. */
export function throughputVsBaseline(
  c: CandidateResult,
  all: readonly CandidateResult[],
  ties?: Ties,
): PerfValue {
  const ms = plain(c, 'throughput');
  if (ms.length === 0) return { score: null, raw: 'not measured' };
  const ratioOf = (o: CandidateResult, m: Measurement): number | null => {
    const b = [o, ...all.filter((x) => x !== o)]
      .flatMap((x) => x.measurements.filter((y) => y.path === 'baseline' && y.metric === 'throughput'))
      .find((x) => paramKey(x) === paramKey(m));
    return b && b.summary.median > 0 ? m.summary.median / b.summary.median : null;
  };
  const ratios: number[] = [];
  for (const m of ms) {
    let r = ratioOf(c, m);
    if (r === null) continue;
    // A candidate tied with the best one on this figure gets the best one's ratio.
    for (const o of all) {
      const om = plain(o, 'throughput').find((x) => groupKey(x) === groupKey(m));
      const or = om ? ratioOf(o, om) : null;
      if (om && or !== null && or > r && ties?.(o.name, c.name, om)) r = or;
    }
    ratios.push(r);
  }
  if (ratios.length === 0) {
    return relativeToBest(
      c,
      all,
      'throughput',
      'median',
      true,
      'no baseline measured: relative to the best candidate',
      ties,
    );
  }
  const scores = ratios.map((r) => Math.min(100, 100 * r));
  return {
    score: mean(scores),
    raw: `${fmt(mean(ratios))} × baseline (mean of ${ratios.length})`,
  };
}

/**
 * Relative to the best candidate measured in the same group (path + parameters): 100 × value/best
 * when higher is better, 100 × best/value when lower is better; the mean over the candidate's groups.
 */
export function relativeToBest(
  c: CandidateResult,
  all: readonly CandidateResult[],
  metric: string,
  stat: 'median' | 'p99',
  higherIsBetter: boolean,
  note?: string,
  ties?: Ties,
  atPolicyCounts = false,
): PerfValue {
  const mine = plain(c, metric, atPolicyCounts);
  const [first] = mine;
  if (first === undefined) return { score: null, raw: 'not measured' };
  const scores: number[] = [];
  const values: number[] = [];
  for (const m of mine) {
    const peers = all.flatMap((o) =>
      plain(o, metric, atPolicyCounts)
        .filter((x) => groupKey(x) === groupKey(m) && x.summary[stat] > 0)
        .map((x) => ({ o, x })),
    );
    const v = m.summary[stat];
    const best = peers.reduce<(typeof peers)[number] | undefined>((b, p) => {
      if (!b) return p;
      const better = higherIsBetter
        ? p.x.summary[stat] > b.x.summary[stat]
        : p.x.summary[stat] < b.x.summary[stat];
      return better ? p : b;
    }, undefined);
    if (v <= 0 || !best) continue;
    const bv = best.x.summary[stat];
    // Tied with the best candidate (equivalent, or no difference shown): the best candidate's score.
    const tied = best.o !== c && ties?.(best.o.name, c.name, best.x);
    scores.push(tied ? 100 : higherIsBetter ? (100 * v) / bv : (100 * bv) / v);
    values.push(v);
  }
  if (scores.length === 0) return { score: null, raw: 'no positive values' };
  return {
    score: mean(scores),
    raw: `${stat} ${fmt(mean(values))} ${first.unit} (${fmt(mean(scores), 0)}% of best, ${scores.length} group${scores.length > 1 ? 's' : ''})`,
    note,
  };
}

/** Median programming latency: the policy-programming workload, else the conformance cases' latencies. */
function programmingLatencyMs(c: CandidateResult): number | null {
  const ms = c.measurements.filter((m) => m.metric === 'programming-latency' && m.summary.n > 0);
  if (ms.length > 0) {
    // Prefer the smallest policy count: it is what a single policy change costs.
    const fewest = ms.reduce((a, b) =>
      Number(b.parameters.policies ?? 0) < Number(a.parameters.policies ?? 0) ? b : a,
    );
    return fewest.summary.median;
  }
  const lat = (c.conformance?.caseResults ?? [])
    .map((r) => r.programmingLatencyMs)
    .filter((x): x is number => x !== null && x >= 0);
  return lat.length === 0 ? null : medianOf(lat);
}

export function programmingLatencyScore(c: CandidateResult, all: readonly CandidateResult[]): PerfValue {
  const v = programmingLatencyMs(c);
  if (v === null) return { score: null, raw: 'not measured' };
  const vals = all.map(programmingLatencyMs).filter((x): x is number => x !== null && x > 0);
  if (v <= 0) return { score: 100, raw: `${fmt(v)} ms (best)` };
  const best = Math.min(...vals);
  return { score: (100 * best) / v, raw: `median ${fmt(v)} ms (best ${fmt(best)} ms)` };
}

/**
 * Policy-scale retention: for each metric measured at several policy counts, the value at the largest
 * count relative to the smallest (inverted for lower-is-better), ×100 capped at 100; the mean.
 */
export function policyScaleRetention(c: CandidateResult): PerfValue {
  // Cost figures (CPU per unit, memory per policy) are scored by their own indicators.
  const ms = c.measurements.filter(
    (m) =>
      m.parameters.policies !== undefined &&
      m.metric !== 'programming-latency' &&
      !isCostMetric(m.metric) &&
      m.summary.n > 0,
  );
  const byMetric = new Map<string, Measurement[]>();
  for (const m of ms) {
    const k = `${m.metric}|${m.path}`;
    byMetric.set(k, [...(byMetric.get(k) ?? []), m]);
  }
  const ratios: number[] = [];
  for (const group of byMetric.values()) {
    if (group.length < 2) continue;
    const sorted = [...group].sort((a, b) => Number(a.parameters.policies) - Number(b.parameters.policies));
    const [fewest] = sorted;
    const most = sorted.at(-1);
    if (!fewest || !most) continue;
    const lo = fewest.summary.median;
    const hi = most.summary.median;
    if (lo <= 0 || hi <= 0) continue;
    ratios.push(fewest.higherIsBetter ? hi / lo : lo / hi);
  }
  if (ratios.length === 0) return { score: null, raw: 'not measured' };
  const r = mean(ratios);
  return {
    score: Math.min(100, 100 * r),
    raw: `${fmt(r)} retained at the largest policy count (${ratios.length} metrics)`,
  };
}
