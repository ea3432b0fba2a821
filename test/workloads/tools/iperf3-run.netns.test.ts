/**
 * iperf3 JSON parsing on the output of real iperf3 runs on loopback (TCP and UDP). It runs iperf3, so
 * it is in the tier that uses the machine (`*.netns.test.ts`), not in the unit tier.
 */
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { run } from '../../../src/cluster/local/sh.js';
import { iperf3ClientArgv, parseIperf3Tcp, parseIperf3Udp } from '../../../src/workloads/tools/iperf3.js';

const PORT = 20000 + (process.pid % 5000);

async function client(argv: string[]): Promise<unknown> {
  // Retry while the server starts listening.
  for (let i = 0; ; i++) {
    const r = await run(argv, { allowFail: true, timeoutMs: 20_000 });
    const json = JSON.parse(r.stdout) as { error?: string };
    if (json.error && /refused/.test(json.error) && i < 50) {
      await new Promise((res) => setTimeout(res, 50));
      continue;
    }
    return json;
  }
}

describe('iperf3 JSON from real runs', () => {
  let server: ChildProcess;
  before(() => {
    server = spawn('iperf3', ['-s', '-p', String(PORT)], { stdio: 'ignore' });
  });
  after(() => {
    server.kill('SIGKILL');
  });

  test('TCP report from a real run: receiver bits/s, sender bits/s, streams', async () => {
    const json = await client(iperf3ClientArgv('127.0.0.1', { duration: 1, streams: 2, port: PORT }));
    const r = parseIperf3Tcp(json, 'loopback');
    assert.ok(r.bitsPerSecond > 1e8, `expected > 100 Mbit/s on loopback, got ${r.bitsPerSecond}`);
    assert.ok(r.sentBitsPerSecond > 1e8);
    assert.equal(r.streams, 2);
    assert.ok(r.seconds > 0.9 && r.seconds < 2, `seconds ${r.seconds}`);
    assert.ok(r.bytes > 0);
    assert.match(r.version ?? '', /^3\./);
    // The figure is exactly iperf3's receiver sum, not a re-computation.
    const j = json as { end: { sum_received: { bits_per_second: number } } };
    assert.equal(r.bitsPerSecond, j.end.sum_received.bits_per_second);
  });

  test('UDP report from a real run: throughput near the target rate, loss % and jitter ms', async () => {
    const json = await client(
      iperf3ClientArgv('127.0.0.1', { duration: 1, streams: 1, port: PORT, udpRate: '100M' }),
    );
    const r = parseIperf3Udp(json, 'loopback');
    assert.ok(
      r.bitsPerSecond > 50e6 && r.bitsPerSecond < 150e6,
      `expected ≈100 Mbit/s, got ${r.bitsPerSecond}`,
    );
    assert.ok(r.lostPercent >= 0 && r.lostPercent <= 100);
    assert.ok(r.jitterMs >= 0 && r.jitterMs < 100);
    assert.ok(r.packets > 0);
    assert.ok(r.lostPackets <= r.packets);
  });
});
