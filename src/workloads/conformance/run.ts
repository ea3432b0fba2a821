/**
 * The NetworkPolicy conformance workload: for each case, lay the pods out, apply the policies, probe
 * every ordered pair on every probe port and protocol, and compare with the exact model
 * (src/netpol). A case passes when a probe round matches the model within the convergence timeout;
 * the time from applying the policies to that first matching round is its programming latency.
 * Written against ClusterDriver only, so it runs unchanged on the local cluster and on real clusters.
 *
 * Cases with admin-tier policies (ClusterNetworkPolicy, AdminNetworkPolicy) run only where the driver
 * can apply that API version (capabilities().adminTier) and the cluster takes their objects
 * (adminTierRefusal); elsewhere they are `unsupported`, with the reason, which is neither a failure
 * nor a skip. Whether the cluster enforces what it accepts is measured once per API version by a
 * canary (canary.ts) before that version's first case; when it does not, that version's cases are
 * unsupported too (by `cluster`). Their `networks` CIDRs, written for the model's pod addresses, are
 * moved to the real ones (rebase-networks.ts), and the workload removes its admin-tier objects when
 * it ends: they are cluster-scoped and must not outlive it.
 *
 * A driver offering conformance lanes (ClusterDriver.caseLanes, docs/probing.md) gets several cases
 * in flight at once, dispatched in suite order to the first free lane; results stay in suite order,
 * progress comes as cases finish. Cases with a BaselineAdminNetworkPolicy (a cluster-wide singleton)
 * run in lane 0 only, and a canary runs alone, every lane drained. Ctrl-C or an error in one lane
 * stops them all.
 *
 * A kind of mismatch (protocol, expected and observed verdict) that outlasted the convergence timeout
 * in one static case is not waited out again by later cases of the workload (budget.ts): a dataplane
 * that enforces nothing fails each case after two rounds instead of the full timeout.
 *
 * Pod-to-self pairs are not probed by default: that traffic never leaves the pod's network namespace
 * (on the local cluster and on real CNIs alike), so no dataplane can police it; this matches
 * cyclonus' --ignore-loopback. `includeSelf: true` probes them anyway.
 */
import type { AdminTierUnsupported, CaseLane, ClusterDriver, ProbeResult } from '../../cluster/driver.js';
import { adminTierApi } from '../../netpol/admin-tier.js';
import { adminTierApiOverSteps, adminTierOverSteps, caseStates } from '../../netpol/steps.js';
import { rebaseAdminNetworks } from '../../netpol/rebase-networks.js';
import { resolveCase } from '../../netpol/resolve.js';
import { withProtocolTags } from '../../netpol/suite/layout.js';
import { computeTruthTable } from '../../netpol/truth-table.js';
import type {
  AdminTierApi,
  AdminTierPolicies,
  PolicyCase,
  Probe,
  Protocol,
  ResolvedCase,
  ResolvedPod,
  TruthTable,
} from '../../netpol/types.js';
import type {
  AdminTierCanary,
  CaseResult,
  NetworkPolicyCanary,
  ConformanceLoad as ConformanceLoadResult,
  ConformanceResult,
} from '../../results/schema.js';
import { canaryReason, canaryWithoutPair, planCanary, runCanary } from './canary.js';
import {
  networkPolicyCanaryReason,
  networkPolicyCanaryWithoutPair,
  planNetworkPolicyCanary,
  runNetworkPolicyCanary,
} from './networkpolicy-canary.js';
import type { ConformanceLoadSource, RunningLoad } from './load.js';
import { runSteps } from './steps.js';
import { probeRequests, probeUntilMatch } from './probe-loop.js';
import { ConvergenceBudget } from './budget.js';

interface ConformanceProgress {
  index: number;
  total: number;
  name: string;
  result: CaseResult;
}

