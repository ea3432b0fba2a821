/**
 * Harness-overhead benchmark: what does measuring *through cnibench* cost compared with running the
 * bare tools by hand between the same two namespaces (the baseline veth pair), in the same process
 * run, interleaved round by round so drift affects both sides alike?
 *
 *   throughput  cnibench runThroughput (TCP, 1 stream) vs bare `ip netns exec … iperf3 -c … --json`
 *               → must reach ≥ 0.95
 *   latency     cnibench runLatency rr p50 (agent, Node.js sockets) vs `sockperf pp --tcp` round trip
 *               (sockperf prints one-way latency = half the round trip; doubled here), same 14-byte
 *               message (sockperf's minimum) → must stay ≤ 1.5
 *               Both are checked on the median of the per-round ratios (each round runs the two sides
 *               back to back, alternating who goes first), which tolerates a machine whose load drifts
 *               between rounds; the ratio of medians is printed too.
 *   exec        tinybench timing of one `driver.exec(pod, ['true'])` (the fixed cost per tool run)
 *
 * Run alone: `node dist/bench/perf-overhead.bench.js [--rounds N] [--duration S]` (root; exit 1 if a
 * threshold is missed). The lead's bench/run.ts calls runPerfOverheadBench().
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Bench } from 'tinybench';
import { baselineNetns } from '../src/cluster/local/perf.js';
import { run } from '../src/cluster/local/sh.js';
import { medianOf as median } from '../src/stats/quantile.js';
import { runThroughput } from '../src/workloads/throughput/run.js';
import { runLatency } from '../src/workloads/latency/run.js';
import { parseIperf3Tcp } from '../src/workloads/tools/iperf3.js';
import { PROJECT_ROOT } from '../src/util/version.js';
import { LocalDriver } from '../src/cluster/local/driver.js';

export interface PerfOverheadOptions {
  /** Interleaved rounds per comparison; default 8. */
  rounds?: number;
  /** Seconds per tool run; default 2. */
  duration?: number;
  log?: (line: string) => void;
}

export interface Comparison {
  harness: number[];
  bare: number[];
  harnessMedian: number;
  bareMedian: number;
  /** harness_i / bare_i for each round (the two ran back to back, under the same machine load). */
  pairedRatios: number[];
  /** Median of the paired ratios: what the threshold is checked on (robust to load drifting between rounds). */
  ratio: number;
  /** Ratio of the medians, for reference. */
  ratioOfMedians: number;
  threshold: string;
  pass: boolean;
}

export interface PerfOverheadReport {
  throughputGbps: Comparison;
  rttUs: Comparison;
  execOverheadMs: { mean: number; p50: number; p99: number; samples: number };
  pass: boolean;
}

const SOCKPERF_PORT = 11111;
const IPERF_BARE_PORT = 5301;
const MESSAGE = 14;

function compare(
  harness: number[],
  bare: number[],
  threshold: string,
  ok: (ratio: number) => boolean,
): Comparison {
  const h = median(harness);
  const b = median(bare);
  // Rounds pair up by index: round r of the harness against round r of the bare tool.
  const pairedRatios = harness.flatMap((x, i) => {
    const y = bare[i];
    return y === undefined ? [] : [x / y];
  });
  const ratio = median(pairedRatios);
  return {
    harness,
    bare,
    harnessMedian: h,
    bareMedian: b,
    pairedRatios,
    ratio,
    ratioOfMedians: h / b,
    threshold,
    pass: ok(ratio),
  };
}

async function bareIperf3(client: string, target: string, duration: number): Promise<number> {
  for (let i = 0; ; i++) {
    const r = await run(
      [
        'ip',
        'netns',
        'exec',
        client,
        'iperf3',
        '-c',
        target,
        '-p',
        String(IPERF_BARE_PORT),
        '-t',
        String(duration),
        '--json',
      ],
      { allowFail: true, timeoutMs: (duration + 30) * 1000 },
    );
    const json = JSON.parse(r.stdout) as { error?: string };
    if (json.error && /refused|busy/.test(json.error) && i < 50) {
      await new Promise((res) => setTimeout(res, 100));
      continue;
    }
    return parseIperf3Tcp(json, 'bare iperf3').bitsPerSecond / 1e9;
  }
}

