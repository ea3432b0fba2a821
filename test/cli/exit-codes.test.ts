import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  CLI_EXIT_CODES,
  INTERNAL_ERROR,
  describeError,
  exitCodeAfterSuccess,
  signalExitCode,
} from '../../src/cli/exit-codes.js';
import { CheckFailedError, EnvironmentError, InputError } from '../../src/util/errors.js';
import { installInterruptGuard } from '../../src/context/signals.js';
import { repoPath } from '../helpers/paths.js';

const DOC = repoPath('docs/exit-codes.md');

describe('exit codes', () => {
  test('cnibench errors keep their code; several problems are printed one per line', () => {
    assert.deepEqual(describeError(new CheckFailedError('2 mismatches')), {
      code: 1,
      lines: ['2 mismatches'],
    });
    assert.deepEqual(describeError(new InputError('a.yaml:3: bad', ['a.yaml:3: bad', 'a.yaml:9: worse'])), {
      code: 2,
      lines: ['a.yaml:3: bad', 'a.yaml:9: worse'],
    });
    assert.deepEqual(describeError(new EnvironmentError('nft not found')), {
      code: 3,
      lines: ['nft not found'],
    });
  });

  test('an operating-system error no stage wrapped is an environment problem, without a stack trace', () => {
    let err: unknown;
    try {
      readFileSync('/nonexistent/cnibench-exit-codes');
    } catch (e) {
      err = e;
    }
    const d = describeError(err);
    assert.equal(d.code, 3);
    assert.equal(d.lines.length, 1);
    assert.match(d.lines[0] ?? '', /^ENOENT: no such file or directory/);
    assert.doesNotMatch(d.lines[0] ?? '', /\n\s+at /);
  });

  test('anything else is an internal error (70) with its stack trace', () => {
    const bug = describeError(new TypeError("Cannot read properties of undefined (reading 'x')"));
    assert.equal(bug.code, INTERNAL_ERROR);
    assert.match(bug.lines[0] ?? '', /^internal error: TypeError: Cannot read properties[\s\S]*\n\s+at /);
    assert.deepEqual(describeError('thrown string'), { code: 70, lines: ['internal error: thrown string'] });
    // A string `code` alone (no syscall) is not an operating-system error.
    assert.equal(describeError(Object.assign(new Error('x'), { code: 'ERR_X' })).code, 70);
  });

  test('a normal return exits with the code the command set, mapped into the documented set', () => {
    assert.equal(exitCodeAfterSuccess(undefined), 0);
    assert.equal(exitCodeAfterSuccess(1), 1);
    assert.equal(exitCodeAfterSuccess('1'), 1);
    assert.equal(exitCodeAfterSuccess(42), INTERNAL_ERROR);
  });

  test('SIGINT and SIGTERM during a run exit 130 and 143 after the clean-up', async () => {
    assert.equal(signalExitCode('SIGINT'), 130);
    assert.equal(signalExitCode('SIGTERM'), 143);
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const codes: number[] = [];
      let cleaned = false;
      const guard = installInterruptGuard({ log: () => undefined, exit: (c) => codes.push(c) });
      guard.add('test', () => {
        cleaned = true;
      });
      try {
        // Delivered to the guard's listener exactly as a real signal is, without ending the test runner.
        process.emit(sig, sig);
        await new Promise((r) => setImmediate(r));
        assert.equal(cleaned, true);
        assert.deepEqual(codes, [signalExitCode(sig)]);
      } finally {
        guard.dispose();
      }
    }
  });

  test('docs/exit-codes.md lists exactly the codes the CLI can return', () => {
    const rows = readFileSync(DOC, 'utf8')
      .split('\n')
      .map((l) => /^\| (\d+) \|/.exec(l)?.[1])
      .filter((c): c is string => c !== undefined)
      .map(Number);
    assert.deepEqual(rows, [...CLI_EXIT_CODES]);
  });
});