export interface ConformanceOptions {
  probeTimeoutMs: number;
  convergenceTimeoutMs: number;
  concurrency: number;
  /** Only probes of these protocols run; a case left with none is skipped. */
  protocols: Protocol[];
  onProgress?: (p: ConformanceProgress) => void;
  signal?: AbortSignal;
  /** Probe pod-to-self pairs too (default false, see above). */
  includeSelf?: boolean;
  /** Pause between probe rounds of a case that does not match yet; default 100 ms. */
  pollIntervalMs?: number;
  /** Called when an admin-tier canary has decided (see canary.ts). */
  onCanary?: (c: AdminTierCanary) => void;
  /**
   * Run the NetworkPolicy canary (networkpolicy-canary.ts) before the first NetworkPolicy case
   * (default false: the local cluster always enforces; the kube driver and the check turn it on).
   */
  networkPolicyCanary?: boolean;
  /** A NetworkPolicy canary already decided on this cluster (an earlier workload's): not run again. */
  priorNetworkPolicyCanary?: NetworkPolicyCanary;
  /** Called when the NetworkPolicy canary has decided. */
  onNetworkPolicyCanary?: (c: NetworkPolicyCanary) => void;
  /**
   * Shared by the static cases of one workload: a kind of mismatch that outlasted the convergence
   * timeout once is not waited out again (budget.ts). runConformance makes one; a single runCase waits in full.
   */
  budget?: ConvergenceBudget;
  /**
   * Throughput to run on the same nodes while the multi-step cases run (their steps' time to enforce
   * is then measured under load, docs/policy-change.md); started before the first such case (every
   * lane drained) and stopped before the next static one, so static cases never run under it.
   */
  load?: ConformanceLoadSource;
  /** Multi-step cases: hold flows across new denials (default true) and for how long after enforcement (default 1000 ms). */
  holdFlows?: boolean;
  heldFlowWindowMs?: number;
}

/** One case: the model's answer against the dataplane's, round after round until they agree. */
export interface CaseRun {
  result: CaseResult;
  /** The last round's raw probe results. */
  lastRound: ProbeResult[];
  truth: TruthTable;
}

