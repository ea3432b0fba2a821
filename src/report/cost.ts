/**
 * The report's cost section (docs/cost.md): what each candidate spends for its performance — CPU per
 * Gbit, per thousand connections, per RR transaction, dataplane memory per thousand policies — per
 * path and candidate with the 95% CI of the median, the figure each was derived from, and a chart of
 * throughput against CPU per Gbit. The verdicts on the cost figures are in the comparison section,
 * with every other figure.
 */
import type { ChartConfiguration } from 'chart.js';
import type { IErrorBarXYDataPoint } from 'chartjs-chart-error-bars';
import { COST_METRICS, isCostMetric, type CostMetric } from '../results/cost-metrics.js';
import type { CandidateResult, Measurement } from '../results/schema.js';
import { medianOf } from '../stats/quantile.js';
import type { Block, Cell } from './blocks.js';
import { figureCells, figureTable } from './figure-table.js';
import { num } from './format.js';
import type { ReportModel } from './model.js';

export const COST_CHART_ID = 'cost-throughput-vs-cpu';

/** The median and 95% CI of the median of a measurement, or the median alone when the CI is undefined. */
function interval(x: Measurement): { v: number; lo: number; hi: number } {
  const v = x.summary.median;
  const defined = x.summary.n > 1 && x.summary.ciDefined !== false;
  return { v, lo: defined ? x.summary.ci95Median[0] : v, hi: defined ? x.summary.ci95Median[1] : v };
}

/** The cost figures of a candidate with the measurement each was derived from (when present). */
function costFigures(c: CandidateResult, metric: CostMetric): Array<{ x: Measurement; from?: Measurement }> {
  return c.measurements
    .filter((x) => x.metric === metric && x.summary.n > 0)
    .map((x) => {
      const from = c.measurements.find((y) => y.id === x.derivedFrom);
      return from ? { x, from } : { x };
    });
}

export function costBlocks(m: ReportModel): Block[] {
  const metrics = (Object.keys(COST_METRICS) as CostMetric[]).filter((k) =>
    m.candidates.some((c) => costFigures(c, k).length > 0),
  );
  if (metrics.length === 0) return [];
  const methods = [
    ...new Set(
      m.candidates.flatMap((c) =>
        c.measurements.filter((x) => isCostMetric(x.metric)).map((x) => x.tool.name),
      ),
    ),
  ];
  const out: Block[] = [
    { kind: 'heading', level: 2, text: 'Cost', id: 'cost' },
    {
      kind: 'p',
      text:
        'What each candidate spends for its performance. The CPU counters are read just before and just after each measured run (never during it), ' +
        'so every sample has the CPU its run cost; each cost figure is computed run for run and compared like any other figure (see the comparison section for verdicts). ' +
        `Lower is better. Medians with the 95% bootstrap CI of the median. Counters: ${methods.join('; ')}.`,
    },
  ];
  if (metrics.includes('cpu-per-gbit'))
    out.push({ kind: 'chart', id: COST_CHART_ID, title: 'Throughput against CPU per Gbit (median, 95% CI)' });
  for (const metric of metrics) {
    const rows: Cell[][] = [];
    for (const c of m.candidates) {
      for (const { x, from } of costFigures(c, metric)) {
        const cpuRun = from?.cost?.cpuSeconds;
        rows.push([
          ...figureCells(c.label, x),
          from ? `${num(from.summary.median)} ${from.unit}` : '—',
          cpuRun && cpuRun.length > 0 ? num(medianOf(cpuRun)) : '—',
        ]);
      }
    }
    const { title, unit } = COST_METRICS[metric];
    out.push({ kind: 'heading', level: 3, text: `${title} (${unit})` });
    out.push(
      figureTable(
        [
          ['Derived from (median)', 'right'],
          ['CPU s per run (median)', 'right'],
        ],
        rows,
      ),
    );
  }
  return out;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];
const POINT_STYLES = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot'] as const;

/**
 * TCP throughput (y) against CPU seconds per Gbit (x), one point per candidate, path and parameters, with
 * the 95% CI of both medians as error bars: colour is the candidate, the marker the path. Up and to
 * the left is better.
 */
export function costChart(
  m: ReportModel,
  font: string,
): { id: string; title: string; config: ChartConfiguration; height: number } | null {
  const points = m.candidates.flatMap((c, ci) =>
    costFigures(c, 'cpu-per-gbit')
      // TCP only: a rate-limited UDP run costs far more CPU per Gbit and would squeeze the TCP points
      // into one corner (its figures are in the table).
      .filter(
        (p): p is { x: Measurement; from: Measurement } =>
          p.from !== undefined && p.x.parameters.policies === undefined && p.x.parameters.protocol !== 'UDP',
      )
      .map((p) => ({ c, ci, ...p })),
  );
  if (points.length === 0) return null;
  const paths = [...new Set(points.map((p) => p.x.path))];
  const labelOf = (x: Measurement) => {
    const extra = Object.entries(x.parameters)
      .filter(([k]) => !['tool', 'duration', 'protocol', 'udpRate'].includes(k))
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return `${x.path}${x.parameters.protocol ? ` ${String(x.parameters.protocol)}` : ''}${extra ? ` ${extra}` : ''}`;
  };
  const datasets = points.map((p) => {
    const cpu = interval(p.x);
    const tput = interval(p.from);
    const point: IErrorBarXYDataPoint = {
      x: cpu.v,
      xMin: cpu.lo,
      xMax: cpu.hi,
      y: tput.v,
      yMin: tput.lo,
      yMax: tput.hi,
    };
    const colour = PALETTE[p.ci % PALETTE.length] ?? '#333';
    return {
      label: `${p.c.label} · ${labelOf(p.x)}`,
      data: [point],
      backgroundColor: colour,
      borderColor: colour,
      pointStyle: POINT_STYLES[paths.indexOf(p.x.path) % POINT_STYLES.length],
      pointRadius: 7,
      errorBarColor: colour,
      errorBarWhiskerColor: colour,
      errorBarLineWidth: 1.5,
      errorBarWhiskerLineWidth: 1.5,
    };
  });
  const [first] = points;
  const config: ChartConfiguration<'scatterWithErrorBars', IErrorBarXYDataPoint[]> = {
    type: 'scatterWithErrorBars',
    data: { datasets },
    options: {
      elements: { point: { radius: 6, hoverRadius: 6 } },
      plugins: {
        title: {
          display: true,
          text: 'TCP throughput against CPU per Gbit (median, 95% CI of each); up and left is better',
          font: { size: 16, family: font },
        },
        legend: { position: 'bottom', labels: { usePointStyle: true } },
      },
      scales: {
        x: { beginAtZero: true, title: { display: true, text: first?.x.unit ?? 'CPU s/Gbit' } },
        y: { beginAtZero: true, title: { display: true, text: first?.from.unit ?? 'Gbit/s' } },
      },
    },
  };
  return {
    id: COST_CHART_ID,
    title: 'Throughput against CPU per Gbit',
    config: config as unknown as ChartConfiguration,
    height: 560,
  };
}
