/**
 * What the throughput and latency workloads share: the candidates they measure (arms), their options,
 * finding the client/server pair of a path, caching tool versions, running servers for a whole unit,
 * and turning a figure's series into a Measurement record.
 */
import type { ClusterDriver, PathKind, PerfPair, PerfTopology, PodHandle } from '../../cluster/driver.js';
import type { Measurement } from '../../results/schema.js';
import { summarize } from '../../stats/summary.js';
import { EnvironmentError } from '../../util/errors.js';
import type { Repetitions } from '../../scenario/schema.js';
import type { BlockSamplingOptions, FigureSeries } from '../sampling.js';
import type { PlantedHandicap } from './planted.js';
import type { MeasurementTool } from './tool.js';

/** One candidate as the perf workloads measure it: its cluster and its perf pods. */
export interface PerfArm {
  /** The candidate's name (results are filed under it). */
  name: string;
  driver: ClusterDriver;
  topology: PerfTopology;
  /** argv prefix that runs the pod agent in a pod (locally ['node', '<repo>/dist/src/agent/main.js']). */
  agentCommand: string[];
}

export interface PerfRunOptions {
  signal?: AbortSignal;
  /** Seed of the blocks' shuffled order (results.json `interleaving.seed`). */
  seed: number;
  /** Prefix of the units' names (the policy-scale sweep gives each policy count its own). */
  unitPrefix?: string;
  /** Measurement ids already in the results file (--resume): not measured again. */
  isDone?: (arm: string, id: string) => boolean;
  /** Called with each measurement as soon as it is complete, so the runner can save it at once. */
  onMeasurement?: (arm: string, m: Measurement) => void | Promise<void>;
  /** One line per step, for progress output. */
  onProgress?: (message: string) => void;
  /** Level and equivalence margin the sequential stopping rule decides at (scenario statistics). */
  decision?: { alpha: number; margin: number; familySize?: number };
  /** The deadline of the next unit's blocks (the workload's time budget, workloads/sampling.ts). */
  budget?: () => number | undefined;
  /** `run --planted P`: the candidate that carries a known handicap, and how much (planted.ts). */
  planted?: PlantedHandicap;
}

/** A measurement and the candidate it belongs to. */
export interface ArmMeasurement {
  arm: string;
  measurement: Measurement;
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

/** Whether a unit still has work: some candidate lacks one of its measurement ids. */
export function unitPending(arms: readonly PerfArm[], ids: readonly string[], opts: PerfRunOptions): boolean {
  return arms.some((a) => ids.some((id) => !opts.isDone?.(a.name, id)));
}

/** Reads each tool's version once per pod. */
class ToolVersions {
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

/**
 * Runs `body` with every server of `starts` running (each start runs its own body), stopping them in
 * reverse order afterwards — one server per path and candidate for a whole unit.
 */
export async function withServers<T>(starts: readonly ServerStart[], body: () => Promise<T>): Promise<T> {
  const [first, ...rest] = starts;
  if (!first) return body();
  return first(() => withServers(rest, body));
}

/** The block-sampling options every perf unit shares: who takes turns, how often, with what seed. */
export function unitSampling(
  arms: readonly PerfArm[],
  reps: Repetitions,
  opts: PerfRunOptions,
  sampling: { adaptive?: boolean },
): Pick<BlockSamplingOptions, 'arms' | 'reps' | 'seed' | 'adaptive' | 'signal' | 'decision' | 'deadline'> {
  const deadline = opts.budget?.();
  return {
    arms: arms.map((a) => a.name),
    reps,
    seed: opts.seed,
    ...(opts.decision ? { decision: opts.decision } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
    ...(sampling.adaptive !== undefined ? { adaptive: sampling.adaptive } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  };
}

/** Runs `body` with a server started for one pair (a tool's withServer, bound to its options). */
export type ServerStart = <R>(body: () => Promise<R>) => Promise<R>;

/**
 * What a perf workload needs per candidate: its client/server pair of each path, the tool's name and
 * version as read in its client pod, and the servers to run for the whole unit.
 */
export async function prepareArms(
  arms: readonly PerfArm[],
  paths: readonly PathKind[],
  toolOf: (arm: PerfArm) => MeasurementTool,
  startServer: (arm: PerfArm, pair: PerfPair) => ServerStart,
): Promise<{
  pairs: Map<string, PerfPair[]>;
  tools: Map<string, { name: string; version?: string }>;
  servers: ServerStart[];
}> {
  const versions = new ToolVersions();
  const pairs = new Map(arms.map((a) => [a.name, paths.map((p) => pairFor(a.topology, p))]));
  const tools = new Map(
    await Promise.all(
      arms.map(async (a) => {
        const tool = toolOf(a);
        const client = pairs.get(a.name)?.[0]?.client;
        const version = client ? await versions.get(tool, a.driver, client) : undefined;
        return [a.name, { name: tool.name, ...(version !== undefined ? { version } : {}) }] as const;
      }),
    ),
  );
  const servers = arms.flatMap((a) => (pairs.get(a.name) ?? []).map((pair) => startServer(a, pair)));
  return { pairs, tools, servers };
}

export type MeasurementBase = Omit<
  Measurement,
  'samples' | 'warmup' | 'summary' | 'adaptive' | 'schedule' | 'paired'
>;

export function toMeasurement(
  base: MeasurementBase,
  s: Pick<FigureSeries, 'samples' | 'warmup'> & Partial<FigureSeries>,
): Measurement {
  return {
    ...base,
    samples: [...s.samples],
    warmup: [...s.warmup],
    summary: summarize(s.samples),
    ...(s.adaptive ? { adaptive: s.adaptive } : {}),
    ...(s.schedule ? { schedule: s.schedule } : {}),
    ...(s.paired ? { paired: s.paired } : {}),
  };
}

/** The series of one figure of one candidate (collectBlocks' output). */
export function seriesOf(all: Map<string, Map<string, FigureSeries>>, arm: string, id: string): FigureSeries {
  const s = all.get(arm)?.get(id);
  if (!s) throw new Error(`no series ${id} for ${arm}`);
  return s;
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

export async function emit(
  out: ArmMeasurement[],
  arm: string,
  m: Measurement,
  opts: PerfRunOptions,
): Promise<void> {
  out.push({ arm, measurement: m });
  await opts.onMeasurement?.(arm, m);
}
