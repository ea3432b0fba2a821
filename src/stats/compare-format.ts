/** Renders a CompareReport as an aligned text table, a Markdown table, or JSON. */
import type { AaCheck } from '../results/schema.js';
import { ADJUST_LABELS } from './adjust.js';
import type { Comparison } from './compare.js';
import { fmtNumber, fmtP, fmtPercent } from './numbers.js';
import { textTable } from '../util/table.js';
import { rowTitle, type CandidateFigure, type CompareReport, type CompareRow } from './results-compare.js';

export type CompareOutput = 'table' | 'json' | 'md';

function valueCell(
  unit: string,
  statistic: string,
  v: { value: number; ci: [number, number] | null; n: number },
): string {
  const ci = v.ci ? ` [${fmtNumber(v.ci[0])}, ${fmtNumber(v.ci[1])}]` : ' [CI n/a]';
  return `${statistic} ${fmtNumber(v.value)}${ci}${unit ? ` ${unit}` : ''} (n=${v.n})`;
}

function deltaCell(
  report: CompareReport,
  r: CompareRow,
  f: CandidateFigure,
  c: Comparison | undefined,
): string {
  if (f.candidate === report.baseline) return '(baseline)';
  if (!c) return r.note ?? 'n/a';
  if (c.relativeDifference === null) return 'n/a (baseline value is 0)';
  const ci = c.relativeDifferenceCi;
  return `${fmtPercent(c.relativeDifference)}${ci ? ` [${fmtPercent(ci[0])}, ${fmtPercent(ci[1])}]` : ''}`;
}

function verdictCell(
  f: CandidateFigure,
  c: Comparison | undefined,
  basis: 'absolute' | 'normalized',
): string {
  if (!c) return '';
  const decisive = f.verdictBasis === basis;
  let text: string = c.verdict;
  if (basis === 'absolute' && f.drift) text += ' (confounded by environment drift)';
  if (decisive) text = `▶ ${f.verdictNote ? `${f.verdict} (${f.verdictNote})` : text}`;
  return text + (c.note ? ` — ${c.note}` : '');
}

function candidateLines(report: CompareReport, r: CompareRow, f: CandidateFigure): string[][] {
  const title = rowTitle(r);
  const lines: string[][] = [];
  const c = f.comparison;
  const adaptive = f.adaptive
    ? `, CI ±${f.adaptive.ciPercent ?? '∞'}% ${f.adaptive.reached ? '≤' : '>'} target ${f.adaptive.targetCiPercent}%`
    : '';
  const env = r.environmentCheck && f.candidate !== report.baseline ? (f.drift ? 'drift' : 'no drift') : '';
  lines.push([
    title,
    f.candidate,
    'absolute',
    valueCell(r.unit, f.statistic, f) + adaptive,
    r.environmentCheck ? '' : deltaCell(report, r, f, c),
    c ? c.test : '',
    c ? fmtP(c.p) : '',
    c ? fmtP(c.pAdjusted) : '',
    env || verdictCell(f, c, 'absolute'),
  ]);
  if (f.normalized) {
    const n = f.normalizedComparison;
    lines.push([
      title,
      f.candidate,
      '÷ baseline',
      valueCell('', f.statistic, f.normalized),
      deltaCell(report, r, f, n),
      n ? n.test : '',
      n ? fmtP(n.p) : '',
      n ? fmtP(n.pAdjusted) : '',
      verdictCell(f, n, 'normalized'),
    ]);
  }
  return lines;
}

function header(report: CompareReport): string[] {
  return [
    'measurement',
    'candidate',
    'figure',
    'value (95% CI)',
    `Δ vs ${report.baseline} (95% CI)`,
    'test',
    'p',
    `p adj. (${report.adjust})`,
    'verdict (▶ = the figure’s)',
  ];
}

