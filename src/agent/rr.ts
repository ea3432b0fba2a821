/**
 * Agent modes for the latency workloads:
 *
 * - `rr-server --port P [--close-after-reply N]`: TCP echo server. Prints one JSON ready line
 *   (`{"ready":true,"port":P}`) once listening. With `--close-after-reply N` it closes each connection
 *   after echoing N bytes, so in the connection-rate test the *server* sends the first FIN and the
 *   TIME_WAIT sockets pile up on the server side, not on the client whose ephemeral ports they would
 *   exhaust after a few repetitions.
 * - `rr --target IP --port P --duration S [--payload N]`: one connection, ping-pong round trips
 *   (TCP_RR-like).
 * - `crr --target IP --port P --duration S [--payload N]`: connect, send, receive, close,
 *   repeat, one connection at a time (TCP_CRR-like).
 * - Both clients take `--service-us U`: a busy-wait of U µs inside every timed round trip (rr) or
 *   transaction (crr), before the request is sent — the known added service time of the planted-effect
 *   check (busy-wait.ts). The client is started afresh for every run, so the harness sizes U from the
 *   warm-up without reconfiguring a running server; 0 (the default) adds nothing.
 *
 * Round trips are timed with `process.hrtime.bigint()` around a callback-driven loop (no promise
 * and no allocation per round trip).
 *
 * Output: one JSON object on stdout (`RrReport` / `CrrReport`) with every timed round trip in µs
 * (`samplesUs`, in the order measured). The agent measures and computes no statistics: percentiles
 * and everything else are computed by the harness with the statistics stage's one definition
 * (type-7 quantiles, src/stats/quantile.ts), and the agent needs nothing beyond Node.js itself.
 */
import net from 'node:net';
import { numberFlag, parseFlags, stringFlag } from './args.js';
import { busyWaitUs } from './busy-wait.js';

export interface RrReport {
  mode: 'rr';
  target: string;
  port: number;
  payloadBytes: number;
  durationS: number;
  /** Wall time actually spent doing round trips. */
  elapsedS: number;
  count: number;
  /** Round trips per second (count / elapsed). */
  transactionsPerSecond: number;
  /** Every timed round trip, µs (ns resolution), in the order measured. */
  samplesUs: number[];
}

export interface CrrReport {
  mode: 'crr';
  target: string;
  port: number;
  payloadBytes: number;
  durationS: number;
  elapsedS: number;
  /** Completed connect/request/response/close transactions. */
  count: number;
  connectionsPerSecond: number;
  /** Per connection: from connect() to the full reply received, µs, in the order measured. */
  samplesUs: number[];
}

const RR_SERVER_OPTIONS = {
  port: { type: 'string' },
  'close-after-reply': { type: 'string' },
} as const;

const CLIENT_OPTIONS = {
  target: { type: 'string' },
  port: { type: 'string' },
  duration: { type: 'string' },
  payload: { type: 'string' },
  'connect-wait-ms': { type: 'string' },
  'service-us': { type: 'string' },
} as const;

