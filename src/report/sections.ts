/**
 * The report's content as blocks: executive summary, scores, sensitivity, feature matrix, standards
 * fit, conformance per tag with failing truth tables, the admin tier, performance, policy scale, evidence per
 * indicator, facts, provenance and the scenario as run. Candidates are always named by their label
 * ("local reference profile (routed)", never "Calico" for a stand-in).
 */
import { stringify } from 'yaml';
import { describeAdminTierApis } from '../results/admin-tier-apis.js';
import { originSource, originTitle } from '../results/origin.js';
import type { AdminTierApisRecord, CandidateResult, CaseResult, Measurement } from '../results/schema.js';
import { ADMIN_TIER_API_TITLE, adminTierResults, readAdminTier } from '../scoring/admin-tier.js';
import { allTags, isNetworkPolicyCase, tallyCases } from '../scoring/features.js';
import type { FeatureCell, ScoreSeparation } from '../scoring/types.js';
import type { Block, Cell } from './blocks.js';
import { aaSentence } from '../compare/format.js';
import { comparisonBlocks } from './comparison.js';
import { COST_CHART_ID, costBlocks } from './cost.js';
import { isCostMetric } from '../results/cost-metrics.js';
import { plantedSentence } from './planted.js';
import { policyChangeBlocks } from './policy-change.js';
import { SCALE_FIGURES, scaleChartId } from './scale-charts.js';
import { ci, num, pct, score, scoreWithInterval } from './format.js';
import { figureCells, figureTable } from './figure-table.js';
import { hasConformance, isCheckReport, labelOf, type ReportModel } from './model.js';

const STATUS: Record<FeatureCell['status'], string> = {
  supported: '✔ supported',
  partial: '◐ partial',
  unsupported: '✘ not supported',
  unknown: '? unknown',
  'not-measured': 'not measured',
  'not-applicable': 'n/a',
  observed: '●',
};

const FIT: Record<string, string> = {
  met: '✔ met',
  'not-met': '✘ not met',
  unknown: '? unknown',
  'not-applicable': 'n/a',
};

export const CHART_IDS = {
  throughput: 'throughput',
  latency: 'latency',
  heatmap: 'conformance-heatmap',
  adminHeatmap: 'admin-tier-heatmap',
  caseProgramming: 'conformance-programming-latency',
  cost: COST_CHART_ID,
  radar: (name: string) => `criteria-${name}`,
  activity: 'project-activity',
  releases: 'release-timeline',
};

function summaryBlocks(m: ReportModel): Block[] {
  const s = m.scoring;
  const out: Block[] = [{ kind: 'heading', level: 2, text: 'Executive summary', id: 'summary' }];
  const winner = s.candidates.find((c) => c.name === s.winner);
  const leader = s.candidates.find((c) => c.name === s.leader);
  const sep = s.separation;
  const decisive = s.decisiveCriteria
    .slice(0, 3)
    .map((d) => `${d.criterion} (+${d.contribution.toFixed(1)} points)`);
  if (winner) {
    out.push({
      kind: 'p',
      tone: 'summary',
      text:
        `${s.referenceOnly ? 'Best reference profile (a rehearsal of the method, not a decision)' : 'Winner'}: ${winner.label} with a score of ${scoreWithInterval(winner.total, winner.totalInterval)} / 100 at ${pct(winner.confidence)} confidence` +
        ` (share of indicator weight backed by data).` +
        (sep
          ? ` Ahead of ${labelOf(m, sep.runnerUp)} by ${differenceText(sep)}, separated once measurement uncertainty is counted.`
          : '') +
        (decisive.length > 0 ? ` Decisive criteria against the runner-up: ${decisive.join(', ')}.` : ''),
    });
  } else if (leader && sep) {
    out.push({
      kind: 'p',
      tone: 'summary',
      text:
        `No ${s.referenceOnly ? 'best reference profile' : 'winner'}: ${leader.label} (${scoreWithInterval(leader.total, leader.totalInterval)}) and ${labelOf(m, sep.runnerUp)} (${runnerUpScore(m, sep.runnerUp)}) are not separated. ` +
        `Their totals differ by ${differenceText(sep)}: the measurements cannot exclude a difference anywhere in that range, ` +
        `and ${leader.label} ranks first in ${firstShareText(sep)}.` +
        (decisive.length > 0 ? ` Point estimates favour ${leader.label} on ${decisive.join(', ')}.` : ''),
    });
  } else {
    out.push({
      kind: 'p',
      tone: 'summary',
      text: 'No candidate could be scored: no criterion had comparable data.',
    });
  }
  const shift = s.sensitivity.minimalShift;
  if (shift) {
    out.push({
      kind: 'p',
      text: `Sensitivity: moving ${num(shift.amount)} weight points (${pct(shift.share)} of all weight) from ${shift.from.map((f) => f.criterion).join(' and ')} to ${shift.to} would make ${labelOf(m, shift.newWinner)} tie with the ${winner ? 'winner' : 'leader'}.`,
    });
  } else if (leader) out.push({ kind: 'p', text: `Sensitivity: ${s.sensitivity.note}.` });
  const admin = adminTierSentence(m);
  if (admin) out.push({ kind: 'p', text: admin });
  for (const w of s.warnings) out.push({ kind: 'p', tone: 'warning', text: w });
  return out;
}

