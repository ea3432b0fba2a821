/**
 * The planted handicap's two mechanisms on the real local cluster, with loose bounds (no statistical
 * gating; the machine is shared): a tbf cap at X Mbit/s on a server pod's veth caps iperf3 near X on
 * every path into that pod and is gone when lifted; the agent's busy-wait adds the asked service time
 * to every round trip; and perf processes run on the CPUs placePerf asks for.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { PerfPair, PerfTopology } from '../../../src/cluster/driver.js';
import { iperf3 } from '../../../src/workloads/tools/iperf3.js';
import { AgentRrTool } from '../../../src/workloads/tools/agent-rr.js';
import { pairFor } from '../../../src/workloads/tools/measure.js';
import { quantileSorted } from '../../../src/stats/quantile.js';
import { AGENT_COMMAND, perfDriver } from '../../workloads/helpers/perf-driver.js';

const median = (xs: readonly number[]) => quantileSorted(Float64Array.from(xs).sort(), 0.5);

describe('planted handicap on the local cluster', () => {
  const driver = perfDriver();
  let topo: PerfTopology;
  before(async () => {
    topo = await driver.preparePerf(['same-node', 'cross-node']);
  });
  after(async () => {
    await driver.cleanup();
  });

  const tcp = async (pair: PerfPair, duration: number) => {
    const t = { protocol: 'TCP', streams: 1, duration, udpRate: '1G' } as const;
    return iperf3.parse(t, await iperf3.run(driver, pair, t));
  };

  test('a tbf cap at X Mbit/s caps iperf3 near X, and lifting it lifts the cap', async () => {
    const X = 300e6; // far below what one veth carries even on a loaded machine (≥ 1 Gbit/s)
    for (const path of ['same-node', 'cross-node'] as const) {
      const pair = pairFor(topo, path);
      await iperf3.withServer(driver, pair, async () => {
        const lift = await driver.capRate(pair.server, X);
        const capped = await tcp(pair, 2);
        await lift();
        const free = await tcp(pair, 1);
        console.log(
          `  ${path}: capped at ${X / 1e6} Mbit/s: ${(capped.bitsPerSecond / 1e6).toFixed(0)} Mbit/s; lifted: ${(free.bitsPerSecond / 1e6).toFixed(0)} Mbit/s`,
        );
        assert.ok(capped.bitsPerSecond <= 1.1 * X, `${path}: ${capped.bitsPerSecond} bit/s under a ${X} cap`);
        assert.ok(
          capped.bitsPerSecond >= 0.5 * X,
          `${path}: ${capped.bitsPerSecond} bit/s, far below the cap`,
        );
        assert.ok(
          free.bitsPerSecond > 1.5 * X,
          `${path}: ${free.bitsPerSecond} bit/s after the cap was lifted`,
        );
      });
    }
  });

  test('the agent’s busy-wait adds the asked service time to every round trip', async () => {
    const pair = pairFor(topo, 'cross-node');
    const agent = new AgentRrTool(AGENT_COMMAND);
    const serviceUs = 2000; // large against a round trip here (30–800 µs), so load cannot hide it
    await agent.withServer(driver, pair, 'rr', 1, async () => {
      const plain = await agent.runRr(driver, pair, { duration: 0.3, payload: 1 });
      const slowed = await agent.runRr(driver, pair, { duration: 0.3, payload: 1, serviceUs });
      const [p, s] = [median(plain.samplesUs), median(slowed.samplesUs)];
      console.log(`  RR median ${p.toFixed(1)} µs; with a ${serviceUs} µs busy-wait ${s.toFixed(1)} µs`);
      assert.ok(Math.min(...slowed.samplesUs) >= serviceUs, 'no round trip is shorter than the busy-wait');
      assert.ok(s - p >= 0.5 * serviceUs && s - p <= 10 * serviceUs, `added ${s - p} µs for ${serviceUs}`);
    });
    await agent.withServer(driver, pair, 'crr', 1, async () => {
      const slowed = await agent.runCrr(driver, pair, { duration: 0.3, payload: 1, serviceUs });
      assert.ok(Math.min(...slowed.samplesUs) >= serviceUs, 'no connection is shorter than the busy-wait');
      assert.ok(slowed.connectionsPerSecond < 1e6 / serviceUs, `${slowed.connectionsPerSecond} conn/s`);
    });
  });

  test('perf processes run on the CPUs placePerf asks for, and anywhere without a placement', async () => {
    const pair = pairFor(topo, 'same-node');
    const allowed = async (pod: typeof pair.client) => {
      const r = await driver.exec(pod, ['grep', 'Cpus_allowed_list', '/proc/self/status']);
      return r.stdout.split(':')[1]?.trim();
    };
    await driver.placePerf({ client: '0', server: '1' });
    assert.equal(await allowed(pair.client), '0');
    assert.equal(await allowed(pair.server), '1');
    await driver.placePerf({ client: '1', server: '1' });
    assert.equal(await allowed(pair.client), '1');
    // A server already running moves with the next placement (duet mode swaps cores every block).
    const server = await driver.spawn(pair.server, ['sleep', '30']);
    const pid = (server as unknown as { pid: number }).pid;
    const cpusOf = () => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    // Until `ip netns exec` and taskset have exec'd into sleep, the pid is not yet pinned.
    for (let i = 0; i < 200 && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep'); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(cpusOf(), '1');
    await driver.placePerf({ client: '0', server: '0' });
    assert.equal(cpusOf(), '0');
    await server.stop();
    await driver.placePerf(undefined);
    assert.notEqual(await allowed(pair.client), '1');
  });
});
