/**
 * Every exit code the cnibench CLI can return, and how an error that reaches the top of a command
 * becomes one. docs/exit-codes.md lists them for users; test/cli/exit-codes.test.ts keeps the two in step.
 */
import { constants } from 'node:os';
import { CnibenchError, ExitCode } from '../util/errors.js';

/**
 * A bug in cnibench itself (sysexits' EX_SOFTWARE), printed with its stack trace. It stays apart from
 * 1 and 3 so a script never reads a crash of the harness as a failed CNI or a broken machine.
 */
export const INTERNAL_ERROR = 70;

/** The shell's code for a process ended by a signal (128 + its number): 130 for SIGINT, 143 for SIGTERM. */
export function signalExitCode(sig: 'SIGINT' | 'SIGTERM'): number {
  return 128 + constants.signals[sig];
}

/** Every code the CLI exits with, in the order docs/exit-codes.md lists them. */
export const CLI_EXIT_CODES: readonly number[] = [
  ExitCode.ok,
  ExitCode.checkFailed,
  ExitCode.badInput,
  ExitCode.environment,
  INTERNAL_ERROR,
  signalExitCode('SIGINT'),
  signalExitCode('SIGTERM'),
];

/** An operating-system failure (no space, no permission, too many open files): it carries the syscall. */
function isSystemError(err: unknown): err is Error & { code: string; syscall: string } {
  return (
    err instanceof Error &&
    'code' in err &&
    typeof err.code === 'string' &&
    'syscall' in err &&
    typeof err.syscall === 'string'
  );
}

/** The exit code of an error that ended a command, and the lines to print (without the "cnibench: " prefix). */
export function describeError(err: unknown): { code: number; lines: string[] } {
  if (err instanceof CnibenchError) {
    const lines =
      'problems' in err && Array.isArray(err.problems) && err.problems.length > 1
        ? err.problems.map(String)
        : [err.message];
    return { code: err.exitCode, lines };
  }
  // An expected failure of the machine that no stage wrapped: no stack trace, exit 3.
  if (isSystemError(err)) return { code: ExitCode.environment, lines: [err.message] };
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return { code: INTERNAL_ERROR, lines: [`internal error: ${text}`] };
}

/** The code a command that returned normally exits with: what it set (e.g. 1), else 0; never an undocumented one. */
export function exitCodeAfterSuccess(set: number | string | null | undefined): number {
  if (set === undefined || set === null || set === '') return ExitCode.ok;
  const code = Number(set);
  return CLI_EXIT_CODES.includes(code) ? code : INTERNAL_ERROR;
}
