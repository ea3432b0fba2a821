/**
 * The throughput workload: the workload's tool (iperf3 by default; any registered ThroughputTool,
 * ../tools/registry.ts) between the client and server pod of each path, TCP with each configured
 * stream count, or UDP at a target rate. One sample = one tool run of `duration` seconds; its figure is what the *receiver* got (Gbit/s). For UDP one run also yields loss % and
 * jitter ms, recorded as their own measurements run for run alongside the throughput samples.
 *
 * One unit per stream count (sampling.ts): in each candidate's turn, one run on the baseline path
 * (its paired baseline) and one on each pod path; blocks interleave the candidates.
 *
 * Ids: `throughput/tcp/streams=N/<path>`, `throughput/udp/streams=N/<path>`,
 * `throughput/udp-loss/streams=N/<path>`, `throughput/udp-jitter/streams=N/<path>`.
 *
 * Where the clusters offer cost counters (../cost.ts), each run's CPU is read before and after it and
 * kept with the throughput sample, and `throughput/tcp-cpu-per-gbit/streams=N/<path>` (or
 * `udp-cpu-per-gbit`) is a figure of its own: CPU seconds per Gbit received, run for run.
 */
import type { PathKind } from '../../cluster/driver.js';
import type { Repetitions, Workload } from '../../scenario/schema.js';
import { EnvironmentError, InputError } from '../../util/errors.js';
import { CostLog, costFigure, costReaders, cpuPerGbit, withCost } from '../cost.js';
import { collectBlocks, type BlockSamplingOptions, type FigureSpec, type TurnValues } from '../sampling.js';
import { perfUnitTurns } from '../tools/cpu-placement.js';
import { rateCapBitsPerSecond, warmupFigure } from '../tools/planted.js';
import { throughputTool } from '../tools/registry.js';
import type { ThroughputTest } from '../tools/throughput-tool.js';
import { withUnitTurns, type WarmupValues } from '../tools/turns.js';
import {
  emit,
  prepareArms,
  seriesOf,
  toMeasurement,
  unitPending,
  unitSampling,
  withServers,
  workloadPaths,
  type ArmMeasurement,
  type PerfArm,
  type PerfRunOptions,
} from '../tools/measure.js';

export type ThroughputWorkload = Extract<Workload, { kind: 'throughput' }>;

type Figure = 'tcp' | 'udp' | 'udp-loss' | 'udp-jitter' | 'tcp-cpu-per-gbit' | 'udp-cpu-per-gbit';

function throughputId(protocol: Figure, streams: number, path: PathKind) {
  return `throughput/${protocol}/streams=${streams}/${path}`;
}

const FIGURES: Record<
  Exclude<Figure, 'tcp-cpu-per-gbit' | 'udp-cpu-per-gbit'>,
  { metric: string; unit: string; higherIsBetter: boolean }
> = {
  tcp: { metric: 'throughput', unit: 'Gbit/s', higherIsBetter: true },
  udp: { metric: 'throughput', unit: 'Gbit/s', higherIsBetter: true },
  'udp-loss': { metric: 'udp-loss', unit: '%', higherIsBetter: false },
  'udp-jitter': { metric: 'jitter', unit: 'ms', higherIsBetter: false },
};

