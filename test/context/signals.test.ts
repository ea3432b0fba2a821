import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installInterruptGuard } from '../../src/context/signals.js';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'interrupt-child.js');

function interrupt(signal: NodeJS.Signals): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n') && !out.includes('sent')) {
        out += 'sent\n';
        p.kill(signal);
      }
    });
    p.on('error', reject);
    p.on('exit', (code) => resolve({ code, out }));
  });
}

test('SIGINT aborts the run, runs the clean-ups newest first (a failing one is reported), exits 130', async () => {
  const { code, out } = await interrupt('SIGINT');
  assert.equal(code, 130);
  const lines = out.split('\n').filter((l) => l.startsWith('cleanup') || l.startsWith('log'));
  assert.deepEqual(lines, [
    'log: SIGINT: stopping, cleaning up (press Ctrl-C again to exit at once)...',
    "log: clean-up of failing failed: boom (run 'cnibench cleanup')",
    'cleanup second (aborted=true)',
    'cleanup first',
  ]);
});

test('SIGTERM exits 143 after clean-up', async () => {
  const { code, out } = await interrupt('SIGTERM');
  assert.equal(code, 143);
  assert.match(out, /cleanup first/);
});

test('runAll after a normal end runs each clean-up once', async () => {
  const guard = installInterruptGuard({ exit: () => assert.fail('must not exit') });
  let n = 0;
  guard.add('x', () => {
    n++;
  });
  await guard.runAll();
  await guard.runAll();
  guard.dispose();
  assert.equal(n, 1);
});
