/**
 * Running the host tools the local cluster is made of (`ip`, `nft`, `ip netns exec ...`). A thin wrapper
 * over child_process so every call has a timeout, an abort signal, optional stdin and an error that
 * names the command and what it printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ExecResult } from '../driver.js';

export interface RunOptions {
  /** Written to the process's stdin, then stdin is closed. */
  input?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** When false (default), a non-zero exit throws CommandError. */
  allowFail?: boolean;
}

export class CommandError extends Error {
  constructor(
    readonly argv: string[],
    readonly result: ExecResult,
  ) {
    super(
      `command failed (exit ${result.exitCode}): ${argv.join(' ')}` +
        (result.stderr.trim() ? `: ${result.stderr.trim().slice(0, 2000)}` : ''),
    );
    this.name = 'CommandError';
  }
}

/** Runs argv to completion and collects its output. */
export function run(argv: string[], opts: RunOptions = {}): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(opts.signal.reason instanceof Error ? opts.signal.reason : new Error('aborted'));
      return;
    }
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (err) {
      reject(err);
      return;
    }
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    child.stdout!.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => errOut.push(b));
    let timer: NodeJS.Timeout | undefined;
    let killedBy: string | undefined;
    const kill = (why: string) => {
      killedBy = why;
      child.kill('SIGKILL');
    };
    if (opts.timeoutMs)
      timer = setTimeout(() => kill(`timed out after ${opts.timeoutMs} ms`), opts.timeoutMs);
    const onAbort = () => kill('aborted');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`cannot run ${cmd}: ${err.message}`));
    });
    child.on('close', (code, sig) => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const result: ExecResult = {
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(errOut).toString('utf8') + (killedBy ? `\n(${killedBy})` : ''),
        exitCode: code ?? (sig ? 128 : 1),
      };
      if (killedBy === 'aborted') {
        reject(
          opts.signal?.reason instanceof Error ? opts.signal.reason : new Error(`aborted: ${argv.join(' ')}`),
        );
      } else if (result.exitCode !== 0 && !opts.allowFail) {
        reject(new CommandError(argv, result));
      } else {
        resolve(result);
      }
    });
    child.stdin!.on('error', () => {
      /* the process may exit before reading its input; its exit code tells */
    });
    child.stdin!.end(opts.input ?? '');
  });
}

/** Runs an `ip -batch` script in one namespace (one process instead of one per command). */
export async function ipBatch(netns: string | null, lines: string[], opts: RunOptions = {}): Promise<void> {
  if (lines.length === 0) return;
  const argv = netns ? ['ip', '-n', netns, '-batch', '-'] : ['ip', '-batch', '-'];
  await run(argv, { ...opts, input: lines.join('\n') + '\n' });
}

/** Argv that runs `argv` inside network namespace `netns`. */
export function inNetns(netns: string, argv: string[]): string[] {
  return ['ip', 'netns', 'exec', netns, ...argv];
}
