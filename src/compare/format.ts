/**
 * Renders a CompareReport: a terminal table that names each figure by its measurement id
 * (`throughput/tcp/streams=1/same-node`, as the run's summary table does) and fits 160 columns, with
 * long notes as numbered footnotes; a Markdown table with every detail; or JSON.
 */
import type { AaCheck, AdaptiveOutcome, LegacyAdaptiveOutcome } from '../results/schema.js';
import { ADJUST_LABELS } from '../stats/adjust.js';
import { fmtNumber, fmtP, fmtPercent, fmtRelative } from '../stats/numbers.js';
import { textTable } from '../util/table.js';
import { rowTitle, type CandidateFigure, type CompareReport, type CompareRow } from './results-compare.js';

export type CompareOutput = 'table' | 'json' | 'md';

/** Widest line of the terminal table. */
const TABLE_WIDTH = 160;

function valueCell(unit: string, v: { value: number; ci: [number, number] | null; n: number }): string {
  const ci = v.ci ? ` [${fmtNumber(v.ci[0])}, ${fmtNumber(v.ci[1])}]` : '';
  return `${fmtNumber(v.value)}${ci}${unit ? ` ${unit}` : ''}`;
}

/** Three significant digits: the terminal table's numbers. */
function short(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e5 || (a > 0 && a < 1e-3)) return x.toExponential(1);
  return String(Number(x.toPrecision(3)));
}

function shortValue(v: { value: number; ci: [number, number] | null }): string {
  return `${short(v.value)}${v.ci ? ` [${short(v.ci[0])}, ${short(v.ci[1])}]` : ''}`;
}

/** A relative difference for the terminal: ±12%, ±1.2%, or beyond a factor of 10 the factor (fmtRelative). */
function pct(x: number): string {
  if (x >= 9 || x <= -0.9) return fmtRelative(x);
  if (Math.abs(x) >= 0.1) return `${x > 0 ? '+' : ''}${(x * 100).toFixed(0)}%`;
  return fmtPercent(x);
}

function deltaCell(report: CompareReport, r: CompareRow, f: CandidateFigure): string {
  if (f.candidate === report.baseline) return '(baseline)';
  const c = f.comparison;
  if (!c) return r.environmentCheck ? '' : 'n/a';
  if (c.relativeDifference === null) return 'n/a';
  const ci = c.relativeDifferenceCi;
  return `${pct(c.relativeDifference)}${ci ? ` [${pct(ci[0])}, ${pct(ci[1])}]` : ''}`;
}

/** "±8.1% / 23": the smallest difference the samples could show, and blocks the margin would need. */
function mdeCell(f: CandidateFigure): string {
  const c = f.comparison;
  if (!c || c.minimumDetectableEffect === null) return '';
  const need = c.blocksForMargin === null ? ' / >10k' : ` / ${c.blocksForMargin}`;
  const mde = Math.abs(c.minimumDetectableEffect);
  return `${mde > 9.99 ? '>999%' : `${(mde * 100).toFixed(mde >= 0.1 ? 0 : 1)}%`}${need}`;
}

function stopCell(a: AdaptiveOutcome | LegacyAdaptiveOutcome | undefined): string {
  if (!a) return 'fixed';
  if ('rule' in a) return a.stopped;
  return a.reached ? 'CI target (v2)' : 'max (v2)';
}

function verdictText(r: CompareRow, f: CandidateFigure, report: CompareReport): string {
  if (f.candidate === report.baseline) return '';
  if (r.environmentCheck) return f.drift ? 'drift' : 'no drift';
  return f.verdict ?? '';
}

/** A figure's notes: the comparison's, the verdict's and drift, in words. */
function notesOf(f: CandidateFigure): string[] {
  return [f.comparison?.note, f.verdictNote, f.drift?.sentence].filter((x): x is string => Boolean(x));
}

function header(report: CompareReport): string[] {
  const level = Math.round((1 - 2 * report.alpha) * 100);
  return [
    'figure',
    'candidate',
    'value [95% CI]',
    `Δ vs ${report.baseline} [${level}% CI]`,
    'p adj',
    'MDE / blocks',
    'verdict',
  ];
}

