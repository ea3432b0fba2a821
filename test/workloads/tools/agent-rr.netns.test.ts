/**
 * The agent's rr/crr modes against a real rr-server: on loopback (agent processes started directly)
 * and through the baseline netns pair (through the ClusterDriver interface, as the workloads do).
 */
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { run } from '../../../src/cluster/local/sh.js';
import type { CrrReport, RrReport } from '../../../src/agent/rr.js';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { AgentRrTool, latencyPercentiles } from '../../../src/workloads/tools/agent-rr.js';
import { quantileSorted } from '../../../src/stats/quantile.js';
import { listNetns } from '../../../src/cluster/local/cleanup.js';
import { AGENT_COMMAND, AGENT_PATH, perfDriver } from '../helpers/perf-driver.js';

const PORT = 21000 + (process.pid % 5000);

async function startServer(args: string[]): Promise<ChildProcess> {
  const child = spawn(AGENT_COMMAND[0], [...AGENT_COMMAND.slice(1), 'rr-server', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  assert.deepEqual(JSON.parse(line.toString()), { ready: true, port: Number(args[1]) });
  return child;
}

async function agent<T>(args: string[]): Promise<T> {
  const r = await run([...AGENT_COMMAND, ...args], { timeoutMs: 20_000 });
  return JSON.parse(r.stdout) as T;
}

describe('agent rr/crr on loopback', () => {
  let rr: ChildProcess;
  let crr: ChildProcess;
  before(async () => {
    rr = await startServer(['--port', String(PORT)]);
    crr = await startServer(['--port', String(PORT + 1), '--close-after-reply', '64']);
  });
  after(() => {
    rr.kill();
    crr.kill();
  });

  test('rr: every round trip reported; the harness computes the percentiles (type 7)', async () => {
    const r = await agent<RrReport>([
      'rr',
      '--target',
      '127.0.0.1',
      '--port',
      String(PORT),
      '--duration',
      '0.5',
      '--payload',
      '64',
    ]);
    assert.equal(r.mode, 'rr');
    assert.equal(r.payloadBytes, 64);
    assert.ok(r.count > 100, `only ${r.count} round trips in 0.5 s`);
    assert.equal(r.samplesUs.length, r.count);
    assert.equal(Object.keys(r).filter((k) => /p50|histogram|rttUs/.test(k)).length, 0, 'no statistics');
    const sorted = [...r.samplesUs].sort((a, b) => a - b);
    const [p50, p90, p99] = latencyPercentiles(r.samplesUs, [0.5, 0.9, 0.99]);
    assert.equal(p50, quantileSorted(sorted, 0.5));
    assert.ok((p50 ?? 0) > 1 && (p50 ?? 0) < 10_000, `p50 ${p50} µs`);
    assert.ok((p50 ?? 0) <= (p90 ?? 0) && (p90 ?? 0) <= (p99 ?? 0));
    assert.ok(Math.abs(r.transactionsPerSecond - r.count / r.elapsedS) / r.transactionsPerSecond < 0.01);
  });

  test('crr: connections per second and per-connection latency', async () => {
    const r = await agent<CrrReport>([
      'crr',
      '--target',
      '127.0.0.1',
      '--port',
      String(PORT + 1),
      '--duration',
      '0.5',
      '--payload',
      '64',
    ]);
    assert.equal(r.mode, 'crr');
    assert.ok(r.count > 20, `only ${r.count} connections`);
    assert.ok(Math.abs(r.connectionsPerSecond - r.count / r.elapsedS) / r.connectionsPerSecond < 0.01);
    assert.equal(r.samplesUs.length, r.count);
    assert.ok((latencyPercentiles(r.samplesUs)[0] ?? 0) > 1);
  });

  test('rr against a port nobody listens on fails with a clear error', async () => {
    const r = await run(
      [
        ...AGENT_COMMAND,
        'rr',
        '--target',
        '127.0.0.1',
        '--port',
        String(PORT + 2),
        '--duration',
        '0.2',
        '--connect-wait-ms',
        '200',
      ],
      { allowFail: true },
    );
    assert.equal(r.exitCode, 1);
    assert.match(r.stderr, /cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  test('latency percentiles are type 7: [1, 2, 3, 4] → p50 2.5, p90 3.7', () => {
    assert.deepEqual(latencyPercentiles([4, 1, 3, 2], [0.5, 0.9]), [2.5, 3.7]);
    assert.throws(() => latencyPercentiles([]), /no round trips/);
  });
});

test('the agent has no npm dependencies: it imports Node.js built-ins and its own files only', () => {
  const dir = path.dirname(AGENT_PATH);
  const builtins = new Set(builtinModules);
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.js'))) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    for (const m of text.matchAll(/(?:from\s*|import\(\s*)['"]([^'"]+)['"]/g)) {
      const spec = m[1] ?? '';
      const ok = spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec);
      assert.ok(ok, `${f} imports ${spec}`);
      if (spec.startsWith('.'))
        assert.ok(!spec.startsWith('..'), `${f} imports ${spec} from outside the agent`);
    }
  }
});

describe('agent rr/crr through the baseline netns pair', () => {
  const driver = perfDriver();
  after(async () => {
    await driver.cleanup();
    const left = (await listNetns()).filter((n) => n.startsWith(driver.topology.runId));
    assert.deepEqual(left, [], 'every namespace of the test is gone');
  });

  test('rr and crr over one veth between two namespaces', async () => {
    const topo = await driver.preparePerf(['baseline']);
    const [pair] = topo.pairs;
    assert.ok(pair);
    assert.equal(pair.path, 'baseline');
    const tool = new AgentRrTool(AGENT_COMMAND);
    const rr = await tool.withServer(driver, pair, 'rr', 1, () =>
      tool.runRr(driver, pair, { duration: 0.5, payload: 1 }),
    );
    assert.equal(rr.target, pair.target);
    assert.ok(rr.count > 100);
    const [p50] = latencyPercentiles(rr.samplesUs);
    assert.ok((p50 ?? 0) > 1 && (p50 ?? 0) < 10_000);
    const crr = await tool.withServer(driver, pair, 'crr', 1, () =>
      tool.runCrr(driver, pair, { duration: 0.5, payload: 1 }),
    );
    assert.ok(crr.connectionsPerSecond > 20);
    // The server really is in the other namespace: the loopback address of the client namespace has no server.
    const miss = await driver.exec(pair.client, [
      ...AGENT_COMMAND,
      'rr',
      '--target',
      '127.0.0.1',
      '--port',
      '7001',
      '--duration',
      '0.1',
      '--connect-wait-ms',
      '100',
    ]);
    assert.equal(miss.exitCode, 1);
  });
});
