/**
 * Charts as PNG files (chart.js through chartjs-node-canvas, rendered in-process, system fonts only)
 * written next to the report and returned as data URIs for the self-contained HTML. Error bars come
 * from chartjs-chart-error-bars and the conformance heat map from chartjs-chart-matrix, registered on
 * each canvas's own chart.js instance.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { CanvasRenderingContext2D as NodeCanvasContext } from 'canvas';
import type { ChartConfiguration, Plugin, ScriptableContext } from 'chart.js';
import type { IErrorBarYDataPoint } from 'chartjs-chart-error-bars';
import type { MatrixDataPoint } from 'chartjs-chart-matrix';
import type { CandidateResult, CaseResult, Measurement } from '../results/schema.js';
import { allTags, isNetworkPolicyCase, tallyCases } from '../scoring/features.js';
import { quantileSorted, sortedCopy } from '../stats/quantile.js';
import { cycle } from '../util/arrays.js';
import type { ChartRef } from './blocks.js';
import type { ReportModel } from './model.js';
import { costChart } from './cost.js';
import { scaleCharts } from './scale-charts.js';
import { CHART_IDS } from './sections.js';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf', '#7f7f7f'];
const FONT = 'DejaVu Sans';

interface ChartSpec {
  id: string;
  title: string;
  config: ChartConfiguration;
  width?: number;
  height?: number;
}

const title = (text: string) => ({ display: true, text, font: { size: 16, family: FONT } });

function plainThroughput(c: CandidateResult): Measurement[] {
  return c.measurements.filter((m) => m.metric === 'throughput' && m.parameters.policies === undefined);
}

function groupLabel(m: Measurement): string {
  // The configuration that tells bars apart; the tool and duration are the same for every bar.
  const p = Object.entries(m.parameters)
    .filter(([k]) => !['policies', 'tool', 'duration', 'engine'].includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${m.path}${p ? ` ${p}` : ''}`;
}

/** A bar with its 95% CI of the median; without a defined CI the whisker collapses onto the bar. */
function medianWithCi(x: Measurement): IErrorBarYDataPoint {
  const y = x.summary.median;
  const ci = x.summary.n > 1 && x.summary.ciDefined !== false ? x.summary.ci95Median : null;
  return { y, yMin: ci ? ci[0] : y, yMax: ci ? ci[1] : y };
}

function throughputChart(m: ReportModel): ChartSpec | null {
  const [first] = m.candidates.flatMap(plainThroughput);
  if (first === undefined) return null;
  const groups = [...new Set(m.candidates.flatMap((c) => plainThroughput(c).map(groupLabel)))];
  const unit = first.unit;
  const config: ChartConfiguration<'barWithErrorBars', Array<IErrorBarYDataPoint | null>> = {
    type: 'barWithErrorBars',
    data: {
      labels: groups,
      datasets: m.candidates
        .filter((c) => plainThroughput(c).length > 0)
        .map((c, i) => {
          const byGroup = groups.map((g) => plainThroughput(c).find((x) => groupLabel(x) === g));
          return {
            label: c.label,
            data: byGroup.map((x) => (x ? medianWithCi(x) : null)),
            backgroundColor: cycle(PALETTE, i),
            errorBarColor: '#111',
            errorBarWhiskerColor: '#111',
            errorBarLineWidth: 1.5,
            errorBarWhiskerLineWidth: 1.5,
          };
        }),
    },
    options: {
      plugins: {
        title: title(`Throughput (median, 95% CI of the median), ${unit}`),
        legend: { position: 'bottom' },
      },
      // The controller sizes the axis to the whiskers, which may reach past the tallest bar.
      scales: { y: { beginAtZero: true, title: { display: true, text: unit } } },
    },
  };
  return { id: CHART_IDS.throughput, title: 'Throughput (median, 95% CI)', config };
}

function latencyChart(m: ReportModel): ChartSpec | null {
  const rtts = (c: CandidateResult) =>
    c.measurements.filter((x) => x.metric === 'rtt' && x.parameters.policies === undefined);
  const series = m.candidates.flatMap((c) => rtts(c).map((x) => ({ c, x })));
  const [first] = series;
  if (first === undefined) return null;
  const labels = series.map(({ c, x }) => `${c.label} · ${x.path}`);
  const pick = (k: 'p50' | 'p90' | 'p99') => series.map(({ x }) => x.summary[k]);
  return {
    id: CHART_IDS.latency,
    title: 'Latency percentiles',
    config: {
      type: 'bar',
      data: {
        labels,
        datasets: [
          { label: 'p50', data: pick('p50'), backgroundColor: '#9ecae1' },
          { label: 'p90', data: pick('p90'), backgroundColor: '#4292c6' },
          { label: 'p99', data: pick('p99'), backgroundColor: '#08519c' },
        ],
      },
      options: {
        plugins: {
          title: title(`Request/response latency percentiles (${first.x.unit})`),
          legend: { position: 'bottom' },
        },
        scales: { y: { beginAtZero: true, title: { display: true, text: first.x.unit } } },
      },
    },
  };
}

