/** Every measurement as one CSV row (summary statistics plus the raw samples), for spreadsheets and R. */
import { csvField } from './escape.js';
import type { ReportModel } from './model.js';

const HEADERS = [
  'run_id',
  'candidate',
  'label',
  'cni',
  'measurement_id',
  'workload',
  'path',
  'metric',
  'unit',
  'higher_is_better',
  'parameters',
  'tool',
  'n',
  'mean',
  'median',
  'stdev',
  'cv',
  'min',
  'max',
  'p50',
  'p90',
  'p99',
  'ci95_mean_low',
  'ci95_mean_high',
  'ci95_median_low',
  'ci95_median_high',
  'outliers',
  'samples',
  'warmup',
];

export function renderCsv(m: ReportModel): string {
  const lines = [HEADERS.join(',')];
  for (const c of m.candidates) {
    for (const x of c.measurements) {
      const s = x.summary;
      const params = Object.entries(x.parameters)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(';');
      const row = [
        m.runOf.get(c.name) ?? '',
        c.name,
        c.label,
        c.cni,
        x.id,
        x.workload,
        x.path,
        x.metric,
        x.unit,
        x.higherIsBetter,
        params,
        x.tool.version ? `${x.tool.name} ${x.tool.version}` : x.tool.name,
        s.n,
        s.mean,
        s.median,
        s.stdev,
        s.cv,
        s.min,
        s.max,
        s.p50,
        s.p90,
        s.p99,
        s.ci95[0],
        s.ci95[1],
        s.ci95Median[0],
        s.ci95Median[1],
        s.outliers.join(' '),
        x.samples.join(' '),
        x.warmup.join(' '),
      ];
      lines.push(row.map(csvField).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}