/** A growable Float64Array of samples (µs): no per-sample allocation in the hot loop. */
class SampleBuffer {
  private buf = new Float64Array(1 << 16);
  length = 0;
  push(v: number): void {
    if (this.length === this.buf.length) {
      const bigger = new Float64Array(this.buf.length * 2);
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.length++] = v;
  }
  toArray(): number[] {
    return Array.from(this.buf.subarray(0, this.length));
  }
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

// ---------------------------------------------------------------------------------------------------
// Server

export async function runRrServer(args: string[]): Promise<number> {
  const flags = parseFlags('rr-server', args, RR_SERVER_OPTIONS);
  const port = numberFlag('rr-server', flags.port, 'port', undefined, { integer: true });
  const closeAfter = numberFlag('rr-server', flags['close-after-reply'], 'close-after-reply', 0);
  const open = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (sock) => {
    sock.setNoDelay(true);
    open.add(sock);
    sock.on('close', () => open.delete(sock));
    let echoed = 0;
    sock.on('data', (chunk: Buffer) => {
      sock.write(chunk);
      echoed += chunk.length;
      if (closeAfter > 0 && echoed >= closeAfter) sock.end();
    });
    sock.on('error', () => {
      /* a client going away mid-test is not the server's failure */
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  process.stdout.write(JSON.stringify({ ready: true, port }) + '\n');
  // Serve until killed; SIGTERM/SIGINT exit cleanly so the harness's stop() sees exit 0.
  await new Promise<void>((resolve) => {
    // close() alone would wait for every client connection to end; a stopped server drops them.
    const stop = () => {
      server.close(() => resolve());
      for (const sock of open) sock.destroy();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  return 0;
}

// ---------------------------------------------------------------------------------------------------
// Clients

/**
 * Connects, retrying refused connections until `waitMs` has passed: the harness starts the server
 * in another pod and cannot always see its ready line (a driver's spawn() does not stream output).
 */
async function connectWithRetry(
  host: string,
  port: number,
  waitMs: number,
  onBytes?: (n: number) => void,
): Promise<net.Socket> {
  // With `onread`, received bytes land in one reused buffer and go straight to the callback, skipping
  // the Readable stream's per-chunk Buffer and 'data' event: about 0.5 µs less per round trip.
  const onread = onBytes
    ? {
        buffer: Buffer.alloc(64 * 1024),
        callback: (n: number) => {
          onBytes(n);
          return true; // keep reading
        },
      }
    : undefined;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(onread ? { host, port, noDelay: true, onread } : { host, port, noDelay: true });
        // A dropped SYN (a policy that drops, a missing route without ICMP) must not hang for minutes.
        const timer = setTimeout(
          () => s.destroy(new Error(`connect timed out after ${waitMs} ms`)),
          Math.max(1000, deadline - Date.now()),
        );
        s.once('connect', () => {
          // The 'error' listener stays: a later error must never be unhandled (rejecting twice is a no-op).
          clearTimeout(timer);
          resolve(s);
        });
        s.once('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ECONNREFUSED' || code === 'ECONNRESET') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      throw new Error(
        `cannot connect to ${host}:${port}: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
  }
}

/** Where a connection's received byte counts go (set once the round-trip machine exists). */
interface Receiver {
  onBytes: (n: number) => void;
}

/**
 * One ping-pong round trip machine over an open socket: `fire(cb)` sends the payload and calls
 * `cb(rttUs)` once the whole echo is back. Callback-based so the hot path allocates nothing.
 */
function pingPong(sock: net.Socket, rx: Receiver, payload: Buffer, serviceUs = 0) {
  let pending = 0;
  let t0 = 0n;
  let done: ((us: number) => void) | null = null;
  let failure: Error | null = null;
  rx.onBytes = (n: number) => {
    pending -= n;
    if (pending <= 0 && done) {
      const us = Number(process.hrtime.bigint() - t0) / 1000;
      const cb = done;
      done = null;
      cb(us);
    }
  };
  const fail = (err: Error) => {
    failure = err;
  };
  sock.on('error', fail);
  sock.on('close', () => fail(failure ?? new Error('connection closed by the server')));
  return {
    fire(cb: (us: number) => void): void {
      if (failure) throw failure;
      pending = payload.length;
      done = cb;
      t0 = process.hrtime.bigint();
      if (serviceUs > 0) busyWaitUs(serviceUs);
      sock.write(payload);
    },
    get failure(): Error | null {
      return failure;
    },
  };
}

async function rrLoop(
  sock: net.Socket,
  rx: Receiver,
  payload: Buffer,
  durationMs: number,
  samples: SampleBuffer,
  serviceUs = 0,
) {
  const pp = pingPong(sock, rx, payload, serviceUs);
  const end = process.hrtime.bigint() + BigInt(Math.round(durationMs * 1e6));
  await new Promise<void>((resolve, reject) => {
    // A watchdog turns a stalled connection (server gone, packets dropped) into an error, not a hang.
    let last = samples.length;
    const watchdog = setInterval(() => {
      if (pp.failure) return finish(pp.failure);
      if (samples.length === last)
        return finish(new Error('no reply for 2 s: the path or the server stalled'));
      last = samples.length;
    }, 2000);
    const finish = (err?: Error) => {
      clearInterval(watchdog);
      if (err) reject(err);
      else resolve();
    };
    const next = (us: number) => {
      samples.push(us);
      if (process.hrtime.bigint() >= end) return finish();
      pp.fire(next);
    };
    pp.fire((us) => {
      // The first round trip also warms the path (ARP, conntrack entry): dropped, not measured.
      void us;
      pp.fire(next);
    });
  });
}

export async function runRrClient(args: string[]): Promise<number> {
  const flags = parseFlags('rr', args, CLIENT_OPTIONS);
  const target = stringFlag('rr', flags.target, 'target');
  const port = numberFlag('rr', flags.port, 'port', undefined, { integer: true });
  const durationS = numberFlag('rr', flags.duration, 'duration', 3);
  const payloadBytes = Math.max(1, numberFlag('rr', flags.payload, 'payload', 1));
  const waitMs = numberFlag('rr', flags['connect-wait-ms'], 'connect-wait-ms', 5000);
  const serviceUs = numberFlag('rr', flags['service-us'], 'service-us', 0);

  const rx: Receiver = { onBytes: () => undefined };
  const sock = await connectWithRetry(target, port, waitMs, (n) => rx.onBytes(n));
  const payload = Buffer.alloc(payloadBytes, 0x61);
  const samples = new SampleBuffer();
  const t0 = process.hrtime.bigint();
  try {
    await rrLoop(sock, rx, payload, durationS * 1000, samples, serviceUs);
  } finally {
    sock.destroy();
  }
  const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (samples.length === 0) throw new Error('no round trip completed');
  const report: RrReport = {
    mode: 'rr',
    target,
    port,
    payloadBytes,
    durationS,
    elapsedS: round3(elapsedS),
    count: samples.length,
    transactionsPerSecond: round3(samples.length / elapsedS),
    samplesUs: samples.toArray().map(round3),
  };
  process.stdout.write(JSON.stringify(report) + '\n');
  return 0;
}

/** One connect/request/response/close transaction; resolves with connect→reply µs once closed. */
function oneTransaction(host: string, port: number, payload: Buffer, serviceUs = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    if (serviceUs > 0) busyWaitUs(serviceUs);
    let replyUs = -1;
    let got = 0;
    const s = net.connect({ host, port, noDelay: true });
    s.on('connect', () => s.write(payload));
    s.on('data', (chunk: Buffer) => {
      got += chunk.length;
      if (got >= payload.length && replyUs < 0) {
        replyUs = Number(process.hrtime.bigint() - t0) / 1000;
        // The server closes first (--close-after-reply); if it does not, close ourselves.
        if (got > payload.length) s.destroy(new Error('server sent more than the request'));
      }
    });
    s.on('error', reject);
    s.on('close', () => {
      if (replyUs < 0) reject(new Error(`connection to ${host}:${port} closed before the reply`));
      else resolve(replyUs);
    });
    s.setTimeout(2000, () => s.destroy(new Error('no reply for 2 s')));
  });
}

export async function runCrrClient(args: string[]): Promise<number> {
  const flags = parseFlags('crr', args, CLIENT_OPTIONS);
  const target = stringFlag('crr', flags.target, 'target');
  const port = numberFlag('crr', flags.port, 'port', undefined, { integer: true });
  const durationS = numberFlag('crr', flags.duration, 'duration', 3);
  const payloadBytes = Math.max(1, numberFlag('crr', flags.payload, 'payload', 1));
  const waitMs = numberFlag('crr', flags['connect-wait-ms'], 'connect-wait-ms', 5000);
  const serviceUs = numberFlag('crr', flags['service-us'], 'service-us', 0);
  const payload = Buffer.alloc(payloadBytes, 0x61);

  // Wait for the server (refused connections retried), then one untimed transaction warms the path.
  (await connectWithRetry(target, port, waitMs)).destroy();
  await oneTransaction(target, port, payload);

  const samples = new SampleBuffer();
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(Math.round(durationS * 1e9));
  while (process.hrtime.bigint() < end) samples.push(await oneTransaction(target, port, payload, serviceUs));
  const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
  if (samples.length === 0) throw new Error('no connection completed');
  const report: CrrReport = {
    mode: 'crr',
    target,
    port,
    payloadBytes,
    durationS,
    elapsedS: round3(elapsedS),
    count: samples.length,
    connectionsPerSecond: round3(samples.length / elapsedS),
    samplesUs: samples.toArray().map(round3),
  };
  process.stdout.write(JSON.stringify(report) + '\n');
  return 0;
}
