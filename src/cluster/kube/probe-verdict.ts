/**
 * The verdict rules of a probe on a real cluster, for both probe modes (pure functions, no I/O):
 *
 * - **connected**: the probe's own output says so, and nothing contradicts it;
 * - **blocked**, with a kind: `timeout` (nothing came back: a dropped packet), `refused` (the
 *   destination said no: a TCP RST, an ICMP port-unreachable for UDP, an SCTP ABORT) or
 *   `unreachable` (an ICMP host/net-unreachable or admin-prohibited, or a local reject: EHOSTUNREACH,
 *   ENETUNREACH, EPERM, EACCES), plus `dns` and `other` for agnhost's remaining error lines;
 * - **inconclusive** (`probe-failed: …`): the probe did not produce a verdict, or its output and its
 *   status disagree. Never guessed.
 *
 * A reject reads the same whatever the protocol and the mode. agnhost 2.53 prints it differently per
 * protocol (kubernetes test/images/agnhost/connect): TCP `REFUSED` (or `OTHER: … no route to host`),
 * UDP `REFUSED: … connection refused` but `UNKNOWN: … no route to host` (UDP errors other than a
 * timeout or "connection refused" fall through to UNKNOWN), SCTP `OTHER: … connection refused` (every
 * SCTP dial error is OTHER). So the kind is taken from the errno text wherever agnhost put it, and an
 * UNKNOWN line is inconclusive only when it carries no network error (a bad argument). Timeouts and
 * rejects are reported as the bare kind, so the same reject gives the same text in every protocol and
 * mode.
 */
import type { AgentProbeResult, AgentProtocol } from '../../agent/probe.js';
import type { ExecResult, ProbeRequest } from '../driver.js';

type BlockedKind = 'timeout' | 'refused' | 'unreachable' | 'dns' | 'other';

export interface ProbeVerdict {
  connected: boolean;
  /** Set when not connected: "timeout", "refused: …", … or "probe-failed: <why>" when inconclusive. */
  error?: string;
  /** True when the probe did not produce a verdict (infrastructure failure, contradictory output). */
  inconclusive: boolean;
  /** The pod that answered, when the probe learnt it (agent mode). */
  answeredBy?: string;
}

const REJECTS: Array<[RegExp, 'refused' | 'unreachable']> = [
  [/\bECONNREFUSED\b|connection refused/i, 'refused'],
  [
    /\b(?:EHOSTUNREACH|ENETUNREACH|EPERM|EACCES)\b|no route to host|host is unreachable|network is unreachable|operation not permitted|permission denied/i,
    'unreachable',
  ],
];

/** The reject an errno code or error text describes, if it is one. */
export function rejectKind(text: string): 'refused' | 'unreachable' | undefined {
  return REJECTS.find(([re]) => re.test(text))?.[1];
}

const blocked = (kind: BlockedKind, detail?: string): ProbeVerdict => ({
  connected: false,
  error: detail ? `${kind}: ${detail}` : kind,
  inconclusive: false,
});

export const inconclusive = (why: string): ProbeVerdict => ({
  connected: false,
  error: `probe-failed: ${why}`,
  inconclusive: true,
});

const MARKERS: Record<string, BlockedKind | 'unknown'> = {
  TIMEOUT: 'timeout',
  REFUSED: 'refused',
  DNS: 'dns',
  OTHER: 'other',
  UNKNOWN: 'unknown',
};

/**
 * Reads agnhost connect's output and exit status into a verdict. agnhost prints nothing on success
 * and one line with a fixed prefix on failure. "Connected" is exit 0 *and* no output; "blocked" is a
 * non-zero exit *and* a recognised error line.
 */
