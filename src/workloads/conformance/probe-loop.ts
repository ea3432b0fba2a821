/**
 * Probing a lane until it agrees with the model: the loop every conformance case (and every step of
 * a multi-step case) runs after it changed something.
 */
import type { CaseLane, ProbeRequest, ProbeResult } from '../../cluster/driver.js';
import type { Probe, ResolvedPod, TruthTable } from '../../netpol/types.js';
import type { Mismatch } from '../../results/schema.js';
import { sleep } from '../../util/sleep.js';
import { compareRound } from './compare.js';

export interface ProbeLoopOptions {
  probeTimeoutMs: number;
  convergenceTimeoutMs: number;
  concurrency: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

export interface ProbeLoopResult {
  /** ms from `since` to the first matching round (rounded to µs); null if none within the timeout. */
  latencyMs: number | null;
  /** performance.now() when the matching round finished (or the last round, if none matched). */
  at: number;
  mismatches: Mismatch[];
  lastRound: ProbeResult[];
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

/** Probe rounds until one matches `truth` or `convergenceTimeoutMs` has passed since `since`. */
export async function probeUntilMatch(
  lane: CaseLane,
  truth: TruthTable,
  requests: ProbeRequest[],
  since: number,
  opts: ProbeLoopOptions,
): Promise<ProbeLoopResult> {
  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const lastRound = await lane.probe(requests, {
      timeoutMs: opts.probeTimeoutMs,
      concurrency: opts.concurrency,
      signal: opts.signal,
    });
    const mismatches = compareRound(truth, lastRound);
    const at = performance.now();
    const elapsed = at - since;
    if (mismatches.length === 0)
      return { latencyMs: Math.round(elapsed * 1000) / 1000, at, mismatches, lastRound };
    if (elapsed >= opts.convergenceTimeoutMs) return { latencyMs: null, at, mismatches, lastRound };
    await sleep(opts.pollIntervalMs ?? 100, opts.signal);
  }
}
