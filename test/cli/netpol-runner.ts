/**
 * Two ways the `cnibench netpol` tests run a command: the real executable (exit codes, what reaches
 * stderr; one process each, so slower) and the same commands in this process, output captured, an
 * InputError turned into exit 2 with its problems as stderr lines, the way main maps it.
 */
import { spawnSync } from 'node:child_process';
import yargs from 'yargs';
import { netpolCommands } from '../../src/cli/commands/netpol.js';
import { InputError } from '../../src/util/errors.js';
import { CLI_MAIN } from '../helpers/paths.js';

export interface NetpolRun<Code> {
  code: Code;
  stdout: string;
  stderr: string;
}

export function cnibenchProcess(...args: string[]): NetpolRun<number | null> {
  const r = spawnSync(process.execPath, [CLI_MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function cnibench(...args: string[]): Promise<NetpolRun<number>> {
  let stdout = '';
  let stderr = '';
  const parser = yargs(args)
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new InputError(msg);
    })
    .command(
      netpolCommands({ write: (t: string) => (stdout += t) }, { write: (t: string) => (stderr += t) }),
    );
  try {
    await parser.parseAsync();
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { code: err.exitCode, stdout, stderr: stderr + err.problems.join('\n') + '\n' };
  }
}