export async function runConformance(
  driver: ClusterDriver,
  cases: PolicyCase[],
  opts: ConformanceOptions,
): Promise<ConformanceResult> {
  const start = performance.now();
  const lanes = caseLanes(driver);
  const results: Array<CaseResult | undefined> = [];
  const canaries = new Map<AdminTierApi, AdminTierCanary>();
  let npCanary: NetworkPolicyCanary | undefined = opts.priorNetworkPolicyCanary;
  let npCanaryRan = false;
  /** Each lane's pods of its last case (to clear its policies at the end). */
  const lastPods = new Map<number, ResolvedPod[]>();
  // One signal stops every lane: the caller's (Ctrl-C), or the first case that throws.
  const stop = new AbortController();
  const onAbort = () => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) throw opts.signal.reason;
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const laneOpts: ConformanceOptions = {
    ...opts,
    signal: stop.signal,
    budget: opts.budget ?? new ConvergenceBudget(),
  };
  let failure: { err: unknown } | undefined;
  let load: RunningLoad | undefined;
  let loadResult: ConformanceLoadResult | undefined;
  const fail = (err: unknown) => {
    failure ??= { err };
    stop.abort(err);
  };
  /** Lane → its running case (a promise that never rejects: failures go to fail()). */
  const busy = new Map<number, Promise<void>>();
  const finish = (index: number, c: PolicyCase, result: CaseResult) => {
    results[index] = result;
    opts.onProgress?.({ index, total: cases.length, name: c.name, result });
  };
  const drain = async () => {
    while (busy.size > 0) await Promise.race(busy.values());
  };
  try {
    for (const [index, c] of cases.entries()) {
      if (stop.signal.aborted) break;
      const g = gate(driver, c, opts);
      if (!g.run) {
        // In suite order with the cases before it when there is one lane, as before lanes existed.
        if (lanes.length === 1) await drain();
        if (stop.signal.aborted) break;
        finish(index, c, g.notRun.result);
        continue;
      }
      if (g.api && !canaries.has(g.api)) {
        // The canary decides the version's cases before any of them starts, and runs alone.
        await drain();
        if (stop.signal.aborted) break;
        const { canary, pods } = await canaryFor(lanes[0] ?? driver, c, g.api, g.probes, laneOpts);
        if (pods) lastPods.set(0, pods);
        canaries.set(g.api, canary);
        opts.onCanary?.(canary);
      }
      if (g.api === null && opts.networkPolicyCanary && !npCanary) {
        // Decides every NetworkPolicy case before any starts, and runs alone (every lane drained).
        await drain();
        if (stop.signal.aborted) break;
        const { canary, pods } = await networkPolicyCanaryFor(lanes[0] ?? driver, c, g.probes, laneOpts);
        if (pods) lastPods.set(0, pods);
        npCanary = canary;
        npCanaryRan = true;
        opts.onNetworkPolicyCanary?.(canary);
      }
      if (g.api === null && npCanary?.outcome === 'not-enforced' && expectsDenial(c, g.probes, opts)) {
        if (lanes.length === 1) await drain();
        if (stop.signal.aborted) break;
        finish(index, c, failedByCanary(c, networkPolicyCanaryReason(npCanary)));
        continue;
      }
      const canary = g.api ? canaries.get(g.api) : undefined;
      if (g.api && canary?.outcome === 'not-enforced') {
        if (lanes.length === 1) await drain();
        if (stop.signal.aborted) break;
        finish(
          index,
          c,
          notRun(c, 'unsupported', `${API_NAMES[g.api]}: ${canaryReason(canary)}`, 'cluster').result,
        );
        continue;
      }
      // Load runs beside the multi-step cases only; switching it on or off waits for every lane.
      const wantLoad = opts.load !== undefined && (c.steps?.length ?? 0) > 0;
      if (wantLoad !== (load !== undefined)) {
        await drain();
        if (stop.signal.aborted) break;
        if (load) loadResult = await load.stop();
        load = undefined;
        if (wantLoad && opts.load) load = await opts.load.start(stop.signal);
      }
      const k = await freeLane(lanes.length, busy, laneZeroOnly(c));
      const lane = lanes[k];
      if (!lane || stop.signal.aborted) break;
      const running = executeCase(lane, c, g, { ...laneOpts, underLoad: load !== undefined }).then((run) => {
        lastPods.set(k, run.pods);
        finish(index, c, run.result);
      }, fail);
      busy.set(
        k,
        running.finally(() => busy.delete(k)),
      );
    }
  } catch (err) {
    fail(err);
  } finally {
    await drain();
    if (load)
      loadResult = await load
        .stop()
        .catch((err: unknown) => ({ path: '', tool: '', gbps: [], error: String(err) }));
    opts.signal?.removeEventListener('abort', onAbort);
  }
  if (opts.signal?.aborted) throw opts.signal.reason;
  if (failure) throw failure.err;
  // Admin-tier objects are cluster-scoped: none may outlive the workload (the perf pods come next).
  if (canaries.size > 0 || npCanaryRan) {
    for (const [k, lane] of lanes.entries())
      if (k === 0 || lastPods.has(k)) await lane.setPolicies([], lastPods.get(k) ?? [], opts.signal);
  }
  const caseResults = results.filter((r): r is CaseResult => r !== undefined);
  const summary = {
    ...summarizeCases(caseResults, Math.round(performance.now() - start)),
    ...(loadResult ? { load: loadResult } : {}),
  };
  return {
    ...summary,
    ...(canaries.size > 0 ? { adminTierCanaries: [...canaries.values()] } : {}),
    ...(npCanaryRan && npCanary ? { networkPolicyCanary: npCanary } : {}),
  };
}

/** The driver's conformance lanes (docs/probing.md), or the driver itself as the only one. */
function caseLanes(driver: ClusterDriver): readonly CaseLane[] {
  const lanes = driver.caseLanes?.() ?? [];
  return lanes.length > 0 ? lanes : [driver];
}

/**
 * Cases that must run in lane 0: a BaselineAdminNetworkPolicy is a cluster-wide singleton (named
 * `default`, the CRD's CEL rule), so two lanes cannot each hold one; in lane 0 they run one at a time.
 */
