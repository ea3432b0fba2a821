/**
 * The agent's `probe` mode: connect to targets and report who answered.
 *
 *   probe --targets '[{"to":"x/b","host":"10.244.1.11","port":80,"protocol":"TCP"}]' [--timeout-ms 1000]
 *   echo '[...]' | probe                      # targets on stdin; prints one JSON array of results
 *   probe --server                            # persistent: JSON lines in ({"id","targets","timeoutMs",
 *                                             # "concurrency"}), JSON lines out ({"id","results"})
 *   probe --porter [--agnhost PATH] --targets '[...]' [--targets '[...]' ...]
 *                                             # a real cluster's batch (see below)
 *
 * TCP: connect with a timeout and read the server's answer (its pod name); UDP: send a datagram on a
 * connected socket (so ICMP errors surface as ECONNREFUSED/EHOSTUNREACH at once) and wait for the
 * echo, resending a couple of times within the timeout. A probe counts as connected only when the
 * answer came back, never from an exit code or a successful send.
 *
 * `--porter`: the destinations are agnhost porters (the conformance pods of real clusters), and the
 * verdicts follow `agnhost connect`, so both probe modes of the kube driver judge alike: TCP counts as
 * connected once the handshake completes; the agent then asks the porter (HTTP GET) which pod it is,
 * within the same timeout, and reports it as answeredBy when the answer comes. UDP is the same as
 * above (a porter answers any datagram with its name). Node.js has no SCTP sockets: with
 * `--agnhost PATH` SCTP targets run `agnhost connect` as a child process, and its raw output and
 * exit status are returned for the harness to judge exactly as in agnhost mode.
 *
 * Failures carry the socket's errno code (`code`, e.g. ECONNREFUSED, EHOSTUNREACH, or ETIMEDOUT
 * for the probe's own timeout) so the harness classifies rejects the same way for every protocol.
 * Several `--targets` arguments are concatenated: one argument stays far below the kernel's limit
 * on a single argv string (128 KiB) however many probes a pod sends.
 */
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { agnhostConnectArgs } from './agnhost.js';
import { numberFlag, parseFlags, UsageError } from './args.js';

export type AgentProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface ProbeTarget {
  /** Label of the destination, echoed back (e.g. "x/b"). */
  to: string;
  host: string;
  port: number;
  protocol: AgentProtocol;
}

/** What a probe run through `agnhost connect` printed, unjudged. */
interface AgnhostOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface AgentProbeResult {
  to: string;
  port: number;
  protocol: AgentProtocol;
  connected: boolean;
  answeredBy?: string;
  error?: string;
  /** The errno code of a failure (ECONNREFUSED, EHOSTUNREACH, ...); ETIMEDOUT for the probe's timeout. */
  code?: string;
  /** Set when the probe ran `agnhost connect` (SCTP with --agnhost): its output, for the harness to judge. */
  agnhost?: AgnhostOutput;
  elapsedMs: number;
}

export interface ProbeBatchOptions {
  timeoutMs: number;
  concurrency: number;
  /** UDP sends per probe (the first plus resends spread over the timeout). */
  udpAttempts?: number;
  /** Destinations are agnhost porters: TCP is connected at the handshake (see the header). */
  porter?: boolean;
  /** Path of an agnhost binary for SCTP probes. */
  agnhost?: string;
}

/** The message a serve-mode UDP listener expects; anything else is ignored. */
const UDP_PROBE_PAYLOAD = 'cnb-probe';

export async function probeTargets(
  targets: ProbeTarget[],
  opts: ProbeBatchOptions,
): Promise<AgentProbeResult[]> {
  const results = new Array<AgentProbeResult>(targets.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      const t = targets[i];
      if (t === undefined) return;
      results[i] = await probeOne(t, opts);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency, targets.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

function probeOne(t: ProbeTarget, opts: ProbeBatchOptions): Promise<AgentProbeResult> {
  switch (t.protocol) {
    case 'TCP':
      return opts.porter ? probeTcpHandshake(t, opts.timeoutMs) : probeTcp(t, opts.timeoutMs);
    case 'UDP':
      return probeUdp(t, opts.timeoutMs, opts.udpAttempts ?? 3);
    case 'SCTP':
      if (opts.agnhost) return probeWithAgnhost(t, opts.timeoutMs, opts.agnhost);
      break;
  }
  return Promise.resolve({
    to: t.to,
    port: t.port,
    protocol: t.protocol,
    connected: false,
    error: `protocol ${t.protocol} not supported by the agent`,
    code: 'EPROTONOSUPPORT',
    elapsedMs: 0,
  });
}

/** The errno code of a socket error, if it has one. */
function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException)?.code;
  return typeof code === 'string' ? code : undefined;
}

function errorName(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    case 'ECONNRESET':
      return 'reset';
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}

