/**
 * The policy-scale sweep drawn engine by engine (issue 19): one chart per figure, one line per
 * candidate, x = NetworkPolicies installed on a logarithmic axis (the sweep's counts grow tenfold),
 * y = the figure's median, logarithmic where the medians span a decade or more (install time and
 * memory grow with N, add-deny times differ by orders of magnitude between engines), linear otherwise
 * (throughput, RR latency), so small differences stay visible. A log axis has no 0: the count 0 is
 * left out of the charts (the table under them has it).
 */
import type { ChartConfiguration } from 'chart.js';
import type { CandidateResult, Measurement } from '../results/schema.js';
import { cycle } from '../util/arrays.js';

interface ScaleFigure {
  /** Chart id (`policy-scale-<key>`), also the PNG's name. */
  key: string;
  heading: string;
  pick: (x: Measurement) => boolean;
}

/** The sweep's figures, in the order the report shows them. */
export const SCALE_FIGURES: readonly ScaleFigure[] = [
  { key: 'throughput', heading: 'TCP throughput', pick: (x) => x.metric === 'throughput' },
  { key: 'rtt', heading: 'RR latency (median round trip)', pick: (x) => x.metric === 'rtt' },
  { key: 'connections', heading: 'CRR rate', pick: (x) => x.metric === 'connections' },
  {
    key: 'add-deny',
    heading: 'Adding one deny: time until a probe sees it enforced',
    // Sweeps before remove-deny existed recorded the add alone, without a `change`.
    pick: (x) =>
      x.metric === 'programming-latency' &&
      (x.parameters.change === 'add-deny' || x.parameters.change === undefined),
  },
  {
    key: 'remove-deny',
    heading: 'Removing it: time until a probe sees it lifted',
    pick: (x) => x.metric === 'programming-latency' && x.parameters.change === 'remove-deny',
  },
  { key: 'install', heading: 'Installing all N policies', pick: (x) => x.metric === 'install-time' },
  {
    key: 'policy-state',
    heading: "Policy state size, the engine's own account (not comparable across engines)",
    pick: (x) => x.metric === 'policy-state-bytes' || x.metric === 'policy-memory',
  },
  {
    key: 'memory-per-kpolicy',
    heading: 'Dataplane kernel memory per 1,000 policies (cgroup counters)',
    pick: (x) => x.metric === 'memory-per-kpolicy',
  },
];

export const scaleChartId = (key: string) => `policy-scale-${key}`;

interface ScaleChart {
  id: string;
  title: string;
  config: ChartConfiguration<'line', Array<{ x: number; y: number }>>;
}

/** Whether positive values span at least a decade (then a log axis shows them all). */
function spansDecade(values: readonly number[]): boolean {
  const pos = values.filter((v) => v > 0);
  return pos.length > 1 && Math.max(...pos) / Math.min(...pos) >= 10;
}

export function scaleCharts(
  candidates: ReadonlyArray<Pick<CandidateResult, 'name' | 'label' | 'measurements'>>,
  style: { palette: readonly string[]; font: string },
): ScaleChart[] {
  const out: ScaleChart[] = [];
  for (const fig of SCALE_FIGURES) {
    const rows = candidates.flatMap((c) =>
      c.measurements
        .filter((x) => fig.pick(x) && Number(x.parameters.policies) > 0)
        .map((x) => ({ c, x, n: Number(x.parameters.policies) })),
    );
    if (rows.length === 0) continue;
    const paths = new Set(rows.map(({ x }) => x.path));
    // One line per candidate (and path, when a figure was measured on several).
    const keys = [...new Set(rows.map(({ c, x }) => `${c.name}\u0000${x.path}`))];
    const datasets = keys.map((k, i) => {
      const pts = rows.filter(({ c, x }) => `${c.name}\u0000${x.path}` === k);
      const first = pts[0];
      const label = first ? first.c.label + (paths.size > 1 ? ` · ${first.x.path}` : '') : k;
      return {
        label,
        data: pts.map(({ n, x }) => ({ x: n, y: x.summary.median })).sort((a, b) => a.x - b.x),
        borderColor: cycle(style.palette, i),
        backgroundColor: cycle(style.palette, i),
      };
    });
    const ys = rows.map(({ x }) => x.summary.median);
    const logY = spansDecade(ys) && ys.every((v) => v > 0);
    const unit = rows[0]?.x.unit ?? '';
    const heading = `${fig.heading} vs. policies installed`;
    out.push({
      id: scaleChartId(fig.key),
      title: heading,
      config: {
        type: 'line',
        data: { datasets },
        options: {
          plugins: {
            title: { display: true, text: heading, font: { size: 16, family: style.font } },
            legend: { position: 'bottom' },
          },
          scales: {
            x: {
              type: 'logarithmic',
              title: { display: true, text: 'NetworkPolicies installed (log scale; 0 is in the table)' },
            },
            y: {
              type: logY ? 'logarithmic' : 'linear',
              ...(logY ? {} : { beginAtZero: true }),
              title: { display: true, text: `${unit} (median${logY ? ', log scale' : ''})` },
            },
          },
        },
      },
    });
  }
  return out;
}
