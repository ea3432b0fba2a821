/**
 * The policy-scale sweep: at each policy count N of the workload, install N generated policies
 * (generate.ts; the perf path stays allowed, checked with the model first), then measure throughput,
 * RR latency and CRR rate on the workload's path with the perf workloads' own code, and the
 * programming latency of one extra policy (programming.ts) — adding a deny on the probe pair and
 * removing it again.
 *
 * Every measurement carries `parameters.policies = N`; ids are `policy-scale/policies=N/<perf id>`
 * `policy-scale/policies=N/programming/<install|add-deny|remove-deny>`, so `--resume` skips what is done.
 * The driver is left with no policies at the end.
 *
 * Two memory figures, which measure different things (docs/results.md, "Policy-scale figures"):
 *   - `policy-scale/policies=N/dataplane/memory-per-kpolicy` (cost metric): where the clusters offer
 *     cost counters (../cost.ts), the perf runs at each count read the dataplane's kernel memory (the
 *     dataplane cgroup locally, the nodes' summaries on real clusters) before they start; the figure
 *     is, run for run, (that reading − the reading with no policies, taken once at set-up) per
 *     thousand policies, in MiB (N > 0; from the first perf figure measured at N). Same method for
 *     every engine and CNI: the one to compare.
 *   - `policy-scale/policies=N/policy-state` (metric `policy-state-bytes`): the local policy engine's
 *     own account of its policy state after installing N, in bytes, one reading — what the bytes are
 *     depends on the engine (`parameters.counts`): the eBPF maps' kernel memory, the nftables
 *     ruleset's text size. Explains one engine's growth; not a like-for-like comparison.
 */
import type { ClusterDriver, PerfPair, PodHandle, ProbeRequest } from '../../cluster/driver.js';
import type { Labels, NetworkPolicy, ResolvedPod } from '../../netpol/types.js';
import type { Measurement } from '../../results/schema.js';
import type { Repetitions, Workload } from '../../scenario/schema.js';
import { resolveCase } from '../../netpol/resolve.js';
import { servePortName } from '../../netpol/types.js';
import { runLatency, type LatencyWorkload } from '../latency/run.js';
import { costFigure, costReaders } from '../cost.js';
import { collectBlocks } from '../sampling.js';
import { runThroughput, type ThroughputWorkload } from '../throughput/run.js';
import {
  emit,
  pairFor,
  seriesOf,
  toMeasurement,
  type ArmMeasurement,
  type PerfArm,
  type PerfRunOptions,
} from '../tools/measure.js';
import { DEFAULT_SCALE_SEED, generateScalePolicies, probeDenyPolicy } from './generate.js';
import {
  PROBE_CLIENT,
  PROBE_SERVER,
  perfEndpoints,
  scaleLayoutBase,
  scaleLayoutCase,
  type ScaleLayoutOptions,
  type ScaleLayout,
} from './layout.js';
import { measureFlip, type FlipOptions } from './programming.js';
import { assertScalePolicies } from './verify.js';

export type PolicyScaleWorkload = Extract<Workload, { kind: 'policy-scale' }>;

export interface PolicyScaleOptions {
  /** Seed of the policy generator (default DEFAULT_SCALE_SEED): same seed, same policies. */
  seed?: number;
  layout?: ScaleLayoutOptions;
  /** Probe timing of the programming-latency measurement. */
  flip?: Omit<FlipOptions, 'signal'>;
  /** Called after each policy count with the time setPolicies took (progress, benchmarks). */
  onStep?: (info: { policies: number; setPoliciesMs: number }) => void;
}

export function scaleId(policies: number, inner: string): string {
  return `policy-scale/policies=${policies}/${inner}`;
}

/** Re-files a perf workload's measurement under the sweep: new id, `policies` parameter. */
function underSweep(m: Measurement, policies: number): Measurement {
  return {
    ...m,
    id: scaleId(policies, m.id),
    parameters: { ...m.parameters, policies },
    // A cost figure names the figure it was derived from, which moves under the sweep with it.
    ...(m.derivedFrom !== undefined ? { derivedFrom: scaleId(policies, m.derivedFrom) } : {}),
  };
}

/**
 * The perf pair as the model and setPolicies see it. Their labels are the driver's (a local pod
 * handle carries them; a bare PodHandle does not) — the perf allow selects by namespace only, so the
 * verdict does not depend on them.
 */
function perfPodsAsResolved(layout: ScaleLayout, pair: PerfPair): ResolvedPod[] {
  const ports = layout.perf.ports.map((p) => ({ name: servePortName(p.port, p.protocol), ...p }));
  const resolved = (pod: PodHandle): ResolvedPod => ({
    namespace: pod.namespace,
    name: pod.name,
    key: pod.key,
    labels: { ...((pod as PodHandle & { labels?: Labels }).labels ?? {}) },
    ip: pod.ip,
    ports,
  });
  return pair.client.key === pair.server.key
    ? [resolved(pair.client)]
    : [resolved(pair.client), resolved(pair.server)];
}