function probeTcp(t: ProbeTarget, timeoutMs: number): Promise<AgentProbeResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    const sock = new Socket();
    let answer = '';
    let settled = false;
    const finish = (connected: boolean, error?: string, code?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      const name = answer.trim();
      resolve({
        to: t.to,
        port: t.port,
        protocol: 'TCP',
        connected,
        ...(connected && name ? { answeredBy: name } : {}),
        ...(error ? { error } : {}),
        ...(code ? { code } : {}),
        elapsedMs: round(performance.now() - start),
      });
    };
    const timer = setTimeout(
      () => finish(false, answer ? 'timeout (partial answer)' : 'timeout', 'ETIMEDOUT'),
      timeoutMs,
    );
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      answer += d;
      if (answer.includes('\n')) finish(true);
    });
    sock.on('end', () => (answer ? finish(true) : finish(false, 'closed without answer')));
    sock.on('error', (err) => finish(false, errorName(err), errnoCode(err)));
    sock.connect({ host: t.host, port: t.port });
  });
}

function probeUdp(t: ProbeTarget, timeoutMs: number, attempts: number): Promise<AgentProbeResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    const sock = createSocket(t.host.includes(':') ? 'udp6' : 'udp4');
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (connected: boolean, extra: { answeredBy?: string; error?: string; code?: string }) => {
      if (settled) return;
      settled = true;
      for (const tm of timers) clearTimeout(tm);
      try {
        sock.close();
      } catch {
        /* already closed */
      }
      resolve({
        to: t.to,
        port: t.port,
        protocol: 'UDP',
        connected,
        ...extra,
        elapsedMs: round(performance.now() - start),
      });
    };
    const send = () => {
      if (settled) return;
      sock.send(UDP_PROBE_PAYLOAD, (err) => {
        if (err) finish(false, { error: errorName(err), code: errnoCode(err) });
      });
    };
    sock.on('message', (msg) => finish(true, { answeredBy: msg.toString('utf8').trim() }));
    sock.on('error', (err) => finish(false, { error: errorName(err), code: errnoCode(err) }));
    timers.push(setTimeout(() => finish(false, { error: 'timeout', code: 'ETIMEDOUT' }), timeoutMs));
    sock.connect(t.port, t.host, () => {
      send();
      for (let k = 1; k < attempts; k++) timers.push(setTimeout(send, (timeoutMs * k) / attempts));
    });
  });
}

/** What an agnhost porter answers an HTTP GET with: the body, when the status is 200. */
export function porterAnswer(response: string): string | undefined {
  const m = /^HTTP\/1\.[01] 200 [^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*)$/.exec(response);
  const body = m?.[1]?.trim();
  return body ? body : undefined;
}

/**
 * TCP to an agnhost porter, judged as `agnhost connect` judges: connected once the handshake
 * completes. The porter's answer to a GET (its pod name) is read within what is left of the timeout;
 * a porter that does not answer in time leaves answeredBy unset, the verdict stays "connected".
 */
function probeTcpHandshake(t: ProbeTarget, timeoutMs: number): Promise<AgentProbeResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    const sock = new Socket();
    let connected = false;
    let response = '';
    let settled = false;
    const finish = (extra: { error?: string; code?: string } = {}) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      const name = connected ? porterAnswer(response) : undefined;
      resolve({
        to: t.to,
        port: t.port,
        protocol: 'TCP',
        connected,
        ...(name ? { answeredBy: name } : {}),
        ...extra,
        elapsedMs: round(performance.now() - start),
      });
    };
    const timer = setTimeout(
      () => (connected ? finish() : finish({ error: 'timeout', code: 'ETIMEDOUT' })),
      timeoutMs,
    );
    sock.setEncoding('utf8');
    sock.on('connect', () => {
      connected = true;
      sock.write(`GET / HTTP/1.0\r\nHost: ${t.host}\r\nUser-Agent: cnibench-agent\r\n\r\n`);
    });
    sock.on('data', (d: string) => {
      response += d;
      if (response.length > 4096) finish();
    });
    sock.on('end', () => finish());
    // After the handshake an error (a reset mid-answer) only costs the answer, not the verdict.
    sock.on('error', (err) =>
      connected ? finish() : finish({ error: errorName(err), code: errnoCode(err) }),
    );
    sock.connect({ host: t.host, port: t.port });
  });
}

/** Grace on top of agnhost's own --timeout before the child is killed (it enforces the timeout itself). */
const AGNHOST_GRACE_MS = 2000;

/** `agnhost connect` as a child process; its output is returned unjudged (see AgentProbeResult.agnhost). */
function probeWithAgnhost(t: ProbeTarget, timeoutMs: number, agnhost: string): Promise<AgentProbeResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    execFile(
      agnhost,
      agnhostConnectArgs(t.host, t.port, t.protocol, timeoutMs),
      { timeout: timeoutMs + AGNHOST_GRACE_MS, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { code?: string | number; killed?: boolean }) | null;
        let exitCode = 0;
        let extra = '';
        if (e) {
          if (typeof e.code === 'number') exitCode = e.code;
          else {
            // Not started (ENOENT, EACCES) or killed: no exit status to judge.
            exitCode = -1;
            extra = e.killed ? `agnhost killed after ${timeoutMs + AGNHOST_GRACE_MS} ms` : e.message;
          }
        }
        resolve({
          to: t.to,
          port: t.port,
          protocol: t.protocol,
          connected: exitCode === 0 && `${stdout}${stderr}`.trim() === '',
          agnhost: { exitCode, stdout, stderr: extra ? `${stderr}${extra}\n` : stderr },
          elapsedMs: round(performance.now() - start),
        });
      },
    );
  });
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One request of the persistent probe protocol. */
interface ProbeBatchRequest {
  id: number | string;
  targets: ProbeTarget[];
  timeoutMs?: number;
  concurrency?: number;
}