const VERDICT_WORDS = {
  supported: 'supported, conformance passed',
  failing: 'conformance failed',
  unsupported: 'not enforced',
  'not-measured': 'not measured',
} as const;

/** One sentence on the admin tier (SCS-0219 SHOULD), when any candidate ran its conformance cases. */
function adminTierSentence(m: ReportModel): string | undefined {
  const cands = m.candidates.filter((c) => adminTierResults(c).length > 0);
  if (cands.length === 0) return undefined;
  const parts = cands.map((c) => {
    const r = readAdminTier(c);
    return `${c.label}: ${VERDICT_WORDS[r.verdict]} (${r.evidence})`;
  });
  return `Admin tier (ClusterNetworkPolicy or AdminNetworkPolicy/BaselineAdminNetworkPolicy, an SCS-0219 SHOULD), measured: ${parts.join('; ')}.`;
}

function differenceText(sep: ScoreSeparation): string {
  const f = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(1)}`;
  if (sep.resamples === 0)
    return `${f(sep.difference)} points (facts and single measurements only: no sampling interval)`;
  const tied = `${f(sep.difference)} points (95 % interval ${f(sep.interval.lo)} to ${f(sep.interval.hi)})`;
  const u = sep.untiedInterval;
  return u.lo === sep.interval.lo && u.hi === sep.interval.hi
    ? tied
    : `${tied}; if the figures the comparison could not tell apart differed as their medians do, ${f(u.lo)} to ${f(u.hi)}`;
}

/**
 * How often the leader ranks first. It is counted over the replicates in which the figures the
 * comparison could not tell apart differ as their medians do (score.ts), so say so where those
 * replicates give another interval than the tied ones: the leader on tied totals can rank first in
 * none of them.
 */
function firstShareText(sep: ScoreSeparation): string {
  const u = sep.untiedInterval;
  const same = u.lo === sep.interval.lo && u.hi === sep.interval.hi;
  return same
    ? `${pct(sep.leaderFirstShare)} of ${sep.resamples} block-bootstrap replicates`
    : `${pct(sep.leaderFirstShare)} of ${sep.resamples} block-bootstrap replicates in which those figures differ as their medians do`;
}

function runnerUpScore(m: ReportModel, name: string): string {
  const c = m.scoring.candidates.find((x) => x.name === name);
  return c ? scoreWithInterval(c.total, c.totalInterval) : '—';
}

function scoreBlocks(m: ReportModel): Block[] {
  const s = m.scoring;
  const criteria = Object.keys(s.weights);
  const rows: Cell[][] = [...s.candidates]
    .sort((a, b) => (a.rank ?? 99) - (b.rank ?? 99))
    .map((c) => [
      c.rank === null ? (c.eligible ? '—' : 'not ranked') : String(c.rank),
      c.label,
      scoreWithInterval(c.total, c.totalInterval),
      pct(c.confidence),
      ...criteria.map((k) => {
        const x = c.criteria.find((y) => y.criterion === k);
        return x ? `${scoreWithInterval(x.score, x.interval)} (${pct(x.coverage)} data)` : '—';
      }),
    ]);
  const out: Block[] = [
    { kind: 'heading', level: 2, text: 'Scores', id: 'scores' },
    {
      kind: 'p',
      text: 'Each criterion is the weighted mean of its indicators (0–100); the total is the weighted mean of the compared criteria. Brackets give the 95 % interval over block-bootstrap replicates of the measurements (facts carry no sampling noise). Confidence is the share of all indicator weight with data for the candidate. Indicators without data for every compared candidate are left out for all of them, never scored as zero.',
    },
    {
      kind: 'table',
      headers: ['Rank', 'Candidate', 'Total', 'Confidence', ...criteria],
      rows,
      align: ['right', 'left', 'right', 'right', ...criteria.map(() => 'right' as const)],
    },
    {
      kind: 'table',
      headers: ['Criterion', 'Weight', 'In the totals'],
      rows: criteria.map((k) => {
        const ex = s.excludedCriteria.find((e) => e.criterion === k);
        return [k, num(s.weights[k]), ex ? `no: ${ex.reason}` : 'yes'];
      }),
      align: ['left', 'right', 'left'],
    },
  ];
  for (const c of s.candidates.filter((c) => c.notApplicable)) {
    out.push({ kind: 'p', tone: 'note', text: `${c.label}: ${c.notApplicable}` });
  }
  if (s.excludedIndicators.length > 0) {
    out.push({ kind: 'p', text: 'Indicators left out of the comparison (missing data):' });
    out.push({
      kind: 'list',
      items: s.excludedIndicators.map(
        (e) => `${e.indicator}: no data for ${e.missingFor.map((n) => labelOf(m, n)).join(', ')}`,
      ),
    });
  }
  out.push({ kind: 'chart', id: 'radar-all', title: 'Criteria per candidate' });
  for (const c of s.candidates)
    out.push({ kind: 'chart', id: CHART_IDS.radar(c.name), title: `Criteria: ${c.label}` });
  return out;
}

function sensitivityBlocks(m: ReportModel): Block[] {
  const s = m.scoring.sensitivity;
  const out: Block[] = [{ kind: 'heading', level: 2, text: 'Sensitivity analysis', id: 'sensitivity' }];
  if (s.minimalShift) {
    const sh = s.minimalShift;
    // Weights move the point-estimate order; it names a winner only when the scores separate.
    const top = m.scoring.winner ? 'the winner' : 'the leader on point estimates (no winner is named)';
    out.push({
      kind: 'p',
      text: `Smallest change of weights that changes ${top} (${s.note}): move ${num(sh.amount)} weight points in total — ${sh.from.map((f) => `${num(f.amount)} from ${f.criterion}`).join(', ')} — to ${sh.to}. Then ${labelOf(m, sh.newWinner)} ties with ${labelOf(m, s.winner ?? '')}; any further shift puts it ahead. That is ${pct(sh.share)} of the total weight (L1 distance of the normalised weights ${num(2 * sh.share)}).`,
    });
  } else out.push({ kind: 'p', text: s.note });
  const sep = m.scoring.separation;
  if (sep) {
    out.push({
      kind: 'p',
      text:
        sep.resamples > 0
          ? `Measurement uncertainty: over ${sep.resamples} block-bootstrap replicates of the measurements (seed ${sep.seed}), ${labelOf(m, sep.leader)} ranks first in ${firstShareText(sep)}; its lead over ${labelOf(m, sep.runnerUp)} is ${differenceText(sep)}, so the order is ${sep.separated ? 'separated' : 'not separated'}.`
          : `Measurement uncertainty: no measurement has more than one sample, so the totals carry no sampling interval; the lead of ${labelOf(m, sep.leader)} over ${labelOf(m, sep.runnerUp)} is ${differenceText(sep)}.`,
    });
  }
  out.push({ kind: 'p', text: 'Ranking under each criterion alone:' });
  out.push({
    kind: 'table',
    headers: ['Criterion', 'Ranking (score)'],
    rows: s.perCriterion.map((p) => [
      p.criterion,
      p.ranking.length === 0
        ? 'no data'
        : p.ranking.map((r) => `${labelOf(m, r.name)} (${score(r.score)})`).join(' > '),
    ]),
  });
  return out;
}

function featureBlocks(m: ReportModel): Block[] {
  const f = m.scoring.features;
  const names = f.candidates.map((c) => c.name);
  const rows: Cell[][] = f.features.map((feat) => [
    `${feat.title} (${feat.origin})`,
    ...f.candidates.map((c) => {
      const cell = c.cells.find((x) => x.feature === feat.id);
      if (cell === undefined) return '—';
      const text = `${STATUS[cell.status]}${cell.origin === 'measured' && cell.detail ? `: ${cell.detail}` : ''}`;
      return cell.source ? { text, href: cell.source } : text;
    }),
  ]);
  return [
    { kind: 'heading', level: 2, text: 'Feature matrix', id: 'features' },
    {
      kind: 'p',
      text: 'Measured rows come from the conformance run (pass rate per suite tag over non-skipped cases; a skipped case is "not measured", not a failure). Declared rows come from the facts file; each links to its source.',
    },
    { kind: 'table', headers: ['Feature', ...names.map((n) => labelOf(m, n))], rows },
  ];
}

function standardsBlocks(m: ReportModel): Block[] {
  const st = m.scoring.standards;
  const checks = st.candidates[0]?.checks ?? [];
  return [
    { kind: 'heading', level: 2, text: `Standards fit: ${st.title}`, id: 'standards' },
    { kind: 'list', items: [{ text: `${st.standard}: ${st.url}`, href: st.url }] },
    {
      kind: 'table',
      headers: ['Requirement', ...st.candidates.map((c) => labelOf(m, c.name))],
      rows: checks.map((chk) => [
        `${chk.requirement}: ${chk.text}`,
        ...st.candidates.map((c) => {
          const x = c.checks.find((y) => y.id === chk.id);
          if (x === undefined) return '—';
          const text = `${FIT[x.status]} — ${x.evidence}`;
          return x.source ? { text, href: x.source } : text;
        }),
      ]),
    },
  ];
}

/** "✔ 12/12, 3 skipped" for one tag's cases. */
function tagCell(t: ReturnType<typeof tallyCases>): string {
  const run = t.passed + t.failed;
  if (run + t.skipped + t.unsupported === 0) return '—';
  const extra = [
    t.skipped > 0 ? `${t.skipped} skipped` : '',
    t.unsupported > 0 ? `${t.unsupported} unsupported` : '',
  ]
    .filter(Boolean)
    .map((x) => `, ${x}`)
    .join('');
  return run === 0 ? `not measured${extra}` : `${t.failed === 0 ? '✔' : '✘'} ${t.passed}/${run}${extra}`;
}

function conformanceBlocks(m: ReportModel): Block[] {
  const withConf = m.candidates.filter(hasConformance);
  if (withConf.length === 0) return [];
  const out: Block[] = [
    { kind: 'heading', level: 2, text: 'Conformance', id: 'conformance' },
    {
      kind: 'table',
      headers: ['Candidate', 'Cases', 'Passed', 'Failed', 'Skipped', 'Unsupported', 'Duration (s)'],
      rows: withConf.map((c) => {
        const k = c.conformance;
        return [
          c.label,
          String(k.cases),
          String(k.passed),
          String(k.failed),
          String(k.skipped),
          String(k.unsupported ?? 0),
          num(k.durationMs / 1000),
        ];
      }),
      align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    },
    {
      kind: 'heading',
      level: 3,
      text: 'NetworkPolicy per tag (passed / run, skipped); the admin tier has its own section',
    },
    {
      kind: 'table',
      headers: ['Tag', ...withConf.map((c) => c.label)],
      rows: allTags(withConf, isNetworkPolicyCase).map((tag) => [
        tag,
        ...withConf.map((c) =>
          tagCell(
            tallyCases(c.conformance.caseResults, (r) => isNetworkPolicyCase(r) && r.tags.includes(tag)),
          ),
        ),
      ]),
    },
    { kind: 'chart', id: CHART_IDS.heatmap, title: 'Conformance pass rate by tag' },
    {
      kind: 'chart',
      id: CHART_IDS.caseProgramming,
      title: 'Policy programming latency of the conformance cases',
    },
  ];
  for (const c of withConf) {
    const failed = c.conformance.caseResults.filter((r) => r.status === 'fail');
    if (failed.length === 0) continue;
    out.push({ kind: 'heading', level: 3, text: `Failing cases: ${c.label}` });
    // Cases failed by the NetworkPolicy canary, not probed: one reason for all, listed once.
    const notProbed = failed.filter((f) => f.failReason !== undefined);
    const reasons = [...new Set(notProbed.map((f) => f.failReason ?? ''))];
    for (const reason of reasons) {
      const names = notProbed.filter((f) => f.failReason === reason).map((f) => f.name);
      out.push({
        kind: 'p',
        text: `${names.length} case${names.length === 1 ? '' : 's'} failed without being probed: ${reason}. Cases: ${names.join(', ')}.`,
      });
    }
    for (const f of failed.filter((x) => x.failReason === undefined)) {
      out.push({ kind: 'heading', level: 4, text: f.name });
      out.push({
        kind: 'p',
        text: `Tags: ${f.tags.join(', ') || '—'}. Probes: ${f.probes}. ${f.mismatches.length} mismatch${f.mismatches.length === 1 ? '' : 'es'} in the last probe round (expected by the model vs observed):`,
      });
      out.push({
        kind: 'table',
        headers: ['From', 'To', 'Port', 'Expected', 'Observed', 'Detail'],
        rows: f.mismatches.map((x) => [
          x.from,
          x.to,
          `${x.port}/${x.protocol}`,
          x.expected ? 'allow' : 'deny',
          x.observed ? 'allow' : 'deny',
          x.detail ?? '',
        ]),
      });
    }
  }
  const skipped = withConf.flatMap((c) =>
    c.conformance.caseResults.filter((r) => r.status === 'skip').map((r) => ({ c, r })),
  );
  if (skipped.length > 0) {
    out.push({ kind: 'heading', level: 3, text: 'Skipped cases (not measured)' });
    out.push({
      kind: 'table',
      headers: ['Candidate', 'Case', 'Reason'],
      rows: skipped.map(({ c, r }) => [c.label, r.name, r.skipReason ?? '']),
    });
  }
  return out;
}

const isScale = (x: Measurement) => x.parameters.policies !== undefined || x.metric === 'programming-latency';

function baselineRatio(c: CandidateResult, all: CandidateResult[], x: Measurement): string {
  if (x.path === 'baseline') return '1 (baseline)';
  const key = (y: Measurement) =>
    `${y.metric}|${Object.entries(y.parameters)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`)
      .join(',')}`;
  const b = [c, ...all]
    .flatMap((o) => o.measurements)
    .find((y) => y.path === 'baseline' && key(y) === key(x));
  return b && b.summary.median > 0 ? `${num(x.summary.median / b.summary.median)} ×` : '—';
}

