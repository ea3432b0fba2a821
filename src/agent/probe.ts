/**
 * The agent's `probe` mode: connect to targets and report who answered.
 *
 *   probe --targets '[{"to":"x/b","host":"10.244.1.11","port":80,"protocol":"TCP"}]' [--timeout-ms 1000]
 *   echo '[...]' | probe                      # targets on stdin; prints one JSON array of results
 *   probe --server                            # persistent: JSON lines in ({"id","targets","timeoutMs",
 *                                             # "concurrency"}), JSON lines out ({"id","results"})
 *
 * TCP: connect with a timeout and read the server's answer (its pod name); UDP: send a datagram on a
 * connected socket (so ICMP errors surface as ECONNREFUSED/EHOSTUNREACH at once) and wait for the
 * echo, resending a couple of times within the timeout. A probe counts as connected only when the
 * answer came back, never from an exit code or a successful send.
 */
import { createSocket } from 'node:dgram';
import { Socket } from 'node:net';
import { createInterface } from 'node:readline';

export type AgentProtocol = 'TCP' | 'UDP' | 'SCTP';

export interface ProbeTarget {
  /** Label of the destination, echoed back (e.g. "x/b"). */
  to: string;
  host: string;
  port: number;
  protocol: AgentProtocol;
}

export interface AgentProbeResult {
  to: string;
  port: number;
  protocol: AgentProtocol;
  connected: boolean;
  answeredBy?: string;
  error?: string;
  elapsedMs: number;
}

export interface ProbeBatchOptions {
  timeoutMs: number;
  concurrency: number;
  /** UDP sends per probe (the first plus resends spread over the timeout). */
  udpAttempts?: number;
}

/** The message a serve-mode UDP listener expects; anything else is ignored. */
export const UDP_PROBE_PAYLOAD = 'cnb-probe';

export async function probeTargets(
  targets: ProbeTarget[],
  opts: ProbeBatchOptions,
): Promise<AgentProbeResult[]> {
  const results: AgentProbeResult[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      results[i] = await probeOne(targets[i], opts);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency, targets.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}

export function probeOne(t: ProbeTarget, opts: ProbeBatchOptions): Promise<AgentProbeResult> {
  switch (t.protocol) {
    case 'TCP':
      return probeTcp(t, opts.timeoutMs);
    case 'UDP':
      return probeUdp(t, opts.timeoutMs, opts.udpAttempts ?? 3);
    default:
      return Promise.resolve({
        to: t.to,
        port: t.port,
        protocol: t.protocol,
        connected: false,
        error: `protocol ${t.protocol} not supported by the agent`,
        elapsedMs: 0,
      });
  }
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
    const finish = (connected: boolean, error?: string) => {
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
        elapsedMs: round(performance.now() - start),
      });
    };
    const timer = setTimeout(() => finish(false, answer ? 'timeout (partial answer)' : 'timeout'), timeoutMs);
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      answer += d;
      if (answer.includes('\n')) finish(true);
    });
    sock.on('end', () => (answer ? finish(true) : finish(false, 'closed without answer')));
    sock.on('error', (err) => finish(false, errorName(err)));
    sock.connect({ host: t.host, port: t.port });
  });
}

function probeUdp(t: ProbeTarget, timeoutMs: number, attempts: number): Promise<AgentProbeResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    const sock = createSocket(t.host.includes(':') ? 'udp6' : 'udp4');
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (connected: boolean, extra: { answeredBy?: string; error?: string }) => {
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
        if (err) finish(false, { error: errorName(err) });
      });
    };
    sock.on('message', (msg) => finish(true, { answeredBy: msg.toString('utf8').trim() }));
    sock.on('error', (err) => finish(false, { error: errorName(err) }));
    timers.push(setTimeout(() => finish(false, { error: 'timeout' }), timeoutMs));
    sock.connect(t.port, t.host, () => {
      send();
      for (let k = 1; k < attempts; k++) timers.push(setTimeout(send, (timeoutMs * k) / attempts));
    });
  });
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One request of the persistent probe protocol. */
export interface ProbeBatchRequest {
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
      write(JSON.stringify({ error: `bad request: ${(err as Error).message}` }));
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

export async function runProbe(args: string[]): Promise<number> {
  const timeoutMs = Number(flag(args, '--timeout-ms') ?? 1000);
  const concurrency = Number(flag(args, '--concurrency') ?? 64);
  if (!(timeoutMs > 0) || !(concurrency > 0))
    throw new Error('--timeout-ms and --concurrency must be positive');
  const defaults = { timeoutMs, concurrency };
  if (args.includes('--server')) {
    process.stdout.write(JSON.stringify({ ready: true, mode: 'probe-server' }) + '\n');
    await serveProbeBatches(process.stdin, (l) => process.stdout.write(l + '\n'), defaults);
    return 0;
  }
  const text = flag(args, '--targets') ?? (await readStdin());
  let targets: ProbeTarget[];
  try {
    targets = JSON.parse(text) as ProbeTarget[];
  } catch (err) {
    throw new Error(`targets must be a JSON array: ${(err as Error).message}`, { cause: err });
  }
  if (!Array.isArray(targets)) throw new Error('targets must be a JSON array');
  const results = await probeTargets(targets, defaults);
  process.stdout.write(JSON.stringify(results) + '\n');
  return 0;
}
