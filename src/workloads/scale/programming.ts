/**
 * Policy programming latency: the time from asking the driver to install a changed policy set to the
 * first probe that sees the dataplane enforce it, confirmed by a second probe (one dropped or slow
 * probe under load must not count as a flip).
 *
 * The clock starts before `setPolicies` (on the local cluster that call is the dataplane programming
 * itself; on a real cluster it is the API writes) and stops at the *start* of the first probe that
 * observed the new state: the change was in force when that probe's first packet left. Resolution is
 * one probe plus the poll interval.
 */
import type { ClusterDriver, ProbeRequest } from '../../cluster/driver.js';
import { CheckFailedError } from '../../util/errors.js';
import { sleep } from '../../util/sleep.js';

export interface FlipOptions {
  /** Per-probe timeout; a denied probe on a dropping dataplane takes this long. Default 1000 ms. */
  probeTimeoutMs?: number;
  /** Pause between probes. Default 10 ms. */
  pollIntervalMs?: number;
  /** Give up (CheckFailedError) when the flip is not seen within this time. Default 60 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface FlipResult {
  latencyMs: number;
  /** Probes sent until the flip was confirmed. */
  probes: number;
  /** How long the apply call itself took. */
  applyMs: number;
}

/**
 * Whether a probe result shows the expected state; a connection must be answered by the intended pod
 * (agents report "namespace/name"; a bare name is accepted too).
 */
function shows(
  r: { connected: boolean; answeredBy?: string },
  expectConnected: boolean,
  server: string,
): boolean {
  if (!expectConnected) return !r.connected;
  const answered = r.answeredBy;
  return r.connected && (answered === undefined || answered === server || answered === server.split('/')[1]);
}

/**
 * Runs `apply`, then probes `request` until it shows `expectConnected` twice in a row; returns the
 * latency to the first of the two. `what` names the change in the timeout error.
 */
export async function measureFlip(
  driver: ClusterDriver,
  request: ProbeRequest,
  /** The destination pod's key, "namespace/name". */
  server: string,
  expectConnected: boolean,
  apply: () => Promise<void>,
  what: string,
  opts: FlipOptions = {},
): Promise<FlipResult> {
  const { probeTimeoutMs = 1000, pollIntervalMs = 10, timeoutMs = 60_000, signal } = opts;
  const t0 = performance.now();
  await apply();
  const applyMs = performance.now() - t0;
  let probes = 0;
  let firstSeen: number | null = null;
  for (;;) {
    signal?.throwIfAborted();
    const started = performance.now();
    const [r] = await driver.probe([request], { timeoutMs: probeTimeoutMs, concurrency: 1, signal });
    if (r === undefined) throw new Error(`${what}: the cluster driver answered one probe with no result`);
    probes++;
    if (shows(r, expectConnected, server)) {
      if (firstSeen !== null) return { latencyMs: firstSeen - t0, probes, applyMs };
      firstSeen = started;
      continue; // confirm at once
    }
    firstSeen = null;
    if (performance.now() - t0 > timeoutMs) {
      throw new CheckFailedError(
        `${what}: the dataplane did not ${expectConnected ? 'allow' : 'deny'} ${request.from} → ${request.toIp}:${request.port}/${request.protocol} within ${timeoutMs} ms (${probes} probes; last: ${r.connected ? `connected${r.answeredBy ? ` to ${r.answeredBy}` : ''}` : (r.error ?? 'not connected')})`,
      );
    }
    await sleep(pollIntervalMs);
  }
}
