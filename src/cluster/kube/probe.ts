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