function tableRows(report: CompareReport, footnotes: string[]): string[][] {
  const out: string[][] = [];
  for (const r of report.rows) {
    for (const f of r.figures) {
      const notes = notesOf(f);
      const marks = notes.map((n) => {
        const at = footnotes.indexOf(n);
        if (at >= 0) return `[${at + 1}]`;
        footnotes.push(n);
        return `[${footnotes.length}]`;
      });
      out.push([
        r.id,
        f.candidate,
        shortValue(f),
        deltaCell(report, r, f),
        f.comparison ? fmtP(f.comparison.pAdjusted) : '',
        mdeCell(f),
        [verdictText(r, f, report), ...marks].filter(Boolean).join(' '),
      ]);
    }
    for (const m of r.missing) out.push([r.id, m, 'not measured', '', '', '', '']);
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
  const level = Math.round((1 - 2 * report.alpha) * 100);
  return [
    `Baseline candidate: ${report.baseline}. One comparison per figure: candidates measured in the same run's interleaved blocks are compared block by block (paired t on log ratios, looks after every block with group-sequential boundaries); candidates from separate runs by Welch's t on the per-turn ratios to their paired baseline.`,
    `Verdicts use p-values adjusted over all ${report.comparisons} comparisons (${ADJUST_LABELS[report.adjust]}) at alpha ${report.alpha}: better/worse when the difference is significant, equivalent when its ${level}% interval lies inside the ±${(report.margin * 100).toFixed(1)}% margin (two one-sided tests), inconclusive otherwise. Δ is the geometric-mean ratio − 1; beyond a factor of 10 it is shown as the factor (×12, ÷140).`,
    `MDE: the smallest difference these samples detect with 80% power at alpha/${report.comparisons}; blocks: how many the ±${(report.margin * 100).toFixed(1)}% margin would need. Values in the figure's unit (see the id); samples, units and sampling in --output md|json.`,
  ];
}

/** One sentence per figure on what it could not see ("differences below 8.1% cannot be seen …"). */
export function mdeSentence(f: CandidateFigure, margin: number): string | null {
  const c = f.comparison;
  if (!c || c.minimumDetectableEffect === null) return null;
  const mde = `${(Math.abs(c.minimumDetectableEffect) * 100).toFixed(1)}%`;
  const need =
    c.blocksForMargin === null
      ? ''
      : c.blocksForMargin <= c.n
        ? `; the ±${(margin * 100).toFixed(1)}% margin is within reach of these ${c.n} blocks`
        : `; the ±${(margin * 100).toFixed(1)}% margin would need about ${c.blocksForMargin} blocks (${c.n} measured)`;
  return `differences below ${mde} cannot be seen with these samples${need}`;
}

/** The lines below the table: verdict counts, footnotes. */
function summaryLines(report: CompareReport, footnotes: readonly string[]): string[] {
  const t = report.tally;
  const out = [
    `Figure verdicts: ${t.better} better, ${t.worse} worse, ${t.equivalent} equivalent, ${t.inconclusive} inconclusive; environment drift on ${report.drift.length}.`,
  ];
  if (footnotes.length > 0) out.push('', ...footnotes.map((n, i) => `[${i + 1}] ${n}`));
  return out;
}

/** Wraps a line at word boundaries to `width`. */
function wrap(line: string, width: number, indent = ''): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let cur = '';
  for (const word of line.split(' ')) {
    if (cur && cur.length + 1 + word.length > width) {
      out.push(cur);
      cur = indent + word;
    } else cur = cur ? `${cur} ${word}` : word;
  }
  if (cur) out.push(cur);
  return out;
}

function compareTextTable(report: CompareReport): string {
  const footnotes: string[] = [];
  const table = textTable(tableRows(report, footnotes), { head: header(report), headRule: true });
  return [
    ...warningBanner(report),
    ...methodLines(report).flatMap((l) => wrap(l, TABLE_WIDTH)),
    '',
    table,
    '',
    ...summaryLines(report, footnotes).flatMap((l) => wrap(l, TABLE_WIDTH, '    ')),
  ].join('\n');
}

function mdTable(report: CompareReport): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const row = (r: string[]) => `| ${r.map(esc).join(' | ')} |`;
  const h = [
    'figure',
    'measurement',
    'candidate',
    'value [95% CI] (n)',
    `Δ [${Math.round((1 - 2 * report.alpha) * 100)}% CI]`,
    'test',
    'p (sequential)',
    `p adj. (${report.adjust})`,
    'MDE',
    'blocks for margin',
    'sampling',
    'verdict',
    'notes',
  ];
  const warn = report.warnings.length
    ? [
        '> **WARNING: these runs come from different machines or kernels; differences may be the machine’s, not the CNI’s.**',
        ...report.warnings.map((w) => `> - ${w}`),
        '',
      ]
    : [];
  const lines: string[][] = [];
  for (const r of report.rows) {
    for (const f of r.figures) {
      const c = f.comparison;
      lines.push([
        r.id,
        rowTitle(r),
        f.candidate,
        `${f.statistic} ${valueCell(r.unit, f)} (n=${f.n})`,
        deltaCell(report, r, f),
        c ? `${c.test}${c.verdict && f.verdictBasis === 'normalized' ? ' (÷ baseline)' : ''}` : '',
        c ? fmtP(c.p) : '',
        c ? fmtP(c.pAdjusted) : '',
        c?.minimumDetectableEffect != null
          ? `${(Math.abs(c.minimumDetectableEffect) * 100).toFixed(1)}%`
          : '',
        c?.blocksForMargin != null ? String(c.blocksForMargin) : '',
        stopCell(f.adaptive),
        verdictText(r, f, report),
        notesOf(f).join(' '),
      ]);
    }
    for (const m of r.missing)
      lines.push([r.id, rowTitle(r), m, 'not measured', '', '', '', '', '', '', '', '', '']);
  }
  const t = report.tally;
  return [
    ...warn,
    ...methodLines(report),
    '',
    row(h),
    row(h.map(() => '---')),
    ...lines.map(row),
    '',
    `Figure verdicts: ${t.better} better, ${t.worse} worse, ${t.equivalent} equivalent, ${t.inconclusive} inconclusive; environment drift on ${report.drift.length}.`,
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
    `figures (${share}%) were called better or worse after ${a.adjust} adjustment at alpha ${a.alpha}, ` +
    `and every one of them is false${a.falseDiscoveries === 0 ? '' : ` (${a.discoveries.join('; ')})`}.`
  );
}
