/** `cnibench check --lanes N`: bad values are bad input (exit 2), refused before the cluster is contacted. */
import { Writable } from 'node:stream';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import yargs from 'yargs';
import { checkCommand } from '../../src/cli/commands/check.js';
import { ExitCode, InputError } from '../../src/util/errors.js';

const sink = () =>
  new Writable({
    write(_chunk, _enc, cb) {
      cb();
    },
  });

test('check --lanes outside 1..8 (or not whole) is refused as bad input, naming the option', async () => {
  for (const v of ['0', '9', '2.5']) {
    let exitCode: number | undefined;
    const io = { out: sink(), err: sink(), setExitCode: (c: number) => (exitCode = c) };
    await assert.rejects(
      yargs(['check', 'scs-0219', '-k', '/nonexistent/kubeconfig', '--lanes', v])
        .strict()
        .exitProcess(false)
        .fail((msg, err) => {
          throw err ?? new Error(msg);
        })
        .command(checkCommand(io))
        .parseAsync(),
      (err: unknown) =>
        err instanceof InputError &&
        err.exitCode === ExitCode.badInput &&
        err.message === `--lanes ${v}: must be a whole number from 1 to 8`,
    );
    assert.equal(exitCode, undefined, 'nothing ran');
  }
});
