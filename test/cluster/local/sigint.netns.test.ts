import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runTag } from '../../../src/cluster/local/names.js';
import { cleanupLocal } from '../../../src/cluster/local/cleanup.js';
import { hostNftTables, netnsWithPrefix, testRunId } from './helpers.js';

test('SIGINT in the middle of a local run removes its namespaces, nft tables and agents', async () => {
  const runId = testRunId();
  const tag = runTag(runId);
  const tablesBefore = (await hostNftTables()).filter((t) => t.includes(tag));
  const child = spawn(process.execPath, [fileURLToPath(new URL('./sigint-child.js', import.meta.url))], {
    env: { ...process.env, CNB_SIGINT_CHILD_RUN_ID: runId },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child not running after 60 s: ${stderr}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('RUNNING')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    // Mid-run: the cluster exists, agents are running.
    const during = await netnsWithPrefix(`${runId}-`);
    assert.ok(during.length >= 3 + 9, `expected nodes, fabric and 9 pods, got ${during.join(' ')}`);

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /SIGINT: stopping, cleaning up/);
    assert.deepEqual(await netnsWithPrefix(runId), []);
    assert.deepEqual(
      (await hostNftTables()).filter((t) => t.includes(tag)),
      tablesBefore,
    );
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    // Only this test's objects, whatever happened above.
    await cleanupLocal({ prefix: `${runId}-` });
  }
});
