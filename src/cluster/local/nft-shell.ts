/**
 * A long-lived `nft -i` in one node's network namespace. Starting nft costs tens of milliseconds
 * (and far more on a busy machine) before it does anything; a conformance run applies a new policy
 * set hundreds of times, so each node keeps one nft process and is sent each change as one line.
 *
 * nft runs every input line as one transaction (all of it or nothing), exactly like `nft -f`: the
 * whole ruleset script goes on one line, followed by a marker set whose name is unique to this
 * change. The next line lists that set: it prints on stdout when the change was committed, and
 * fails on stderr (after the change's own error) when it was not. nft exits when its stdin closes,
 * so a harness that dies leaves no nft behind.
 */
import { execa, type ResultPromise } from 'execa';
import { OWN_PROCESS_GROUP } from './sh.js';

/** nft's output is read as it comes (never buffered by execa); its end is a result, never a rejection. */
const NFT_OPTIONS = { reject: false, buffer: false, ...OWN_PROCESS_GROUP } as const;
type NftProcess = ResultPromise<typeof NFT_OPTIONS>;

class NftShellError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NftShellError';
  }
}

/** The script's commands on one line (nft accepts ';' wherever it accepts a newline). */
export function oneLine(script: string): string {
  return script
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ; ');
}

interface Pending {
  marker: string;
  listCommand: string;
  resolve: () => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class NftShell {
  private proc: NftProcess | undefined;
  private out = '';
  private err = '';
  private pending: Pending | undefined;
  private queue: Promise<void> = Promise.resolve();
  private seq = 0;

  /** `argv` starts nft in the namespace, e.g. ['ip', 'netns', 'exec', ns, 'nft', '-i']. */
  constructor(
    private readonly argv: string[],
    private readonly timeoutMs = 60_000,
  ) {}

  /** Applies `script` (nft commands) on table `table` as one transaction; changes are serialized. */
  apply(table: string, script: string, signal?: AbortSignal): Promise<void> {
    const run = this.queue.then(() => this.applyNow(table, script, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private start(): NftProcess {
    if (this.proc) return this.proc;
    const [cmd, ...args] = this.argv;
    if (cmd === undefined) throw new Error('NftShell: empty argv');
    const proc: NftProcess = execa(cmd, args, NFT_OPTIONS);
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d: string) => {
      this.out += d;
      this.check();
    });
    proc.stderr.on('data', (d: string) => {
      this.err += d;
      this.check();
    });
    proc.stdin.on('error', () => {
      /* reported through 'exit' */
    });
    void proc.then((r) => {
      if (this.proc === proc) this.proc = undefined;
      if (r.exitCode === undefined && r.signal === undefined) {
        this.fail(new NftShellError(`cannot run ${this.argv.join(' ')}: ${r.originalMessage ?? r.message}`));
        return;
      }
      this.fail(
        new NftShellError(
          `nft exited (${r.signal ?? `code ${r.exitCode}`})${this.err ? `: ${this.err.trim().slice(0, 2000)}` : ''}`,
        ),
      );
    });
    this.proc = proc;
    return proc;
  }

  private applyNow(table: string, script: string, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted)
      return Promise.reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    const proc = this.start();
    const marker = `cnb_gen_${++this.seq}`;
    const listCommand = `list set inet ${table} ${marker}`;
    this.out = '';
    this.err = '';
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        // The change may or may not have been committed: restart nft, the caller re-applies.
        this.kill();
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (err?: Error) => {
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => {
        this.kill();
        done(new NftShellError(`nft did not answer within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending = { marker, listCommand, resolve: () => done(), reject: (e) => done(e), timer };
      proc.stdin.write(
        `${oneLine(script)} ; add set inet ${table} ${marker} { type inet_service ; }\n${listCommand}\n`,
      );
    });
  }

  /** Settles the pending change once nft has answered the marker line either way. */
  private check(): void {
    const p = this.pending;
    if (!p) return;
    if (new RegExp(`\\tset ${p.marker} \\{[\\s\\S]*?\\n\\}\\n`).test(this.out)) {
      this.settle();
      p.resolve();
      return;
    }
    const at = this.err.indexOf(p.listCommand);
    if (at >= 0 && this.err.indexOf('\n', at) >= 0) {
      // Everything before the marker's own error is the change's error (nft echoes the failing
      // line, which may be the whole ruleset: keep the message readable).
      const before = this.err.slice(0, this.err.lastIndexOf('Error:', at)).trim();
      const lines = before.split('\n').map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l));
      this.settle();
      p.reject(new NftShellError(`nft refused the change: ${lines.join('\n') || 'no error message'}`));
    }
  }

  private settle(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = undefined;
    this.out = '';
    this.err = '';
  }

  private fail(err: Error): void {
    const p = this.pending;
    if (!p) return;
    this.settle();
    p.reject(err);
  }

  private kill(): void {
    const proc = this.proc;
    this.proc = undefined;
    proc?.kill('SIGKILL');
  }

  /** Ends nft (closing its stdin) and waits for it; safe to call twice. */
  async close(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    this.proc = undefined;
    proc.stdin.end();
    const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
    await proc;
    clearTimeout(timer);
  }
}
