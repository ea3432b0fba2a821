/**
 * Charts as PNG files (chart.js through chartjs-node-canvas, rendered in-process, system fonts only)
 * written next to the report and returned as data URIs for the self-contained HTML. Error bars and
 * the conformance heat map are small inline plugins passed per chart (nothing registered globally).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ChartJSNodeCanvas } from 'chartjs-node-canvas';
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { CandidateResult, CaseResult, Measurement } from '../results/schema.js';
import { allTags, isNetworkPolicyCase, tallyCases } from '../scoring/features.js';
import type { ChartRef } from './blocks.js';
import type { ReportModel } from './model.js';
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

type ErrorBars = Array<[number, number] | null>;

/** Draws [low, high] whiskers over each bar from dataset.errorBars. */
const errorBarPlugin: Plugin = {
  id: 'cnibenchErrorBars',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    const y = chart.scales.y;
    chart.data.datasets.forEach((ds, di) => {
      const bars = (ds as unknown as { errorBars?: ErrorBars }).errorBars;
      const meta = chart.getDatasetMeta(di);
      if (!bars || meta.hidden) return;
      meta.data.forEach((el, i) => {
        const eb = bars[i];
        if (!eb) return;
        const x = el.x;
        const top = y.getPixelForValue(eb[1]);
        const bottom = y.getPixelForValue(eb[0]);
        ctx.save();
        ctx.strokeStyle = '#111';
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(x, top);
        ctx.lineTo(x, bottom);
        ctx.moveTo(x - 6, top);
        ctx.lineTo(x + 6, top);
        ctx.moveTo(x - 6, bottom);
        ctx.lineTo(x + 6, bottom);
        ctx.stroke();
        ctx.restore();
      });
    });
  },
};

/** A matrix of coloured cells (candidate × tag) over category scales, with the count in each cell. */
function heatmapPlugin(
  cells: Array<{ x: number; y: number; rate: number | null; text: string }>,
  cols: number,
  rows: number,
): Plugin {
  return {
    id: 'cnibenchHeatmap',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea: a } = chart;
      const w = (a.right - a.left) / cols;
      const h = (a.bottom - a.top) / rows;
      ctx.save();
      ctx.font = `12px "${FONT}"`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      for (const c of cells) {
        const x0 = a.left + c.x * w;
        const y0 = a.top + c.y * h;
        ctx.fillStyle = c.rate === null ? '#d9d9d9' : `hsl(${Math.round(120 * c.rate)}, 65%, 55%)`;
        ctx.fillRect(x0 + 1, y0 + 1, w - 2, h - 2);
        ctx.fillStyle = '#111';
        ctx.fillText(c.text, x0 + w / 2, y0 + h / 2);
      }
      ctx.restore();
    },
  };
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

function throughputChart(m: ReportModel): ChartSpec | null {
  const groups = [...new Set(m.candidates.flatMap((c) => plainThroughput(c).map(groupLabel)))];
  if (groups.length === 0) return null;
  const unit = m.candidates.flatMap(plainThroughput)[0].unit;
  const datasets = m.candidates
    .filter((c) => plainThroughput(c).length > 0)
    .map((c, i) => {
      const byGroup = groups.map((g) => plainThroughput(c).find((x) => groupLabel(x) === g));
      return {
        label: c.label,
        data: byGroup.map((x) => (x ? x.summary.median : null)),
        backgroundColor: PALETTE[i % PALETTE.length],
        errorBars: byGroup.map((x) =>
          x && x.summary.n > 1 && x.summary.ciDefined !== false ? x.summary.ci95Median : null,
        ),
      };
    });
  const maxWhisker = Math.max(
    0,
    ...datasets.flatMap((d) => d.errorBars.map((e) => e?.[1] ?? 0)),
    ...datasets.flatMap((d) => d.data.map((v) => v ?? 0)),
  );
  return {
    id: CHART_IDS.throughput,
    title: 'Throughput (median, 95% CI)',
    config: {
      type: 'bar',
      data: { labels: groups, datasets: datasets as never },
      options: {
        plugins: {
          title: title(`Throughput (median, 95% CI of the median), ${unit}`),
          legend: { position: 'bottom' },
        },
        // Leave room above the tallest whisker (the CI may reach past the tallest bar).
        scales: {
          y: { beginAtZero: true, suggestedMax: maxWhisker * 1.05, title: { display: true, text: unit } },
        },
      },
      plugins: [errorBarPlugin],
    },
  };
}

function latencyChart(m: ReportModel): ChartSpec | null {
  const rtts = (c: CandidateResult) =>
    c.measurements.filter((x) => x.metric === 'rtt' && x.parameters.policies === undefined);
  const series = m.candidates.flatMap((c) => rtts(c).map((x) => ({ c, x })));
  if (series.length === 0) return null;
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
          title: title(`Request/response latency percentiles (${series[0].x.unit})`),
          legend: { position: 'bottom' },
        },
        scales: { y: { beginAtZero: true, title: { display: true, text: series[0].x.unit } } },
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
        .filter((v): v is number => v !== null)
        .sort((a, b) => a - b),
    }))
    .filter((r) => r.ms.length > 0);
  if (rows.length === 0) return null;
  const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
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
          { label: 'max', data: rows.map((r) => r.ms[r.ms.length - 1]), backgroundColor: '#08519c' },
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