export async function runThroughput(
  arms: readonly PerfArm[],
  workload: ThroughputWorkload,
  repetitions: Repetitions,
  opts: PerfRunOptions,
  sampling: { adaptive?: boolean } = {},
): Promise<ArmMeasurement[]> {
  const tool = throughputTool(workload.tool);
  // Validation refuses these already; a workload built in code must not get past either.
  const unsupported = tool.isSupported(workload);
  if (unsupported) throw new InputError(`throughput tool ${tool.name}: ${unsupported}`);
  const out: ArmMeasurement[] = [];
  const udp = workload.protocol === 'UDP';
  const figures = udp ? (['udp', 'udp-loss', 'udp-jitter'] as const) : (['tcp'] as const);
  const costFig: Figure = udp ? 'udp-cpu-per-gbit' : 'tcp-cpu-per-gbit';
  const readers = costReaders(arms);
  const duration = Math.max(1, Math.round(workload.duration));
  const paths = workloadPaths(workload);
  const hasBaseline = paths[0] === 'baseline';
  const todo = workload.streams.filter((n) =>
    unitPending(
      arms,
      paths.flatMap((p) => [...figures, ...(readers ? [costFig] : [])].map((f) => throughputId(f, n, p))),
      opts,
    ),
  );
  if (todo.length === 0) return out;

  const { pairs, tools, servers } = await prepareArms(
    arms,
    paths,
    () => tool,
    (a, pair) => (body) => tool.withServer(a.driver, pair, body),
  );

  await withServers(servers, async () => {
    for (const streams of todo) {
      const specs: FigureSpec[] = paths.flatMap((path) => [
        ...figures.map((f) => ({
          id: throughputId(f, streams, path),
          statistic: FIGURES[f].higherIsBetter ? ('mean' as const) : ('median' as const),
          // The repetition count (or the adaptive rule) is driven by throughput; loss and jitter follow.
          adaptive: f === 'tcp' || f === 'udp',
          ...(hasBaseline && path !== 'baseline' ? { pairedWith: throughputId(f, streams, 'baseline') } : {}),
        })),
        // CPU per Gbit follows the runs; lower is better, so it is compared by its median.
        ...(readers
          ? [
              {
                id: throughputId(costFig, streams, path),
                statistic: 'median' as const,
                adaptive: false,
                ...(hasBaseline && path !== 'baseline'
                  ? { pairedWith: throughputId(costFig, streams, 'baseline') }
                  : {}),
              },
            ]
          : []),
      ]);
      const costs = new CostLog();
      // Side figures summed over the measured runs, per candidate and path.
      const retransmits = new Map<string, number>();
      const packets = new Map<string, number>();
      const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
      const label = `throughput ${workload.protocol} streams=${streams}`;
      const primary: Figure = udp ? 'udp' : 'tcp';
      // The planted handicap: the handicapped copy's server pods capped at (100 − P) % of the warm-up.
      const lifts: Array<() => Promise<void>> = [];
      const planted = opts.planted;
      const handicapped = planted ? arms.find((a) => a.name === planted.arm) : undefined;
      const plant =
        planted && handicapped
          ? async (warmups: WarmupValues) => {
              const capRate = handicapped.driver.capRate?.bind(handicapped.driver);
              if (!capRate) throw new EnvironmentError(`--planted: this cluster cannot cap a pod's rate`);
              for (const pair of pairs.get(handicapped.name) ?? []) {
                if (pair.path === 'baseline') continue;
                const id = throughputId(primary, streams, pair.path);
                const warmup = warmupFigure(warmups, id);
                const cap = rateCapBitsPerSecond(warmup, planted.percent);
                lifts.push(await capRate(pair.server, cap, opts.signal));
                planted.onPlanted?.({
                  figure: `${opts.unitPrefix ?? ''}${id}`,
                  mechanism: 'rate-cap',
                  warmup,
                  unit: 'Gbit/s',
                  capBitsPerSecond: cap,
                  intendedPercent: -planted.percent,
                });
              }
            }
          : undefined;
      const blocks: BlockSamplingOptions = {
        unit: `${opts.unitPrefix ?? ''}throughput/${udp ? 'udp' : 'tcp'}/streams=${streams}`,
        ...unitSampling(arms, repetitions, opts, sampling),
        figures: specs,
        onTurn: (arm, phase, block, values) =>
          opts.onProgress?.(
            `${label}: ${phase} ${block + 1} (${arm}): ${paths
              .map((p) => `${p} ${(values[throughputId(udp ? 'udp' : 'tcp', streams, p)] ?? NaN).toFixed(3)}`)
              .join(', ')} Gbit/s`,
          ),
        turn: async (armName, phase) => {
          const arm = arms.find((a) => a.name === armName);
          const armPairs = pairs.get(armName);
          if (!arm || !armPairs) throw new Error(`unknown candidate ${armName}`);
          const values: TurnValues = {};
          const test: ThroughputTest = {
            protocol: workload.protocol,
            streams,
            duration,
            udpRate: workload.udpRate,
            signal: opts.signal,
          };
          const reader = readers?.get(armName);
          for (const pair of armPairs) {
            const key = `${armName}/${pair.path}`;
            const { result: raw, cost } = await withCost(
              reader,
              pair,
              () => tool.run(arm.driver, pair, test),
              opts.signal,
            );
            const r = tool.parse(test, raw);
            if (phase === 'sample') costs.add(armName, pair.path, cost);
            // Gbit received over the run's duration.
            if (cost)
              values[throughputId(costFig, streams, pair.path)] = cpuPerGbit(cost, r.bitsPerSecond, duration);
            if (r.protocol === 'TCP') {
              if (phase === 'sample') add(retransmits, key, r.retransmits);
              values[throughputId('tcp', streams, pair.path)] = r.bitsPerSecond / 1e9;
              continue;
            }
            if (phase === 'sample') add(packets, key, r.packets);
            values[throughputId('udp', streams, pair.path)] = r.bitsPerSecond / 1e9;
            values[throughputId('udp-loss', streams, pair.path)] = r.lostPercent;
            values[throughputId('udp-jitter', streams, pair.path)] = r.jitterMs;
          }
          return values;
        },
      };
      const wrap = perfUnitTurns(
        arms.map((a) => a.driver),
        repetitions,
        opts.signal,
        plant,
      );
      const series = await collectBlocks(withUnitTurns(blocks, wrap)).finally(async () => {
        for (const lift of lifts) await lift();
      });

      for (const path of paths) {
        for (const arm of arms) {
          const key = `${arm.name}/${path}`;
          const parameters = {
            protocol: workload.protocol,
            streams,
            duration,
            tool: tool.name,
            ...(udp ? { udpRate: workload.udpRate } : {}),
          };
          const details: Record<string, number> = udp
            ? { packets: packets.get(key) ?? 0 }
            : { retransmits: retransmits.get(key) ?? 0 };
          const method = readers?.get(arm.name)?.method;
          const sampleCost = costs.sampleCost(arm.name, path, method);
          for (const f of figures) {
            const id = throughputId(f, streams, path);
            const m = toMeasurement(
              {
                id,
                workload: 'throughput',
                path,
                ...FIGURES[f],
                parameters,
                details,
                tool: tools.get(arm.name) ?? { name: tool.name },
                ...(f === primary && sampleCost ? { cost: sampleCost } : {}),
              },
              seriesOf(series, arm.name, id),
            );
            await emit(out, arm.name, m, opts);
          }
          if (method !== undefined) {
            const id = throughputId(costFig, streams, path);
            const m = toMeasurement(
              {
                id,
                workload: 'throughput',
                path,
                ...costFigure('cpu-per-gbit', throughputId(primary, streams, path), method),
                parameters,
                details: { sample: 'CPU seconds of one run per Gbit it transferred' },
              },
              seriesOf(series, arm.name, id),
            );
            await emit(out, arm.name, m, opts);
          }
        }
      }
    }
  });
  return out;
}
