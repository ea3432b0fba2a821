/**
 * The harness side of a pod's agent (`agent serve --control`, see src/agent/serve.ts): one long-lived
 * process per pod that serves the pod's ports and runs probe batches sent as JSON lines over stdin,
 * answering on stdout. Requests carry ids, so several batches may be in flight at once.
 */
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AgentProbeResult, ProbeTarget } from '../../agent/probe.js';
import type { LocalPod, LocalProcess, LocalTopology } from './topology.js';

/** The agent entry point next to this module in dist/ (dist/src/agent/main.js). */
export function agentMainPath(): string {
  return fileURLToPath(new URL('../../agent/main.js', import.meta.url));
}

export interface AgentPorts {
  tcp: number[];
  udp: number[];
}

interface Pending {
  resolve: (msg: Record<string, unknown>) => void;
  reject: (err: Error) => void;
}

export class PodAgent {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private exitError: Error | null = null;
  private stderrTail = '';

  private constructor(
    readonly pod: LocalPod,
    private readonly proc: LocalProcess,
    private ports: AgentPorts,
  ) {}

  /** Starts the agent in the pod and waits for its ready line. */
  static async start(
    topo: LocalTopology,
    pod: LocalPod,
    ports: AgentPorts,
    opts: { nodeBinary?: string; agentPath?: string; readyTimeoutMs?: number } = {},
  ): Promise<PodAgent> {
    const argv = [
      opts.nodeBinary ?? process.execPath,
      opts.agentPath ?? agentMainPath(),
      'serve',
      '--name',
      pod.key,
      '--tcp',
      ports.tcp.join(','),
      '--udp',
      ports.udp.join(','),
      '--control',
    ];
    const proc = topo.spawn(pod, argv, { collectOutput: false });
    const agent = new PodAgent(pod, proc, { tcp: [...ports.tcp], udp: [...ports.udp] });
    proc.child.stderr.setEncoding('utf8');
    proc.child.stderr.on('data', (d: string) => {
      agent.stderrTail = (agent.stderrTail + d).slice(-2000);
    });
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`agent in pod ${pod.key} not ready after ${opts.readyTimeoutMs ?? 15000} ms`)),
        opts.readyTimeoutMs ?? 15000,
      );
      const rl = createInterface({ input: proc.child.stdout, crlfDelay: Infinity });
      let isReady = false;
      rl.on('line', (line) => {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return;
        }
        if (!isReady && msg.ready) {
          isReady = true;
          clearTimeout(timer);
          resolve();
          return;
        }
        const p = typeof msg.id === 'number' ? agent.pending.get(msg.id) : undefined;
        if (!p) return;
        agent.pending.delete(msg.id as number);
        if (typeof msg.error === 'string') p.reject(new Error(`agent in pod ${pod.key}: ${msg.error}`));
        else p.resolve(msg);
      });
      void proc.exited.then((r) => {
        const err = new Error(
          `agent in pod ${pod.key} exited (code ${r.exitCode})${agent.stderrTail ? `: ${agent.stderrTail.trim()}` : ''}`,
        );
        agent.exitError = err;
        clearTimeout(timer);
        reject(err);
        for (const p of agent.pending.values()) p.reject(err);
        agent.pending.clear();
      });
    });
    await ready;
    return agent;
  }

  private request(msg: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.child.stdin.write(JSON.stringify({ ...msg, id }) + '\n');
    });
  }

  /** Listens on exactly these ports (no-op when unchanged). */
  async setPorts(ports: AgentPorts): Promise<void> {
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
    const want = { tcp: [...ports.tcp].sort((a, b) => a - b), udp: [...ports.udp].sort((a, b) => a - b) };
    if (same(want.tcp, this.ports.tcp) && same(want.udp, this.ports.udp)) return;
    await this.request({ op: 'listen', tcp: want.tcp, udp: want.udp });
    this.ports = want;
  }

  async probe(targets: ProbeTarget[], timeoutMs: number, concurrency: number): Promise<AgentProbeResult[]> {
    if (targets.length === 0) return [];
    const reply = await this.request({ targets, timeoutMs, concurrency });
    return reply.results as AgentProbeResult[];
  }

  /** Closes stdin (the agent exits by itself), then makes sure it is gone. */
  async stop(): Promise<void> {
    this.proc.child.stdin.end();
    const timer = setTimeout(() => void this.proc.stop(), 1000);
    await this.proc.exited;
    clearTimeout(timer);
    await this.proc.stop();
  }
}