function lineByPolicies(
  m: ReportModel,
  id: string,
  heading: string,
  pickMetric: (x: Measurement) => boolean,
): ChartSpec | null {
  const xs = m.candidates.flatMap((c) =>
    c.measurements.filter((x) => pickMetric(x) && x.parameters.policies !== undefined).map((x) => ({ c, x })),
  );
  if (xs.length === 0) return null;
  const counts = [...new Set(xs.map(({ x }) => Number(x.parameters.policies)))].sort((a, b) => a - b);
  const keys = [...new Set(xs.map(({ c, x }) => `${c.name}|${x.metric}|${x.path}`))];
  const units = [...new Set(xs.map(({ x }) => x.unit))];
  const datasets = keys.map((k, i) => {
    const [name, metric, p] = k.split('|');
    const pts = xs.filter(({ c, x }) => c.name === name && x.metric === metric && x.path === p);
    const label = `${pts[0].c.label} · ${metric} (${pts[0].x.unit})`;
    return {
      label,
      data: counts.map(
        (n) => pts.find(({ x }) => Number(x.parameters.policies) === n)?.x.summary.median ?? null,
      ),
      borderColor: PALETTE[i % PALETTE.length],
      backgroundColor: PALETTE[i % PALETTE.length],
      spanGaps: true,
      // Figures in different units (µs next to Gbit/s) each get an axis, so none is squashed flat.
      yAxisID: `y${units.indexOf(pts[0].x.unit)}`,
    };
  });
  const axes = Object.fromEntries(
    units.map((unit, i) => [
      `y${i}`,
      {
        beginAtZero: true,
        position: i % 2 === 0 ? 'left' : 'right',
        title: { display: true, text: unit },
        grid: { drawOnChartArea: i === 0 },
      },
    ]),
  );
  return {
    id,
    title: heading,
    config: {
      type: 'line',
      data: { labels: counts.map(String), datasets },
      options: {
        plugins: { title: title(heading), legend: { position: 'bottom' } },
        scales: {
          x: { title: { display: true, text: 'NetworkPolicies installed' } },
          ...axes,
        },
      },
    },
  };
}

function radarCharts(m: ReportModel): ChartSpec[] {
  const criteria = Object.keys(m.scoring.weights);
  const mk = (id: string, heading: string, cands: typeof m.scoring.candidates): ChartSpec => ({
    id,
    title: heading,
    width: 560,
    height: 480,
    config: {
      type: 'radar',
      data: {
        labels: criteria,
        datasets: cands.map((c) => {
          const i = m.scoring.candidates.indexOf(c);
          return {
            label: c.label,
            // A criterion without data is drawn as a gap, not as zero.
            data: criteria.map((k) => c.criteria.find((x) => x.criterion === k)?.score ?? null),
            borderColor: PALETTE[i % PALETTE.length],
            backgroundColor: `${PALETTE[i % PALETTE.length]}33`,
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

/** Pass rate by tag over the conformance cases `keep` accepts (NetworkPolicy, or the admin tier). */
function heatmapChart(
  m: ReportModel,
  id: string,
  heading: string,
  keep: (r: CaseResult) => boolean,
): ChartSpec | null {
  const cands = m.candidates.filter((c) => c.conformance?.caseResults.some(keep));
  const tags = allTags(cands, keep);
  if (cands.length === 0 || tags.length === 0) return null;
  const cells = cands.flatMap((c, y) =>
    tags.map((tag, x) => {
      const t = tallyCases(c.conformance!.caseResults, (r) => keep(r) && r.tags.includes(tag));
      const run = t.passed + t.failed;
      return {
        x,
        y,
        rate: run === 0 ? null : t.passed / run,
        text: run === 0 ? (t.unsupported > 0 ? 'unsup.' : t.skipped > 0 ? 'skip' : '') : `${t.passed}/${run}`,
      };
    }),
  );
  const width = Math.max(700, 160 + tags.length * 58);
  return {
    id,
    title: heading,
    width,
    height: 140 + cands.length * 56,
    config: {
      type: 'scatter',
      data: { datasets: [{ label: 'cells', data: [], pointRadius: 0 }] },
      options: {
        plugins: {
          title: title(heading),
          subtitle: {
            display: true,
            text: 'passed/run per cell · green = all passed · red = all failed · grey = not measured',
          },
          legend: { display: false },
        },
        scales: {
          x: {
            type: 'linear',
            min: 0,
            max: tags.length,
            grid: { display: false },
            afterBuildTicks: (axis) => {
              axis.ticks = tags.map((_, i) => ({ value: i + 0.5 }));
            },
            ticks: {
              autoSkip: false,
              maxRotation: 60,
              minRotation: 45,
              callback: (v) => tags[Math.floor(Number(v))] ?? '',
            },
          },
          y: {
            type: 'linear',
            min: 0,
            max: cands.length,
            reverse: true,
            grid: { display: false },
            afterBuildTicks: (axis) => {
              axis.ticks = cands.map((_, i) => ({ value: i + 0.5 }));
            },
            ticks: { callback: (v) => cands[Math.floor(Number(v))]?.label ?? '' },
          },
        },
      },
      plugins: [heatmapPlugin(cells, tags.length, cands.length)],
    },
  };
}

function chartSpecs(m: ReportModel): ChartSpec[] {
  return [
    throughputChart(m),
    latencyChart(m),
    lineByPolicies(
      m,
      CHART_IDS.programming,
      'Policy programming latency (median) vs. policies installed',
      (x) => x.metric === 'programming-latency',
    ),
    lineByPolicies(
      m,
      CHART_IDS.scale,
      'Performance (median) vs. policies installed',
      (x) => x.metric !== 'programming-latency',
    ),
    heatmapChart(m, CHART_IDS.heatmap, 'Conformance pass rate by tag', isNetworkPolicyCase),
    heatmapChart(m, CHART_IDS.adminHeatmap, 'Admin tier: pass rate by tag', (r) => !isNetworkPolicyCase(r)),
    caseProgrammingChart(m),
    ...radarCharts(m),
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
    const buf = await canvas(spec.width ?? 900, spec.height ?? 460).renderToBuffer(
      spec.config as never,
      'image/png',
    );
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