/**
 * Serves probe batches read as JSON lines from `input`, writing one JSON line per batch to `write`.
 * Batches run concurrently; each reply carries the request's id. Resolves when input ends.
 */
export async function serveProbeBatches(
  input: NodeJS.ReadableStream,
  write: (line: string) => void,
  defaults: ProbeBatchOptions,
  onOther?: (msg: Record<string, unknown>) => Promise<Record<string, unknown>>,
): Promise<void> {
  const rl = createInterface({ input, crlfDelay: Infinity });
  const pending = new Set<Promise<void>>();
  for await (const line of rl) {
    if (!line.trim()) continue;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      write(JSON.stringify({ error: `bad request: ${err instanceof Error ? err.message : String(err)}` }));
      continue;
    }
    const job = (async () => {
      try {
        if (Array.isArray(msg.targets)) {
          const req = msg as unknown as ProbeBatchRequest;
          const results = await probeTargets(req.targets, {
            ...defaults,
            timeoutMs: req.timeoutMs ?? defaults.timeoutMs,
            concurrency: req.concurrency ?? defaults.concurrency,
          });
          write(JSON.stringify({ id: req.id, results }));
        } else if (onOther) {
          write(JSON.stringify({ id: msg.id, ...(await onOther(msg)) }));
        } else {
          write(JSON.stringify({ id: msg.id, error: 'unknown request' }));
        }
      } catch (err) {
        write(JSON.stringify({ id: msg.id, error: err instanceof Error ? err.message : String(err) }));
      }
    })();
    pending.add(job);
    void job.finally(() => pending.delete(job));
  }
  await Promise.all(pending);
}

/** The probe mode's command line, parsed (exported for the tests' fake dataplane). */
export interface ProbeArgs extends ProbeBatchOptions {
  /** The persistent JSON-lines mode. */
  server: boolean;
  /** Targets from --targets (concatenated), or undefined to read them from stdin. */
  targets?: ProbeTarget[];
}

const PROBE_OPTIONS = {
  targets: { type: 'string', multiple: true },
  'timeout-ms': { type: 'string' },
  concurrency: { type: 'string' },
  server: { type: 'boolean' },
  porter: { type: 'boolean' },
  agnhost: { type: 'string' },
} as const;

/** Checks a parsed targets document: a JSON array of {to, host, port, protocol}. */
function parseTargets(text: string): ProbeTarget[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UsageError(
      `probe: targets must be a JSON array: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (!Array.isArray(doc)) throw new UsageError('probe: targets must be a JSON array');
  return doc.map((t: unknown, i) => {
    const o = (typeof t === 'object' && t !== null ? t : {}) as Record<string, unknown>;
    const ok =
      typeof o.to === 'string' &&
      typeof o.host === 'string' &&
      Number.isInteger(o.port) &&
      (o.protocol === 'TCP' || o.protocol === 'UDP' || o.protocol === 'SCTP');
    if (!ok)
      throw new UsageError(
        `probe: target ${i} must be {"to","host","port","protocol":"TCP"|"UDP"|"SCTP"}: ${JSON.stringify(t)}`,
      );
    return {
      to: o.to as string,
      host: o.host as string,
      port: o.port as number,
      protocol: o.protocol as AgentProtocol,
    };
  });
}

export function parseProbeArgs(args: string[]): ProbeArgs {
  const flags = parseFlags('probe', args, PROBE_OPTIONS);
  const timeoutMs = numberFlag('probe', flags['timeout-ms'], 'timeout-ms', 1000, { positive: true });
  const concurrency = numberFlag('probe', flags.concurrency, 'concurrency', 64, {
    positive: true,
    integer: true,
  });
  return {
    timeoutMs,
    concurrency,
    server: flags.server ?? false,
    porter: flags.porter ?? false,
    ...(flags.agnhost !== undefined ? { agnhost: flags.agnhost } : {}),
    ...(flags.targets !== undefined ? { targets: flags.targets.flatMap(parseTargets) } : {}),
  };
}

export async function runProbe(args: string[]): Promise<number> {
  const { server, targets, ...opts } = parseProbeArgs(args);
  if (server) {
    process.stdout.write(JSON.stringify({ ready: true, mode: 'probe-server' }) + '\n');
    await serveProbeBatches(process.stdin, (l) => process.stdout.write(l + '\n'), opts);
    return 0;
  }
  const results = await probeTargets(targets ?? parseTargets(await readStdin()), opts);
  process.stdout.write(JSON.stringify(results) + '\n');
  return 0;
}
