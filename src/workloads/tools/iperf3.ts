/**
 * iperf3: the throughput tool. The server runs in the server pod (`iperf3 -s -p PORT`, kept for a
 * whole series of repetitions), the client in the client pod with `--json`; the figures are read
 * from iperf3's JSON report, never from its text output and never estimated:
 *   TCP: end.sum_received.bits_per_second (what the receiver got; sum_sent is kept for reference),
 *        end.sum_sent.retransmits
 *   UDP: end.sum_received (3.x ≥ 3.9; end.sum in older versions): bits_per_second, lost_percent,
 *        jitter_ms, lost_packets, packets
 * iperf3 reports failures as an `error` field in the JSON, sometimes with exit status 0, so the error
 * field is what decides.
 */
import { PERF_PORTS, type ClusterDriver, type PerfPair, type PodHandle } from '../../cluster/driver.js';
import { sleep } from '../../util/sleep.js';
import type { RawRun, ThroughputResult, ThroughputTest, ThroughputTool } from './throughput-tool.js';
import { MeasurementError, describeRun, parseJsonOutput, withServer } from './tool.js';
import { messageOf } from '../../util/errors.js';

export interface Iperf3TcpResult {
  /** Received bits per second, all streams summed. */
  bitsPerSecond: number;
  /** Sent bits per second, all streams summed. */
  sentBitsPerSecond: number;
  retransmits: number;
  seconds: number;
  bytes: number;
  streams: number;
  version?: string;
}

export interface Iperf3UdpResult {
  /** Received bits per second, all streams summed. */
  bitsPerSecond: number;
  lostPercent: number;
  jitterMs: number;
  lostPackets: number;
  packets: number;
  seconds: number;
  streams: number;
  version?: string;
}

interface Iperf3RunOptions {
  /** Seconds; iperf3 takes whole seconds, so this is rounded (at least 1). */
  duration: number;
  streams: number;
  /** How long a refused/busy connection is retried while the server starts. Default 5000 ms. */
  connectWaitMs?: number;
  signal?: AbortSignal;
}

/** The parts of iperf3's JSON report that are read. */
interface Iperf3Json {
  start?: { version?: string; test_start?: { num_streams?: number; protocol?: string } };
  end?: {
    sum_sent?: Iperf3Sum;
    sum_received?: Iperf3Sum;
    sum?: Iperf3Sum;
  };
  error?: string;
}

interface Iperf3Sum {
  seconds?: number;
  bytes?: number;
  bits_per_second?: number;
  retransmits?: number;
  jitter_ms?: number;
  lost_packets?: number;
  packets?: number;
  lost_percent?: number;
}

function field(sum: Iperf3Sum | undefined, key: keyof Iperf3Sum, where: string, what: string): number {
  const v = sum?.[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new MeasurementError(`${what}: iperf3 JSON has no numeric ${where}.${key}`);
  }
  return v;
}

function checkError(json: Iperf3Json, what: string): void {
  if (typeof json.error === 'string' && json.error)
    throw new MeasurementError(`${what}: iperf3: ${json.error}`);
}

function versionOf(json: Iperf3Json): string | undefined {
  return json.start?.version?.replace(/^iperf\s*/, '') || undefined;
}

/** Reads a TCP client report. `what` names the run in errors (see describeRun). */
export function parseIperf3Tcp(json: unknown, what = 'iperf3'): Iperf3TcpResult {
  const j = json as Iperf3Json;
  checkError(j, what);
  const recv = j.end?.sum_received;
  const sent = j.end?.sum_sent;
  return {
    bitsPerSecond: field(recv, 'bits_per_second', 'end.sum_received', what),
    sentBitsPerSecond: field(sent, 'bits_per_second', 'end.sum_sent', what),
    retransmits: sent?.retransmits ?? 0,
    seconds: field(recv, 'seconds', 'end.sum_received', what),
    bytes: field(recv, 'bytes', 'end.sum_received', what),
    streams: j.start?.test_start?.num_streams ?? 1,
    version: versionOf(j),
  };
}

/** Reads a UDP client report (receiver-side figures as sent back by the server). */
export function parseIperf3Udp(json: unknown, what = 'iperf3'): Iperf3UdpResult {
  const j = json as Iperf3Json;
  checkError(j, what);
  const [sum, where] = j.end?.sum_received
    ? [j.end.sum_received, 'end.sum_received']
    : [j.end?.sum, 'end.sum'];
  return {
    bitsPerSecond: field(sum, 'bits_per_second', where, what),
    lostPercent: field(sum, 'lost_percent', where, what),
    jitterMs: field(sum, 'jitter_ms', where, what),
    lostPackets: field(sum, 'lost_packets', where, what),
    packets: field(sum, 'packets', where, what),
    seconds: field(sum, 'seconds', where, what),
    streams: j.start?.test_start?.num_streams ?? 1,
    version: versionOf(j),
  };
}