const laneZeroOnly = (c: PolicyCase): boolean =>
  (c.steps?.length ? adminTierOverSteps(c) : c).baselineAdminNetworkPolicy !== undefined;

/** The first free lane (lane 0 when `zeroOnly`), once there is one. */
async function freeLane(count: number, busy: Map<number, Promise<void>>, zeroOnly: boolean): Promise<number> {
  for (;;) {
    const free = zeroOnly ? [0] : Array.from({ length: count }, (_, k) => k);
    const k = free.find((x) => !busy.has(x));
    if (k !== undefined) return k;
    await Promise.race(busy.values());
  }
}

/** The conformance record of these case results: counts by status and the failures. */
export function summarizeCases(caseResults: CaseResult[], durationMs: number): ConformanceResult {
  const failures = caseResults.filter((r) => r.status === 'fail');
  const unsupportedCount = caseResults.filter((r) => r.status === 'unsupported').length;
  return {
    cases: caseResults.length,
    passed: caseResults.filter((r) => r.status === 'pass').length,
    failed: failures.length,
    skipped: caseResults.filter((r) => r.status === 'skip').length,
    ...(unsupportedCount > 0 ? { unsupported: unsupportedCount } : {}),
    durationMs,
    failures,
    caseResults,
  };
}

/** The canary of `api`, on the pods of `c` (its first case that runs), in `lane`. */
async function canaryFor(
  lane: CaseLane,
  c: PolicyCase,
  api: AdminTierApi,
  probes: Probe[],
  opts: ConformanceOptions,
): Promise<{ canary: AdminTierCanary; pods?: ResolvedPod[] }> {
  const resolved = resolveCase({ ...c, probes });
  const pods = await lane.ensureLayout(resolved, opts.signal);
  const plan = planCanary(api, { ...resolved, pods });
  if (!plan) return { canary: canaryWithoutPair(api, c.name) };
  return { canary: await runCanary(lane, plan, c.name, pods, opts), pods };
}

/** The NetworkPolicy canary on the pods of `c` (the first NetworkPolicy case that runs), in `lane`. */
async function networkPolicyCanaryFor(
  lane: CaseLane,
  c: PolicyCase,
  probes: Probe[],
  opts: ConformanceOptions,
): Promise<{ canary: NetworkPolicyCanary; pods?: ResolvedPod[] }> {
  const resolved = resolveCase({ ...c, probes });
  const pods = await lane.ensureLayout(resolved, opts.signal);
  const plan = planNetworkPolicyCanary({ ...resolved, pods });
  if (!plan) return { canary: networkPolicyCanaryWithoutPair(c.name) };
  return { canary: await runNetworkPolicyCanary(lane, plan, c.name, pods, opts), pods };
}

/**
 * Whether the model expects at least one probe of the case denied, in any of its states (a
 * multi-step case: before and after every step): only such a case fails on a cluster that enforces
 * no NetworkPolicy; one that allows everything throughout runs (and passes there).
 */
export function expectsDenial(c: PolicyCase, probes: Probe[], opts: ConformanceOptions): boolean {
  return (c.steps?.length ? caseStates(c) : [c]).some((state) => {
    const truth = computeTruthTable(resolveCase({ ...state, probes }));
    return truth.probes.some((p) =>
      Object.entries(p.allowed).some(([src, row]) =>
        Object.entries(row).some(([dst, ok]) => !ok && (src !== dst || (opts.includeSelf ?? false))),
      ),
    );
  });
}

/** A case failed, not probed, as the NetworkPolicy canary showed the cluster enforces none. */
function failedByCanary(c: PolicyCase, reason: string): CaseResult {
  return {
    name: c.name,
    tags: [...(c.tags ?? [])],
    status: 'fail',
    failReason: reason,
    programmingLatencyMs: null,
    mismatches: [],
    probes: 0,
    durationMs: 0,
  };
}

