/**
 * The latency workloads, driven by the pod agent (src/agent/rr.ts), which reports every round trip:
 *
 * - `rr`: round trips of `payloadBytes` on one TCP connection for `duration` seconds per repetition.
 *   **One sample = one repetition's median round-trip time** (µs), not one round trip. Round trips
 *   inside a run are strongly autocorrelated (same connection, same CPU placement, same cache state),
 *   so treating 100 000 of them as independent samples would make every confidence interval absurdly
 *   narrow; the repetition is the independent unit the statistics stage can compare. The tail is
 *   kept as a second measurement, `rtt-p99` (one sample = one repetition's p99), and the percentiles
 *   of *all* measured round trips pooled are stored in the measurement's details: `pooledP50Us`,
 *   `pooledP90Us`, `pooledP99Us`, `pooledP999Us`, `roundTrips`. Percentiles are type 7 (stats/quantile.ts).
 * - `crr`: connect/request/response/close transactions, one at a time. One sample = one repetition's
 *   rate (conn/s); pooled per-connection latency percentiles go to the details.
 *
 * One unit per workload (sampling.ts): in each candidate's turn, one run on the baseline path (the
 * paired baseline) and one on each pod path; blocks interleave the candidates.
 *
 * Ids: `latency/rr/payload=N/<path>`, `latency/rr-p99/payload=N/<path>`, `connection-rate/crr/payload=N/<path>`.
 *
 * Where the clusters offer cost counters (../cost.ts), each run's CPU is read before and after it and
 * kept with the rr or crr sample, and one derived figure per run is compared like the others:
 * `latency/rr-cpu-per-transaction/payload=N/<path>` (CPU µs per round trip) and
 * `connection-rate/crr-cpu-per-kconn/payload=N/<path>` (CPU seconds per thousand connections).
 */
