/**
 * The policy-scale sweep: at each policy count N of the workload, install N generated policies
 * (generate.ts; the perf path stays allowed, checked with the model first), then measure throughput,
 * RR latency and CRR rate on the workload's path with the perf workloads' own code, and the
 * programming latency of one extra policy (programming.ts) — adding a deny on the probe pair and
 * removing it again.
 *
 * Every measurement carries `parameters.policies = N`; ids are `policy-scale/policies=N/<perf id>`
 * and `policy-scale/policies=N/programming/<add-deny|remove-deny>`, so `--resume` skips what is done.
 * The driver is left with no policies at the end.
 */
import type { ClusterDriver, PerfPair, PerfTopology, PodHandle, ProbeRequest } from '../../cluster/driver.js';
import type { Labels, NetworkPolicy, ResolvedPod } from '../../netpol/types.js';
import type { Measurement } from '../../results/schema.js';
import type { Repetitions, Workload } from '../../scenario/schema.js';
import { resolveCase } from '../../netpol/resolve.js';
import { servePortName } from '../../netpol/types.js';
import { runLatency, type LatencyWorkload } from '../latency/run.js';
import { collectSamples } from '../sampling.js';
import { runThroughput, type ThroughputWorkload } from '../throughput/run.js';
import { pairFor, toMeasurement, type PerfRunOptions } from '../tools/measure.js';
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
  return { ...m, id: scaleId(policies, m.id), parameters: { ...m.parameters, policies } };
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

export async function runPolicyScale(
  driver: ClusterDriver,
  workload: PolicyScaleWorkload,
  repetitions: Repetitions,
  tools: PerfRunOptions,
  opts: PolicyScaleOptions = {},
): Promise<Measurement[]> {
  const { seed = DEFAULT_SCALE_SEED } = opts;
  const signal = tools.signal;
  const out: Measurement[] = [];
  const emit = async (m: Measurement) => {
    out.push(m);
    await tools.onMeasurement?.(m);
  };
  const path = workload.path;

  // Layout pods first (a driver may remove pods a case does not name), then the perf pair.
  const partial = scaleLayoutBase(opts.layout);
  const layoutPods = await driver.ensureLayout(resolveCase(scaleLayoutCase(partial)), signal);
  const topology: PerfTopology = await driver.preparePerf([path], signal);
  const pair = pairFor(topology, path);
  const layout: ScaleLayout = { ...partial, perf: perfEndpoints(pair) };
  const allPods = [...layoutPods, ...perfPodsAsResolved(layout, pair)];
  const find = (name: string) => {
    const p = layoutPods.find((x) => x.namespace === layout.probeNamespace && x.name === name);
    if (!p) throw new Error(`ensureLayout did not return the probe pod ${layout.probeNamespace}/${name}`);
    return p;
  };
  const probeClient = find(PROBE_CLIENT);
  const probeServer = find(PROBE_SERVER);
  const request: ProbeRequest = {
    from: probeClient.key,
    to: probeServer.key,
    toIp: probeServer.ip,
    port: layout.probe.port,
    protocol: layout.probe.protocol,
  };
  const flipOpts: FlipOptions = { ...opts.flip, signal };
  const extra = probeDenyPolicy(layout);
  const counts = [...new Set(workload.counts)];
  const isDone = (id: string) => tools.isDone?.(id) ?? false;

  try {
    for (const n of counts) {
      signal?.throwIfAborted();
      const policies = generateScalePolicies(n, layout, seed);
      assertScalePolicies(layout, policies, true, allPods);
      const withExtra: NetworkPolicy[] = [...policies, extra];
      assertScalePolicies(layout, withExtra, false, allPods);
      tools.onProgress?.(`policy-scale: installing ${n} policies`);
      // Installing N and waiting for the probe pair to answer: the dataplane holds the N policies.
      const settle = await measureFlip(
        driver,
        request,
        probeServer.key,
        true,
        () => driver.setPolicies(policies, allPods, signal),
        `installing ${n} policies`,
        flipOpts,
      );
      opts.onStep?.({ policies: n, setPoliciesMs: settle.applyMs });

      const inner: PerfRunOptions = {
        ...tools,
        isDone: (id) => isDone(scaleId(n, id)),
        onMeasurement: undefined,
      };
      const base = { paths: [path], duration: workload.duration, baseline: false };
      if (workload.measure.includes('throughput')) {
        const w: ThroughputWorkload = {
          kind: 'throughput',
          tool: 'iperf3',
          protocol: 'TCP',
          streams: [1],
          udpRate: '1G',
          ...base,
        };
        for (const m of await runThroughput(driver, topology, w, repetitions, inner))
          await emit(underSweep(m, n));
      }
      for (const mode of ['rr', 'crr'] as const) {
        if (!workload.measure.includes(mode)) continue;
        const w: LatencyWorkload = { kind: 'latency', mode, payloadBytes: 1, ...base };
        for (const m of await runLatency(driver, topology, w, repetitions, inner))
          await emit(underSweep(m, n));
      }

      if (workload.measure.includes('programming') && !isDone(scaleId(n, 'programming/add-deny'))) {
        const removal = { samples: [] as number[], warmup: [] as number[] };
        const applyMs: number[] = [];
        const s = await collectSamples(
          async (phase, i) => {
            const add = await measureFlip(
              driver,
              request,
              probeServer.key,
              false,
              () => driver.setPolicies(withExtra, allPods, signal),
              `adding 1 policy to ${n}`,
              flipOpts,
            );
            const remove = await measureFlip(
              driver,
              request,
              probeServer.key,
              true,
              () => driver.setPolicies(policies, allPods, signal),
              `removing 1 policy from ${n + 1}`,
              flipOpts,
            );
            removal[phase === 'warmup' ? 'warmup' : 'samples'].push(remove.latencyMs);
            if (phase === 'sample') applyMs.push(add.applyMs);
            tools.onProgress?.(
              `policy-scale ${n}: ${phase} ${i + 1}: +1 policy enforced after ${add.latencyMs.toFixed(1)} ms, removal after ${remove.latencyMs.toFixed(1)} ms`,
            );
            return add.latencyMs;
          },
          repetitions,
          { ...tools.sampling, signal },
        );
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
        await emit(
          toMeasurement(
            {
              ...common,
              id: scaleId(n, 'programming/add-deny'),
              parameters: {
                ...parameters,
                change: 'add-deny',
                meanSetPoliciesMs:
                  Math.round((applyMs.reduce((a, b) => a + b, 0) / Math.max(1, applyMs.length)) * 100) / 100,
              },
            },
            s,
          ),
        );
        await emit(
          toMeasurement(
            {
              ...common,
              id: scaleId(n, 'programming/remove-deny'),
              parameters: { ...parameters, change: 'remove-deny' },
            },
            removal,
          ),
        );
      }
    }
  } finally {
    await driver.setPolicies([], allPods).catch(() => undefined);
  }
  return out;
}
