/**
 * Connectivity probes with agnhost (the `agnhost` probe mode, one exec per probe):
 * `agnhost connect IP:PORT --timeout=Ns --protocol=P` run in the source pod. agnhost prints nothing on
 * success and one line with a fixed prefix on failure (TIMEOUT, REFUSED, DNS, OTHER, UNKNOWN); for UDP
 * it only succeeds once the server's reply has come back. probe-verdict.ts judges the output.
 */
import { agnhostConnectArgs } from '../../agent/agnhost.js';
import type { ProbeRequest, ProbeResult } from '../driver.js';
import { AGNHOST } from './manifests.js';
import type { ProbeVerdict } from './probe-verdict.js';

export function probeCommand(
  req: Pick<ProbeRequest, 'toIp' | 'port' | 'protocol'>,
  timeoutMs: number,
): string[] {
  return [AGNHOST, ...agnhostConnectArgs(req.toIp, req.port, req.protocol, timeoutMs)];
}

export function toProbeResult(req: ProbeRequest, v: ProbeVerdict, elapsedMs: number): ProbeResult {
  const out: ProbeResult = { ...req, connected: v.connected, elapsedMs };
  if (v.answeredBy !== undefined) out.answeredBy = v.answeredBy;
  if (v.error) out.error = v.error;
  return out;
}

/** Runs `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
