/**
 * A throughput tool for the "add a measurement tool" recipe (docs/architecture.md): "fakeperf", a
 * made-up TCP-only tool whose client prints one line, `received <bits> bits/s retrans <n>`. One file,
 * the ThroughputTool contract, and one registration line (in the test).
 */
import {
  PERF_PORTS,
  type ClusterDriver,
  type PerfPair,
  type PodHandle,
} from '../../../../src/cluster/driver.js';
import type {
  RawRun,
  ThroughputResult,
  ThroughputTest,
  ThroughputTool,
} from '../../../../src/workloads/tools/throughput-tool.js';
import { MeasurementError, describeRun, withServer } from '../../../../src/workloads/tools/tool.js';

export const fakeperf: ThroughputTool = {
  name: 'fakeperf',
  isSupported: (test) => (test.protocol === 'TCP' ? undefined : 'fakeperf measures TCP only'),
  async version(driver: ClusterDriver, pod: PodHandle) {
    const r = await driver.exec(pod, ['fakeperf', '--version']);
    return /fakeperf (\S+)/.exec(r.stdout)?.[1];
  },
  withServer: <T>(driver: ClusterDriver, pair: PerfPair, body: () => Promise<T>) =>
    withServer(driver, pair.server, ['fakeperf', '-s', '-p', String(PERF_PORTS.iperf3)], body),
  async run(driver: ClusterDriver, pair: PerfPair, test: ThroughputTest): Promise<RawRun> {
    const what = describeRun(`fakeperf -P ${test.streams}`, pair, PERF_PORTS.iperf3);
    const argv = ['fakeperf', '-c', pair.target, '-t', String(test.duration), '-P', String(test.streams)];
    const r = await driver.exec(pair.client, argv, { signal: test.signal });
    if (r.exitCode !== 0) throw new MeasurementError(`${what}: exit ${r.exitCode}: ${r.stderr.trim()}`);
    return { what, output: r.stdout };
  },
  parse(_test: ThroughputTest, raw: RawRun): ThroughputResult {
    const m = /^received (\d+(?:\.\d+)?) bits\/s retrans (\d+)$/m.exec(String(raw.output));
    if (!m) throw new MeasurementError(`${raw.what}: no "received … bits/s" line in: ${String(raw.output)}`);
    return { protocol: 'TCP', bitsPerSecond: Number(m[1]), retransmits: Number(m[2]) };
  },
};
