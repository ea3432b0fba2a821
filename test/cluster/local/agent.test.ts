/** The pod agent's serve and probe modes, exercised on loopback (no namespaces needed). */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { agentMainPath } from '../../../src/cluster/local/agent-client.js';
import { probeTargets } from '../../../src/agent/probe.js';
import { PodServer } from '../../../src/agent/serve.js';
import { must } from '../../helpers/must.js';

// Below the kernel's ephemeral range (32768–60999), where a concurrent test's client socket could hold
// PORT + 1 and answer where a refusal is expected; and apart from the 20000–26000 the perf tests use.
const PORT = 12000 + Math.floor(Math.random() * 7000);

describe('agent serve/probe', () => {
  test('TCP and UDP answer with the pod name; closed ports are refused fast', async () => {
    const server = new PodServer('x/a');
    await server.listen([PORT], [PORT]);
    try {
      const results = await probeTargets(
        [
          { to: 'x/a', host: '127.0.0.1', port: PORT, protocol: 'TCP' },
          { to: 'x/a', host: '127.0.0.1', port: PORT, protocol: 'UDP' },
          { to: 'x/a', host: '127.0.0.1', port: PORT + 1, protocol: 'TCP' },
          { to: 'x/a', host: '127.0.0.1', port: PORT + 1, protocol: 'UDP' },
          { to: 'x/a', host: '127.0.0.1', port: PORT, protocol: 'SCTP' },
        ],
        { timeoutMs: 2000, concurrency: 8 },
      );
      assert.deepEqual(
        results.map((r) => [r.protocol, r.port - PORT, r.connected, r.answeredBy ?? r.error]),
        [
          ['TCP', 0, true, 'x/a'],
          ['UDP', 0, true, 'x/a'],
          ['TCP', 1, false, 'refused'],
          ['UDP', 1, false, 'refused'],
          ['SCTP', 0, false, 'protocol SCTP not supported by the agent'],
        ],
      );
      for (const r of results.slice(2, 4)) assert.ok(r.elapsedMs < 500, `refusal took ${r.elapsedMs} ms`);
      // Ports can be changed while running.
      await server.listen([PORT + 1], []);
      assert.deepEqual(server.ports(), { tcp: [PORT + 1], udp: [] });
    } finally {
      server.close();
    }
  });

  test('one-shot probe mode prints a JSON array; serve --control answers probe batches and listen ops', async () => {
    const agent = spawn(process.execPath, [
      agentMainPath(),
      'serve',
      '--name',
      'y/b',
      '--tcp',
      String(PORT + 2),
      '--control',
    ]);
    const lines = createInterface({ input: agent.stdout });
    const next = () =>
      new Promise<Record<string, unknown>>((resolve) =>
        lines.once('line', (l: string) => resolve(JSON.parse(l) as Record<string, unknown>)),
      );
    try {
      assert.equal((await next()).ready, true);
      agent.stdin.write(JSON.stringify({ id: 7, op: 'listen', tcp: [PORT + 2], udp: [PORT + 3] }) + '\n');
      assert.deepEqual(await next(), { id: 7, ok: true, tcp: [PORT + 2], udp: [PORT + 3] });
      agent.stdin.write(
        JSON.stringify({
          id: 8,
          timeoutMs: 1000,
          targets: [{ to: 'y/b', host: '127.0.0.1', port: PORT + 3, protocol: 'UDP' }],
        }) + '\n',
      );
      const reply = (await next()) as { id: number; results: Array<{ answeredBy: string }> };
      assert.equal(reply.id, 8);
      assert.equal(must(reply.results[0], 'probe result').answeredBy, 'y/b');

      const oneShot = spawn(process.execPath, [agentMainPath(), 'probe', '--timeout-ms', '1000']);
      let out = '';
      oneShot.stdout.on('data', (d: Buffer) => (out += d.toString()));
      oneShot.stdin.end(JSON.stringify([{ to: 'y/b', host: '127.0.0.1', port: PORT + 2, protocol: 'TCP' }]));
      const code = await new Promise((resolve) => oneShot.on('close', resolve));
      assert.equal(code, 0);
      const parsed = JSON.parse(out) as Array<{ connected: boolean; answeredBy: string }>;
      const [first] = parsed;
      assert.ok(first);
      assert.deepEqual([first.connected, first.answeredBy], [true, 'y/b']);
    } finally {
      agent.stdin.end();
      await new Promise((resolve) => agent.on('close', resolve));
    }
  });
});
