#!/usr/bin/env node
/**
 * The cnibench executable: parses the command line with yargs and maps every error to its exit code
 * (0 ok, 1 a check failed, 2 bad input, 3 environment).
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { allCommands } from './commands/index.js';
import { CnibenchError, ExitCode } from '../util/errors.js';
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
    exitCode = typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
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
  if (err instanceof CnibenchError) {
    const problems =
      'problems' in err && Array.isArray(err.problems) && err.problems.length > 1
        ? err.problems
        : [err.message];
    for (const p of problems) process.stderr.write(`cnibench: ${p}\n`);
    return err.exitCode;
  }
  process.stderr.write(
    `cnibench: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 70;
}

main(hideBin(process.argv)).then((code) => {
  process.exitCode = code;
});
