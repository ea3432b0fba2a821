/**
 * The agent's `serve` mode: the "container" of a conformance pod.
 *
 *   serve --name x/a --tcp 80,81 --udp 80,81 [--control]
 *
 * TCP: on each connection writes the pod name and a newline, then closes, unless the client asks to
 * hold the connection (`hold` mode, hold.ts: it sends `hold\n` right after the name line), in which
 * case it echoes whatever comes until the client closes. UDP: answers every datagram with the pod name. Prints `{"ready":true,...}` once every port is bound.
 *
 * With --control the agent also reads JSON lines on stdin, so one long-lived process per pod serves
 * and probes (spawning node per probe would dominate the suite's run time):
 *   {"id":1,"targets":[...],"timeoutMs":1000,"concurrency":64}   → {"id":1,"results":[...]}  (see probe.ts)
 *   {"id":2,"op":"listen","tcp":[80],"udp":[80,81]}              → {"id":2,"ok":true}  (exactly these ports)
 * and exits when stdin closes, so it never outlives the harness that started it.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { numberFlag, parseFlags, stringFlag, UsageError } from './args.js';
import { HOLD_REQUEST } from './hold.js';
import { serveProbeBatches } from './probe.js';

/** How long a TCP connection that does not ask to be held stays open after the name line. */
const HOLD_GRACE_MS = 500;

const SERVE_OPTIONS = {
  name: { type: 'string' },
  tcp: { type: 'string' },
  udp: { type: 'string' },
  control: { type: 'boolean' },
  'timeout-ms': { type: 'string' },
  concurrency: { type: 'string' },
} as const;

function parsePorts(text: string | undefined, what: string): number[] {
  if (!text) return [];
  return text
    .split(',')
    .filter(Boolean)
    .map((p) => {
      const n = Number(p);
      if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`serve: ${what}: bad port "${p}"`);
      return n;
    });
}

/** The set of listening sockets of one pod, adjustable while running. */
export class PodServer {
  private readonly tcp = new Map<number, Server>();
  private readonly udp = new Map<number, UdpSocket>();

  constructor(private readonly name: string) {}

  /** Listens on exactly these ports (closing the others). */
  async listen(tcpPorts: number[], udpPorts: number[]): Promise<void> {
    for (const [port, s] of this.tcp) {
      if (tcpPorts.includes(port)) continue;
      s.close();
      this.tcp.delete(port);
    }
    for (const [port, s] of this.udp) {
      if (udpPorts.includes(port)) continue;
      s.close();
      this.udp.delete(port);
    }
    await Promise.all([
      ...tcpPorts.filter((p) => !this.tcp.has(p)).map((p) => this.listenTcp(p)),
      ...udpPorts.filter((p) => !this.udp.has(p)).map((p) => this.listenUdp(p)),
    ]);
  }

  ports(): { tcp: number[]; udp: number[] } {
    return {
      tcp: [...this.tcp.keys()].sort((a, b) => a - b),
      udp: [...this.udp.keys()].sort((a, b) => a - b),
    };
  }

  private listenTcp(port: number): Promise<void> {
    const server = createServer((conn) => {
      conn.on('error', () => {
        /* the prober may reset; nothing to do */
      });
      conn.write(`${this.name}\n`);
      // Probes close as soon as they have the name; a hold client asks to keep the connection. One
      // that says nothing is closed after a grace period long enough for a round trip on any cluster.
      const grace = setTimeout(() => conn.end(), HOLD_GRACE_MS);
      let holding = false;
      let got = '';
      conn.on('close', () => clearTimeout(grace));
      conn.on('data', (d: Buffer) => {
        if (holding) {
          conn.write(d);
          return;
        }
        got += d.toString('utf8');
        if (got.length < HOLD_REQUEST.length) return;
        clearTimeout(grace);
        if (!got.startsWith(HOLD_REQUEST)) {
          conn.end();
          return;
        }
        holding = true;
        const rest = got.slice(HOLD_REQUEST.length);
        if (rest) conn.write(rest);
      });
      conn.on('end', () => conn.end());
    });
    this.tcp.set(port, server);
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host: '0.0.0.0', backlog: 1024 }, () => resolve());
    });
  }

  private listenUdp(port: number): Promise<void> {
    const sock = createSocket('udp4');
    this.udp.set(port, sock);
    sock.on('message', (_msg, rinfo) => {
      sock.send(`${this.name}\n`, rinfo.port, rinfo.address);
    });
    return new Promise((resolve, reject) => {
      sock.once('error', reject);
      sock.bind(port, '0.0.0.0', () => {
        sock.off('error', reject);
        sock.on('error', () => {
          /* an ICMP error for one reply must not stop the listener */
        });
        resolve();
      });
    });
  }

  close(): void {
    for (const s of this.tcp.values()) s.close();
    for (const s of this.udp.values()) s.close();
    this.tcp.clear();
    this.udp.clear();
  }
}

export async function runServe(args: string[]): Promise<number> {
  const flags = parseFlags('serve', args, SERVE_OPTIONS);
  const name = stringFlag('serve', flags.name, 'name');
  const defaults = {
    timeoutMs: numberFlag('serve', flags['timeout-ms'], 'timeout-ms', 1000, { positive: true }),
    concurrency: numberFlag('serve', flags.concurrency, 'concurrency', 64, { positive: true, integer: true }),
  };
  const server = new PodServer(name);
  await server.listen(parsePorts(flags.tcp, '--tcp'), parsePorts(flags.udp, '--udp'));
  const write = (line: string) => process.stdout.write(line + '\n');
  write(JSON.stringify({ ready: true, name, pid: process.pid, ...server.ports() }));
  if (!flags.control) {
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    server.close();
    return 0;
  }
  await serveProbeBatches(process.stdin, write, defaults, async (msg) => {
    if (msg.op === 'listen') {
      await server.listen((msg.tcp as number[]) ?? [], (msg.udp as number[]) ?? []);
      return { ok: true, ...server.ports() };
    }
    throw new Error(`unknown op ${String(msg.op)}`);
  });
  server.close();
  return 0;
}
