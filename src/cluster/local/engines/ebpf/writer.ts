/**
 * The harness's end of cnb-bpf-writer (c/writer.c): one long-lived process per dataplane that loads
 * the BPF object and programs its maps. Map changes are streamed without answers; `sync` returns the
 * first failure since the previous one, so a whole policy update costs one round trip.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { EnvironmentError } from '../../../../util/errors.js';
import { PROJECT_ROOT } from '../../../../util/version.js';

/** Where scripts/setup.sh local puts the compiled object and the writer. */
const BPF_BUILD_DIR = path.join(PROJECT_ROOT, '.cache', 'bpf');
export const BPF_OBJECT = path.join(BPF_BUILD_DIR, 'policy.bpf.o');
const BPF_WRITER = path.join(BPF_BUILD_DIR, 'cnb-bpf-writer');

export class BpfWriter {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: Array<{ resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  private exited: Error | undefined;
  private stderr = '';

  private constructor(argv: string[]) {
    const [command = BPF_WRITER, ...args] = argv;
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.resolve(line));
    this.child.stderr.on('data', (b: Buffer) => (this.stderr = (this.stderr + b.toString()).slice(-2000)));
    const gone = (why: string) => {
      this.exited ??= new Error(
        `cnb-bpf-writer ${why}${this.stderr.trim() ? `: ${this.stderr.trim()}` : ''}`,
      );
      for (const w of this.waiting.splice(0)) w.reject(this.exited);
    };
    this.child.on('error', (e) => gone(`failed: ${e.message}`));
    this.child.on('exit', (code, sig) => gone(`exited (${sig ?? code})`));
    this.child.stdin.on('error', () => undefined); // reported through 'exit'
  }

  /**
   * Starts a writer and loads the BPF object. Anything that keeps BPF from working here is an
   * EnvironmentError (exit 3) with one line naming what is missing. `wrap` turns the writer's argv
   * into the one started (the dataplane runs it in its cgroup, so the maps count as its memory).
   */
  static async start(wrap: (argv: string[]) => string[] = (argv) => argv): Promise<BpfWriter> {
    for (const f of [BPF_OBJECT, BPF_WRITER])
      if (!existsSync(f))
        throw new EnvironmentError(
          `the eBPF policy engine is not built (${f} missing): run scripts/setup.sh local`,
        );
    const w = new BpfWriter(wrap([BPF_WRITER]));
    const answer = await w.ask(`load ${BPF_OBJECT}`).catch((e: unknown) => `err ${String(e)}`);
    if (!answer.startsWith('ok')) {
      w.close();
      throw new EnvironmentError(`the eBPF policy engine cannot load its BPF programs: ${answer.slice(4)}`);
    }
    return w;
  }

  /** Queues lines that need no answer. */
  send(lines: string): void {
    if (this.exited) throw this.exited;
    if (lines) this.child.stdin.write(lines.endsWith('\n') ? lines : `${lines}\n`);
  }

  /** Sends one command and waits for its one-line answer. */
  ask(command: string): Promise<string> {
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${command}\n`);
    });
  }

  /** Waits for everything sent so far; throws the first failure among it. */
  async sync(): Promise<void> {
    const a = await this.ask('sync');
    if (!a.startsWith('ok')) throw new Error(`BPF map update failed: ${a.slice(4)}`);
  }

  async attach(netnsPath: string, ifname: string): Promise<void> {
    const a = await this.ask(`attach ${netnsPath} ${ifname}`);
    if (!a.startsWith('ok')) throw new Error(`BPF attach failed: ${a.slice(4)}`);
  }

  /** Bytes the kernel charges for all the dataplane's maps (connection tracking included). */
  async memoryBytes(): Promise<number> {
    const a = await this.ask('mem');
    return Number(a.split(' ')[1] ?? 0);
  }

  /** Bytes of the policy state only: the ipcache and the endpoints' policy maps. */
  async policyMemoryBytes(): Promise<number> {
    const a = await this.ask('mem');
    return Number(a.split(' ')[2] ?? 0);
  }

  /** Runs a program on one packet (BPF_PROG_TEST_RUN): its return code and the packet it leaves. */
  async testRun(prog: 'from_pod' | 'to_pod', packet: Buffer): Promise<{ retval: number; packet: Buffer }> {
    const a = await this.ask(`test ${prog} ${packet.toString('hex')}`);
    const [ok, retval, hex] = a.split(' ');
    if (ok !== 'ok') throw new Error(`BPF test run failed: ${a}`);
    return { retval: Number(retval), packet: Buffer.from(hex ?? '', 'hex') };
  }

  close(): void {
    if (!this.exited) this.child.stdin.end();
  }
}