/**
 * The admin tier: per candidate and API version what ran and passed, a pass-rate heat map by tag
 * over the admin-tier cases, and every unsupported case with its reason.
 */
function adminTierBlocks(m: ReportModel): Block[] {
  const cands = m.candidates.filter(hasConformance).filter((c) => adminTierResults(c).length > 0);
  if (cands.length === 0) return [];
  const isAdmin = (r: CaseResult) => !isNetworkPolicyCase(r);
  const out: Block[] = [
    {
      kind: 'heading',
      level: 2,
      text: 'Admin tier (ClusterNetworkPolicy, AdminNetworkPolicy)',
      id: 'admin-tier',
    },
    {
      kind: 'p',
      text: 'The cluster-scoped policy tier of kubernetes-sigs/network-policy-api, evaluated before (Admin tier) and after (Baseline tier) NetworkPolicy: ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, case group cluster-network-policy) and its predecessors AdminNetworkPolicy/BaselineAdminNetworkPolicy (v1alpha1, group admin-network-policy). Each group transcribes the upstream conformance tests and adds spec-derived cases. A case is unsupported, not failed, when the cluster does not enforce its API version.',
    },
    {
      kind: 'table',
      headers: ['Candidate', 'API version', 'Passed', 'Failed', 'Skipped', 'Unsupported', 'Verdict'],
      rows: cands.flatMap((c) =>
        adminTierResults(c).map((r) => [
          c.label,
          ADMIN_TIER_API_TITLE[r.api],
          String(r.tally.passed),
          String(r.tally.failed),
          String(r.tally.skipped),
          String(r.tally.unsupported),
          r.unsupported
            ? `${r.unsupported.by === 'cluster' ? '✘ not enforced' : 'not measured'}: ${r.unsupported.reason}`
            : r.tally.passed + r.tally.failed === 0
              ? 'not measured'
              : r.tally.failed === 0
                ? '✔ all passed'
                : `✘ ${r.tally.failed} failed`,
        ]),
      ),
      align: ['left', 'left', 'right', 'right', 'right', 'right', 'left'],
    },
    { kind: 'chart', id: CHART_IDS.adminHeatmap, title: 'Admin tier: pass rate by tag' },
    { kind: 'heading', level: 3, text: 'Admin tier per tag (passed / run, skipped, unsupported)' },
    {
      kind: 'table',
      headers: ['Tag', ...cands.map((c) => c.label)],
      rows: allTags(cands, isAdmin).map((tag) => [
        tag,
        ...cands.map((c) =>
          tagCell(tallyCases(c.conformance.caseResults, (r) => isAdmin(r) && r.tags.includes(tag))),
        ),
      ]),
    },
  ];
  const unsupported = cands.flatMap((c) =>
    c.conformance.caseResults.filter((r) => r.status === 'unsupported').map((r) => ({ c, r })),
  );
  if (unsupported.length > 0) {
    out.push({ kind: 'heading', level: 3, text: 'Unsupported cases' });
    out.push({
      kind: 'table',
      headers: ['Candidate', 'Case', 'Reason'],
      rows: unsupported.map(({ c, r }) => [c.label, r.name, r.unsupportedReason ?? '']),
    });
  }
  return out;
}