import type { PathKind } from '../../cluster/driver.js';
import type { Measurement } from '../../results/schema.js';
import type { Repetitions, Workload } from '../../scenario/schema.js';
import { CostLog, costFigure, costReaders, cpuPerThousand, cpuUsPerTransaction, withCost } from '../cost.js';
import { collectBlocks, type BlockSamplingOptions, type FigureSpec, type TurnValues } from '../sampling.js';
import { AgentRrTool, latencyPercentiles } from '../tools/agent-rr.js';
import { perfUnitTurns } from '../tools/cpu-placement.js';
import { connectionServiceUs, roundTripServiceUs, warmupFigure } from '../tools/planted.js';
import { withUnitTurns, type WarmupValues } from '../tools/turns.js';
import {
  emit,
  prepareArms,
  round,
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

export type LatencyWorkload = Extract<Workload, { kind: 'latency' }>;

type LatencyFigure = 'rr' | 'rr-p99' | 'crr' | 'rr-cpu-per-transaction' | 'crr-cpu-per-kconn';

function latencyId(kind: LatencyFigure, payload: number, path: PathKind): string {
  return kind.startsWith('crr')
    ? `connection-rate/${kind}/payload=${payload}/${path}`
    : `latency/${kind}/payload=${payload}/${path}`;
}

/** Percentiles of every round trip of every measured run, pooled. */
function pooled(runs: ReadonlyArray<readonly number[]>, prefix: string): Record<string, number> {
  const [p50, p90, p99, p999] = latencyPercentiles(runs.flat());
  return {
    [`${prefix}P50Us`]: round(p50 ?? NaN, 2),
    [`${prefix}P90Us`]: round(p90 ?? NaN, 2),
    [`${prefix}P99Us`]: round(p99 ?? NaN, 2),
    [`${prefix}P999Us`]: round(p999 ?? NaN, 2),
  };
}

export async function runLatency(
  arms: readonly PerfArm[],
  workload: LatencyWorkload,
  repetitions: Repetitions,
  opts: PerfRunOptions,
  sampling: { adaptive?: boolean } = {},
): Promise<ArmMeasurement[]> {
  const out: ArmMeasurement[] = [];
  const payload = workload.payloadBytes;
  const duration = workload.duration;
  const mode = workload.mode;
  const paths = workloadPaths(workload);
  const hasBaseline = paths[0] === 'baseline';
  const readers = costReaders(arms);
  const costKind = mode === 'rr' ? 'rr-cpu-per-transaction' : 'crr-cpu-per-kconn';
  const kinds: LatencyFigure[] = [...(mode === 'rr' ? (['rr', 'rr-p99'] as const) : (['crr'] as const))];
  if (readers) kinds.push(costKind);
  if (
    !unitPending(
      arms,
      paths.flatMap((p) => kinds.map((k) => latencyId(k, payload, p))),
      opts,
    )
  ) {
    return out;
  }

  const agents = new Map(arms.map((a) => [a.name, new AgentRrTool(a.agentCommand)]));
  const agentOf = (name: string) => {
    const agent = agents.get(name);
    if (!agent) throw new Error(`unknown candidate ${name}`);
    return agent;
  };
  const { pairs, tools, servers } = await prepareArms(
    arms,
    paths,
    (a) => agentOf(a.name),
    (a, pair) => (body) => agentOf(a.name).withServer(a.driver, pair, mode, payload, body),
  );
  const specs: FigureSpec[] = paths.flatMap((path) =>
    kinds.map((k) => ({
      id: latencyId(k, payload, path),
      statistic: k === 'crr' ? ('mean' as const) : ('median' as const),
      adaptive: k === 'rr' || k === 'crr',
      ...(hasBaseline && path !== 'baseline' ? { pairedWith: latencyId(k, payload, 'baseline') } : {}),
    })),
  );
  // Every round trip of the measured runs (for pooled percentiles) and the rates, per candidate/path.
  const roundTrips = new Map<string, number[][]>();
  const rates = new Map<string, number[]>();
  const keep = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);
  const primary = mode === 'rr' ? 'rr' : 'crr';
  const costs = new CostLog();
  const unitLabel = `${mode} payload=${payload}`;

  // The planted handicap: a busy-wait in the handicapped copy's clients, per pod path, from the warm-up.
  const planted = opts.planted;
  const serviceUs = new Map<PathKind, number>();
  const handicapped = planted ? arms.find((a) => a.name === planted.arm) : undefined;
  const plant =
    planted && handicapped
      ? (warmups: WarmupValues) => {
          for (const pair of pairs.get(handicapped.name) ?? []) {
            if (pair.path === 'baseline') continue;
            const id = latencyId(primary, payload, pair.path);
            const warmup = warmupFigure(warmups, id);
            const us =
              mode === 'rr'
                ? roundTripServiceUs(warmup, planted.percent)
                : connectionServiceUs(warmup, planted.percent);
            serviceUs.set(pair.path, us);
            planted.onPlanted?.({
              figure: `${opts.unitPrefix ?? ''}${id}`,
              mechanism: 'service-time',
              warmup,
              unit: mode === 'rr' ? 'us' : 'conn/s',
              serviceUs: us,
              intendedPercent: mode === 'rr' ? planted.percent : -planted.percent,
            });
          }
          return Promise.resolve();
        }
      : undefined;
  const serviceOf = (arm: string, path: PathKind) =>
    arm === handicapped?.name ? (serviceUs.get(path) ?? 0) : 0;

  const wrap = perfUnitTurns(
    arms.map((a) => a.driver),
    repetitions,
    opts.signal,
    plant,
  );

  await withServers(servers, async () => {
    const blocks: BlockSamplingOptions = {
      unit: `${opts.unitPrefix ?? ''}${latencyId(primary, payload, 'baseline').replace(/\/baseline$/, '')}`,
      ...unitSampling(arms, repetitions, opts, sampling),
      figures: specs,
      onTurn: (arm, phase, block, values) => {
        for (const p of paths) {
          const v = values[latencyId(primary, payload, p)] ?? NaN;
          opts.onProgress?.(
            `${unitLabel} ${p}: ${phase} ${block + 1}: ${v.toFixed(2)} ${mode === 'rr' ? 'us' : 'conn/s'} (${arm})`,
          );
        }
      },
      turn: async (armName, phase) => {
        const arm = arms.find((a) => a.name === armName);
        const armPairs = pairs.get(armName);
        if (!arm || !armPairs) throw new Error(`unknown candidate ${armName}`);
        const agent = agentOf(armName);
        const reader = readers?.get(armName);
        const values: TurnValues = {};
        for (const pair of armPairs) {
          const key = `${armName}/${pair.path}`;
          const costId = latencyId(costKind, payload, pair.path);
          if (mode === 'rr') {
            const serviceUs = serviceOf(armName, pair.path);
            const { result: r, cost } = await withCost(
              reader,
              pair,
              () =>
                agent.runRr(arm.driver, pair, {
                  duration,
                  payload,
                  serviceUs,
                  signal: opts.signal,
                }),
              opts.signal,
            );
            const [p50, p99] = latencyPercentiles(r.samplesUs, [0.5, 0.99]);
            values[latencyId('rr', payload, pair.path)] = p50 ?? NaN;
            values[latencyId('rr-p99', payload, pair.path)] = p99 ?? NaN;
            if (cost) values[costId] = cpuUsPerTransaction(cost, r.count);
            if (phase === 'sample') {
              keep(roundTrips, key, r.samplesUs);
              keep(rates, key, r.transactionsPerSecond);
              costs.add(armName, pair.path, cost);
            }
          } else {
            const serviceUs = serviceOf(armName, pair.path);
            const { result: r, cost } = await withCost(
              reader,
              pair,
              () =>
                agent.runCrr(arm.driver, pair, {
                  duration,
                  payload,
                  serviceUs,
                  signal: opts.signal,
                }),
              opts.signal,
            );
            values[latencyId('crr', payload, pair.path)] = r.connectionsPerSecond;
            if (cost) values[costId] = cpuPerThousand(cost, r.count);
            if (phase === 'sample') {
              keep(roundTrips, key, r.samplesUs);
              costs.add(armName, pair.path, cost);
            }
          }
        }
        return values;
      },
    };
    const series = await collectBlocks(withUnitTurns(blocks, wrap));

    for (const path of paths) {
      for (const arm of arms) {
        const key = `${arm.name}/${path}`;
        const runs = roundTrips.get(key) ?? [];
        const count = runs.reduce((a, r) => a + r.length, 0);
        const tool = tools.get(arm.name) ?? { name: 'cnibench-agent' };
        const parameters = { mode, protocol: 'TCP', payloadBytes: payload, duration };
        const method = readers?.get(arm.name)?.method;
        const sampleCost = costs.sampleCost(arm.name, path, method);
        const withSampleCost = sampleCost ? { cost: sampleCost } : {};
        const ms: Measurement[] = [];
        if (mode === 'rr') {
          const tps = rates.get(key) ?? [];
          const details = {
            sample: 'median round-trip time of one repetition',
            roundTrips: count,
            transactionsPerSecond: round(tps.reduce((a, b) => a + b, 0) / Math.max(1, tps.length), 1),
            ...pooled(runs, 'pooled'),
          };
          const base = { workload: 'latency', path, unit: 'us', higherIsBetter: false, tool } as const;
          const params = { ...parameters, engine: 'loop' };
          const id = latencyId('rr', payload, path);
          const p99Id = latencyId('rr-p99', payload, path);
          ms.push(
            toMeasurement(
              { ...base, id, metric: 'rtt', parameters: params, details, ...withSampleCost },
              seriesOf(series, arm.name, id),
            ),
            toMeasurement(
              {
                ...base,
                id: p99Id,
                metric: 'rtt-p99',
                parameters: params,
                details: { ...details, sample: '99th percentile round-trip time of one repetition' },
              },
              seriesOf(series, arm.name, p99Id),
            ),
          );
        } else {
          const id = latencyId('crr', payload, path);
          ms.push(
            toMeasurement(
              {
                id,
                workload: 'connection-rate',
                path,
                metric: 'connections',
                unit: 'conn/s',
                higherIsBetter: true,
                tool,
                parameters,
                details: {
                  sample: 'connections per second of one repetition',
                  connections: count,
                  ...pooled(runs, 'pooledConnect'),
                },
                ...withSampleCost,
              },
              seriesOf(series, arm.name, id),
            ),
          );
        }
        if (method !== undefined) {
          const id = latencyId(costKind, payload, path);
          const rr = mode === 'rr';
          ms.push(
            toMeasurement(
              {
                id,
                workload: rr ? 'latency' : 'connection-rate',
                path,
                ...costFigure(
                  rr ? 'cpu-per-transaction' : 'cpu-per-kconn',
                  latencyId(primary, payload, path),
                  method,
                ),
                parameters: rr ? { ...parameters, engine: 'loop' } : parameters,
                details: {
                  sample: rr
                    ? 'CPU microseconds of one repetition per round trip'
                    : 'CPU seconds of one repetition per thousand connections',
                },
              },
              seriesOf(series, arm.name, id),
            ),
          );
        }
        for (const m of ms) await emit(out, arm.name, m, opts);
      }
    }
  });
  return out;
}
