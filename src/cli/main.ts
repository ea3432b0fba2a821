#!/usr/bin/env node
/**
 * The cnibench executable: parses the command line with yargs and maps every error to its exit code
 * (0 ok, 1 a check failed, 2 bad input, 3 environment, 70 a bug in cnibench; 130/143 after a signal,
 * see exit-codes.ts and docs/exit-codes.md).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { allCommands } from './commands/index.js';
import { CnibenchError, ExitCode } from '../util/errors.js';
import { describeError, exitCodeAfterSuccess } from './exit-codes.js';
import { cnibenchVersion } from '../util/version.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode: number;
  const parser = yargs(argv)
    .scriptName('cnibench')
    .version(cnibenchVersion())
    .strict()
    .demandCommand(1, 'name a command; see cnibench --help')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UsageError(msg);
    });
  for (const c of allCommands) parser.command(c);
  try {
    await parser.parseAsync();
    exitCode = exitCodeAfterSuccess(process.exitCode);
  } catch (err) {
    exitCode = reportError(err, RUNNER_READ_COMMANDS.has(argv[0] ?? '') ? runnerPrefix : plainPrefix);
  }
  return exitCode;
}

/**
 * Commands whose output a compliance runner reads. The SCS runner counts the lines of either stream
 * that begin with "error" or "critical" (case-insensitive) into its exit status and reads the tool's
 * own exit code for nothing else, so a problem these commands report must begin with one of those.
 */
const RUNNER_READ_COMMANDS = new Set(['check']);

type LinePrefix = (code: number) => string;
const plainPrefix: LinePrefix = () => 'cnibench: ';
/** Bad input or usage is an ERROR; a cluster, machine or harness that failed is CRITICAL. */
const runnerPrefix: LinePrefix = (code) =>
  code === ExitCode.badInput ? 'ERROR: cnibench: ' : 'CRITICAL: cnibench: ';

class UsageError extends CnibenchError {
  constructor(message: string) {
    super(`${message}\nSee cnibench --help.`, ExitCode.badInput);
  }
}

function reportError(err: unknown, prefix: LinePrefix = plainPrefix): number {
  const { code, lines } = describeError(err);
  // For a runner every line counts on its own (a usage error's hint, a stack trace's frames).
  const each = prefix === plainPrefix ? lines : lines.flatMap((l) => l.split('\n'));
  for (const line of each) process.stderr.write(`${prefix(code)}${line}\n`);
  return code;
}

// A failure outside the command's own promise chain (a stray rejection, an exception in a callback)
// would make Node exit with 1, which means "a check failed": report it like any other error instead.
process.on('uncaughtException', (err) => {
  process.exit(reportError(err));
});

// main reports its own errors and never rejects; were it to, the handler above would report it.
void main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});
