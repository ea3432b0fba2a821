/**
 * The contract of a throughput tool (the k8s-netperf driver shape: IsTestSupported, Run, ParseResults).
 * The throughput workload (../throughput/run.ts) knows no tool by name: it looks the workload's `tool`
 * up in the registry (registry.ts), starts the tool's server once per path for a unit, and for every
 * sample runs the client (`run`) and reads its output (`parse`) into a typed result. One file per tool.
 */
import type { ClusterDriver, PerfPair } from '../../cluster/driver.js';
import type { ThroughputToolDescriptor } from '../../scenario/extensions.js';
import type { MeasurementTool } from './tool.js';

/** One throughput test as the workload asks for it. */
export interface ThroughputTest {
  protocol: 'TCP' | 'UDP';
  streams: number;
  /** Whole seconds (at least 1). */
  duration: number;
  /** UDP target rate per stream, iperf3 syntax (1G, 500M). */
  udpRate: string;
  signal?: AbortSignal;
}

/** What a tool's client printed, with the words that name the run in errors (see describeRun). */
export interface RawRun {
  what: string;
  output: unknown;
}

/** A parsed TCP or UDP run: what the receiver got, and the side figures of the protocol. */
export type ThroughputResult =
  | { protocol: 'TCP'; bitsPerSecond: number; retransmits: number }
  | {
      protocol: 'UDP';
      bitsPerSecond: number;
      lostPercent: number;
      jitterMs: number;
      packets: number;
    };

export interface ThroughputTool extends MeasurementTool, ThroughputToolDescriptor {
  /** Runs `body` with the tool's server listening in the pair's server pod; stops it afterwards. */
  withServer<T>(driver: ClusterDriver, pair: PerfPair, body: () => Promise<T>): Promise<T>;
  /** One client run against the running server; returns what the client printed. */
  run(driver: ClusterDriver, pair: PerfPair, test: ThroughputTest): Promise<RawRun>;
  /** Reads a client's output; throws a MeasurementError naming the run when it holds no figure. */
  parse(test: ThroughputTest, raw: RawRun): ThroughputResult;
}