/** Protocols among these probes that the driver cannot probe. */
function unprobeable(driver: ClusterDriver, probes: Probe[]): Protocol[] {
  const can = new Set(driver.capabilities().protocols);
  return [...new Set(probes.map((p) => p.protocol))].filter((p) => !can.has(p));
}

const protocolReason = (missing: Protocol[]) =>
  missing.map((p) => `protocol ${p} not supported by this driver`).join('; ');

const API_NAMES = {
  v1alpha2: 'policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy',
  v1alpha1: 'policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy/BaselineAdminNetworkPolicy',
} as const;

/** Why the case's admin-tier policies cannot be applied here, or undefined when they can (or there are none). */
function adminTierUnsupported(driver: ClusterDriver, c: PolicyCase): AdminTierUnsupported | undefined {
  const api = adminTierApiOverSteps(c);
  if (api === null) return undefined;
  if (api === 'mixed')
    return { reason: 'the case mixes v1alpha1 and v1alpha2 admin-tier objects', by: 'driver' };
  const caps = driver.capabilities();
  const why = (caps.adminTier ?? []).includes(api)
    ? driver.adminTierRefusal?.(adminTierOf(c.steps?.length ? adminTierOverSteps(c) : c) ?? {})
    : (caps.adminTierUnsupportedApis?.[api] ??
      caps.adminTierUnsupported ?? { by: 'driver', reason: `not supported by the ${driver.kind} driver` });
  return why ? { reason: `${API_NAMES[api]}: ${why.reason}`, by: why.by } : undefined;
}

/** The case's admin-tier objects, to pass to the driver (undefined when it has none). */
function adminTierOf(c: AdminTierPolicies): AdminTierPolicies | undefined {
  if (adminTierApi(c) === null) return undefined;
  return {
    ...(c.clusterNetworkPolicies ? { clusterNetworkPolicies: c.clusterNetworkPolicies } : {}),
    ...(c.adminNetworkPolicies ? { adminNetworkPolicies: c.adminNetworkPolicies } : {}),
    ...(c.baselineAdminNetworkPolicy ? { baselineAdminNetworkPolicy: c.baselineAdminNetworkPolicy } : {}),
  };
}

function notRun(
  c: PolicyCase,
  status: 'skip' | 'unsupported',
  reason: string,
  by?: 'driver' | 'cluster',
): CaseRun {
  return {
    result: {
      name: c.name,
      tags: [...(c.tags ?? [])],
      status,
      ...(status === 'skip'
        ? { skipReason: reason }
        : { unsupportedReason: reason, unsupportedBy: by ?? 'driver' }),
      programmingLatencyMs: null,
      mismatches: [],
      probes: 0,
      durationMs: 0,
    },
    lastRound: [],
    truth: { name: c.name, probes: [] },
  };
}

/** What runs of a case, or why it does not. */
type Gate =
  | { run: false; notRun: CaseRun }
  | {
      run: true;
      /** The probes to run. */
      probes: Probe[];
      probesNotRun?: { count: number; reason: string };
      /** The case's admin-tier API version (null: none). */
      api: AdminTierApi | null;
    };

function gate(driver: ClusterDriver, c: PolicyCase, opts: ConformanceOptions): Gate {
  const wanted = c.probes.filter((p) => opts.protocols.includes(p.protocol));
  if (wanted.length === 0) {
    return { run: false, notRun: notRun(c, 'skip', `no probes for protocols ${opts.protocols.join(', ')}`) };
  }
  const adminWhy = adminTierUnsupported(driver, c);
  if (adminWhy) return { run: false, notRun: notRun(c, 'unsupported', adminWhy.reason, adminWhy.by) };
  // A case whose probes are all of a protocol the driver cannot probe is skipped; one that mixes
  // protocols (the admin-tier conformance cases do) runs the probes it can and says which it left out.
  const missing = unprobeable(driver, wanted);
  const probes = wanted.filter((p) => !missing.includes(p.protocol));
  if (probes.length === 0) return { run: false, notRun: notRun(c, 'skip', protocolReason(missing)) };
  const api = adminTierApiOverSteps(c);
  return {
    run: true,
    probes,
    ...(missing.length > 0
      ? { probesNotRun: { count: wanted.length - probes.length, reason: protocolReason(missing) } }
      : {}),
    api: api === 'mixed' ? null : api,
  };
}

