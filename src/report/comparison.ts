/**
 * The report's comparison section: one sentence per figure and candidate in the verdict words
 * (better, worse, equivalent, inconclusive) with what the samples could not see (the minimum
 * detectable effect and the blocks the margin would need), the table behind them, how sequential
 * sampling ended for each figure, and the drift warning next to every figure whose baselines drifted. Computed by the statistics stage's compare
 * (the same function as `cnibench compare`), over every candidate of the report.
 */
import type { Verdict } from '../stats/figure-comparison.js';
import { mdeSentence, methodLines } from '../compare/format.js';
import { fmtNumber, fmtP, fmtPercent, fmtRelative } from '../stats/numbers.js';
import {
  rowTitle,
  type CandidateFigure,
  type CompareReport,
  type CompareRow,
} from '../compare/results-compare.js';
import type { Block, Cell } from './blocks.js';
import type { ReportModel } from './model.js';

const PHRASE: Record<Verdict, string> = {
  better: 'better than',
  worse: 'worse than',
  equivalent: 'equivalent to',
  inconclusive: 'inconclusive against',
};

function labelIn(report: CompareReport, id: string): string {
  return report.candidates.find((c) => c.id === id)?.label ?? id;
}

function delta(c: CandidateFigure['comparison']): string {
  if (!c || c.relativeDifference === null) return 'n/a';
  const ci = c.relativeDifferenceCi;
  return `${fmtRelative(c.relativeDifference)}${ci ? ` [${fmtRelative(ci[0])}, ${fmtRelative(ci[1])}]` : ''}, adjusted p = ${fmtP(c.pAdjusted)}`;
}

/** "local reference profile (vxlan) is worse than … on latency rtt cross-node (…): +4.1% […], adjusted p = 0.003." */
function verdictSentence(report: CompareReport, row: CompareRow, f: CandidateFigure): string {
  const verdict = f.verdict ?? 'inconclusive';
  const basis = f.comparison;
  const margin = `±${(report.margin * 100).toFixed(1)}%`;
  const what =
    verdict === 'equivalent' ? `within the ${margin} equivalence margin: ${delta(basis)}` : delta(basis);
  const normalized =
    f.verdictBasis === 'normalized' ? ' (per-turn ratios to the paired baseline: separate runs)' : '';
  const note = f.verdictNote ? ` — ${f.verdictNote}` : '';
  const mde = verdict === 'inconclusive' ? mdeSentence(f, report.margin) : null;
  return `${labelIn(report, f.candidate)} is ${PHRASE[verdict]} ${labelIn(report, report.baseline)} on ${row.id}${normalized}: ${what}${note}${mde ? `; ${mde}` : ''}.`;
}

function valueWithCi(v: { value: number; ci: [number, number] | null }): string {
  return `${fmtNumber(v.value)}${v.ci ? ` [${fmtNumber(v.ci[0])}, ${fmtNumber(v.ci[1])}]` : ''}`;
}

function adaptiveCell(f: CandidateFigure): string {
  const a = f.adaptive;
  if (!a) return 'fixed';
  if (!('rule' in a)) return a.reached ? `CI target reached (n=${f.n})` : `CI target not reached (n=${f.n})`;
  const why = {
    decided: 'decided',
    'max-blocks': 'planned maximum',
    budget: 'time budget',
    'single-candidate': 'one candidate',
  }[a.stopped];
  return `${a.blocks} blocks (${a.minBlocks}–${a.maxBlocks}): ${why}`;
}

function mdeCell(f: CandidateFigure): string {
  const c = f.comparison;
  if (!c || c.minimumDetectableEffect === null) return '—';
  const need = c.blocksForMargin === null ? '' : `; margin needs ${c.blocksForMargin} blocks`;
  return `${fmtPercent(Math.abs(c.minimumDetectableEffect)).replace('+', '±')}${need}`;
}

export function comparisonBlocks(m: ReportModel): Block[] {
  const report = m.comparison;
  if (!report || report.candidates.length < 2) return [];
  const rows = report.rows.filter((r) => r.figures.length > 1);
  if (rows.length === 0) return [];
  const out: Block[] = [
    { kind: 'heading', level: 2, text: 'Comparison', id: 'comparison' },
    ...methodLines(report).map((text): Block => ({ kind: 'p', text })),
  ];
  const sentences = rows
    .filter((r) => !r.environmentCheck)
    .flatMap((r) => r.figures.filter((f) => f.verdict).map((f) => verdictSentence(report, r, f)));
  const t = report.tally;
  out.push({
    kind: 'p',
    tone: 'summary',
    text: `Verdicts against ${labelIn(report, report.baseline)}: ${t.better} better, ${t.worse} worse, ${t.equivalent} equivalent, ${t.inconclusive} inconclusive (${report.comparisons} comparisons, ${report.adjust}-adjusted).`,
  });
  if (sentences.length > 0) out.push({ kind: 'list', items: sentences });
  for (const d of report.drift) out.push({ kind: 'p', tone: 'warning', text: d.finding.sentence });

  const table: Cell[][] = [];
  for (const r of rows) {
    for (const f of r.figures) {
      const isBase = f.candidate === report.baseline;
      table.push([
        rowTitle(r),
        labelIn(report, f.candidate),
        `${f.statistic} ${valueWithCi(f)} ${r.unit}`,
        f.normalized ? valueWithCi(f.normalized) : '—',
        isBase ? '(baseline)' : r.environmentCheck ? '' : delta(f.comparison),
        isBase || r.environmentCheck ? '' : mdeCell(f),
        isBase
          ? ''
          : r.environmentCheck
            ? f.drift
              ? 'environment check: drift'
              : 'environment check: no drift'
            : `${f.verdict ?? ''}${f.verdictBasis === 'normalized' ? ' (÷ baseline)' : ''}${f.verdictNote ? `; ${f.verdictNote}` : ''}`,
        adaptiveCell(f),
        f.drift ? `⚠ ${f.drift.sentence}` : '',
      ]);
    }
  }
  out.push({
    kind: 'table',
    headers: [
      'Figure',
      'Candidate',
      'Value (95% CI)',
      '÷ baseline (95% CI)',
      `Δ (${Math.round((1 - 2 * report.alpha) * 100)}% CI), adj. p`,
      'Smallest detectable Δ (80% power)',
      'Verdict',
      'Sampling',
      'Drift',
    ],
    rows: table,
  });
  return out;
}
