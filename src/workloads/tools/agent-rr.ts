/**
 * The pod agent's request/response modes as a measurement tool: `rr-server` in the server pod,
 * `rr` (TCP_RR-like round trips on one connection) or `crr` (connect/request/response/close, one
 * connection at a time) in the client pod. The agent command differs per cluster (locally
 * `node <repo>/dist/src/agent/main.js`, in a Node.js pod whatever the image has), so it is passed in.
 */
import path from 'node:path';
import type { ClusterDriver, PerfPair, PodHandle } from '../../cluster/driver.js';
import type { CrrReport, LatencyHistogram, RrReport } from '../../agent/rr.js';
import { cnibenchVersion } from '../../util/version.js';
import {
  MeasurementError,
  PERF_PORTS,
  describeRun,
  parseJsonOutput,
  withServer,
  type MeasurementTool,
} from './tool.js';

export type { CrrReport, LatencyHistogram, RrReport } from '../../agent/rr.js';

export interface AgentRrRunOptions {
  /** Seconds of round trips (fractions allowed). */
  duration: number;
  /** Request = response size in bytes. */
  payload: number;
  port?: number;
  /** Ask the agent for every sample, not only percentiles and the histogram. */
  raw?: boolean;
  /** Round-trip loop of the agent; see src/agent/rr.ts for why `loop` is the default. */
  engine?: 'loop' | 'tinybench';
  signal?: AbortSignal;
}

export class AgentRrTool implements MeasurementTool {
  readonly name = 'cnibench-agent';

  /** @param agentCommand argv prefix that runs the agent in a pod, e.g. ['node', '/abs/dist/src/agent/main.js'] */
  constructor(readonly agentCommand: string[]) {
    if (agentCommand.length === 0) throw new Error('agentCommand must not be empty');
  }

  async version(driver: ClusterDriver, pod: PodHandle): Promise<string | undefined> {
    // The agent is built from the harness's own source; the runtime under it is what may differ.
    const runtime = this.agentCommand[0];
    if (path.basename(runtime) !== 'node') return cnibenchVersion();
    const r = await driver.exec(pod, [runtime, '--version'], { timeoutMs: 10_000 });
    return r.exitCode === 0 ? `${cnibenchVersion()} (node ${r.stdout.trim()})` : cnibenchVersion();
  }

  /**
   * Runs `body` with an rr-server in the pair's server pod. For `crr` the server closes each
   * connection after echoing `payload` bytes (so TIME_WAIT stays on the server side).
   */
  withServer<T>(
    driver: ClusterDriver,
    pair: PerfPair,
    mode: 'rr' | 'crr',
    payload: number,
    body: () => Promise<T>,
    port: number = PERF_PORTS.rr,
  ): Promise<T> {
    const argv = [...this.agentCommand, 'rr-server', '--port', String(port)];
    if (mode === 'crr') argv.push('--close-after-reply', String(payload));
    return withServer(driver, pair.server, argv, body);
  }

  private async client<T extends { mode: string; count: number }>(
    driver: ClusterDriver,
    pair: PerfPair,
    mode: 'rr' | 'crr',
    opts: AgentRrRunOptions,
  ): Promise<T> {
    const port = opts.port ?? PERF_PORTS.rr;
    const what = describeRun(`agent ${mode}`, pair, port);
    const argv = [
      ...this.agentCommand,
      mode,
      '--target',
      pair.target,
      '--port',
      String(port),
      '--duration',
      String(opts.duration),
      '--payload',
      String(opts.payload),
    ];
    if (opts.raw) argv.push('--raw');
    if (mode === 'rr' && opts.engine) argv.push('--engine', opts.engine);
    const r = await driver.exec(pair.client, argv, {
      timeoutMs: Math.ceil(opts.duration * 1000) + 30_000,
      signal: opts.signal,
    });
    if (r.exitCode !== 0) {
      throw new MeasurementError(`${what}: agent exited ${r.exitCode}: ${r.stderr.trim().slice(0, 1000)}`);
    }
    const report = parseJsonOutput<T>(what, r.stdout, r.stderr);
    if (report.mode !== mode || !(report.count > 0)) {
      throw new MeasurementError(
        `${what}: agent report has no ${mode} round trips: ${r.stdout.slice(0, 300)}`,
      );
    }
    return report;
  }

  /** One TCP_RR-like run (server must be running: see withServer). */
  runRr(driver: ClusterDriver, pair: PerfPair, opts: AgentRrRunOptions): Promise<RrReport> {
    return this.client<RrReport>(driver, pair, 'rr', opts);
  }

  /** One TCP_CRR-like run (server started with mode 'crr'). */
  runCrr(driver: ClusterDriver, pair: PerfPair, opts: AgentRrRunOptions): Promise<CrrReport> {
    return this.client<CrrReport>(driver, pair, 'crr', opts);
  }
}

/** Pools histograms (same bucket base) of several runs. */
export function mergeHistograms(hs: LatencyHistogram[]): LatencyHistogram {
  if (hs.length === 0) throw new Error('no histograms to merge');
  const base = hs[0].base;
  const counts = new Map<number, number>();
  for (const h of hs) {
    if (h.base !== base) throw new Error(`cannot merge histograms with bases ${base} and ${h.base}`);
    for (const [i, c] of h.buckets) counts.set(i, (counts.get(i) ?? 0) + c);
  }
  return { base, buckets: [...counts.entries()].sort((a, b) => a[0] - b[0]) };
}

/**
 * Nearest-rank percentile from a histogram: the geometric middle of the bucket holding the rank,
 * so the figure is within half a bucket (±0.5% for base 1.01) of the exact one.
 */
export function histogramPercentile(h: LatencyHistogram, p: number): number {
  const total = h.buckets.reduce((s, [, c]) => s + c, 0);
  if (total === 0) throw new Error('empty histogram');
  const rank = Math.min(total, Math.max(1, Math.ceil(p * total)));
  let seen = 0;
  for (const [i, c] of h.buckets) {
    seen += c;
    if (seen >= rank) return Math.pow(h.base, i + 0.5);
  }
  const last = h.buckets[h.buckets.length - 1][0];
  return Math.pow(h.base, last + 0.5);
}

export function histogramCount(h: LatencyHistogram): number {
  return h.buckets.reduce((s, [, c]) => s + c, 0);
}
