/**
 * The agent bundle as pods get it: one esbuild-bundled file, written alone into an empty directory
 * outside the repository (so nothing can resolve from the repo's node_modules) and run with node —
 * the latency modes, and the batched probe mode against loopback stand-ins for agnhost porters.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildAgentBundle } from '../../../src/cluster/kube/agent-bundle.js';
import { parseBatchAnswer } from '../../../src/cluster/kube/probe-verdict.js';

const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** The bundle written as the ConfigMap volume lays it out; returns the file to run. */
async function layOut(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const bundle = buildAgentBundle();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cnb-agent-bundle-'));
  t.after(() => fs.rm(dir, { recursive: true, force: true }));
  for (const i of bundle.items) await fs.writeFile(path.join(dir, i.path), bundle.data[i.key] ?? '');
  return path.join(dir, bundle.entry);
}

test('the agent is one bundled ES module with no npm package inside', () => {
  const bundle = buildAgentBundle();
  assert.equal(bundle.entry, 'cnibench-agent.mjs');
  assert.deepEqual(bundle.items, [{ key: 'cnibench-agent.mjs', path: 'cnibench-agent.mjs' }]);
  assert.deepEqual(Object.keys(bundle.data), ['cnibench-agent.mjs']);
  // The agent needs nothing beyond Node.js itself (statistics are the harness's).
  assert.deepEqual(bundle.packages, []);
  assert.ok(Buffer.byteLength(bundle.data['cnibench-agent.mjs'] ?? '') < 200_000);
});

test('laid out alone, the bundle runs rr-server and rr', async (t) => {
  const entry = await layOut(t);
  const port = await freePort();
  const server = spawn(process.execPath, [entry, 'rr-server', '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => void server.kill('SIGTERM'));
  await new Promise<void>((resolve, reject) => {
    server.stdout.on('data', (d) => String(d).includes('"ready":true') && resolve());
    server.on('exit', (c) => reject(new Error(`rr-server exited ${c}`)));
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
  const report = JSON.parse(stdout) as { mode: string; count: number };
  assert.equal(report.mode, 'rr');
  assert.ok(report.count > 10, `round trips: ${report.count}`);
});

test('laid out alone, probe --porter probes a batch at once and the harness reads the verdicts', async (t) => {
  const entry = await layOut(t);
  // agnhost porter stand-ins: an HTTP server answering any request with the pod's value, a UDP
  // socket answering any datagram with it.
  const web = http.createServer((_req, res) => res.end('x/b'));
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => web.close(() => resolve())));
  const udp = createSocket('udp4');
  udp.on('message', (_m, r) => udp.send('x/b', r.port, r.address));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  t.after(() => udp.close());
  // A TCP listener that never accepts fast enough is not reproducible on loopback; a port nobody
  // listens on gives the refusals.
  const tcpPort = (web.address() as net.AddressInfo).port;
  const udpPort = udp.address().port;
  const closed = await freePort();
  const targets = [
    { to: 'x/b', host: '127.0.0.1', port: tcpPort, protocol: 'TCP' as const },
    { to: 'x/b', host: '127.0.0.1', port: udpPort, protocol: 'UDP' as const },
    { to: 'x/b', host: '127.0.0.1', port: closed, protocol: 'TCP' as const },
    { to: 'x/b', host: '127.0.0.1', port: closed, protocol: 'UDP' as const },
    { to: 'x/b', host: '127.0.0.1', port: closed, protocol: 'SCTP' as const },
  ];
  const argv = [entry, 'probe', '--porter', '--timeout-ms', '2000', '--concurrency', '5'];
  // Two --targets arguments are one batch.
  argv.push('--targets', JSON.stringify(targets.slice(0, 2)), '--targets', JSON.stringify(targets.slice(2)));
  const r = await run(process.execPath, argv);
  const verdicts = parseBatchAnswer(targets, { stdout: r.stdout, stderr: r.stderr, exitCode: 0 });
  assert.deepEqual(
    verdicts.map((v) => [v.connected, v.answeredBy, v.error, v.inconclusive]),
    [
      [true, 'x/b', undefined, false],
      [true, 'x/b', undefined, false],
      [false, undefined, 'refused', false],
      [false, undefined, 'refused', false],
      // No agnhost copy given: SCTP cannot be probed, which is not a verdict.
      [false, undefined, 'probe-failed: protocol SCTP not supported by the agent', true],
    ],
  );
});