const MIB = 1024 * 1024;

/**
 * Dataplane memory per thousand policies at count `n`, one figure per candidate, from the memory
 * readings of the first perf measurement that has them (same samples and schedule).
 */
function memoryPerKilopolicy(
  measured: readonly ArmMeasurement[],
  atZero: ReadonlyMap<string, number>,
  n: number,
): ArmMeasurement[] {
  const out: ArmMeasurement[] = [];
  for (const [arm, zero] of atZero) {
    const from = measured.find((x) => x.arm === arm && x.measurement.cost?.dataplaneMemoryBytes)?.measurement;
    const readings = from?.cost?.dataplaneMemoryBytes;
    if (!from?.cost || !readings) continue;
    const perK = (bytes: number) => Math.round(((bytes - zero) / MIB / (n / 1000)) * 1e6) / 1e6;
    out.push({
      arm,
      measurement: toMeasurement(
        {
          id: scaleId(n, 'dataplane/memory-per-kpolicy'),
          workload: 'policy-programming',
          path: from.path,
          ...costFigure('memory-per-kpolicy', scaleId(n, from.id), from.cost.method),
          parameters: { policies: n },
          details: {
            sample:
              'dataplane memory read before one perf run, less the reading with no policies, per 1000 policies',
            bytesWithNoPolicies: zero,
          },
        },
        { samples: readings.map(perK), warmup: [], ...(from.schedule ? { schedule: from.schedule } : {}) },
      ),
    });
  }
  return out;
}

/** One candidate's sweep set-up: its layout, perf pair and probe. */
interface ScaleSetup {
  arm: PerfArm;
  layout: ScaleLayout;
  allPods: ResolvedPod[];
  request: ProbeRequest;
  probeServer: ResolvedPod;
}

/** The candidate's cluster for the sweep: a driver and how to prepare its perf pods. */
export interface ScaleArm {
  name: string;
  driver: ClusterDriver;
  agentCommand: string[];
}

async function setUp(
  a: ScaleArm,
  path: PerfPair['path'],
  opts: PolicyScaleOptions,
  signal?: AbortSignal,
): Promise<ScaleSetup> {
  const { driver } = a;
  // Layout pods first (a driver may remove pods a case does not name), then the perf pair.
  const partial = scaleLayoutBase(opts.layout);
  const layoutPods = await driver.ensureLayout(resolveCase(scaleLayoutCase(partial)), signal);
  const topology = await driver.preparePerf([path], signal);
  const pair = pairFor(topology, path);
  const layout: ScaleLayout = { ...partial, perf: perfEndpoints(pair) };
  const find = (name: string) => {
    const p = layoutPods.find((x) => x.namespace === layout.probeNamespace && x.name === name);
    if (!p) throw new Error(`ensureLayout did not return the probe pod ${layout.probeNamespace}/${name}`);
    return p;
  };
  const probeClient = find(PROBE_CLIENT);
  const probeServer = find(PROBE_SERVER);
  return {
    arm: { name: a.name, driver, topology, agentCommand: a.agentCommand },
    layout,
    allPods: [...layoutPods, ...perfPodsAsResolved(layout, pair)],
    request: {
      from: probeClient.key,
      to: probeServer.key,
      toIp: probeServer.ip,
      port: layout.probe.port,
      protocol: layout.probe.protocol,
    },
    probeServer,
  };
}

/**
 * The sweep over every candidate at once: at each policy count every candidate's cluster holds the
 * same N policies, and the perf figures and programming latencies are measured in blocks that
 * interleave the candidates. Exactly `repetitions.count` samples per figure: the sweep compares policy
 * counts, and a fixed count keeps its length predictable.
 */
