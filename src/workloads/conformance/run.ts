/**
 * The NetworkPolicy conformance workload: for each case, lay the pods out, apply the policies, probe
 * every ordered pair on every probe port and protocol, and compare with the exact model
 * (src/netpol). A case passes when a probe round matches the model within the convergence timeout;
 * the time from applying the policies to that first matching round is its programming latency.
 * Written against ClusterDriver only, so it runs unchanged on the local cluster and on real clusters.
 *
 * Cases with admin-tier policies (ClusterNetworkPolicy, AdminNetworkPolicy) run only where the driver
 * declares that API version (capabilities().adminTier); elsewhere they are `unsupported`, with the
 * reason, which is neither a failure nor a skip.
 *
 * Pod-to-self pairs are not probed by default: that traffic never leaves the pod's network namespace
 * (on the local cluster and on real CNIs alike), so no dataplane can police it; this matches
 * cyclonus' --ignore-loopback. `includeSelf: true` probes them anyway.
 */
import type { ClusterDriver, ProbeRequest, ProbeResult } from '../../cluster/driver.js';
import { adminTierApi } from '../../netpol/admin-tier.js';
import { resolveCase } from '../../netpol/resolve.js';
import { withProtocolTags } from '../../netpol/suite/layout.js';
import { computeTruthTable } from '../../netpol/truth-table.js';
import type {
  AdminTierPolicies,
  PolicyCase,
  Probe,
  Protocol,
  ResolvedCase,
  ResolvedPod,
  TruthTable,
} from '../../netpol/types.js';
import type { CaseResult, ConformanceResult, Mismatch } from '../../results/schema.js';
import { sleep } from '../../util/sleep.js';

export interface ConformanceProgress {
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
  const caseResults: CaseResult[] = [];
  for (const [index, c] of cases.entries()) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const result = (await runCase(driver, c, opts)).result;
    caseResults.push(result);
    opts.onProgress?.({ index, total: cases.length, name: c.name, result });
  }
  return summarizeCases(caseResults, Math.round(performance.now() - start));
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

/** Why the case's admin-tier policies cannot be enforced here, or undefined when they can (or there are none). */
function adminTierUnsupported(
  driver: ClusterDriver,
  c: PolicyCase,
): { reason: string; by: 'driver' | 'cluster' } | undefined {
  const api = adminTierApi(c);
  if (api === null) return undefined;
  if (api === 'mixed')
    return { reason: 'the case mixes v1alpha1 and v1alpha2 admin-tier objects', by: 'driver' };
  const caps = driver.capabilities();
  if ((caps.adminTier ?? []).includes(api)) return undefined;
  const why = caps.adminTierUnsupported;
  return {
    reason: `${API_NAMES[api]}: ${why?.reason ?? `not supported by the ${driver.kind} driver`}`,
    by: why?.by ?? 'driver',
  };
}

/** The case's admin-tier objects, to pass to the driver (undefined when it has none). */
function adminTierOf(c: PolicyCase): AdminTierPolicies | undefined {
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

/** Every ordered pair × every probe. */
export function probeRequests(pods: ResolvedPod[], probes: Probe[], includeSelf: boolean): ProbeRequest[] {
  const out: ProbeRequest[] = [];
  for (const probe of probes)
    for (const from of pods)
      for (const to of pods) {
        if (!includeSelf && from.key === to.key) continue;
        out.push({ from: from.key, to: to.key, toIp: to.ip, port: probe.port, protocol: probe.protocol });
      }
  return out;
}

/** Whether a probe result shows the traffic got through, to the pod it was meant for. */
export function observedAllowed(r: ProbeResult): boolean {
  return r.connected && (r.answeredBy === undefined || r.answeredBy === r.to);
}

export function compareRound(truth: TruthTable, results: ProbeResult[]): Mismatch[] {
  const grids = new Map(truth.probes.map((p) => [`${p.protocol}/${p.port}`, p.allowed]));
  const out: Mismatch[] = [];
  for (const r of results) {
    const expected = grids.get(`${r.protocol}/${r.port}`)?.[r.from]?.[r.to];
    if (expected === undefined)
      throw new Error(`no model answer for ${r.from} → ${r.to} ${r.protocol}/${r.port}`);
    const observed = observedAllowed(r);
    if (observed === expected) continue;
    const detail =
      r.connected && r.answeredBy !== undefined && r.answeredBy !== r.to
        ? `answered by ${r.answeredBy}`
        : r.connected
          ? 'connected'
          : (r.error ?? 'not connected');
    out.push({ from: r.from, to: r.to, port: r.port, protocol: r.protocol, expected, observed, detail });
  }
  return out;
}

/** Runs one case (exported for the differential test and for `cnibench` commands that run one case). */
export async function runCase(
  driver: ClusterDriver,
  c: PolicyCase,
  opts: ConformanceOptions,
): Promise<CaseRun> {
  const wanted = c.probes.filter((p) => opts.protocols.includes(p.protocol));
  if (wanted.length === 0) {
    return notRun(c, 'skip', `no probes for protocols ${opts.protocols.join(', ')}`);
  }
  const adminWhy = adminTierUnsupported(driver, c);
  if (adminWhy) return notRun(c, 'unsupported', adminWhy.reason, adminWhy.by);
  // A case whose probes are all of a protocol the driver cannot probe is skipped; one that mixes
  // protocols (the admin-tier conformance cases do) runs the probes it can and says which it left out.
  const missing = unprobeable(driver, wanted);
  const probes = wanted.filter((p) => !missing.includes(p.protocol));
  if (probes.length === 0) return notRun(c, 'skip', protocolReason(missing));
  const probesNotRun =
    missing.length > 0
      ? { count: wanted.length - probes.length, reason: protocolReason(missing) }
      : undefined;

  const caseStart = performance.now();
  const resolved = resolveCase({ ...c, probes });
  const pods = await driver.ensureLayout(resolved, opts.signal);
  // The model is evaluated on the pods as they really are (IPs the cluster assigned).
  const real: ResolvedCase = { ...resolved, pods };
  const truth = computeTruthTable(real);
  const requests = probeRequests(pods, real.probes, opts.includeSelf ?? false);

  const applyStart = performance.now();
  await driver.setPolicies(real.policies, pods, opts.signal, adminTierOf(real));
  let mismatches: Mismatch[];
  let lastRound: ProbeResult[];
  let latency: number | null = null;
  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    lastRound = await driver.probe(requests, {
      timeoutMs: opts.probeTimeoutMs,
      concurrency: opts.concurrency,
      signal: opts.signal,
    });
    mismatches = compareRound(truth, lastRound);
    const elapsed = performance.now() - applyStart;
    if (mismatches.length === 0) {
      latency = Math.round(elapsed * 1000) / 1000;
      break;
    }
    if (elapsed >= opts.convergenceTimeoutMs) break;
    await sleep(opts.pollIntervalMs ?? 100, opts.signal);
  }
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
      durationMs: Math.round(performance.now() - caseStart),
      pods: pods.map((p) => ({ key: p.key, ip: p.ip })),
    },
    lastRound,
    truth,
  };
}
