/**
 * Batched against per-probe probing on a real-cluster path: the built-in suite (TCP and UDP, 9 pods
 * per case) run by the kube driver against the fake API server, every exec delayed by 100 ms (the
 * API server → kubelet → runtime round trip), on 3 nodes, with the end-to-end test's dataplane
 * deciding every probe from the NetworkPolicy model and dropping denied packets, so a denied probe
 * takes its full timeout. Exec calls are counted at the fake API server, per probe round.
 *
 * Targets (issue 12): batched exec calls per round ≤ the source pods of the round, and the batched
 * suite ≥ 10× faster than per-probe. The per-probe run is costly (a round is 288 execs, 16 at a time,
 * and every dropped probe holds its slot for the timeout), so by default it runs on 12 cases spread
 * evenly over the suite (every 24th); the speed-up compares both modes on those same cases, and the
 * per-probe time of the whole suite is extrapolated from them (printed as such). tinybench is not used: one suite run is
 * the sample.
 *
 * Run alone: `node dist/bench/kube-probing.bench.js [--cases N] [--per-probe-cases N]
 * [--probe-timeout-ms MS] [--exec-latency-ms MS]`. bench/run.ts calls runKubeProbingBench().
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ProbeOptions, ProbeRequest } from '../src/cluster/driver.js';
import { KubeDriver } from '../src/cluster/kube/driver.js';
import type { ProbeMode } from '../src/cluster/kube/probe-round.js';
import { builtinSuite, filterByTags } from '../src/netpol/suite/index.js';
import type { CaseResult } from '../src/results/schema.js';
import { kubeClusterSchema } from '../src/scenario/schema.js';
import { runConformance } from '../src/workloads/conformance/run.js';
import { fakeDataplane } from '../test/e2e/fake-dataplane.js';
import { FakeApiServer } from '../test/cluster/kube/fake-apiserver.js';

export interface KubeProbingBenchOptions {
  /** Cases of the suite run batched; default: all (284 with TCP and UDP). */
  cases?: number;
  /** Cases run per probe, spread evenly over the suite; default 12. */
  perProbeCases?: number;
  /** Run the batched mode on the whole suite (default) or only on the per-probe cases. */
  batchedWholeSuite?: boolean;
  /** Default 1000 ms, the scenario default. */
  probeTimeoutMs?: number;
  /** Default 100 ms. */
  execLatencyMs?: number;
  log?: (line: string) => void;
}

export interface ModeRun {
  mode: ProbeMode;
  cases: number;
  passed: number;
  failed: number;
  probes: number;
  rounds: number;
  /** Exec calls per round, at most / on average, and the source pods of the round with the most. */
  execsPerRoundMax: number;
  execsPerRoundMean: number;
  sourcePodsPerRound: number;
  suiteSeconds: number;
  /** Per-case durations (ms), by case name, for comparing modes on the same cases. */
  caseMs: Record<string, number>;
}

export interface KubeProbingBenchReport {
  execLatencyMs: number;
  probeTimeoutMs: number;
  nodes: number;
  podsPerCase: number;
  suiteCases: number;
  batched: ModeRun;
  perProbe: ModeRun;
  /** Both modes on the per-probe run's cases. */
  comparedCases: number;
  batchedComparedSeconds: number;
  perProbeComparedSeconds: number;
  speedup: number;
  /** The per-probe suite time extrapolated from the compared cases (when it ran on a subset). */
  perProbeSuiteSecondsEstimate: number;
  targets: { execsPerRound: boolean; speedup10x: boolean };
}

const NODES = [
  { name: 'node-a', ip: '172.18.0.2' },
  { name: 'node-b', ip: '172.18.0.3' },
  { name: 'node-c', ip: '172.18.0.4' },
];

