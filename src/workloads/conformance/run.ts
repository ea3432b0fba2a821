/**
 * The NetworkPolicy conformance workload: for each case, lay the pods out, apply the policies, probe
 * every ordered pair on every probe port and protocol, and compare with the exact model
 * (src/netpol). A case passes when a probe round matches the model within the convergence timeout;
 * the time from applying the policies to that first matching round is its programming latency.
 * Written against ClusterDriver only, so it runs unchanged on the local cluster and on real clusters.
 *
 * Pod-to-self pairs are not probed by default: that traffic never leaves the pod's network namespace
 * (on the local cluster and on real CNIs alike), so no dataplane can police it; this matches
 * cyclonus' --ignore-loopback. `includeSelf: true` probes them anyway.
 */
import type { ClusterDriver, ProbeRequest, ProbeResult } from '../../cluster/driver.js';
import { resolveCase } from '../../netpol/resolve.js';
import { computeTruthTable } from '../../netpol/truth-table.js';
import type {
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
  const failures = caseResults.filter((r) => r.status === 'fail');
  return {
    cases: caseResults.length,
    passed: caseResults.filter((r) => r.status === 'pass').length,
    failed: failures.length,
    skipped: caseResults.filter((r) => r.status === 'skip').length,
    durationMs: Math.round(performance.now() - start),
    failures,
    caseResults,
  };
}

/** Why the driver cannot run these probes, or undefined when it can. */
function unsupported(driver: ClusterDriver, probes: Probe[]): string | undefined {
  const can = new Set(driver.capabilities().protocols);
  const missing = [...new Set(probes.map((p) => p.protocol))].filter((p) => !can.has(p));
  if (missing.length === 0) return undefined;
  return missing.map((p) => `protocol ${p} not supported by this driver`).join('; ');
}

function skip(c: PolicyCase, reason: string): CaseRun {
  return {
    result: {
      name: c.name,
      tags: [...(c.tags ?? [])],
      status: 'skip',
      skipReason: reason,
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
  const probes = c.probes.filter((p) => opts.protocols.includes(p.protocol));
  if (probes.length === 0) {
    return skip(c, `no probes for protocols ${opts.protocols.join(', ')}`);
  }
  const why = unsupported(driver, probes);
  if (why) return skip(c, why);

  const caseStart = performance.now();
  const resolved = resolveCase({ ...c, probes });
  const pods = await driver.ensureLayout(resolved, opts.signal);
  // The model is evaluated on the pods as they really are (IPs the cluster assigned).
  const real: ResolvedCase = { ...resolved, pods };
  const truth = computeTruthTable(real);
  const requests = probeRequests(pods, real.probes, opts.includeSelf ?? false);

  const applyStart = performance.now();
  await driver.setPolicies(real.policies, pods, opts.signal);
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
      tags: [...(c.tags ?? [])],
      status: latency === null ? 'fail' : 'pass',
      programmingLatencyMs: latency,
      mismatches,
      probes: requests.length,
      durationMs: Math.round(performance.now() - caseStart),
    },
    lastRound,
    truth,
  };
}
