/**
 * The pod agent's request/response modes as a measurement tool: `rr-server` in the server pod,
 * `rr` (TCP_RR-like round trips on one connection) or `crr` (connect/request/response/close, one
 * connection at a time) in the client pod. The agent command differs per cluster (locally
 * `node <repo>/dist/src/agent/main.js`, in a Node.js pod whatever the image has), so it is passed in.
 */
import path from 'node:path';
import { PERF_PORTS, type ClusterDriver, type PerfPair, type PodHandle } from '../../cluster/driver.js';
import type { CrrReport, RrReport } from '../../agent/rr.js';
import { quantileSorted } from '../../stats/quantile.js';
import { cnibenchVersion } from '../../util/version.js';
import { MeasurementError, describeRun, parseJsonOutput, withServer, type MeasurementTool } from './tool.js';

export type { CrrReport, RrReport } from '../../agent/rr.js';

export interface AgentRrRunOptions {
  /** Seconds of round trips (fractions allowed). */
  duration: number;
  /** Request = response size in bytes. */
  payload: number;
  port?: number;
  /** A busy-wait of this many µs inside every round trip (the planted handicap); default none. */
  serviceUs?: number;
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
    const [runtime] = this.agentCommand;
    if (runtime === undefined || path.basename(runtime) !== 'node') return cnibenchVersion();
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

  private async client<T extends { mode: string; count: number; samplesUs: number[] }>(
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
      ...(opts.serviceUs ? ['--service-us', String(opts.serviceUs)] : []),
    ];
    const r = await driver.exec(pair.client, argv, {
      timeoutMs: Math.ceil(opts.duration * 1000) + 30_000,
      signal: opts.signal,
    });
    if (r.exitCode !== 0) {
      throw new MeasurementError(`${what}: agent exited ${r.exitCode}: ${r.stderr.trim().slice(0, 1000)}`);
    }
    const report = parseJsonOutput<T>(what, r.stdout, r.stderr);
    if (report.mode !== mode || !(report.count > 0) || !Array.isArray(report.samplesUs)) {
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

/**
 * The latency percentiles of round trips (µs), computed by the harness — the agent only measures:
 * type-7 quantiles (stats/quantile.ts), the one percentile definition of cnibench.
 */
export function latencyPercentiles(
  samplesUs: readonly number[],
  ps: readonly number[] = [0.5, 0.9, 0.99, 0.999],
): number[] {
  if (samplesUs.length === 0) throw new Error('no round trips');
  const sorted = Float64Array.from(samplesUs).sort();
  return ps.map((p) => quantileSorted(sorted, p));
}
