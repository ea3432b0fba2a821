/**
 * Errors that carry the process exit code, so every command maps failures the same way:
 * 0 success, 1 the evaluated system failed a check, 2 bad input or usage, 3 environment problem.
 */
export const ExitCode = {
  ok: 0,
  checkFailed: 1,
  badInput: 2,
  environment: 3,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CnibenchError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: a scenario, a case file, a policy, a flag. Message names file, line and field where known. */
export class InputError extends CnibenchError {
  constructor(
    message: string,
    /** Every problem found, when more than one was collected (validate reports them all at once). */
    readonly problems: string[] = [message],
  ) {
    super(message, ExitCode.badInput);
  }
}

/** The machine or cluster cannot do what was asked: missing tool, no root, unreachable API server. */
export class EnvironmentError extends CnibenchError {
  constructor(message: string) {
    super(message, ExitCode.environment);
  }
}

/** The evaluated system failed a check (e.g. conformance mismatches). */
export class CheckFailedError extends CnibenchError {
  constructor(message: string) {
    super(message, ExitCode.checkFailed);
  }
}

/** The message of anything thrown: an Error's message, else its string form. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