async function runMode(
  mode: ProbeMode,
  cases: ReturnType<typeof builtinSuite>,
  o: Required<Pick<KubeProbingBenchOptions, 'probeTimeoutMs' | 'execLatencyMs'>>,
  log: (line: string) => void,
): Promise<ModeRun> {
  const api = await FakeApiServer.start({ nodes: NODES, execLatencyMs: o.execLatencyMs });
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cnb-kube-probing-'));
  try {
    // A "CNI" must run for the dataplane to answer; denied packets are dropped (full timeouts).
    api.store.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'calico-node', namespace: 'calico-system' },
      spec: {},
    });
    api.onExec = fakeDataplane(api, { dropWaitsForTimeout: true }).handler;
    const kubeconfig = await api.writeKubeconfig(dir);
    const config = kubeClusterSchema.parse({ kind: 'kube', kubeconfig, context: 'fake', probeMode: mode });
    const driver = new KubeDriver(config, { runId: `bench-${mode}` });
    const rounds: Array<{ execs: number; sources: number }> = [];
    const execCount = () => api.requests.filter((r) => r.path.endsWith('/exec')).length;
    // Each probe() call is one round; exec calls are counted at the server, around it.
    const probe = driver.probe.bind(driver);
    driver.probe = async (requests: ProbeRequest[], opts: ProbeOptions) => {
      const before = execCount();
      const out = await probe(requests, opts);
      rounds.push({ execs: execCount() - before, sources: new Set(requests.map((r) => r.from)).size });
      return out;
    };
    let done = 0;
    const t0 = performance.now();
    const result = await runConformance(driver, cases, {
      probeTimeoutMs: o.probeTimeoutMs,
      convergenceTimeoutMs: 10_000,
      concurrency: config.probeConcurrency,
      protocols: ['TCP', 'UDP'],
      onProgress: () => {
        if (++done % 25 === 0) log(`  ${mode}: ${done}/${cases.length} cases`);
      },
    });
    const suiteSeconds = (performance.now() - t0) / 1000;
    await driver.cleanup();
    const worst = rounds.reduce((a, b) => (b.execs > a.execs ? b : a), { execs: 0, sources: 0 });
    return {
      mode,
      cases: result.cases,
      passed: result.passed,
      failed: result.failed,
      probes: result.caseResults.reduce((n, c) => n + c.probes, 0),
      rounds: rounds.length,
      execsPerRoundMax: worst.execs,
      execsPerRoundMean: rounds.reduce((n, r) => n + r.execs, 0) / Math.max(1, rounds.length),
      sourcePodsPerRound: worst.sources,
      suiteSeconds,
      caseMs: Object.fromEntries(result.caseResults.map((c: CaseResult) => [c.name, c.durationMs])),
    };
  } finally {
    await api.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

export async function runKubeProbingBench(
  opts: KubeProbingBenchOptions = {},
): Promise<KubeProbingBenchReport> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const o = { probeTimeoutMs: opts.probeTimeoutMs ?? 1000, execLatencyMs: opts.execLatencyMs ?? 100 };
  const suite = filterByTags(builtinSuite(), { protocols: ['TCP', 'UDP'] });
  const cases = suite.slice(0, opts.cases ?? suite.length);
  const n = Math.max(1, Math.min(cases.length, opts.perProbeCases ?? 12));
  const step = cases.length / n;
  const subset = Array.from({ length: n }, (_, i) => cases[Math.floor(i * step)]).filter(
    (c): c is (typeof cases)[number] => c !== undefined,
  );
  const whole = opts.batchedWholeSuite ?? true;
  log(
    `kube-probing: exec latency ${o.execLatencyMs} ms, probe timeout ${o.probeTimeoutMs} ms, ` +
      `${NODES.length} nodes; batched on ${whole ? cases.length : subset.length} cases, per-probe on ${subset.length} spread over ${cases.length}`,
  );
  const batched = await runMode('agent', whole ? cases : subset, o, log);
  log(
    `  batched: ${batched.suiteSeconds.toFixed(1)} s, ${batched.execsPerRoundMax} exec(s) per round at most`,
  );
  const perProbe = await runMode('agnhost', subset, o, log);
  log(
    `  per-probe: ${perProbe.suiteSeconds.toFixed(1)} s, ${perProbe.execsPerRoundMax} exec(s) per round at most`,
  );
  const sum = (run: ModeRun) => subset.reduce((n, c) => n + (run.caseMs[c.name] ?? 0), 0) / 1000;
  const batchedCompared = sum(batched);
  const perProbeCompared = sum(perProbe);
  const speedup = perProbeCompared / batchedCompared;
  return {
    ...o,
    nodes: NODES.length,
    podsPerCase: 9,
    suiteCases: cases.length,
    batched,
    perProbe,
    comparedCases: subset.length,
    batchedComparedSeconds: batchedCompared,
    perProbeComparedSeconds: perProbeCompared,
    speedup,
    perProbeSuiteSecondsEstimate: (perProbeCompared / subset.length) * cases.length,
    targets: {
      execsPerRound: batched.execsPerRoundMax <= batched.sourcePodsPerRound,
      speedup10x: speedup >= 10,
    },
  };
}

/** The report as printed lines (for the bench table and for running alone). */
export function describeKubeProbing(r: KubeProbingBenchReport): string[] {
  const f1 = (x: number) => x.toFixed(1);
  const subsetNote =
    r.perProbe.cases < r.suiteCases
      ? `per-probe measured on ${r.perProbe.cases} of the ${r.suiteCases} cases (spread evenly); its whole suite ≈ ${f1(r.perProbeSuiteSecondsEstimate)} s, extrapolated`
      : 'both on the whole suite';
  return [
    `exec calls per probe round: batched ${r.batched.execsPerRoundMax} at most (${f1(r.batched.execsPerRoundMean)} mean) for ${r.batched.sourcePodsPerRound} source pods; per-probe ${r.perProbe.execsPerRoundMax} at most (${f1(r.perProbe.execsPerRoundMean)} mean)`,
    `suite time: batched ${f1(r.batched.suiteSeconds)} s for ${r.batched.cases} cases (${r.batched.passed} pass, ${r.batched.failed} fail); per-probe ${f1(r.perProbe.suiteSeconds)} s for ${r.perProbe.cases} cases (${r.perProbe.passed} pass, ${r.perProbe.failed} fail); ${subsetNote}`,
    `speed-up on the same ${r.comparedCases} cases: ${f1(r.speedup)}× (${f1(r.perProbeComparedSeconds)} s per-probe vs ${f1(r.batchedComparedSeconds)} s batched; exec latency ${r.execLatencyMs} ms, probe timeout ${r.probeTimeoutMs} ms, ${r.nodes} nodes, ${r.podsPerCase} pods per case, denied packets dropped)`,
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      'per-probe-cases': { type: 'string' },
      'probe-timeout-ms': { type: 'string' },
      'exec-latency-ms': { type: 'string' },
      'batched-subset-only': { type: 'boolean' },
    },
    strict: true,
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  runKubeProbingBench({
    cases: num(values.cases),
    perProbeCases: num(values['per-probe-cases']),
    probeTimeoutMs: num(values['probe-timeout-ms']),
    execLatencyMs: num(values['exec-latency-ms']),
    batchedWholeSuite: !values['batched-subset-only'],
  }).then(
    (r) => {
      for (const line of describeKubeProbing(r)) process.stdout.write(`${line}\n`);
      process.exitCode = r.targets.execsPerRound && r.targets.speedup10x ? 0 : 1;
    },
    (err: unknown) => {
      process.stderr.write(`kube-probing bench: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