function iperf3ServerArgv(port: number = PERF_PORTS.iperf3): string[] {
  return ['iperf3', '-s', '-p', String(port)];
}

export function iperf3ClientArgv(
  target: string,
  opts: { duration: number; streams: number; port?: number; udpRate?: string },
): string[] {
  const argv = [
    'iperf3',
    '-c',
    target,
    '-p',
    String(opts.port ?? PERF_PORTS.iperf3),
    '-t',
    String(Math.max(1, Math.round(opts.duration))),
    '-P',
    String(opts.streams),
    '--connect-timeout',
    '3000',
    '--json',
  ];
  if (opts.udpRate !== undefined) argv.push('-u', '-b', opts.udpRate);
  return argv;
}

/** Errors that mean "the server is not (yet) ready", worth retrying for a short while. */
const RETRYABLE = /connection refused|server is busy|unable to receive control message|connection reset/i;

async function runClient(
  driver: ClusterDriver,
  pair: PerfPair,
  argv: string[],
  what: string,
  opts: Iperf3RunOptions,
): Promise<unknown> {
  const deadline = Date.now() + (opts.connectWaitMs ?? 5000);
  const timeoutMs = (Math.max(1, Math.round(opts.duration)) + 30) * 1000;
  for (;;) {
    const r = await driver.exec(pair.client, argv, { timeoutMs, signal: opts.signal });
    let json: Iperf3Json;
    try {
      json = parseJsonOutput<Iperf3Json>(what, r.stdout, r.stderr);
    } catch (err) {
      throw new MeasurementError(
        `${messageOf(err)} (exit ${r.exitCode}; stderr: ${r.stderr.trim().slice(0, 500)})`,
      );
    }
    if (typeof json.error === 'string' && RETRYABLE.test(json.error) && Date.now() < deadline) {
      await sleep(100, opts.signal);
      continue;
    }
    return json;
  }
}

class Iperf3Tool implements ThroughputTool {
  readonly name = 'iperf3';

  /** iperf3 measures TCP and UDP alike. */
  isSupported(): string | undefined {
    return undefined;
  }

  async version(driver: ClusterDriver, pod: PodHandle): Promise<string | undefined> {
    const r = await driver.exec(pod, ['iperf3', '--version'], { timeoutMs: 10_000 });
    return /iperf\s+(\S+)/.exec(r.stdout)?.[1];
  }

  /** One client run of the test (TCP, or UDP at the test's rate per stream). */
  async run(driver: ClusterDriver, pair: PerfPair, test: ThroughputTest): Promise<RawRun> {
    const port = PERF_PORTS.iperf3;
    const udp = test.protocol === 'UDP';
    const what = describeRun(
      udp ? `iperf3 UDP -b ${test.udpRate} -P ${test.streams}` : `iperf3 TCP -P ${test.streams}`,
      pair,
      port,
    );
    const argv = iperf3ClientArgv(pair.target, {
      duration: test.duration,
      streams: test.streams,
      port,
      ...(udp ? { udpRate: test.udpRate } : {}),
    });
    const opts = { duration: test.duration, streams: test.streams, signal: test.signal };
    return { what, output: await runClient(driver, pair, argv, what, opts) };
  }

  parse(test: ThroughputTest, raw: RawRun): ThroughputResult {
    if (test.protocol === 'TCP') {
      const r = parseIperf3Tcp(raw.output, raw.what);
      return { protocol: 'TCP', bitsPerSecond: r.bitsPerSecond, retransmits: r.retransmits };
    }
    const r = parseIperf3Udp(raw.output, raw.what);
    return {
      protocol: 'UDP',
      bitsPerSecond: r.bitsPerSecond,
      lostPercent: r.lostPercent,
      jitterMs: r.jitterMs,
      packets: r.packets,
    };
  }

  /** Runs `body` with an iperf3 server listening in the pair's server pod. */
  withServer<T>(driver: ClusterDriver, pair: PerfPair, body: () => Promise<T>): Promise<T> {
    return withServer(driver, pair.server, iperf3ServerArgv(PERF_PORTS.iperf3), body);
  }
}

export const iperf3 = new Iperf3Tool();
