/**
 * What the throughput and latency workloads share: their options, finding the client/server pair of a
 * path, caching tool versions, and turning a sampling result into a Measurement record.
 */
import type { ClusterDriver, PathKind, PerfPair, PerfTopology, PodHandle } from '../../cluster/driver.js';
import type { Measurement } from '../../results/schema.js';
import { summarize } from '../../stats/summary.js';
import { EnvironmentError } from '../../util/errors.js';
import type { SamplingOptions, SamplingResult } from '../sampling.js';
import type { MeasurementTool } from './tool.js';

export interface PerfRunOptions {
  /** argv prefix that runs the pod agent in a pod (locally ['node', '<repo>/dist/src/agent/main.js']). */
  agentCommand: string[];
  signal?: AbortSignal;
  sampling?: Omit<SamplingOptions, 'signal'>;
  /** Measurement ids already in the results file (--resume): not measured again. */
  isDone?: (id: string) => boolean;
  /** Called with each measurement as soon as it is complete, so the runner can save it at once. */
  onMeasurement?: (m: Measurement) => void | Promise<void>;
  /** One line per step, for progress output. */
  onProgress?: (message: string) => void;
}

/** The paths a workload measures, baseline first (every other figure is read against it). */
export function workloadPaths(w: { paths: readonly PathKind[]; baseline: boolean }): PathKind[] {
  const paths = [...new Set(w.paths.filter((p) => p !== 'baseline'))];
  return w.baseline || w.paths.includes('baseline') ? ['baseline', ...paths] : paths;
}

export function pairFor(topology: PerfTopology, path: PathKind): PerfPair {
  const pair = topology.pairs.find((p) => p.path === path);
  if (!pair) {
    const have = topology.pairs.map((p) => p.path).join(', ') || 'none';
    throw new EnvironmentError(`no client/server pair for path "${path}" (the driver prepared: ${have})`);
  }
  return pair;
}

/** Reads each tool's version once per pod. */
export class ToolVersions {
  private readonly cache = new Map<string, Promise<string | undefined>>();
  get(tool: MeasurementTool, driver: ClusterDriver, pod: PodHandle): Promise<string | undefined> {
    const key = `${tool.name}@${pod.key}`;
    let v = this.cache.get(key);
    if (!v) {
      v = tool.version(driver, pod).catch(() => undefined);
      this.cache.set(key, v);
    }
    return v;
  }
}

export type MeasurementBase = Omit<Measurement, 'samples' | 'warmup' | 'summary' | 'adaptive'>;

export function toMeasurement(
  base: MeasurementBase,
  s: Pick<SamplingResult, 'samples' | 'warmup' | 'adaptive'>,
): Measurement {
  const m: Measurement = {
    ...base,
    samples: [...s.samples],
    warmup: [...s.warmup],
    summary: summarize(s.samples),
  };
  if (s.adaptive) {
    const { targetCiPercent, maxSamples, reached, ciPercent } = s.adaptive;
    m.adaptive = { targetCiPercent, maxSamples, reached };
    if (Number.isFinite(ciPercent))
      m.parameters = { ...m.parameters, ciHalfWidthPercent: round(ciPercent, 3) };
  }
  return m;
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export async function emit(out: Measurement[], m: Measurement, opts: PerfRunOptions): Promise<void> {
  out.push(m);
  await opts.onMeasurement?.(m);
}
