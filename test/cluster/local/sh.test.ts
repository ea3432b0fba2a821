/** The host-tool runner: output, exit codes, stdin, timeouts, aborts and missing commands. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandError, run } from '../../../src/cluster/local/sh.js';

test('collects stdout and stderr and feeds stdin', async () => {
  const r = await run(['sh', '-c', 'cat; echo err >&2'], { input: 'hello\n' });
  assert.deepEqual(r, { stdout: 'hello\n', stderr: 'err\n', exitCode: 0 });
});

test('a non-zero exit throws CommandError naming the command and its stderr, unless allowed', async () => {
  await assert.rejects(run(['sh', '-c', 'echo broken >&2; exit 3']), (err: unknown) => {
    assert.ok(err instanceof CommandError);
    assert.equal(err.result.exitCode, 3);
    assert.match(err.message, /command failed \(exit 3\): sh -c .*: broken/);
    return true;
  });
  const r = await run(['sh', '-c', 'exit 4'], { allowFail: true });
  assert.equal(r.exitCode, 4);
});

test('a timeout kills the process and says so in stderr', async () => {
  const t0 = performance.now();
  const r = await run(['sleep', '5'], { timeoutMs: 100, allowFail: true });
  assert.ok(performance.now() - t0 < 3000);
  assert.notEqual(r.exitCode, 0);
  assert.match(r.stderr, /timed out after 100 ms/);
});

test('an abort rejects with the signal reason, before or during the run', async () => {
  const before = new AbortController();
  before.abort(new Error('stop now'));
  await assert.rejects(run(['true'], { signal: before.signal }), /stop now/);
  const during = new AbortController();
  setTimeout(() => during.abort(new Error('interrupted by SIGINT')), 50);
  await assert.rejects(run(['sleep', '5'], { signal: during.signal }), /interrupted by SIGINT/);
});

test('a command that is not installed is named', async () => {
  await assert.rejects(run(['cnibench-no-such-tool']), /cannot run cnibench-no-such-tool/);
});