function allRows(report: CompareReport): string[][] {
  const out: string[][] = [];
  for (const r of report.rows) {
    for (const f of r.figures) out.push(...candidateLines(report, r, f));
    for (const m of r.missing) out.push([rowTitle(r), m, '', 'not measured', '', '', '', '', '']);
  }
  return out;
}

export function warningBanner(report: CompareReport): string[] {
  if (report.warnings.length === 0) return [];
  return [
    '!!! WARNING: THESE RUNS COME FROM DIFFERENT MACHINES OR KERNELS.',
    "!!! Differences below may be the machine's, not the CNI's:",
    ...report.warnings.map((w) => `!!!   - ${w}`),
  ];
}

/** The lines above the table: how the figures were compared. */
export function methodLines(report: CompareReport): string[] {
  return [
    `Baseline candidate: ${report.baseline}. Latencies, loss and jitter compare medians (Mann–Whitney U), rates compare means (Welch t); "÷ baseline" lines compare the per-pair ratios path / baseline sample of the same turn.`,
    `Verdicts use p-values adjusted over all ${report.comparisons} comparisons (${ADJUST_LABELS[report.adjust]}) at alpha ${report.alpha}: better/worse when the difference is significant and not inside the ±${(report.margin * 100).toFixed(1)}% equivalence margin, equivalent when it is shown to be inside it (two one-sided tests), inconclusive otherwise. A figure's verdict rests on its absolute figures, or on the baseline-normalized ones when the baselines drifted (tolerance ${(report.driftTolerance * 100).toFixed(1)}%).`,
  ];
}

/** The lines below the table: verdict counts and one sentence per drifted figure. */
function summaryLines(report: CompareReport): string[] {
  const t = report.tally;
  const out = [
    `Figure verdicts: ${t.better} better, ${t.worse} worse, ${t.equivalent} equivalent, ${t.inconclusive} inconclusive.`,
  ];
  if (report.drift.length > 0) {
    out.push('Environment drift:');
    for (const d of report.drift) out.push(`  - ${d.finding.sentence}`);
  }
  return out;
}

function compareTextTable(report: CompareReport): string {
  const lines = textTable(allRows(report), { head: header(report), headRule: true });
  return [...warningBanner(report), ...methodLines(report), '', lines, '', ...summaryLines(report)].join(
    '\n',
  );
}

function mdTable(report: CompareReport): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const row = (r: string[]) => `| ${r.map(esc).join(' | ')} |`;
  const h = header(report);
  const warn = report.warnings.length
    ? [
        '> **WARNING: these runs come from different machines or kernels; differences may be the machine’s, not the CNI’s.**',
        ...report.warnings.map((w) => `> - ${w}`),
        '',
      ]
    : [];
  return [
    ...warn,
    ...methodLines(report),
    '',
    row(h),
    row(h.map(() => '---')),
    ...allRows(report).map(row),
    '',
    ...summaryLines(report).map((l) => (l.startsWith('  - ') ? l.slice(2) : l)),
  ].join('\n');
}

export function formatCompareReport(report: CompareReport, output: CompareOutput): string {
  switch (output) {
    case 'json':
      return JSON.stringify(report, null, 2);
    case 'md':
      return mdTable(report);
    case 'table':
      return compareTextTable(report);
  }
}

/** One sentence about an A/A check (`run --aa`), for the run's summary and the report's provenance. */
export function aaSentence(a: AaCheck): string {
  const share = a.comparisons > 0 ? ((100 * a.falseDiscoveries) / a.comparisons).toFixed(1) : '0';
  return (
    `A/A check: ${a.candidate} measured twice as two candidates; ${a.falseDiscoveries} of ${a.comparisons} ` +
    `comparisons (${share}%) were called better or worse after ${a.adjust} adjustment at alpha ${a.alpha}, ` +
    `and every one of them is false${a.falseDiscoveries === 0 ? '' : ` (${a.discoveries.join('; ')})`}.`
  );
}