export async function runPolicyScale(
  arms: readonly ScaleArm[],
  workload: PolicyScaleWorkload,
  repetitions: Repetitions,
  tools: PerfRunOptions,
  opts: PolicyScaleOptions = {},
): Promise<ArmMeasurement[]> {
  const { seed = DEFAULT_SCALE_SEED } = opts;
  const signal = tools.signal;
  const out: ArmMeasurement[] = [];
  const path = workload.path;
  const setups: ScaleSetup[] = [];
  for (const a of arms) setups.push(await setUp(a, path, opts, signal));
  const setupOf = (name: string) => {
    const st = setups.find((x) => x.arm.name === name);
    if (!st) throw new Error(`unknown candidate ${name}`);
    return st;
  };
  const flipOpts: FlipOptions = { ...opts.flip, signal };
  // Dataplane memory with no policy installed: what each count's readings are measured against.
  const readers = costReaders(setups.map((st) => st.arm));
  const memoryAtZero = new Map<string, number>();
  for (const st of readers ? setups : []) {
    await st.arm.driver.setPolicies([], st.allPods, signal);
    const bytes = await readers?.get(st.arm.name)?.dataplaneMemoryBytes(signal);
    if (bytes !== undefined) memoryAtZero.set(st.arm.name, bytes);
  }
  const counts = [...new Set(workload.counts)];
  const isDone = (arm: string, id: string) => tools.isDone?.(arm, id) ?? false;
  const perfArmsOf = (active: readonly ScaleSetup[]) => active.map((st) => st.arm);
  /** Applies `policies` and times until the probe pair is allowed (or denied) as expected. */
  const flipTo = (st: ScaleSetup, allowed: boolean, policies: NetworkPolicy[], what: string) =>
    measureFlip(
      st.arm.driver,
      st.request,
      st.probeServer.key,
      allowed,
      () => st.arm.driver.setPolicies(policies, st.allPods, signal),
      what,
      flipOpts,
    );

  /** Why a candidate stopped climbing, by name; it takes no part in larger counts. */
  const stopped = new Map<string, string>();
  const lastInstall = new Map<string, { n: number; ms: number }>();
  /** Each candidate's install measurement of its last count, emitted once the next count is decided. */
  const pendingInstall = new Map<string, Measurement>();
  const flushInstall = async (name: string, stopReason?: string) => {
    const m = pendingInstall.get(name);
    pendingInstall.delete(name);
    if (!m) return;
    const parameters = stopReason ? { ...m.parameters, sweepStopped: stopReason } : m.parameters;
    await emit(out, name, { ...m, parameters }, tools);
  };
  const stop = async (name: string, reason: string) => {
    stopped.set(name, reason);
    tools.onProgress?.(`policy-scale: ${name} stops here: ${reason}`);
    await flushInstall(name, reason);
  };
  const maxInstallMs = (workload.maxInstallSeconds ?? 300) * 1000;

  try {
    for (const n of counts) {
      signal?.throwIfAborted();
      const policiesOf = new Map<string, NetworkPolicy[]>();
      for (const st of setups) {
        const name = st.arm.name;
        if (stopped.has(name)) continue;
        // Extrapolate from the last install: a count that would take longer than allowed is not tried.
        const last = lastInstall.get(name);
        if (last && last.n > 0) {
          const predicted = (last.ms * n) / last.n;
          if (predicted > maxInstallMs) {
            await stop(
              name,
              `not tried at ${n} policies: installing ${last.n} took ${(last.ms / 1000).toFixed(1)} s, so ${n} would take about ${(predicted / 1000).toFixed(0)} s, over maxInstallSeconds ${maxInstallMs / 1000}`,
            );
            continue;
          }
        }
        const policies = generateScalePolicies(n, st.layout, seed);
        assertScalePolicies(st.layout, policies, true, st.allPods);
        assertScalePolicies(st.layout, [...policies, probeDenyPolicy(st.layout)], false, st.allPods);
        tools.onProgress?.(`policy-scale: installing ${n} policies (${name})`);
        // Installing N and waiting for the probe pair to answer: the dataplane holds the N policies.
        let settle;
        try {
          settle = await flipTo(st, true, policies, `installing ${n} policies`);
        } catch (e) {
          if (signal?.aborted) throw e;
          await stop(
            name,
            `installing ${n} policies failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
          );
          continue;
        }
        policiesOf.set(name, policies);
        opts.onStep?.({ policies: n, setPoliciesMs: settle.applyMs });
        lastInstall.set(name, { n, ms: settle.applyMs });
        await flushInstall(name);
        const memory = await st.arm.driver.policyState?.().catch(() => undefined);
        pendingInstall.set(
          name,
          toMeasurement(
            {
              id: scaleId(n, 'programming/install'),
              workload: 'policy-programming',
              path,
              metric: 'install-time',
              unit: 'ms',
              higherIsBetter: false,
              tool: { name: 'cnibench-probe' },
              parameters: {
                policies: n,
                change: 'install',
                seed,
                ...(memory ? { policyStateBytes: memory.bytes, policyStateCounts: memory.what } : {}),
              },
            },
            { samples: [Math.round(settle.latencyMs * 100) / 100], warmup: [] },
          ),
        );
        if (memory)
          await emit(
            out,
            name,
            toMeasurement(
              {
                id: scaleId(n, 'policy-state'),
                workload: 'policy-programming',
                path,
                metric: 'policy-state-bytes',
                unit: 'bytes',
                higherIsBetter: false,
                tool: { name: 'cnibench-driver' },
                parameters: { policies: n, counts: memory.what, seed },
              },
              { samples: [memory.bytes], warmup: [] },
            ),
            tools,
          );
      }
      const active = setups.filter((st) => !stopped.has(st.arm.name));
      if (active.length === 0) break;
      const policies = (name: string) => policiesOf.get(name) ?? [];

      const inner: PerfRunOptions = {
        ...tools,
        unitPrefix: `policy-scale/policies=${n}/`,
        isDone: (arm, id) => isDone(arm, scaleId(n, id)),
        onMeasurement: undefined,
      };
      const base = { paths: [path], duration: workload.duration, baseline: false, repetitions: undefined };
      const fixed = { adaptive: false };
      const measured: ArmMeasurement[] = [];
      if (workload.measure.includes('throughput')) {
        const w: ThroughputWorkload = {
          kind: 'throughput',
          tool: 'iperf3',
          protocol: 'TCP',
          streams: [1],
          udpRate: '1G',
          ...base,
        };
        measured.push(...(await runThroughput(perfArmsOf(active), w, repetitions, inner, fixed)));
      }
      for (const mode of ['rr', 'crr'] as const) {
        if (!workload.measure.includes(mode)) continue;
        const w: LatencyWorkload = { kind: 'latency', mode, payloadBytes: 1, ...base };
        measured.push(...(await runLatency(perfArmsOf(active), w, repetitions, inner, fixed)));
      }
      for (const x of measured) await emit(out, x.arm, underSweep(x.measurement, n), tools);
      for (const m of n > 0 ? memoryPerKilopolicy(measured, memoryAtZero, n) : [])
        await emit(out, m.arm, m.measurement, tools);

      const addId = scaleId(n, 'programming/add-deny');
      const removeId = scaleId(n, 'programming/remove-deny');
      if (!workload.measure.includes('programming') || active.every((a) => isDone(a.arm.name, addId)))
        continue;
      const applyMs = new Map<string, number[]>();
      const series = await collectBlocks({
        unit: `policy-scale/policies=${n}/programming`,
        arms: active.map((a) => a.arm.name),
        reps: repetitions,
        seed: tools.seed,
        figures: [
          { id: addId, statistic: 'median', adaptive: false },
          { id: removeId, statistic: 'median', adaptive: false },
        ],
        adaptive: false,
        signal,
        turn: async (name, phase, block) => {
          const st = setupOf(name);
          const withExtra = [...policies(name), probeDenyPolicy(st.layout)];
          const add = await flipTo(st, false, withExtra, `adding 1 policy to ${n}`);
          const remove = await flipTo(st, true, policies(name), `removing 1 policy from ${n + 1}`);
          if (phase === 'sample') applyMs.set(name, [...(applyMs.get(name) ?? []), add.applyMs]);
          tools.onProgress?.(
            `policy-scale ${n}: ${phase} ${block + 1} (${name}): +1 policy enforced after ${add.latencyMs.toFixed(1)} ms, removal after ${remove.latencyMs.toFixed(1)} ms`,
          );
          return { [addId]: add.latencyMs, [removeId]: remove.latencyMs };
        },
      });
      for (const st of active) {
        const name = st.arm.name;
        const { request } = st;
        const parameters = {
          policies: n,
          probe: `${request.from} -> ${request.to} ${request.port}/${request.protocol}`,
          probeTimeoutMs: flipOpts.probeTimeoutMs ?? 1000,
          pollIntervalMs: flipOpts.pollIntervalMs ?? 10,
          seed,
        };
        const common = {
          workload: 'policy-programming',
          path,
          metric: 'programming-latency',
          unit: 'ms',
          higherIsBetter: false,
          tool: { name: 'cnibench-probe' },
        } as const;
        const applied = applyMs.get(name) ?? [];
        const meanSetPoliciesMs =
          Math.round((applied.reduce((a, b) => a + b, 0) / Math.max(1, applied.length)) * 100) / 100;
        await emit(
          out,
          name,
          toMeasurement(
            {
              ...common,
              id: addId,
              parameters: { ...parameters, change: 'add-deny', meanSetPoliciesMs },
            },
            seriesOf(series, name, addId),
          ),
          tools,
        );
        await emit(
          out,
          name,
          toMeasurement(
            { ...common, id: removeId, parameters: { ...parameters, change: 'remove-deny' } },
            seriesOf(series, name, removeId),
          ),
          tools,
        );
      }
    }
    for (const st of setups) await flushInstall(st.arm.name);
  } finally {
    for (const st of setups) await st.arm.driver.setPolicies([], st.allPods).catch(() => undefined);
  }
  return out;
}