function performanceBlocks(m: ReportModel): Block[] {
  // Cost figures have their own section (cost.ts).
  const metrics = [
    ...new Set(
      m.candidates.flatMap((c) =>
        c.measurements.filter((x) => !isScale(x) && !isCostMetric(x.metric)).map((x) => x.metric),
      ),
    ),
  ];
  if (metrics.length === 0) return [];
  const out: Block[] = [
    { kind: 'heading', level: 2, text: 'Performance', id: 'performance' },
    {
      kind: 'p',
      text: 'Medians with the 95% bootstrap confidence interval of the median; "× baseline" is the median relative to the bare baseline path measured with the same parameters.',
    },
    { kind: 'chart', id: CHART_IDS.throughput, title: 'Throughput (median, 95% CI)' },
    { kind: 'chart', id: CHART_IDS.latency, title: 'Latency percentiles' },
  ];
  for (const metric of metrics) {
    const rows: Cell[][] = [];
    let unit = '';
    for (const c of m.candidates) {
      for (const x of c.measurements.filter((y) => y.metric === metric && !isScale(y))) {
        unit = x.unit;
        rows.push([
          ...figureCells(c.label, x),
          num(x.summary.p99),
          num(x.summary.cv * 100, 2) + '%',
          baselineRatio(c, m.candidates, x),
          x.tool.version ? `${x.tool.name} ${x.tool.version}` : x.tool.name,
        ]);
      }
    }
    out.push({ kind: 'heading', level: 3, text: `${metric} (${unit})` });
    out.push(
      figureTable(
        [
          ['p99', 'right'],
          ['CV', 'right'],
          ['vs. baseline', 'right'],
          ['Tool', 'left'],
        ],
        rows,
      ),
    );
  }
  return out;
}

