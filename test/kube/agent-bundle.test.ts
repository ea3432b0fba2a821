import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildAgentBundle } from '../../src/cluster/kube/agent-bundle.js';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

test('the agent bundle is self-contained: laid out as the ConfigMap volume would, it runs rr-server and rr', async () => {
  const bundle = buildAgentBundle();
  assert.equal(bundle.entry, 'src/agent/main.js');
  // The agent has no npm dependencies: only its own files (and the package.json marking them ES modules).
  assert.ok(bundle.items.every((i) => !i.path.startsWith('node_modules/')));
  for (const i of bundle.items) assert.match(i.key, /^[-._a-zA-Z0-9]+$/, 'ConfigMap keys are flat');
  // Lay it out outside the repository so nothing resolves from the repo's node_modules.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cnb-agent-bundle-'));
  const server = { proc: undefined as ReturnType<typeof spawn> | undefined };
  try {
    for (const i of bundle.items) {
      await fs.mkdir(path.dirname(path.join(dir, i.path)), { recursive: true });
      await fs.writeFile(path.join(dir, i.path), bundle.data[i.key]);
    }
    const entry = path.join(dir, bundle.entry);
    const port = await freePort();
    server.proc = spawn(process.execPath, [entry, 'rr-server', '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      server.proc!.stdout!.on('data', (d) => String(d).includes('"ready":true') && resolve());
      server.proc!.on('exit', (c) => reject(new Error(`rr-server exited ${c}`)));
    });
    const { stdout } = await run(process.execPath, [
      entry,
      'rr',
      '--target',
      '127.0.0.1',
      '--port',
      String(port),
      '--duration',
      '0.2',
    ]);
    const report = JSON.parse(stdout);
    assert.equal(report.mode, 'rr');
    assert.ok(report.count > 10, `round trips: ${report.count}`);
  } finally {
    server.proc?.kill('SIGTERM');
    await fs.rm(dir, { recursive: true, force: true });
  }
});