/**
 * Runs one case (exported for the differential test and for `cnibench` commands that run one case).
 * No canary: runConformance runs that before a version's first case.
 */
export async function runCase(
  driver: ClusterDriver,
  c: PolicyCase,
  opts: ConformanceOptions,
): Promise<CaseRun> {
  const g = gate(driver, c, opts);
  return g.run ? executeCase(driver, c, g, opts) : g.notRun;
}

async function executeCase(
  driver: CaseLane,
  c: PolicyCase,
  g: Extract<Gate, { run: true }>,
  opts: ConformanceOptions & { underLoad?: boolean },
): Promise<CaseRun & { pods: ResolvedPod[] }> {
  const { probes, probesNotRun } = g;
  const caseStart = performance.now();
  if (c.steps?.length) return executeStepsCase(driver, c, g, opts, caseStart);
  const resolved = resolveCase({ ...c, probes });
  const pods = await driver.ensureLayout(resolved, opts.signal);
  // The model is evaluated on the pods as they really are (IPs the cluster assigned); admin-tier
  // CIDRs written for the model's addresses are moved to those (rebase-networks.ts).
  const tier = adminTierOf(resolved);
  const real: ResolvedCase = {
    ...resolved,
    pods,
    ...(tier ? rebaseAdminNetworks(tier, resolved.pods, pods) : {}),
  };
  const truth = computeTruthTable(real);
  const requests = probeRequests(pods, real.probes, opts.includeSelf ?? false);

  const applyStart = performance.now();
  await driver.setPolicies(real.policies, pods, opts.signal, adminTierOf(real));
  const {
    latencyMs: latency,
    mismatches,
    lastRound,
    cutShort,
  } = await probeUntilMatch(driver, truth, requests, applyStart, opts, opts.budget);
  return {
    result: {
      name: c.name,
      // Probes left out change what the case measured: its protocol tags say what was probed.
      tags: probesNotRun ? withProtocolTags(c.tags ?? [], probes) : [...(c.tags ?? [])],
      status: latency === null ? 'fail' : 'pass',
      programmingLatencyMs: latency,
      mismatches,
      probes: requests.length,
      ...(probesNotRun ? { probesNotRun } : {}),
      ...(cutShort ? { convergenceCutShort: cutShort } : {}),
      durationMs: Math.round(performance.now() - caseStart),
      pods: pods.map((p) => ({ key: p.key, ip: p.ip })),
    },
    lastRound,
    truth,
    pods,
  };
}

/** A multi-step case (steps.ts): passes when every step does; step 0's latency is its programming latency. */
async function executeStepsCase(
  lane: CaseLane,
  c: PolicyCase,
  g: Extract<Gate, { run: true }>,
  opts: ConformanceOptions & { underLoad?: boolean },
  caseStart: number,
): Promise<CaseRun & { pods: ResolvedPod[] }> {
  const { probes, probesNotRun } = g;
  const run = await runSteps(lane, c, probes, { ...opts, underLoad: opts.underLoad ?? false });
  const pass = run.steps.length === (c.steps?.length ?? 0) + 1 && run.steps.every((s) => s.status === 'pass');
  return {
    result: {
      name: c.name,
      tags: probesNotRun ? withProtocolTags(c.tags ?? [], probes) : [...(c.tags ?? [])],
      status: pass ? 'pass' : 'fail',
      programmingLatencyMs: run.steps[0]?.timeToEnforceMs ?? null,
      mismatches: run.mismatches,
      probes: run.probes,
      ...(probesNotRun ? { probesNotRun } : {}),
      durationMs: Math.round(performance.now() - caseStart),
      pods: run.pods.map((p) => ({ key: p.key, ip: p.ip })),
      steps: run.steps,
    },
    lastRound: [],
    truth: run.truth,
    pods: run.pods,
  };
}
