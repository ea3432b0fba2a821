/** Renders a CompareReport as an aligned text table, a Markdown table, or JSON. */
import type { CandidateFigure, CompareReport, CompareRow } from './results-compare.js';

export type CompareOutput = 'table' | 'json' | 'md';

/** Four significant digits, no exponent for ordinary magnitudes. */
export function fmtNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

function fmtPercent(x: number): string {
  const v = x * 100;
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
}

export function fmtP(p: number | null): string {
  if (p === null) return 'n/a';
  if (p < 0.001) return '<0.001';
  return p.toFixed(3);
}

function rowTitle(r: CompareRow): string {
  const params = Object.entries(r.parameters)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return `${r.workload} ${r.metric} ${r.path}${params ? ` (${params})` : ''}`;
}

function valueCell(r: CompareRow, f: CandidateFigure): string {
  const ci = f.ci ? ` [${fmtNumber(f.ci[0])}, ${fmtNumber(f.ci[1])}]` : ' [CI n/a]';
  return `${f.statistic} ${fmtNumber(f.value)}${ci} ${r.unit} (n=${f.n}${f.outliers ? `, ${f.outliers} outlier(s)` : ''})`;
}

function cells(report: CompareReport, r: CompareRow, f: CandidateFigure): string[] {
  const c = f.comparison;
  let delta: string;
  if (f.candidate === report.baseline) delta = '(baseline)';
  else if (!c) delta = r.note ?? 'n/a';
  else if (c.relativeDifference === null) delta = 'n/a (baseline value is 0)';
  else {
    const ci = c.relativeDifferenceCi;
    delta = `${fmtPercent(c.relativeDifference)}${ci ? ` [${fmtPercent(ci[0])}, ${fmtPercent(ci[1])}]` : ''}`;
  }
  return [
    rowTitle(r),
    f.candidate,
    valueCell(r, f),
    f.ofBaselinePath === null ? '' : `${f.ofBaselinePath.toFixed(2)}× of baseline path`,
    delta,
    c ? c.test : '',
    c ? fmtP(c.p) : '',
    c ? c.verdict + (c.note ? ` (${c.note})` : '') : '',
  ];
}

function header(report: CompareReport): string[] {
  return [
    'measurement',
    'candidate',
    'value (95% CI)',
    'vs baseline path',
    `Δ vs ${report.baseline} (95% CI)`,
    'test',
    'p',
    'verdict',
  ];
}

function allRows(report: CompareReport): string[][] {
  const out: string[][] = [];
  for (const r of report.rows) {
    for (const f of r.figures) out.push(cells(report, r, f));
    for (const m of r.missing) out.push([rowTitle(r), m, 'not measured', '', '', '', '', '']);
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

function textTable(report: CompareReport): string {
  const rows = [header(report), ...allRows(report)];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const lines = [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)];
  return [
    ...warningBanner(report),
    `Baseline candidate: ${report.baseline}; alpha ${report.alpha}; latencies compare medians (Mann–Whitney U), rates compare means (Welch t).`,
    '',
    ...lines,
  ].join('\n');
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
    `Baseline candidate: \`${report.baseline}\`, alpha ${report.alpha}. Latencies compare medians (Mann–Whitney U), rates compare means (Welch t); CIs are 95%.`,
    '',
    row(h),
    row(h.map(() => '---')),
    ...allRows(report).map(row),
  ].join('\n');
}

export function formatCompareReport(report: CompareReport, output: CompareOutput): string {
  switch (output) {
    case 'json':
      return JSON.stringify(report, null, 2);
    case 'md':
      return mdTable(report);
    case 'table':
      return textTable(report);
  }
}