function scaleBlocks(m: ReportModel): Block[] {
  const rows: Cell[][] = [];
  for (const c of m.candidates) {
    const xs = c.measurements
      .filter((x) => isScale(x) && !isCostMetric(x.metric))
      .sort(
        (a, b) =>
          a.metric.localeCompare(b.metric) ||
          Number(a.parameters.policies ?? 0) - Number(b.parameters.policies ?? 0),
      );
    for (const x of xs) {
      rows.push([
        c.label,
        x.metric,
        x.path,
        String(x.parameters.policies ?? '—'),
        num(x.summary.median),
        ci(x),
        num(x.summary.p99),
        x.unit,
      ]);
    }
  }
  if (rows.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: 'Policy scale', id: 'scale' },
    {
      kind: 'p',
      text: 'Measurements with a number of NetworkPolicies installed (parameters.policies), and policy programming latency.',
    },
    // Figures the run did not measure have no chart; their blocks render as nothing.
    ...SCALE_FIGURES.map((f): Block => ({
      kind: 'chart',
      id: scaleChartId(f.key),
      title: `${f.heading} vs. policies installed`,
    })),
    {
      kind: 'table',
      headers: ['Candidate', 'Metric', 'Path', 'Policies', 'Median', '95% CI (median)', 'p99', 'Unit'],
      rows,
      align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'left'],
    },
  ];
}

