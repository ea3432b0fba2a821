/**
 * The derived cost figures (docs/cost.md): their metric names, units and titles, which the workloads
 * write and compare, scoring and the report read. All of them are lower-is-better.
 */
export const COST_METRICS = {
  'cpu-per-gbit': { unit: 'CPU s/Gbit', title: 'CPU seconds per Gbit transferred' },
  'cpu-per-kconn': { unit: 'CPU s/1000 conn', title: 'CPU seconds per thousand connections' },
  'cpu-per-transaction': { unit: 'CPU us/transaction', title: 'CPU microseconds per RR transaction' },
  'memory-per-kpolicy': { unit: 'MiB/1000 policies', title: 'dataplane memory per thousand policies' },
} as const;

export type CostMetric = keyof typeof COST_METRICS;

export function isCostMetric(metric: string): metric is CostMetric {
  return Object.hasOwn(COST_METRICS, metric);
}
