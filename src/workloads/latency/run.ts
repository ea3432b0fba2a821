/**
 * The latency workloads, driven by the pod agent (src/agent/rr.ts):
 *
 * - `rr`: round trips of `payloadBytes` on one TCP connection for `duration` seconds per repetition.
 *   **One sample = one repetition's median round-trip time** (µs), not one round trip. Round trips
 *   inside a run are strongly autocorrelated (same connection, same CPU placement, same cache state),
 *   so treating 100 000 of them as independent samples would make every confidence interval absurdly
 *   narrow; the repetition is the independent unit the statistics stage can compare. The tail is
 *   kept as a second measurement, `rtt-p99` (one sample = one repetition's p99), and the percentiles
 *   of *all* measured round trips pooled (from the agent's 1%-bucket histograms) are stored in the
 *   measurement's details: `pooledP50Us`, `pooledP90Us`, `pooledP99Us`, `pooledP999Us`, `roundTrips`.
 * - `crr`: connect/request/response/close transactions, one at a time. One sample = one repetition's
 *   rate (conn/s); pooled per-connection latency percentiles go to the details.
 *
 * Ids: `latency/rr/payload=N/<path>`, `latency/rr-p99/payload=N/<path>`, `connection-rate/crr/payload=N/<path>`.
 */
import type { ClusterDriver, PathKind, PerfTopology } from '../../cluster/driver.js';
import type { Measurement } from '../../results/schema.js';
import type { Repetitions, Workload } from '../../scenario/schema.js';
import { collectSamples, type SamplePhase } from '../sampling.js';
import {
  AgentRrTool,
  histogramCount,
  histogramPercentile,
  mergeHistograms,
  type LatencyHistogram,
} from '../tools/agent-rr.js';
import {
  ToolVersions,
  emit,
  pairFor,
  round,
  toMeasurement,
  workloadPaths,
  type PerfRunOptions,
} from '../tools/measure.js';

export type LatencyWorkload = Extract<Workload, { kind: 'latency' }>;

export function latencyId(kind: 'rr' | 'rr-p99' | 'crr', payload: number, path: PathKind): string {
  return kind === 'crr'
    ? `connection-rate/crr/payload=${payload}/${path}`
    : `latency/${kind}/payload=${payload}/${path}`;
}

function pooled(hs: LatencyHistogram[], prefix: string): Record<string, number> {
  const h = mergeHistograms(hs);
  return {
    [`${prefix}P50Us`]: round(histogramPercentile(h, 0.5), 2),
    [`${prefix}P90Us`]: round(histogramPercentile(h, 0.9), 2),
    [`${prefix}P99Us`]: round(histogramPercentile(h, 0.99), 2),
    [`${prefix}P999Us`]: round(histogramPercentile(h, 0.999), 2),
  };
}

export async function runLatency(
  driver: ClusterDriver,
  topology: PerfTopology,
  workload: LatencyWorkload,
  repetitions: Repetitions,
  opts: PerfRunOptions,
): Promise<Measurement[]> {
  const agent = new AgentRrTool(opts.agentCommand);
  const out: Measurement[] = [];
  const versions = new ToolVersions();
  const payload = workload.payloadBytes;
  const duration = workload.duration;
  const mode = workload.mode;

  for (const path of workloadPaths(workload)) {
    const primaryId = latencyId(mode, payload, path);
    if (opts.isDone?.(primaryId)) continue;
    const pair = pairFor(topology, path);
    const tool = { name: agent.name, version: await versions.get(agent, driver, pair.client) };
    const label = `${mode} payload=${payload} ${path}`;
    const progress = (unit: string) => (phase: SamplePhase, i: number, v: number) =>
      opts.onProgress?.(`${label}: ${phase} ${i + 1}: ${v.toFixed(2)} ${unit}`);
    const parameters = { mode, protocol: 'TCP', payloadBytes: payload, duration };

    await agent.withServer(driver, pair, mode, payload, async () => {
      const histograms: LatencyHistogram[] = [];
      if (mode === 'rr') {
        const p99 = { samples: [] as number[], warmup: [] as number[] };
        const tps: number[] = [];
        const s = await collectSamples(
          async (phase) => {
            const r = await agent.runRr(driver, pair, { duration, payload, signal: opts.signal });
            p99[phase === 'warmup' ? 'warmup' : 'samples'].push(r.rttUs.p99);
            if (phase === 'sample') {
              histograms.push(r.histogram);
              tps.push(r.transactionsPerSecond);
            }
            return r.rttUs.p50;
          },
          repetitions,
          { ...opts.sampling, signal: opts.signal, onSample: progress('us') },
        );
        const params = { ...parameters, engine: 'loop' };
        const details = {
          sample: 'median round-trip time of one repetition',
          roundTrips: histograms.reduce((a, h) => a + histogramCount(h), 0),
          transactionsPerSecond: round(tps.reduce((a, b) => a + b, 0) / tps.length, 1),
          ...pooled(histograms, 'pooled'),
        };
        const base = { workload: 'latency', path, unit: 'us', higherIsBetter: false, tool } as const;
        await emit(
          out,
          toMeasurement({ ...base, id: primaryId, metric: 'rtt', parameters: params, details }, s),
          opts,
        );
        await emit(
          out,
          toMeasurement(
            {
              ...base,
              id: latencyId('rr-p99', payload, path),
              metric: 'rtt-p99',
              parameters: params,
              details: { ...details, sample: '99th percentile round-trip time of one repetition' },
            },
            p99,
          ),
          opts,
        );
        return;
      }

      const s = await collectSamples(
        async (phase) => {
          const r = await agent.runCrr(driver, pair, { duration, payload, signal: opts.signal });
          if (phase === 'sample') histograms.push(r.histogram);
          return r.connectionsPerSecond;
        },
        repetitions,
        { ...opts.sampling, signal: opts.signal, onSample: progress('conn/s') },
      );
      await emit(
        out,
        toMeasurement(
          {
            id: primaryId,
            workload: 'connection-rate',
            path,
            metric: 'connections',
            unit: 'conn/s',
            higherIsBetter: true,
            tool,
            parameters,
            details: {
              sample: 'connections per second of one repetition',
              connections: histograms.reduce((a, h) => a + histogramCount(h), 0),
              ...pooled(histograms, 'pooledConnect'),
            },
          },
          s,
        ),
        opts,
      );
    });
  }
  return out;
}