function evidenceBlocks(m: ReportModel): Block[] {
  const out: Block[] = [
    { kind: 'heading', level: 2, text: 'Evidence per indicator', id: 'evidence' },
    {
      kind: 'p',
      text: 'Every indicator with its normalised score, the raw value, and its source. The scales are documented in docs/scoring.md; OSS-health indicators follow the SCS open-source health check (scs-0008, draft).',
    },
  ];
  for (const c of m.scoring.candidates) {
    out.push({ kind: 'heading', level: 3, text: c.label });
    out.push({
      kind: 'table',
      headers: ['Indicator', 'Score', 'Value', 'Source', 'As of', 'Note'],
      rows: c.indicators.map((i) => [
        i.indicator,
        score(i.score),
        i.raw,
        i.source ? (/^https?:\/\//.test(i.source) ? { text: i.source, href: i.source } : i.source) : '—',
        i.asOf ?? '—',
        i.note ?? '',
      ]),
    });
  }
  const defs = m.scoring.indicatorDefinitions;
  out.push({ kind: 'heading', level: 3, text: 'Indicator scales' });
  out.push({
    kind: 'table',
    headers: ['Indicator', 'Criterion', 'Weight', 'Origin', 'Scale'],
    rows: defs.map((d) => [d.id, d.criterion, num(d.weight), d.origin, d.scale]),
  });
  return out;
}

function factsBlocks(m: ReportModel): Block[] {
  const s = m.scoring;
  const out: Block[] = [
    { kind: 'heading', level: 2, text: 'Facts', id: 'facts' },
    {
      kind: 'p',
      text: s.factsFile
        ? `Facts file ${s.factsFile} (factsVersion ${s.factsVersion}); facts older than ${m.scoringConfig.factsMaxAgeDays} days are flagged stale.`
        : 'No facts file was loaded: facts-based indicators have no data.',
    },
  ];
  if (s.staleFacts.length > 0) {
    out.push({
      kind: 'table',
      headers: ['Project', 'Fact', 'As of', 'Age (days)'],
      rows: s.staleFacts.map((f) => [f.project, f.key, f.asOf, String(f.ageDays)]),
    });
  } else if (s.factsFile) out.push({ kind: 'p', text: 'No stale facts.' });
  return out;
}

/** Maturity and OSS-health figures measured from git, with their commit, and the charts. */
function projectHistoryBlocks(m: ReportModel): Block[] {
  if (m.projectHistory.length === 0) return [];
  const out: Block[] = [
    { kind: 'heading', level: 2, text: 'Project activity measured from git', id: 'project-activity' },
    {
      kind: 'p',
      text: 'Measured offline from each project’s own repository with `cnibench facts measure` (docs/scoring.md): pinned to a commit, so anyone with a clone can recompute them.',
    },
  ];
  for (const h of m.projectHistory) {
    const p = h.history.measured;
    out.push({ kind: 'heading', level: 3, text: `${h.label}: ${p.repository}` });
    out.push({
      kind: 'p',
      text: `Commit ${p.commit}, window ${p.window.replace('..', ' to ')}, computed by ${p.by}.`,
    });
    out.push({
      kind: 'table',
      headers: ['Measured fact', 'Value'],
      rows: h.measured.map((f) => [f.key, f.value]),
    });
  }
  out.push({ kind: 'chart', id: CHART_IDS.activity, title: 'Commits and contributors per month' });
  out.push({ kind: 'chart', id: CHART_IDS.releases, title: 'Releases on a time line' });
  return out;
}

function provenanceBlocks(m: ReportModel): Block[] {
  const out: Block[] = [{ kind: 'heading', level: 2, text: 'Provenance', id: 'provenance' }];
  for (const r of m.runs) {
    const p = r.provenance;
    out.push({ kind: 'heading', level: 3, text: `Run ${r.runId}` });
    out.push({
      kind: 'table',
      headers: ['Field', 'Value'],
      rows: [
        [
          r.origin.kind === 'scenario' ? 'Scenario' : 'Check',
          `${originTitle(r.origin)} (${originSource(r.origin)})`,
        ],
        ['Status', r.status],
        ['Candidates', r.candidates.map((n) => labelOf(m, n)).join(', ')],
        ['cnibench', `${p.cnibenchVersion}${p.gitCommit ? ` (${p.gitCommit.slice(0, 12)})` : ''}`],
        [
          'Host',
          `${p.hostname}: ${p.os}, kernel ${p.kernel}, ${p.cpus} × ${p.cpuModel}, ${num(p.memoryBytes / 2 ** 30)} GiB`,
        ],
        ['Node.js', p.nodeVersion],
        [
          'Cluster',
          `${p.cluster.kind}${p.cluster.context ? ` (context ${p.cluster.context})` : ''}${p.cluster.serverVersion ? `, server ${p.cluster.serverVersion}` : ''}${p.cluster.nodes ? `, ${p.cluster.nodes} nodes` : ''}`,
        ],
        [
          'Tools',
          Object.entries(p.tools)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || '—',
        ],
        ['Started', p.startedAt],
        ['Ended', p.endedAt ?? '—'],
        ...(r.analysis?.aa ? [['A/A check', aaSentence(r.analysis.aa)] as Cell[]] : []),
        ...(r.analysis?.planted ? [['Planted check', plantedSentence(r.analysis.planted)] as Cell[]] : []),
      ],
    });
    const cands = m.candidates.filter((c) => m.runOf.get(c.name) === r.runId);
    const errs = cands.flatMap((c) => c.errors.map((e) => [c.label, e.step, e.message] as Cell[]));
    if (errs.length > 0) out.push({ kind: 'table', headers: ['Candidate', 'Step', 'Error'], rows: errs });
    const versions = cands.flatMap((c): Cell[][] =>
      c.installedVersions === undefined
        ? []
        : [
            [
              c.label,
              Object.entries(c.installedVersions)
                .map(([k, v]) => `${k} ${v}`)
                .join(', '),
            ],
          ],
    );
    if (versions.length > 0)
      out.push({ kind: 'table', headers: ['Candidate', 'Installed versions'], rows: versions });
    // Real clusters: what the cluster served of the admin tier, the evidence behind "unsupported by cluster".
    const admin = cands.flatMap((c): Cell[][] =>
      c.adminTierApis === undefined
        ? []
        : [[c.label, describeAdminTierApis(c.adminTierApis), crdList(c.adminTierApis)]],
    );
    if (admin.length > 0)
      out.push({ kind: 'table', headers: ['Candidate', 'Admin-tier APIs', 'CRDs read'], rows: admin });
  }
  return out;
}

/** "clusternetworkpolicies.policy.networking.k8s.io v1alpha2 (v0.2.0, standard)", or "none installed". */
function crdList(r: AdminTierApisRecord): string {
  const installed = r.crds.filter((c) => c.installed);
  if (installed.length === 0) return 'none installed';
  return installed
    .map((c) => {
      const origin = [c.bundleVersion, c.channel].filter(Boolean).join(', ');
      const state = c.established ? '' : ', not Established';
      return `${c.crd} ${c.servedVersions.join('/') || 'no served version'}${origin ? ` (${origin})` : ''}${state}`;
    })
    .join('; ');
}

/** The scenario as run, or for a check what was asked and the options it ran with. */
function originBlocks(m: ReportModel): Block[] {
  if (m.scenario)
    return [
      { kind: 'heading', level: 2, text: 'Scenario as run', id: 'scenario' },
      { kind: 'code', lang: 'yaml', text: stringify(m.scenario, { lineWidth: 0 }) },
    ];
  const checks = m.runs.flatMap((r) => (r.origin.kind === 'check' ? [r.origin] : []));
  if (checks.length === 0) return [];
  return [
    { kind: 'heading', level: 2, text: 'Check as run', id: 'check-options' },
    ...checks.map((o): Block => ({ kind: 'code', lang: 'yaml', text: stringify(o, { lineWidth: 0 }) })),
  ];
}

const REQUIREMENT_WORDS: Record<string, string> = {
  MUST: 'MUST',
  SHOULD: 'SHOULD',
  optional: 'optional (excepted)',
  aggregate: 'the standard’s testcase',
};

/**
 * A compliance check (`cnibench check`): the verdict lines it printed, what each measured, the CNI it
 * found, the exceptions it applied and its warnings. The failing cases and their mismatches follow in
 * the conformance section.
 */
function checkBlocks(m: ReportModel): Block[] {
  const out: Block[] = [];
  for (const r of m.runs) {
    const k = r.check;
    if (!k) continue;
    out.push({ kind: 'heading', level: 2, text: `Compliance check: SCS ${k.standard}`, id: 'check' });
    const main = k.verdicts.find((v) => v.requirement === 'aggregate') ?? k.verdicts[0];
    if (main)
      out.push({
        kind: 'p',
        tone: 'summary',
        text: `${main.id}: ${main.verdict} (${main.summary}); exit status ${k.exitCode}.`,
      });
    if (k.abort !== undefined)
      out.push({ kind: 'p', tone: 'warning', text: `The check could not run: ${k.abort}` });
    out.push({
      kind: 'table',
      headers: ['Testcase id', 'Requirement', 'Verdict', 'What was measured'],
      rows: k.verdicts.map((v) => [
        v.id,
        REQUIREMENT_WORDS[v.requirement] ?? v.requirement,
        v.verdict === 'none' ? 'no verdict (WARNING)' : v.verdict,
        v.summary,
      ]),
    });
    out.push({
      kind: 'p',
      text:
        k.detected.length > 0
          ? `CNI on the cluster: ${k.detected.map((d) => `${d.cni} ${d.version} (DaemonSet ${d.namespace}/${d.name}, image ${d.image})`).join('; ')}.`
          : 'CNI on the cluster: not recognised (no known CNI DaemonSet found).',
    });
    if (k.requested.length > 0)
      out.push({ kind: 'p', text: `Testcase ids asked for: ${k.requested.join(', ')}.` });
    for (const w of k.warnings) out.push({ kind: 'p', tone: 'warning', text: `WARNING: ${w}` });
    out.push({ kind: 'heading', level: 3, text: 'Exceptions (the standard’s test’s own)' });
    out.push({ kind: 'list', items: k.exceptions.map((x) => `${x.text} — following ${x.source}`) });
    if (k.excepted.length > 0)
      out.push({
        kind: 'table',
        headers: ['Excepted case', 'Exception', 'Why'],
        rows: k.excepted.map((x) => [x.case, x.exception, x.reason]),
      });
  }
  return out;
}

/** All sections in report order (the decision record is added by the Markdown renderer). */
export function reportBlocks(m: ReportModel): Block[] {
  if (isCheckReport(m))
    return [
      { kind: 'heading', level: 1, text: `cnibench check: ${m.title}` },
      ...checkBlocks(m),
      ...conformanceBlocks(m),
      ...adminTierBlocks(m),
      ...provenanceBlocks(m),
      ...originBlocks(m),
    ];
  return [
    { kind: 'heading', level: 1, text: `cnibench report: ${m.title}` },
    ...summaryBlocks(m),
    ...scoreBlocks(m),
    ...sensitivityBlocks(m),
    ...featureBlocks(m),
    ...standardsBlocks(m),
    ...conformanceBlocks(m),
    ...adminTierBlocks(m),
    ...policyChangeBlocks(m),
    ...performanceBlocks(m),
    ...costBlocks(m),
    ...comparisonBlocks(m),
    ...scaleBlocks(m),
    ...evidenceBlocks(m),
    ...projectHistoryBlocks(m),
    ...factsBlocks(m),
    ...provenanceBlocks(m),
    ...originBlocks(m),
  ];
}