/**
 * How long each candidate took to enforce a case's policies (from applying them to the first probe
 * round that matched the model), over every passed conformance case: p50, p90 and the worst case.
 */
function caseProgrammingChart(m: ReportModel): ChartSpec | null {
  const rows = m.candidates
    .map((c) => ({
      c,
      ms: (c.conformance?.caseResults ?? [])
        .map((r) => r.programmingLatencyMs)
        .filter((v): v is number => v !== null),
    }))
    .filter((r) => r.ms.length > 0)
    .map((r) => ({ ...r, ms: sortedCopy(r.ms) }));
  if (rows.length === 0) return null;
  // The one percentile definition of cnibench (type 7), as in every summary.
  const q = (xs: number[], p: number) => quantileSorted(xs, p);
  return {
    id: CHART_IDS.caseProgramming,
    title: 'Policy programming latency of the conformance cases',
    config: {
      type: 'bar',
      data: {
        labels: rows.map((r) => `${r.c.label} (${r.ms.length} cases)`),
        datasets: [
          { label: 'p50', data: rows.map((r) => q(r.ms, 0.5)), backgroundColor: '#9ecae1' },
          { label: 'p90', data: rows.map((r) => q(r.ms, 0.9)), backgroundColor: '#4292c6' },
          { label: 'max', data: rows.map((r) => q(r.ms, 1)), backgroundColor: '#08519c' },
        ],
      },
      options: {
        plugins: {
          title: title('Policy programming latency per conformance case (ms)'),
          subtitle: {
            display: true,
            text: 'from applying the policies to the first probe round matching the model',
          },
          legend: { position: 'bottom' },
        },
        scales: { y: { beginAtZero: true, title: { display: true, text: 'ms' } } },
      },
    },
  };
}

export function radarCharts(m: ReportModel): ChartSpec[] {
  const criteria = Object.keys(m.scoring.weights);
  const scoreOf = (c: (typeof m.scoring.candidates)[number], k: string) =>
    c.criteria.find((x) => x.criterion === k)?.score ?? null;
  const mk = (id: string, heading: string, cands: typeof m.scoring.candidates): ChartSpec => ({
    id,
    title: heading,
    width: 560,
    height: 480,
    config: {
      type: 'radar',
      data: {
        // An axis no candidate of the chart has data for says so, and carries no point.
        labels: criteria.map((k) => (cands.every((c) => scoreOf(c, k) === null) ? `${k} (no data)` : k)),
        datasets: cands.map((c) => {
          const i = m.scoring.candidates.indexOf(c);
          return {
            label: c.label,
            // A criterion without data is a gap: no point, no line to it, and no fill (a filled
            // polygon would run to the centre through the gap, which reads as zero).
            data: criteria.map((k) => scoreOf(c, k)),
            borderColor: cycle(PALETTE, i),
            backgroundColor: `${cycle(PALETTE, i)}33`,
            fill: false,
            spanGaps: false,
          };
        }),
      },
      options: {
        plugins: { title: title(heading), legend: { position: 'bottom' } },
        scales: {
          r: { min: 0, max: 100, ticks: { stepSize: 20 }, pointLabels: { font: { size: 13, family: FONT } } },
        },
      },
    },
  });
  return [
    mk('radar-all', 'Criteria scores (0–100)', m.scoring.candidates),
    ...m.scoring.candidates.map((c) => mk(CHART_IDS.radar(c.name), `Criteria: ${c.label}`, [c])),
  ];
}

interface HeatCell extends MatrixDataPoint {
  rate: number | null;
  text: string;
}

/**
 * Writes each cell's "passed/run" over the matrix: chartjs-chart-matrix draws and colours the cells
 * but has no labels, and a labels plugin for one chart is more than these few lines.
 */
