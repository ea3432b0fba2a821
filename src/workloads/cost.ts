/**
 * Cost recording for the perf workloads (docs/cost.md). Each measured run is wrapped: the dataplane
 * memory gauge and the CPU counters of the run's pair are read just before it starts, the CPU
 * counters again just after it ends — never while its traffic flows — and the difference is what
 * the run cost. Every run's cost is kept with its sample (Measurement.cost), and the workloads turn
 * it into derived figures per run (CPU seconds per Gbit, per thousand connections, per
 * transaction), which go through the blocks like any other figure: samples, schedule, paired
 * baseline, compare verdicts.
 *
 * Cost is recorded only when every candidate of a unit has a CostReader (a unit's figures must be
 * the same for all of its candidates).
 */
import { cpuDelta, type CpuDelta } from '../cluster/cost.js';
import type { CostReader, PerfPair } from '../cluster/driver.js';
import { COST_METRICS, type CostMetric } from '../results/cost-metrics.js';
import type { Measurement, SampleCost } from '../results/schema.js';
import type { PerfArm } from './tools/measure.js';

/** What one run cost. */
export interface RunCost {
  cpu: CpuDelta;
  /** Dataplane memory read before the run (bytes), when the reader can tell. */
  memoryBytes?: number;
}

/** Each candidate's CostReader, or undefined when one of them has none (then no cost is recorded). */
export function costReaders(
  arms: readonly Pick<PerfArm, 'name' | 'driver'>[],
): Map<string, CostReader> | undefined {
  const out = new Map<string, CostReader>();
  for (const a of arms) {
    const r = a.driver.cost?.();
    if (!r) return undefined;
    out.set(a.name, r);
  }
  return out;
}

/** Runs `body` between two reads of the pair's counters (and one of the memory gauge before it). */
export async function withCost<T>(
  reader: CostReader | undefined,
  pair: PerfPair,
  body: () => Promise<T>,
  signal?: AbortSignal,
): Promise<{ result: T; cost?: RunCost }> {
  if (!reader) return { result: await body() };
  const memoryBytes = await reader.dataplaneMemoryBytes(signal);
  const before = await reader.readCpu(pair, signal);
  const result = await body();
  const after = await reader.readCpu(pair, signal);
  return {
    result,
    cost: { cpu: cpuDelta(before, after), ...(memoryBytes !== undefined ? { memoryBytes } : {}) },
  };
}

/** The measured runs' costs of each candidate and path, in sample order (warm-up runs are not kept). */
export class CostLog {
  private readonly runs = new Map<string, RunCost[]>();

  add(arm: string, path: string, cost: RunCost | undefined): void {
    if (!cost) return;
    const k = `${arm}/${path}`;
    this.runs.set(k, [...(this.runs.get(k) ?? []), cost]);
  }

  /** The record kept with the measurement's samples (same index), or undefined without cost. */
  sampleCost(arm: string, path: string, method: string | undefined): SampleCost | undefined {
    const runs = this.runs.get(`${arm}/${path}`);
    if (!runs || runs.length === 0 || method === undefined) return undefined;
    const partNames = [...new Set(runs.flatMap((r) => Object.keys(r.cpu.parts)))].sort();
    const memory = runs.map((r) => r.memoryBytes);
    return {
      method,
      cpuSeconds: runs.map((r) => roundTo(r.cpu.totalSeconds, 6)),
      cpuParts: Object.fromEntries(
        partNames.map((p) => [p, runs.map((r) => roundTo(r.cpu.parts[p] ?? 0, 6))]),
      ),
      ...(memory.every((m): m is number => m !== undefined) ? { dataplaneMemoryBytes: memory } : {}),
    };
  }
}

function roundTo(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** CPU seconds per Gbit received. */
export function cpuPerGbit(cost: RunCost, bitsPerSecond: number, seconds: number): number {
  const gbit = (bitsPerSecond * seconds) / 1e9;
  return gbit > 0 ? cost.cpu.totalSeconds / gbit : NaN;
}

/** CPU seconds per thousand connections. */
export function cpuPerThousand(cost: RunCost, count: number): number {
  return count > 0 ? (1000 * cost.cpu.totalSeconds) / count : NaN;
}

/** CPU microseconds per transaction. */
export function cpuUsPerTransaction(cost: RunCost, count: number): number {
  return count > 0 ? (1e6 * cost.cpu.totalSeconds) / count : NaN;
}

/** Fields every derived cost measurement shares (lower cost is better). */
export function costFigure(
  metric: CostMetric,
  from: string,
  method: string,
): Pick<Measurement, 'metric' | 'unit' | 'higherIsBetter' | 'tool' | 'derivedFrom'> {
  return {
    metric,
    unit: COST_METRICS[metric].unit,
    higherIsBetter: false,
    tool: { name: method },
    derivedFrom: from,
  };
}
