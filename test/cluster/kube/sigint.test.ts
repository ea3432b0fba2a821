import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { once } from 'node:events';
import { startFakeCluster } from './helpers.js';

test('SIGINT during a kube run: the run’s guard deletes the run’s namespaces through the driver and exits 130', async () => {
  const fc = await startFakeCluster();
  try {
    fc.api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'unrelated' } });
    const child = spawn(
      process.execPath,
      [path.join(path.dirname(new URL(import.meta.url).pathname), 'sigint-child.js'), fc.kubeconfig, 's1'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('READY') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code} before READY: ${stderr}`)));
    });
    assert.deepEqual(
      fc.api.store
        .list('v1', 'Namespace', { labelSelector: 'cnibench.io/run-id=s1' })
        .map((n) => n.metadata.name)
        .sort(),
      ['cnb-s1-x', 'cnb-s1-y'],
    );
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    assert.equal(code, 130, stderr);
    assert.match(stderr, /SIGINT: stopping, cleaning up/);
    assert.deepEqual(
      fc.api.store.list('v1', 'Namespace').map((n) => n.metadata.name),
      ['unrelated'],
    );
  } finally {
    await fc.close();
  }
});
