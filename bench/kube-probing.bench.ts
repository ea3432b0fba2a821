/**
 * Batched against per-probe probing on a real-cluster path: the built-in suite's NetworkPolicy cases
 * (TCP and UDP, 284 cases, 9 pods per case) run by the kube driver against the fake API server, every exec delayed by 100 ms (the
 * API server → kubelet → runtime round trip), on 3 nodes, with the end-to-end test's dataplane
 * deciding every probe from the NetworkPolicy model over everything the server stores (all lanes at
 * once) and dropping denied packets, so a denied probe takes its full timeout. Exec calls are counted
 * at the fake API server, per probe round and lane (the execs into that lane's namespaces).
 *
 * Targets (issue 12): batched exec calls per round ≤ the source pods of the round, and the batched
 * suite ≥ 10× faster than per-probe. Batched runs in conformance lanes (default 4, what `cnibench
 * check` uses; docs/probing.md): several cases in flight at once on disjoint namespaces. Per-probe
 * runs as before, one case at a time. The per-probe run is costly (a round is 288 execs, 16 at a time,
 * and every dropped probe holds its slot for the timeout), so by default it runs on 12 cases spread
 * evenly over the suite (every 24th) and its whole-suite time is extrapolated from them (printed as
 * such); the speed-up is that estimate over the batched suite's wall-clock time. `--lane-sweep 1,2,3,4`
 * also runs batched on `--sweep-cases` cases spread evenly (default 24) with each lane count, against
 * per-probe on those same cases. tinybench is not used: one suite run is the sample.
 *
 * Run alone: `node dist/bench/kube-probing.bench.js [--cases N] [--per-probe-cases N] [--lanes N]
 * [--lane-sweep 1,2,3,4] [--sweep-cases N] [--probe-timeout-ms MS] [--exec-latency-ms MS]
 * [--batched-subset-only]`. bench/run.ts calls runKubeProbingBench().
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ProbeOptions, ProbeRequest } from '../src/cluster/driver.js';
import { KubeDriver } from '../src/cluster/kube/driver.js';
import type { ProbeMode } from '../src/cluster/kube/probe-round.js';
import { CHECK_LANES } from '../src/check/run-check.js';
import { adminTierApi } from '../src/netpol/admin-tier.js';
import { builtinSuite, filterByTags } from '../src/netpol/suite/index.js';
import type { PolicyCase } from '../src/netpol/types.js';
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
  /** Conformance lanes of the batched run; default CHECK_LANES (4). */
  lanes?: number;
  /** Also run batched with each of these lane counts on `sweepCases` cases, and per-probe on them. */
  laneSweep?: number[];
  /** Cases of the lane sweep, spread evenly over the suite; default 24 (the per-probe cases' run is reused when equal). */
  sweepCases?: number;
  /** Default 1000 ms, the scenario default. */
  probeTimeoutMs?: number;
  /** Default 100 ms. */
  execLatencyMs?: number;
  log?: (line: string) => void;
}

export interface ModeRun {
  mode: ProbeMode;
  lanes: number;
  cases: number;
  passed: number;
  failed: number;
  /** Cases reported unsupported (none: the bench leaves the admin-tier cases out). */
  unsupported: number;
  probes: number;
  rounds: number;
  /** Exec calls per round (of one lane), at most / on average, and the source pods of the round with the most. */
  execsPerRoundMax: number;
  execsPerRoundMean: number;
  sourcePodsPerRound: number;
  /** Wall-clock time of the whole run. */
  suiteSeconds: number;
}

export interface LaneSweepRow {
  lanes: number;
  batchedSeconds: number;
  /** Per-probe (one lane) on the same cases over batched with this many lanes. */
  speedup: number;
  passed: number;
  failed: number;
}

export interface KubeProbingBenchReport {
  execLatencyMs: number;
  probeTimeoutMs: number;
  nodes: number;
  podsPerCase: number;
  suiteCases: number;
  batched: ModeRun;
  perProbe: ModeRun;
  /** The per-probe suite time extrapolated from its cases (when it ran on a subset). */
  perProbeSuiteSecondsEstimate: number;
  /** Per-probe whole-suite time (estimated) over batched, both for the cases batched ran. */
  speedup: number;
  sweep?: { cases: number; perProbeSeconds: number; rows: LaneSweepRow[] };
  targets: { execsPerRound: boolean; speedup10x: boolean };
}

const NODES = [
  { name: 'node-a', ip: '172.18.0.2' },
  { name: 'node-b', ip: '172.18.0.3' },
  { name: 'node-c', ip: '172.18.0.4' },
];