function cellTextPlugin(cells: readonly HeatCell[]): Plugin<'matrix'> {
  return {
    id: 'cnibenchCellText',
    afterDatasetsDraw(chart) {
      // chart.js types its context as the DOM's CanvasRenderingContext2D, which this Node-only build
      // does not declare; under chartjs-node-canvas it is node-canvas's context.
      const ctx = chart.ctx as unknown as NodeCanvasContext;
      ctx.save();
      ctx.font = `12px "${FONT}"`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillStyle = '#111';
      chart.getDatasetMeta(0).data.forEach((el, i) => {
        const text = cells[i]?.text;
        if (!text) return;
        const { x, y } = el.tooltipPosition(true);
        if (x !== null && y !== null) ctx.fillText(text, x, y);
      });
      ctx.restore();
    },
  };
}

const rateColour = (rate: number | null | undefined): string =>
  rate === null || rate === undefined ? '#d9d9d9' : `hsl(${Math.round(120 * rate)}, 65%, 55%)`;

/** Pass rate by tag over the conformance cases `keep` accepts (NetworkPolicy, or the admin tier). */
function heatmapChart(
  m: ReportModel,
  id: string,
  heading: string,
  keep: (r: CaseResult) => boolean,
): ChartSpec | null {
  const rows = m.candidates.filter((c) => c.conformance?.caseResults.some(keep));
  const tags = allTags(rows, keep);
  if (rows.length === 0 || tags.length === 0) return null;
  const cells: HeatCell[] = rows.flatMap((row) =>
    tags.map((tag) => {
      const t = tallyCases(row.conformance?.caseResults ?? [], (r) => keep(r) && r.tags.includes(tag));
      const run = t.passed + t.failed;
      return {
        x: tag,
        y: row.label,
        rate: run === 0 ? null : t.passed / run,
        text: run === 0 ? (t.unsupported > 0 ? 'unsup.' : t.skipped > 0 ? 'skip' : '') : `${t.passed}/${run}`,
      };
    }),
  );
  const config: ChartConfiguration<'matrix', HeatCell[]> = {
    type: 'matrix',
    data: {
      datasets: [
        {
          label: 'pass rate',
          data: cells,
          backgroundColor: (c: ScriptableContext<'matrix'>) => rateColour(cells[c.dataIndex]?.rate),
          borderColor: 'white',
          borderWidth: 1,
          width: ({ chart }) => (chart.chartArea?.width ?? 0) / tags.length,
          height: ({ chart }) => (chart.chartArea?.height ?? 0) / rows.length,
        },
      ],
    },
    options: {
      plugins: {
        title: title(heading),
        subtitle: {
          display: true,
          text: 'passed/run per cell · green = all passed · red = all failed · grey = not measured',
        },
        legend: { display: false },
      },
      layout: { padding: { right: 16 } },
      scales: {
        x: {
          type: 'category',
          labels: tags,
          offset: true,
          grid: { display: false },
          ticks: { autoSkip: false, maxRotation: 60, minRotation: 45 },
        },
        y: {
          type: 'category',
          labels: rows.map((r) => r.label),
          // A vertical category axis already runs top to bottom: candidates in report order.
          offset: true,
          grid: { display: false },
        },
      },
    },
    plugins: [cellTextPlugin(cells)],
  };
  return {
    id,
    title: heading,
    width: Math.max(700, 160 + tags.length * 58),
    height: 140 + rows.length * 56,
    config,
  };
}

/** Commits (left axis) and contributors (right axis) per month, one line each per project. */
function activityChart(m: ReportModel): ChartSpec | null {
  const hs = m.projectHistory.filter((h) => h.history.monthly.length > 0);
  if (hs.length === 0) return null;
  const months = [...new Set(hs.flatMap((h) => h.history.monthly.map((x) => x.month)))].sort();
  const datasets = hs.flatMap((h, i) => {
    const at = (mo: string) => h.history.monthly.find((x) => x.month === mo);
    const colour = cycle(PALETTE, i);
    return [
      {
        label: `${h.label}: commits`,
        data: months.map((mo) => at(mo)?.commits ?? null),
        borderColor: colour,
        backgroundColor: colour,
        yAxisID: 'commits',
      },
      {
        label: `${h.label}: contributors`,
        data: months.map((mo) => at(mo)?.contributors ?? null),
        borderColor: colour,
        backgroundColor: colour,
        borderDash: [6, 4],
        yAxisID: 'people',
      },
    ];
  });
  const heading = 'Commits and contributors per month (measured from git)';
  return {
    id: CHART_IDS.activity,
    title: heading,
    config: {
      type: 'line',
      data: { labels: months, datasets },
      options: {
        plugins: { title: title(heading), legend: { position: 'bottom' } },
        scales: {
          commits: { position: 'left', beginAtZero: true, title: { display: true, text: 'commits' } },
          people: {
            position: 'right',
            beginAtZero: true,
            title: { display: true, text: 'contributors' },
            grid: { drawOnChartArea: false },
          },
        },
      },
    },
  };
}

