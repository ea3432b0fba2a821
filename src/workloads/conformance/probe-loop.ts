/**
 * Probing a lane until it agrees with the model: the loop every conformance case (and every step of
 * a multi-step case) runs after it changed something.
 */
import type { CaseLane, ProbeRequest, ProbeResult } from '../../cluster/driver.js';
import type { Probe, ResolvedPod, TruthTable } from '../../netpol/types.js';
import type { Mismatch } from '../../results/schema.js';
import { sleep } from '../../util/sleep.js';
import { compareRound } from './compare.js';
import { kindOf, type ConvergenceBudget } from './budget.js';

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
  /** The loop stopped before the timeout, as every mismatch was of a kind known not to converge (budget.ts). */
  cutShort?: { afterMs: number; reason: string };
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

/**
 * Probe rounds until one matches `truth` or `convergenceTimeoutMs` has passed since `since`. With a
 * `budget` (a static case of runConformance), the loop also stops after its second round when every
 * mismatch is of a kind an earlier case showed for the whole timeout.
 */
export async function probeUntilMatch(
  lane: CaseLane,
  truth: TruthTable,
  requests: ProbeRequest[],
  since: number,
  opts: ProbeLoopOptions,
  budget?: ConvergenceBudget,
): Promise<ProbeLoopResult> {
  let rounds = 0;
  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const lastRound = await lane.probe(requests, {
      timeoutMs: opts.probeTimeoutMs,
      concurrency: opts.concurrency,
      signal: opts.signal,
    });
    rounds++;
    const mismatches = compareRound(truth, lastRound);
    const at = performance.now();
    const elapsed = at - since;
    if (mismatches.length === 0)
      return { latencyMs: Math.round(elapsed * 1000) / 1000, at, mismatches, lastRound };
    if (elapsed >= opts.convergenceTimeoutMs) {
      budget?.timedOutWith(mismatches);
      return { latencyMs: null, at, mismatches, lastRound };
    }
    if (budget?.stopsEarly(mismatches, rounds)) {
      const cutShort = {
        afterMs: Math.round(elapsed),
        reason: `after ${rounds} rounds every mismatch is of a kind an earlier case showed for the full ${opts.convergenceTimeoutMs / 1000} s convergence timeout (${[...new Set(mismatches.map(kindOf))].join('; ')})`,
      };
      return { latencyMs: null, at, mismatches, lastRound, cutShort };
    }
    await sleep(opts.pollIntervalMs ?? 100, opts.signal);
  }
}
