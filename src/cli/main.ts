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
    exitCode = reportError(err);
  }
  return exitCode;
}

class UsageError extends CnibenchError {
  constructor(message: string) {
    super(`${message}\nSee cnibench --help.`, ExitCode.badInput);
  }
}

function reportError(err: unknown): number {
  const { code, lines } = describeError(err);
  for (const line of lines) process.stderr.write(`cnibench: ${line}\n`);
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