export function parseConnectOutput(r: ExecResult): ProbeVerdict {
  const lines = `${r.stderr}\n${r.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (r.exitCode === 0 && lines.length === 0) return { connected: true, inconclusive: false };
  const marked = lines.find((l) => /^(TIMEOUT|REFUSED|DNS|OTHER|UNKNOWN)\b/.test(l));
  if (r.exitCode !== 0 && r.exitCode !== -1 && marked) {
    const kind = MARKERS[marked.split(/[:\s]/)[0] ?? ''];
    const detail = marked.includes(':') ? marked.slice(marked.indexOf(':') + 1).trim() : '';
    // Timeouts and rejects read the same in every protocol and mode: the kind alone (agnhost's detail
    // is Go's error text restating it, with addresses); DNS and other errors keep their detail.
    if (kind === 'timeout') return blocked('timeout');
    if (kind === 'dns') return blocked('dns', detail);
    const reject = kind === 'refused' ? 'refused' : rejectKind(detail);
    if (reject) return blocked(reject);
    if (kind === 'other') return blocked('other', detail);
    // UNKNOWN without a network error: bad arguments or an odd failure, not a verdict.
    return inconclusive(marked);
  }
  const shown = lines.join(' | ').slice(0, 300) || '(no output)';
  return inconclusive(`exit ${r.exitCode}, output: ${shown}`);
}

/** The probe a batch answer must describe, as the agent echoes it. */
type Echo = { to: string; port: number; protocol: AgentProtocol };

/** One probe of an agent batch answer (`agent probe --porter`), checked against what was asked. */
export function agentVerdict(req: Echo, r: AgentProbeResult | undefined): ProbeVerdict {
  if (r === undefined) return inconclusive('the agent returned no result for this probe');
  if (r.to !== req.to || r.port !== req.port || r.protocol !== req.protocol)
    return inconclusive(
      `the agent's answer is for ${r.to} ${r.protocol}/${r.port}, not ${req.to} ${req.protocol}/${req.port}`,
    );
  if (r.agnhost) return parseConnectOutput(r.agnhost);
  if (r.connected === true) {
    if (r.error !== undefined || r.code !== undefined)
      return inconclusive(`connected but reporting an error: ${r.error ?? r.code}`);
    return { connected: true, inconclusive: false, ...(r.answeredBy ? { answeredBy: r.answeredBy } : {}) };
  }
  if (r.connected !== false) return inconclusive(`malformed result ${JSON.stringify(r).slice(0, 200)}`);
  const code = r.code ?? '';
  if (code === 'ETIMEDOUT') return blocked('timeout');
  const reject = rejectKind(code);
  if (reject) return blocked(reject);
  return inconclusive(r.error ?? (code || 'not connected, no reason given'));
}

/** Verdicts of every probe of one batch, with the time each probe took as the agent measured it. */
export interface BatchVerdict extends ProbeVerdict {
  elapsedMs?: number;
}

/**
 * Reads one agent exec (a JSON array of results on stdout) into a verdict per request, in order.
 * The exec as a whole must be consistent before any of its probes counts: exit 0, one JSON array,
 * one result per request. Otherwise every probe of the batch is inconclusive, naming why.
 */
export function parseBatchAnswer(
  requests: ReadonlyArray<Pick<ProbeRequest, 'to' | 'port' | 'protocol'>>,
  r: ExecResult,
): BatchVerdict[] {
  const all = (why: string) => requests.map(() => inconclusive(why));
  const out = r.stdout.trim();
  const err = r.stderr.trim().slice(0, 300);
  if (r.exitCode !== 0)
    return all(
      `agent exit ${r.exitCode}${err ? `: ${err}` : ''}${out ? ` (stdout: ${out.slice(0, 200)})` : ''}`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(out);
  } catch {
    return all(`the agent's answer is not JSON: ${out.slice(0, 200) || '(empty)'}`);
  }
  if (!Array.isArray(doc)) return all(`the agent's answer is not a JSON array: ${out.slice(0, 200)}`);
  if (doc.length !== requests.length)
    return all(`the agent answered ${doc.length} probe(s) of ${requests.length}`);
  return requests.map((req, i) => {
    const res = doc[i] as AgentProbeResult | undefined;
    const v: BatchVerdict = agentVerdict(req, res);
    if (typeof res?.elapsedMs === 'number' && Number.isFinite(res.elapsedMs)) v.elapsedMs = res.elapsedMs;
    return v;
  });
}