async function sockperfRtt(client: string, target: string, duration: number): Promise<number> {
  for (let i = 0; ; i++) {
    const r = await run(
      [
        'ip',
        'netns',
        'exec',
        client,
        'sockperf',
        'pp',
        '--tcp',
        '-i',
        target,
        '-p',
        String(SOCKPERF_PORT),
        '-t',
        String(duration),
        '--mps',
        'max',
        '-m',
        String(MESSAGE),
      ],
      { allowFail: true, timeoutMs: (duration + 30) * 1000 },
    );
    const text = r.stdout + r.stderr;
    const m = /percentile 50\.000 =\s+([\d.]+)/.exec(text);
    if (m) return 2 * Number(m[1]);
    if (/refused/i.test(text) && i < 50) {
      await new Promise((res) => setTimeout(res, 100));
      continue;
    }
    throw new Error(`sockperf pp printed no median: ${text.slice(-500)}`);
  }
}

export async function runPerfOverheadBench(opts: PerfOverheadOptions = {}): Promise<PerfOverheadReport> {
  const rounds = opts.rounds ?? 8;
  const duration = opts.duration ?? 2;
  const log = opts.log ?? ((l: string) => console.log(l));
  const agentPath = path.join(PROJECT_ROOT, 'dist', 'src', 'agent', 'main.js');
  // The real local driver, as `cnibench run` uses it: the harness's own path is what is measured.
  const driver = new LocalDriver({ mode: 'routed', nodes: 2, agentPath });
  const agentCommand = [process.execPath, agentPath];
  const stoppers: Array<{ stop(): Promise<unknown> }> = [];
  try {
    const topo = await driver.preparePerf(['baseline']);
    const [pair] = topo.pairs;
    if (pair === undefined) throw new Error('preparePerf returned no baseline pair');
    const clientNs = baselineNetns(driver.topology, pair.client);
    const serverNs = baselineNetns(driver.topology, pair.server);
    if (clientNs === undefined || serverNs === undefined)
      throw new Error('the baseline pair has no network namespaces on the local topology');
    stoppers.push(driver.topology.spawn(serverNs, ['iperf3', '-s', '-p', String(IPERF_BARE_PORT)]));
    stoppers.push(
      driver.topology.spawn(
        serverNs,
        ['sockperf', 'sr', '--tcp', '-i', pair.target, '-p', String(SOCKPERF_PORT)],
        {
          collectOutput: false,
        },
      ),
    );

    const one = { count: 1, warmup: 0, adaptive: false as const };
    const arms = [{ name: 'cnibench', driver, topology: topo, agentCommand }];
    const harnessTp: number[] = [];
    const bareTp: number[] = [];
    const harnessRtt: number[] = [];
    const bareRtt: number[] = [];
    // One untimed round of each warms caches, ARP and the page cache of the binaries.
    await bareIperf3(clientNs, pair.target, 1);
    await sockperfRtt(clientNs, pair.target, 1);
    const harnessThroughput = async () => {
      const [m] = await runThroughput(
        arms,
        {
          kind: 'throughput',
          tool: 'iperf3',
          protocol: 'TCP',
          paths: [],
          streams: [1],
          duration,
          udpRate: '1G',
          baseline: true,
        },
        one,
        { seed: 0 },
      );
      if (!m) throw new Error('no throughput measurement');
      harnessTp.push(m.measurement.samples[0] ?? NaN);
    };
    const harnessLatency = async () => {
      const [m] = await runLatency(
        arms,
        { kind: 'latency', mode: 'rr', paths: [], duration, payloadBytes: MESSAGE, baseline: true },
        one,
        { seed: 0 },
      );
      if (!m) throw new Error('no latency measurement');
      harnessRtt.push(m.measurement.samples[0] ?? NaN);
    };
    const bareThroughput = async () => void bareTp.push(await bareIperf3(clientNs, pair.target, duration));
    const bareLatency = async () => void bareRtt.push(await sockperfRtt(clientNs, pair.target, duration));
    for (let r = 0; r < rounds; r++) {
      // Alternate who goes first (ABBA), so a drifting machine favours neither side.
      const order = r % 2 === 0 ? [harnessThroughput, bareThroughput] : [bareThroughput, harnessThroughput];
      for (const step of order) await step();
      const order2 = r % 2 === 0 ? [harnessLatency, bareLatency] : [bareLatency, harnessLatency];
      for (const step of order2) await step();
      log(
        `round ${r + 1}/${rounds}: iperf3 cnibench ${harnessTp.at(-1)?.toFixed(2)} vs bare ${bareTp.at(-1)?.toFixed(2)} Gbit/s; ` +
          `rtt p50 cnibench ${harnessRtt.at(-1)?.toFixed(1)} vs sockperf ${bareRtt.at(-1)?.toFixed(1)} µs`,
      );
    }
    const bench = new Bench({ time: 2000, warmupTime: 200 });
    bench.add('driver.exec(baseline client, [true])', async () => {
      const r = await driver.exec(pair.client, ['true']);
      if (r.exitCode !== 0) throw new Error('true failed');
    });
    await bench.run();
    const res = bench.tasks[0]?.result;
    if (res === undefined) throw new Error('the exec benchmark did not run');
    if (res.state !== 'completed') throw new Error(`exec benchmark ${res.state}`);

    const report: PerfOverheadReport = {
      throughputGbps: compare(harnessTp, bareTp, 'cnibench/bare ≥ 0.95', (x) => x >= 0.95),
      rttUs: compare(harnessRtt, bareRtt, 'cnibench/sockperf ≤ 1.5', (x) => x <= 1.5),
      execOverheadMs: {
        mean: res.latency.mean,
        p50: res.latency.p50 ?? NaN,
        p99: res.latency.p99 ?? NaN,
        samples: res.latency.samplesCount,
      },
      pass: false,
    };
    report.pass = report.throughputGbps.pass && report.rttUs.pass;
    const t = report.throughputGbps;
    const l = report.rttUs;
    log(
      `throughput: cnibench ${t.harnessMedian.toFixed(2)} Gbit/s / bare iperf3 ${t.bareMedian.toFixed(2)} Gbit/s → median paired ratio ${t.ratio.toFixed(3)}, ratio of medians ${t.ratioOfMedians.toFixed(3)} (${t.threshold}: ${t.pass ? 'PASS' : 'FAIL'})`,
    );
    log(
      `rtt p50:    cnibench ${l.harnessMedian.toFixed(1)} µs / sockperf ${l.bareMedian.toFixed(1)} µs → median paired ratio ${l.ratio.toFixed(3)}, ratio of medians ${l.ratioOfMedians.toFixed(3)} (${l.threshold}: ${l.pass ? 'PASS' : 'FAIL'})`,
    );
    log(
      `driver.exec overhead: mean ${report.execOverheadMs.mean.toFixed(2)} ms, p99 ${report.execOverheadMs.p99.toFixed(2)} ms (${report.execOverheadMs.samples} runs)`,
    );
    return report;
  } finally {
    await Promise.all(stoppers.map((s) => s.stop().catch(() => undefined)));
    await driver.cleanup();
  }
}

function flag(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runPerfOverheadBench({ rounds: flag('rounds'), duration: flag('duration') }).then(
    (r) => {
      process.exitCode = r.pass ? 0 : 1;
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exitCode = 3;
    },
  );
}