async function runMode(
  mode: ProbeMode,
  lanes: number,
  cases: PolicyCase[],
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
    const config = kubeClusterSchema.parse({
      kind: 'kube',
      kubeconfig,
      context: 'fake',
      probeMode: mode,
      conformanceLanes: lanes,
    });
    const driver = new KubeDriver(config, { runId: `bench-${mode}` });
    const rounds: Array<{ execs: number; sources: number }> = [];
    // Each probe() call of a lane is one round; its exec calls are those into its own namespaces.
    for (const lane of driver.caseLanes()) {
      const probe = lane.probe.bind(lane);
      lane.probe = async (requests: ProbeRequest[], opts: ProbeOptions) => {
        const mine = new Set(requests.map((r) => lane.session.namespaces.real(r.from.split('/')[0] ?? '')));
        const isMine = (p: string) => {
          const m = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/[^/]+\/exec/.exec(p);
          return m !== null && mine.has(m[1] ?? '');
        };
        const before = api.requests.length;
        const out = await probe(requests, opts);
        const execs = api.requests.slice(before).filter((r) => isMine(r.path)).length;
        rounds.push({ execs, sources: new Set(requests.map((r) => r.from)).size });
        return out;
      };
    }
    let done = 0;
    const t0 = performance.now();
    const result = await runConformance(driver, cases, {
      probeTimeoutMs: o.probeTimeoutMs,
      convergenceTimeoutMs: 10_000,
      concurrency: config.probeConcurrency,
      protocols: ['TCP', 'UDP'],
      onProgress: () => {
        if (++done % 25 === 0) log(`  ${mode}, ${lanes} lane(s): ${done}/${cases.length} cases`);
      },
    });
    const suiteSeconds = (performance.now() - t0) / 1000;
    await driver.cleanup();
    const worst = rounds.reduce((a, b) => (b.execs > a.execs ? b : a), { execs: 0, sources: 0 });
    return {
      mode,
      lanes,
      cases: result.cases,
      passed: result.passed,
      failed: result.failed,
      unsupported: result.unsupported ?? 0,
      probes: result.caseResults.reduce((n, c) => n + c.probes, 0),
      rounds: rounds.length,
      execsPerRoundMax: worst.execs,
      execsPerRoundMean: rounds.reduce((n, r) => n + r.execs, 0) / Math.max(1, rounds.length),
      sourcePodsPerRound: worst.sources,
      suiteSeconds,
    };
  } finally {
    await api.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** `n` cases spread evenly over `cases`. */
function spread(cases: PolicyCase[], n: number): PolicyCase[] {
  const k = Math.max(1, Math.min(cases.length, n));
  const step = cases.length / k;
  return Array.from({ length: k }, (_, i) => cases[Math.floor(i * step)]).filter(
    (c): c is PolicyCase => c !== undefined,
  );
}

export async function runKubeProbingBench(
  opts: KubeProbingBenchOptions = {},
): Promise<KubeProbingBenchReport> {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const o = { probeTimeoutMs: opts.probeTimeoutMs ?? 1000, execLatencyMs: opts.execLatencyMs ?? 100 };
  const lanes = opts.lanes ?? CHECK_LANES;
  // The NetworkPolicy cases (284): the fake cluster here serves no admin-tier CRD, so the admin-tier
  // cases would only be reported unsupported and skew the per-probe extrapolation.
  const suite = filterByTags(builtinSuite(), { protocols: ['TCP', 'UDP'] }).filter(
    (c) => adminTierApi(c) === null,
  );
  const cases = suite.slice(0, opts.cases ?? suite.length);
  const subset = spread(cases, opts.perProbeCases ?? 12);
  const whole = opts.batchedWholeSuite ?? true;
  log(
    `kube-probing: exec latency ${o.execLatencyMs} ms, probe timeout ${o.probeTimeoutMs} ms, ` +
      `${NODES.length} nodes; batched in ${lanes} lane(s) on ${whole ? cases.length : subset.length} cases, per-probe (1 lane) on ${subset.length} spread over ${cases.length}`,
  );
  const batched = await runMode('agent', lanes, whole ? cases : subset, o, log);
  log(
    `  batched, ${lanes} lane(s): ${batched.suiteSeconds.toFixed(1)} s, ${batched.execsPerRoundMax} exec(s) per round at most`,
  );
  const perProbe = await runMode('agnhost', 1, subset, o, log);
  log(
    `  per-probe: ${perProbe.suiteSeconds.toFixed(1)} s, ${perProbe.execsPerRoundMax} exec(s) per round at most`,
  );
  const perProbeSuiteSecondsEstimate = (perProbe.suiteSeconds / subset.length) * cases.length;
  const speedup = whole
    ? perProbeSuiteSecondsEstimate / batched.suiteSeconds
    : perProbe.suiteSeconds / batched.suiteSeconds;
  let sweep: KubeProbingBenchReport['sweep'];
  if (opts.laneSweep?.length) {
    const sweepCases = spread(cases, opts.sweepCases ?? 24);
    log(
      `  lane sweep on ${sweepCases.length} cases spread over ${cases.length}: ${opts.laneSweep.join(', ')} lane(s)`,
    );
    // The per-probe run already done is reused when it ran on the same cases.
    const same = sweepCases.length === subset.length && sweepCases.every((c, i) => c === subset[i]);
    const pp = same ? perProbe : await runMode('agnhost', 1, sweepCases, o, log);
    const rows: LaneSweepRow[] = [];
    for (const n of opts.laneSweep) {
      const b = await runMode('agent', n, sweepCases, o, log);
      rows.push({
        lanes: n,
        batchedSeconds: b.suiteSeconds,
        speedup: pp.suiteSeconds / b.suiteSeconds,
        passed: b.passed,
        failed: b.failed,
      });
      log(`    ${n} lane(s): ${b.suiteSeconds.toFixed(1)} s (per-probe ${pp.suiteSeconds.toFixed(1)} s)`);
    }
    sweep = { cases: sweepCases.length, perProbeSeconds: pp.suiteSeconds, rows };
  }
  return {
    ...o,
    nodes: NODES.length,
    podsPerCase: 9,
    suiteCases: cases.length,
    batched,
    perProbe,
    perProbeSuiteSecondsEstimate,
    speedup,
    ...(sweep ? { sweep } : {}),
    targets: {
      execsPerRound: batched.execsPerRoundMax <= batched.sourcePodsPerRound,
      speedup10x: speedup >= 10,
    },
  };
}

/** The report as printed lines (for the bench table and for running alone). */
export function describeKubeProbing(r: KubeProbingBenchReport): string[] {
  const f1 = (x: number) => x.toFixed(1);
  const yes = (b: boolean) => (b ? 'met' : 'NOT met');
  const estimated = r.perProbe.cases < r.batched.cases;
  return [
    `exec calls per probe round: batched ${r.batched.execsPerRoundMax} at most (${f1(r.batched.execsPerRoundMean)} mean) for ${r.batched.sourcePodsPerRound} source pods; per-probe ${r.perProbe.execsPerRoundMax} at most (${f1(r.perProbe.execsPerRoundMean)} mean) — target ≤ source pods: ${yes(r.targets.execsPerRound)}`,
    `suite time: batched in ${r.batched.lanes} lane(s) ${f1(r.batched.suiteSeconds)} s for ${r.batched.cases} cases (${r.batched.passed} pass, ${r.batched.failed} fail, ${r.batched.unsupported} not run); per-probe (1 lane) ${f1(r.perProbe.suiteSeconds)} s for ${r.perProbe.cases} cases (${r.perProbe.passed} pass, ${r.perProbe.failed} fail, ${r.perProbe.unsupported} not run)${estimated ? `, spread evenly over the ${r.batched.cases}: ≈ ${f1(r.perProbeSuiteSecondsEstimate)} s for all of them, extrapolated` : ''}`,
    `speed-up: ${f1(r.speedup)}× (exec latency ${r.execLatencyMs} ms, probe timeout ${r.probeTimeoutMs} ms, ${r.nodes} nodes, ${r.podsPerCase} pods per case, denied packets dropped) — target ≥ 10×: ${yes(r.targets.speedup10x)}`,
    ...(r.sweep
      ? [
          `lane sweep on ${r.sweep.cases} cases (per-probe ${f1(r.sweep.perProbeSeconds)} s): ${r.sweep.rows.map((x) => `${x.lanes} lane(s) ${f1(x.batchedSeconds)} s = ${f1(x.speedup)}×${x.failed ? ` (${x.failed} fail)` : ''}`).join('; ')}`,
        ]
      : []),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string' },
      'per-probe-cases': { type: 'string' },
      lanes: { type: 'string' },
      'lane-sweep': { type: 'string' },
      'sweep-cases': { type: 'string' },
      'probe-timeout-ms': { type: 'string' },
      'exec-latency-ms': { type: 'string' },
      'batched-subset-only': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'node dist/bench/kube-probing.bench.js [--cases N] [--per-probe-cases N] [--lanes N] [--lane-sweep 1,2,3,4] [--sweep-cases N] [--probe-timeout-ms MS] [--exec-latency-ms MS] [--batched-subset-only]\n',
    );
    process.exit(0);
  }
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  runKubeProbingBench({
    cases: num(values.cases),
    perProbeCases: num(values['per-probe-cases']),
    lanes: num(values.lanes),
    laneSweep: values['lane-sweep']?.split(',').map(Number),
    sweepCases: num(values['sweep-cases']),
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