/** Releases as points on a time line (x: date as a decimal year), one row per project. */
function releaseTimeline(m: ReportModel): ChartSpec | null {
  const hs = m.projectHistory.filter((h) => h.history.releases.length > 0);
  if (hs.length === 0) return null;
  const year = (d: string) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    const y = new Date(t).getUTCFullYear();
    return y + (t - Date.UTC(y, 0, 1)) / (Date.UTC(y + 1, 0, 1) - Date.UTC(y, 0, 1));
  };
  const datasets = hs.map((h, i) => ({
    label: h.label,
    data: h.history.releases.map((r) => ({ x: year(r.date), y: i, patch: !/\.0$/.test(r.tag) })),
    borderColor: cycle(PALETTE, i),
    backgroundColor: cycle(PALETTE, i),
    // Minor releases (x.y.0) large, patches small.
    pointRadius: h.history.releases.map((r) => (/\.0$/.test(r.tag) ? 7 : 3)),
  }));
  const heading = 'Releases on a time line (large: x.y.0, small: patches; measured from git tags)';
  return {
    id: CHART_IDS.releases,
    title: heading,
    height: 120 + 60 * hs.length,
    config: {
      type: 'scatter',
      data: { datasets },
      options: {
        plugins: { title: title(heading), legend: { position: 'bottom' } },
        scales: {
          x: {
            title: { display: true, text: 'year' },
            ticks: { stepSize: 1, callback: (v: string | number) => String(Math.round(Number(v))) },
          },
          y: {
            min: -0.5,
            max: hs.length - 0.5,
            ticks: { stepSize: 1, callback: (v: string | number) => hs[Number(v)]?.label ?? '' },
          },
        },
      },
    },
  };
}

function chartSpecs(m: ReportModel): ChartSpec[] {
  return [
    throughputChart(m),
    latencyChart(m),
    ...scaleCharts(m.candidates, { palette: PALETTE, font: FONT }),
    costChart(m, FONT),
    heatmapChart(m, CHART_IDS.heatmap, 'Conformance pass rate by tag', isNetworkPolicyCase),
    heatmapChart(m, CHART_IDS.adminHeatmap, 'Admin tier: pass rate by tag', (r) => !isNetworkPolicyCase(r)),
    caseProgrammingChart(m),
    ...radarCharts(m),
    activityChart(m),
    releaseTimeline(m),
  ].filter((c): c is ChartSpec => c !== null);
}

/** Renders every chart with data; writes `<id>.png` into outDir and returns the references. */
export async function renderCharts(m: ReportModel, outDir: string): Promise<ChartRef[]> {
  const canvases = new Map<string, ChartJSNodeCanvas>();
  const canvas = (w: number, h: number) => {
    const k = `${w}x${h}`;
    let c = canvases.get(k);
    if (!c) {
      c = new ChartJSNodeCanvas({
        width: w,
        height: h,
        backgroundColour: 'white',
        // Loaded into this canvas's own chart.js instance (chartjs-node-canvas gives each its own).
        plugins: { modern: ['chartjs-chart-error-bars', 'chartjs-chart-matrix'] },
        chartCallback: (ChartJS) => {
          ChartJS.defaults.font.family = FONT;
          ChartJS.defaults.font.size = 12;
          ChartJS.defaults.animation = false;
          ChartJS.defaults.devicePixelRatio = 1;
        },
      });
      canvases.set(k, c);
    }
    return c;
  };
  const out: ChartRef[] = [];
  for (const spec of chartSpecs(m)) {
    const buf = await canvas(spec.width ?? 900, spec.height ?? 460).renderToBuffer(spec.config, 'image/png');
    const file = `${spec.id.replace(/[^a-zA-Z0-9_.@-]/g, '_')}.png`;
    writeFileSync(path.join(outDir, file), buf);
    out.push({
      id: spec.id,
      title: spec.title,
      file,
      dataUri: `data:image/png;base64,${buf.toString('base64')}`,
    });
  }
  return out;
}
