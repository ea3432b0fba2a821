/**
 * The agent's `hold` mode: keeps long-lived flows open across a policy change and records when the
 * other side answered, so the harness can tell whether an established connection was cut or kept
 * when a new policy denies it (docs/policy-change.md).
 *
 *   hold --targets '[{"to":"x/a","host":"10.244.1.10","port":80,"protocol":"TCP"}]' [--interval-ms 50]
 *
 * TCP: one connection per target; after the server's name line it sends `hold` (the serve side then
 * echoes instead of closing, serve.ts) and a `ping` line every interval, each echo an answer.
 * UDP: one connected socket per target sending a datagram every interval; each reply is an answer
 * (conntrack sees the flow as established after the first reply, as for any UDP client).
 * Prints `{"ready":true}` once every flow has had an answer (`{"ready":false}` if that takes longer than
 * --ready-timeout-ms), so the harness makes its change only on established flows.
 * Runs until SIGTERM/SIGINT (stdin is not watched: an exec on a real cluster has none), then prints one JSON line
 *   {"flows":[{"to","port","protocol","established","sent","received","answersAtMs":[...],"error"?,"durationMs"}]}
 * where answersAtMs are times since the start (ms) of every answer, so the harness can align them
 * with the change it made by counting back from the end (clocks need not agree).
 */
import { createSocket } from 'node:dgram';
import { Socket } from 'node:net';
import { numberFlag, parseFlags, stringFlag, UsageError } from './args.js';

/** What a serve-mode TCP listener takes as "keep this connection and echo" (serve.ts). */
export const HOLD_REQUEST = 'hold\n';

export interface HoldTarget {
  to: string;
  host: string;
  port: number;
  protocol: 'TCP' | 'UDP';
}

export interface HoldReport {
  to: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  /** An answer came back (for TCP: the server's name line). */
  established: boolean;
  sent: number;
  received: number;
  /** Every answer's time since the start, in ms (one decimal). */
  answersAtMs: number[];
  /** How the flow ended early: reset, closed, an errno name. */
  error?: string;
  durationMs: number;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

interface Flow {
  established(): boolean;
  report(): HoldReport;
  close(): void;
}

/** A flow's report before it has sent anything (both protocols start from the same zeros). */
function emptyReport(t: HoldTarget, protocol: HoldReport['protocol']): HoldReport {
  return {
    to: t.to,
    port: t.port,
    protocol,
    established: false,
    sent: 0,
    received: 0,
    answersAtMs: [],
    durationMs: 0,
  };
}

function holdTcp(t: HoldTarget, intervalMs: number, start: number): Flow {
  const r = emptyReport(t, 'TCP');
  const sock = new Socket();
  let buffered = '';
  let timer: NodeJS.Timeout | undefined;
  sock.setEncoding('utf8');
  sock.setNoDelay(true);
  sock.on('data', (d: string) => {
    buffered += d;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (!r.established) {
        // The server's name line: ask it to hold, then ping.
        r.established = true;
        sock.write(HOLD_REQUEST);
        timer = setInterval(() => {
          r.sent++;
          sock.write('ping\n');
        }, intervalMs);
      } else if (line === 'ping') {
        r.received++;
        r.answersAtMs.push(round1(performance.now() - start));
      }
      nl = buffered.indexOf('\n');
    }
  });
  const stop = (why: string) => {
    r.error ??= why;
    clearInterval(timer);
  };
  sock.on('end', () => stop('closed by the other side'));
  sock.on('error', (err: NodeJS.ErrnoException) =>
    stop(err.code === 'ECONNRESET' ? 'reset' : (err.code ?? err.message)),
  );
  sock.connect({ host: t.host, port: t.port });
  return {
    established: () => r.established,
    report: () => ({ ...r }),
    close: () => {
      clearInterval(timer);
      sock.destroy();
    },
  };
}

function holdUdp(t: HoldTarget, intervalMs: number, start: number): Flow {
  const r = emptyReport(t, 'UDP');
  const sock = createSocket(t.host.includes(':') ? 'udp6' : 'udp4');
  let timer: NodeJS.Timeout | undefined;
  sock.on('message', () => {
    r.established = true;
    r.received++;
    r.answersAtMs.push(round1(performance.now() - start));
  });
  // An ICMP error for one datagram (e.g. a reject) does not end the flow: later ones may pass again.
  sock.on('error', (err: NodeJS.ErrnoException) => {
    r.error = err.code ?? err.message;
  });
  sock.connect(t.port, t.host, () => {
    const send = () => {
      r.sent++;
      sock.send(`cnb-hold ${r.sent}`, () => undefined);
    };
    send();
    timer = setInterval(send, intervalMs);
  });
  return {
    established: () => r.established,
    report: () => ({ ...r }),
    close: () => {
      clearInterval(timer);
      try {
        sock.close();
      } catch {
        /* already closed */
      }
    },
  };
}

export function parseHoldTargets(text: string): HoldTarget[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new UsageError('hold: --targets must be a JSON list');
  }
  if (!Array.isArray(raw)) throw new UsageError('hold: --targets must be a JSON list');
  return raw.map((t: unknown, i) => {
    const o = t as Partial<HoldTarget> | null;
    if (
      !o ||
      typeof o.to !== 'string' ||
      typeof o.host !== 'string' ||
      typeof o.port !== 'number' ||
      (o.protocol !== 'TCP' && o.protocol !== 'UDP')
    )
      throw new UsageError(
        `hold: target ${i} must be {"to","host","port","protocol":"TCP"|"UDP"}: ${JSON.stringify(t)}`,
      );
    return { to: o.to, host: o.host, port: o.port, protocol: o.protocol };
  });
}

/**
 * Opens every flow; `onReady` is called once, when all are established (true) or after
 * `readyTimeoutMs` (false). The returned function closes them and gives the reports.
 */
export function startHolds(
  targets: HoldTarget[],
  intervalMs: number,
  onReady: (established: boolean) => void = () => undefined,
  readyTimeoutMs = 5000,
): () => HoldReport[] {
  const start = performance.now();
  const flows = targets.map((t) =>
    t.protocol === 'TCP' ? holdTcp(t, intervalMs, start) : holdUdp(t, intervalMs, start),
  );
  let told = false;
  const watch = setInterval(
    () => {
      const ok = flows.every((f) => f.established());
      if (told || (!ok && performance.now() - start < readyTimeoutMs)) return;
      told = true;
      clearInterval(watch);
      onReady(ok);
    },
    Math.min(20, intervalMs),
  );
  return () => {
    clearInterval(watch);
    const durationMs = round1(performance.now() - start);
    const reports = flows.map((f) => ({ ...f.report(), durationMs }));
    for (const f of flows) f.close();
    return reports;
  };
}

export async function runHold(args: string[]): Promise<number> {
  const flags = parseFlags('hold', args, {
    targets: { type: 'string' },
    'interval-ms': { type: 'string' },
    'ready-timeout-ms': { type: 'string' },
  } as const);
  const targets = parseHoldTargets(stringFlag('hold', flags.targets, 'targets'));
  const intervalMs = numberFlag('hold', flags['interval-ms'], 'interval-ms', 50, { positive: true });
  const readyTimeoutMs = numberFlag('hold', flags['ready-timeout-ms'], 'ready-timeout-ms', 5000, {
    positive: true,
  });
  const finish = startHolds(
    targets,
    intervalMs,
    (ok) => process.stdout.write(`${JSON.stringify({ ready: ok })}\n`),
    readyTimeoutMs,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  process.stdout.write(`${JSON.stringify({ flows: finish() })}\n`);
  return 0;
}
