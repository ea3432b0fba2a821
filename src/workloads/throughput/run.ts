/**
 * The throughput workload: iperf3 between the client and server pod of each path, TCP with each
 * configured stream count, or UDP at a target rate. One sample = one iperf3 run of `duration`
 * seconds; its figure is what the *receiver* got (Gbit/s). For UDP one run also yields loss % and
 * jitter ms, recorded as their own measurements run for run alongside the throughput samples.
 *
 * Ids: `throughput/tcp/streams=N/<path>`, `throughput/udp/streams=N/<path>`,
 * `throughput/udp-loss/streams=N/<path>`, `throughput/udp-jitter/streams=N/<path>`.
 */
import type { ClusterDriver, PathKind, PerfTopology } from '../../cluster/driver.js';
import type { Measurement } from '../../results/schema.js';
import type { Repetitions, Workload } from '../../scenario/schema.js';
import { EnvironmentError } from '../../util/errors.js';
import { collectSamples, type SamplePhase } from '../sampling.js';
import { iperf3 } from '../tools/iperf3.js';
import {
  ToolVersions,
  emit,
  pairFor,
  toMeasurement,
  workloadPaths,
  type MeasurementBase,
  type PerfRunOptions,
} from '../tools/measure.js';

export type ThroughputWorkload = Extract<Workload, { kind: 'throughput' }>;

export function throughputId(
  protocol: 'tcp' | 'udp' | 'udp-loss' | 'udp-jitter',
  streams: number,
  path: PathKind,
) {
  return `throughput/${protocol}/streams=${streams}/${path}`;
}

export async function runThroughput(
  driver: ClusterDriver,
  topology: PerfTopology,
  workload: ThroughputWorkload,
  repetitions: Repetitions,
  opts: PerfRunOptions,
): Promise<Measurement[]> {
  if (workload.tool !== 'iperf3') {
    throw new EnvironmentError(
      `throughput tool "${workload.tool}" is not available in this build; use iperf3`,
    );
  }
  const out: Measurement[] = [];
  const versions = new ToolVersions();
  const proto = workload.protocol === 'TCP' ? 'tcp' : 'udp';
  const duration = Math.max(1, Math.round(workload.duration));

  for (const path of workloadPaths(workload)) {
    const todo = workload.streams.filter((n) => !opts.isDone?.(throughputId(proto, n, path)));
    if (todo.length === 0) continue;
    const pair = pairFor(topology, path);
    const version = await versions.get(iperf3, driver, pair.client);
    const tool = { name: iperf3.name, version };

    await iperf3.withServer(driver, pair, async () => {
      for (const streams of todo) {
        const label = `throughput ${workload.protocol} streams=${streams} ${path}`;
        const progress = (phase: SamplePhase, i: number, v: number) =>
          opts.onProgress?.(`${label}: ${phase} ${i + 1}: ${v.toFixed(3)} Gbit/s`);
        const base = {
          workload: 'throughput',
          path,
          tool,
        } as const;
        const parameters = { protocol: workload.protocol, streams, duration, tool: 'iperf3' };

        if (workload.protocol === 'TCP') {
          const retransmits: number[] = [];
          const s = await collectSamples(
            async (phase) => {
              const r = await iperf3.runTcp(driver, pair, { duration, streams, signal: opts.signal });
              if (phase === 'sample') retransmits.push(r.retransmits);
              return r.bitsPerSecond / 1e9;
            },
            repetitions,
            { ...opts.sampling, signal: opts.signal, onSample: progress },
          );
          const m: MeasurementBase = {
            ...base,
            id: throughputId('tcp', streams, path),
            metric: 'throughput',
            unit: 'Gbit/s',
            higherIsBetter: true,
            parameters,
            details: { retransmits: retransmits.reduce((a, b) => a + b, 0) },
          };
          await emit(out, toMeasurement(m, s), opts);
          continue;
        }

        // UDP: one run gives throughput, loss and jitter; the side figures follow the same phases. The
        // repetition count (or the adaptive rule) is driven by throughput, so they carry no `adaptive`.
        const loss = { samples: [] as number[], warmup: [] as number[] };
        const jitter = { samples: [] as number[], warmup: [] as number[] };
        const packets: number[] = [];
        const s = await collectSamples(
          async (phase) => {
            const r = await iperf3.runUdp(driver, pair, {
              duration,
              streams,
              rate: workload.udpRate,
              signal: opts.signal,
            });
            const key = phase === 'warmup' ? 'warmup' : 'samples';
            loss[key].push(r.lostPercent);
            jitter[key].push(r.jitterMs);
            if (phase === 'sample') packets.push(r.packets);
            return r.bitsPerSecond / 1e9;
          },
          repetitions,
          { ...opts.sampling, signal: opts.signal, onSample: progress },
        );
        const udpParams = { ...parameters, udpRate: workload.udpRate };
        const details = { packets: packets.reduce((a, b) => a + b, 0) };
        await emit(
          out,
          toMeasurement(
            {
              ...base,
              id: throughputId('udp', streams, path),
              metric: 'throughput',
              unit: 'Gbit/s',
              higherIsBetter: true,
              parameters: udpParams,
              details,
            },
            s,
          ),
          opts,
        );
        await emit(
          out,
          toMeasurement(
            {
              ...base,
              id: throughputId('udp-loss', streams, path),
              metric: 'udp-loss',
              unit: '%',
              higherIsBetter: false,
              parameters: udpParams,
              details,
            },
            loss,
          ),
          opts,
        );
        await emit(
          out,
          toMeasurement(
            {
              ...base,
              id: throughputId('udp-jitter', streams, path),
              metric: 'jitter',
              unit: 'ms',
              higherIsBetter: false,
              parameters: udpParams,
              details,
            },
            jitter,
          ),
          opts,
        );
      }
    });
  }
  return out;
}
