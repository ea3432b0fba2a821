/**
 * The agent's rr/crr modes against a real rr-server: on loopback (agent processes started directly)
 * and through the baseline netns pair (through the ClusterDriver interface, as the workloads do).
 */
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { run } from '../../src/cluster/local/sh.js';
import type { CrrReport, RrReport } from '../../src/agent/rr.js';
import {
  AgentRrTool,
  histogramCount,
  histogramPercentile,
  mergeHistograms,
} from '../../src/workloads/tools/agent-rr.js';
import { listNetns } from '../../src/cluster/local/cleanup.js';
import { AGENT_COMMAND, perfDriver } from './helpers/perf-driver.js';

const PORT = 21000 + (process.pid % 5000);

async function startServer(args: string[]): Promise<ChildProcess> {
  const child = spawn(AGENT_COMMAND[0], [...AGENT_COMMAND.slice(1), 'rr-server', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
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

  test('rr: round trips with raw samples consistent with the reported percentiles', async () => {
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
      '--raw',
    ]);
    assert.equal(r.mode, 'rr');
    assert.equal(r.payloadBytes, 64);
    assert.ok(r.count > 100, `only ${r.count} round trips in 0.5 s`);
    assert.equal(r.samplesUs!.length, r.count);
    const sorted = [...r.samplesUs!].sort((a, b) => a - b);
    assert.equal(r.rttUs.min, sorted[0]);
    assert.equal(r.rttUs.max, sorted[sorted.length - 1]);
    assert.equal(r.rttUs.p50, sorted[Math.ceil(0.5 * sorted.length) - 1]);
    assert.ok(r.rttUs.p50 > 1 && r.rttUs.p50 < 10_000, `p50 ${r.rttUs.p50} µs`);
    assert.ok(r.rttUs.p50 <= r.rttUs.p90 && r.rttUs.p90 <= r.rttUs.p99);
    assert.equal(histogramCount(r.histogram), r.count);
    // The histogram percentile is within one bucket (1%) of the exact one.
    const hp50 = histogramPercentile(r.histogram, 0.5);
    assert.ok(Math.abs(hp50 - r.rttUs.p50) / r.rttUs.p50 < 0.011, `histogram p50 ${hp50} vs ${r.rttUs.p50}`);
    assert.ok(Math.abs(r.transactionsPerSecond - r.count / r.elapsedS) / r.transactionsPerSecond < 0.01);
  });

  test('rr with the tinybench engine reports the same kind of figures', async () => {
    const r = await agent<RrReport>([
      'rr',
      '--target',
      '127.0.0.1',
      '--port',
      String(PORT),
      '--duration',
      '0.3',
      '--engine',
      'tinybench',
    ]);
    assert.equal(r.engine, 'tinybench');
    assert.ok(r.count > 50);
    assert.ok(r.rttUs.p50 > 1 && r.rttUs.p50 < 10_000);
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
      '--raw',
    ]);
    assert.equal(r.mode, 'crr');
    assert.ok(r.count > 20, `only ${r.count} connections`);
    assert.ok(Math.abs(r.connectionsPerSecond - r.count / r.elapsedS) / r.connectionsPerSecond < 0.01);
    assert.equal(r.samplesUs!.length, r.count);
    assert.ok(r.latencyUs.p50 > 1);
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

  test('histograms merge by bucket', () => {
    const m = mergeHistograms([
      {
        base: 1.01,
        buckets: [
          [1, 2],
          [5, 1],
        ],
      },
      {
        base: 1.01,
        buckets: [
          [1, 1],
          [3, 4],
        ],
      },
    ]);
    assert.deepEqual(m.buckets, [
      [1, 3],
      [3, 4],
      [5, 1],
    ]);
    assert.throws(
      () =>
        mergeHistograms([
          { base: 1.01, buckets: [] },
          { base: 1.02, buckets: [] },
        ]),
      /bases/,
    );
  });
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
    const pair = topo.pairs[0];
    assert.equal(pair.path, 'baseline');
    const tool = new AgentRrTool(AGENT_COMMAND);
    const rr = await tool.withServer(driver, pair, 'rr', 1, () =>
      tool.runRr(driver, pair, { duration: 0.5, payload: 1 }),
    );
    assert.equal(rr.target, pair.target);
    assert.ok(rr.count > 100);
    assert.ok(rr.rttUs.p50 > 1 && rr.rttUs.p50 < 10_000);
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
