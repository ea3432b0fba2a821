/**
 * Running the host tools the local cluster is made of (`ip`, `nft`, `ip netns exec ...`), through execa:
 * every call has a timeout, an abort signal, optional stdin and an error that names the command and what
 * it printed.
 */
import { execa } from 'execa';
import type { ExecResult } from '../driver.js';

/**
 * Every command of the local cluster runs in a process group of its own. A Ctrl-C in a terminal goes
 * to the whole foreground group: were the commands in cnibench's, each would die of that SIGINT
 * before cnibench has read its own, and the step would be recorded as failed ("command failed (exit
 * 128)") instead of interrupted. This way only cnibench gets it, aborts what runs through the abort
 * signal and cleans up in order.
 */
export const OWN_PROCESS_GROUP = { detached: true } as const;

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

const abortReason = (signal: AbortSignal | undefined, argv: string[]): Error =>
  signal?.reason instanceof Error ? signal.reason : new Error(`aborted: ${argv.join(' ')}`);

/** Runs argv to completion and collects its output. */
export async function run(argv: string[], opts: RunOptions = {}): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('run: empty command');
  if (opts.signal?.aborted) throw abortReason(opts.signal, argv);
  const res = await execa(cmd, args, {
    input: opts.input ?? '',
    reject: false,
    stripFinalNewline: false,
    killSignal: 'SIGKILL',
    ...OWN_PROCESS_GROUP,
    ...(opts.timeoutMs ? { timeout: opts.timeoutMs } : {}),
    ...(opts.signal ? { cancelSignal: opts.signal } : {}),
  });
  if (res.isCanceled) throw abortReason(opts.signal, argv);
  // A command that could not start at all (not installed, not executable) has no exit code.
  if (res.exitCode === undefined && !res.timedOut && res.signal === undefined) {
    throw new Error(`cannot run ${cmd}: ${res.originalMessage || res.shortMessage}`);
  }
  const killedBy = res.timedOut
    ? `timed out after ${opts.timeoutMs} ms`
    : res.signal !== undefined
      ? `killed by ${res.signal}`
      : undefined;
  const result: ExecResult = {
    stdout: res.stdout,
    stderr: res.stderr + (killedBy ? `\n(${killedBy})` : ''),
    exitCode: res.exitCode ?? 128,
  };
  if (result.exitCode !== 0 && !opts.allowFail) throw new CommandError(argv, result);
  return result;
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
