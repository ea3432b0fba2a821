/**
 * Connectivity probes with agnhost: `agnhost connect IP:PORT --timeout=Ns --protocol=P` run in the
 * source pod. agnhost prints nothing on success and one line with a fixed prefix on failure (TIMEOUT,
 * REFUSED, DNS, OTHER, UNKNOWN); for UDP it only succeeds once the server's reply has come back.
 * The verdict needs both the output and the exit status to agree: "connected" is an exit status of 0
 * *and* no error line; "blocked" is a non-zero status *and* a recognised error line. Anything else
 * (the command did not run, or output and status contradict each other) is reported as an error,
 * never guessed.
 */
import type { ExecResult, ProbeRequest, ProbeResult } from '../driver.js';
import { AGNHOST } from './manifests.js';

export function probeCommand(
  req: Pick<ProbeRequest, 'toIp' | 'port' | 'protocol'>,
  timeoutMs: number,
): string[] {
  const host = req.toIp.includes(':') ? `[${req.toIp}]` : req.toIp;
  // agnhost takes a Go duration; whole milliseconds keep sub-second timeouts exact.
  return [
    AGNHOST,
    'connect',
    `${host}:${req.port}`,
    `--timeout=${Math.max(1, Math.round(timeoutMs))}ms`,
    `--protocol=${req.protocol.toLowerCase()}`,
  ];
}

const ERROR_KINDS: Record<string, string> = {
  TIMEOUT: 'timeout',
  REFUSED: 'refused',
  DNS: 'dns',
  OTHER: 'other',
  UNKNOWN: 'unknown',
};

export interface ProbeVerdict {
  connected: boolean;
  /** Set when not connected: "timeout", "refused", ... or "probe-failed: <why>" when inconclusive. */
  error?: string;
  /** True when the probe did not produce a verdict (infrastructure failure). */
  inconclusive: boolean;
}

/** Reads agnhost connect's output and exit status into a verdict. */
export function parseConnectOutput(r: ExecResult): ProbeVerdict {
  const lines = `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const marked = lines.find((l) => /^(TIMEOUT|REFUSED|DNS|OTHER|UNKNOWN)\b/.test(l));
  if (r.exitCode === 0 && lines.length === 0) return { connected: true, inconclusive: false };
  if (r.exitCode !== 0 && r.exitCode !== -1 && marked) {
    const kind = ERROR_KINDS[marked.split(/[:\s]/)[0]];
    const detail = marked.includes(':') ? marked.slice(marked.indexOf(':') + 1).trim() : '';
    // UNKNOWN covers bad arguments as well as odd socket errors: a verdict only for the network kinds.
    if (kind === 'unknown') return { connected: false, error: `probe-failed: ${marked}`, inconclusive: true };
    return { connected: false, error: detail ? `${kind}: ${detail}` : kind, inconclusive: false };
  }
  const shown = lines.join(' | ').slice(0, 300) || '(no output)';
  return {
    connected: false,
    error: `probe-failed: exit ${r.exitCode}, output: ${shown}`,
    inconclusive: true,
  };
}

export function toProbeResult(req: ProbeRequest, v: ProbeVerdict, elapsedMs: number): ProbeResult {
  const out: ProbeResult = { ...req, connected: v.connected, elapsedMs };
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
