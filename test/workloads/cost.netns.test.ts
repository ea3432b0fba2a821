/**
 * Cost recording on the real local cluster: every pod's commands run in the pod's cgroup, the nodes'
 * nft in the dataplane's, each measured run's CPU comes with its sample, the derived figures are
 * figures of their own (samples, schedule, paired baseline), and the dataplane's kernel memory grows
 * with the policies installed — the nft rules', and the eBPF engine's maps (its writer runs in the
 * dataplane's cgroup).
 */
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PerfTopology } from '../../src/cluster/driver.js';
import type { LocalDriver } from '../../src/cluster/local/driver.js';
import { RunCgroups } from '../../src/cluster/local/cgroups.js';
import type { Measurement } from '../../src/results/schema.js';
import type { Repetitions } from '../../src/scenario/schema.js';
import { runThroughput } from '../../src/workloads/throughput/run.js';
import { runLatency, type LatencyWorkload } from '../../src/workloads/latency/run.js';
import { generateScalePolicies } from '../../src/workloads/scale/generate.js';
import { scaleLayoutBase, scaleLayoutCase, perfEndpoints } from '../../src/workloads/scale/layout.js';
import { resolveCase } from '../../src/netpol/resolve.js';
import { AGENT_COMMAND, perfDriver } from './helpers/perf-driver.js';
import { must } from '../helpers/must.js';
import { sleep } from '../../src/util/sleep.js';

const reps: Repetitions = { count: 3, warmup: 1, adaptive: false };

function byId(ms: Measurement[], id: string): Measurement {
  const m = ms.find((x) => x.id === id);
  assert.ok(m, `no measurement ${id} in ${ms.map((x) => x.id).join(', ')}`);
  return m;
}

/** The dataplane memory with no policy and with 1,000 scale policies on the scale layout's pods. */
async function memoryAtZeroAndThousand(driver: LocalDriver, topo: PerfTopology) {
  const reader = must(driver.cost(), 'a cost reader');
  const layout = scaleLayoutBase();
  const pods = await driver.ensureLayout(resolveCase(scaleLayoutCase(layout)));
  const pair = must(topo.pairs.find((p) => p.path === 'cross-node'));
  const full = { ...layout, perf: perfEndpoints(pair) };
  await driver.setPolicies([], pods);
  const none = must(await reader.dataplaneMemoryBytes());
  await driver.setPolicies(generateScalePolicies(1000, full, 1), pods);
  const thousand = must(await reader.dataplaneMemoryBytes());
  return { reader, pods, none, thousand };
}

describe('cost recording on the local cluster', () => {
  let driver: LocalDriver;
  let topo: PerfTopology;
  before(async () => {
    driver = perfDriver();
    topo = await driver.preparePerf(['baseline', 'cross-node']);
  });
  after(async () => {
    await driver.cleanup();
  });

  test('a pod process runs in its pod cgroup', async () => {
    const groups = driver.topology.cgroups();
    assert.ok(groups instanceof RunCgroups, `no cgroups: ${JSON.stringify(groups)}`);
    const client = must(topo.pairs.find((p) => p.path === 'cross-node')).client;
    const r = await driver.exec(client, ['cat', '/proc/self/cgroup']);
    const netns = driver.topology.netnsOf(client);
    const name = driver.topology.cgroupOf(netns);
    assert.match(r.stdout, new RegExp(`/cnibench-${driver.runId}/${name}$`, 'm'));
    const cpu = must(groups.layout.cpu);
    assert.ok(existsSync(path.join(cpu.own, `cnibench-${driver.runId}`, name)));
  });

  test('throughput: CPU with every sample and CPU per Gbit as a paired figure', async () => {
    const ms = (
      await runThroughput(
        [{ name: 'routed', driver, topology: topo, agentCommand: AGENT_COMMAND }],
        {
          kind: 'throughput',
          tool: 'iperf3',
          protocol: 'TCP',
          streams: [1],
          udpRate: '1G',
          paths: ['cross-node'],
          duration: 1,
          baseline: true,
        },
        reps,
        { seed: 7 },
      )
    ).map((x) => x.measurement);
    const tput = byId(ms, 'throughput/tcp/streams=1/cross-node');
    const cost = must(tput.cost, 'cost of the throughput samples');
    assert.equal(cost.cpuSeconds.length, tput.samples.length);
    // One second of iperf3 at several Gbit/s costs far more than a few ms of CPU.
    for (const c of cost.cpuSeconds) assert.ok(c > 0.05 && c < 10, `CPU of a 1 s run: ${c} s`);
    for (const part of ['pods', 'softirq', 'dataplane']) assert.equal(cost.cpuParts[part]?.length, 3);
    assert.ok(
      must(cost.cpuParts.pods).every((x) => x > 0),
      'the pods themselves used CPU',
    );
    assert.equal(cost.dataplaneMemoryBytes?.length, 3);

    const perGbit = byId(ms, 'throughput/tcp-cpu-per-gbit/streams=1/cross-node');
    assert.equal(perGbit.metric, 'cpu-per-gbit');
    assert.equal(perGbit.higherIsBetter, false);
    assert.equal(perGbit.derivedFrom, tput.id);
    assert.deepEqual(perGbit.schedule, tput.schedule);
    assert.equal(perGbit.paired?.id, 'throughput/tcp-cpu-per-gbit/streams=1/baseline');
    perGbit.samples.forEach((v, i) => {
      const gbit = must(tput.samples[i]); // Gbit/s over a run of about 1 s
      const expected = must(cost.cpuSeconds[i]) / gbit;
      assert.ok(Math.abs(v / expected - 1) < 0.1, `sample ${i}: ${v} vs ${expected}`);
    });
    assert.ok(byId(ms, 'throughput/tcp-cpu-per-gbit/streams=1/baseline').samples.every((x) => x > 0));
  });

  test('connection rate and RR: CPU per thousand connections and per transaction', async () => {
    const arm = { name: 'routed', driver, topology: topo, agentCommand: AGENT_COMMAND };
    const base: Omit<LatencyWorkload, 'mode'> = {
      kind: 'latency',
      payloadBytes: 1,
      paths: ['cross-node'],
      duration: 0.5,
      baseline: false,
    };
    const crr = (await runLatency([arm], { ...base, mode: 'crr' }, reps, { seed: 3 })).map(
      (x) => x.measurement,
    );
    const perK = byId(crr, 'connection-rate/crr-cpu-per-kconn/payload=1/cross-node');
    assert.equal(perK.unit, 'CPU s/1000 conn');
    assert.equal(perK.samples.length, 3);
    assert.ok(perK.samples.every((x) => x > 0 && Number.isFinite(x)));
    assert.equal(byId(crr, 'connection-rate/crr/payload=1/cross-node').cost?.cpuSeconds.length, 3);
    const rr = (await runLatency([arm], { ...base, mode: 'rr' }, reps, { seed: 3 })).map(
      (x) => x.measurement,
    );
    const perTx = byId(rr, 'latency/rr-cpu-per-transaction/payload=1/cross-node');
    // A round trip on one machine costs microseconds of CPU, not milliseconds.
    assert.ok(
      perTx.samples.every((x) => x > 0.5 && x < 1000),
      perTx.samples.join(', '),
    );
  });

  test('dataplane memory: the kernel memory of the nft rules grows with the policies', async () => {
    const { reader, pods, none, thousand } = await memoryAtZeroAndThousand(driver, topo);
    await driver.setPolicies([], pods);
    // nf_tables frees a replaced ruleset from a kernel worker after an RCU grace period, not before
    // `nft` returns: usually the first reading is back near `none`, but once in CI, on a busy machine,
    // it still held all 14 MB. Read again for up to 5 s.
    let after = must(await reader.dataplaneMemoryBytes());
    for (const t0 = Date.now(); after >= thousand && Date.now() - t0 < 5000;) {
      await sleep(100);
      after = must(await reader.dataplaneMemoryBytes());
    }
    // 1000 policies compile to thousands of rules on each node: hundreds of KiB at least.
    assert.ok(thousand - none > 256 * 1024, `1000 policies: ${none} → ${thousand} bytes`);
    assert.ok(after < thousand, `removing them frees the memory (${thousand} → ${after})`);
  });

  test('the harness itself stays in its own cgroup, and clean-up removes the run cgroups', async () => {
    const status = readFileSync('/proc/self/cgroup', 'utf8');
    assert.ok(!status.includes('cnibench-'), 'the harness itself never joins a run cgroup');
    const groups = driver.topology.cgroups();
    assert.ok(groups instanceof RunCgroups);
    const dir = path.join(must(groups.layout.cpu).own, `cnibench-${driver.runId}`);
    await driver.cleanup();
    assert.equal(existsSync(dir), false, `${dir} is gone`);
  });
});

describe('cost recording on the local cluster, eBPF engine', () => {
  let driver: LocalDriver;
  let topo: PerfTopology;
  before(async () => {
    driver = perfDriver({ engine: 'ebpf' });
    topo = await driver.preparePerf(['cross-node']);
  });
  after(async () => {
    await driver.cleanup();
  });

  test('dataplane memory: the kernel memory of the BPF policy maps grows with the policies', async () => {
    const { none, thousand } = await memoryAtZeroAndThousand(driver, topo);
    const state = must(await driver.policyState(), "the engine's own account");
    // The maps' growth is charged to the dataplane: at least what the engine counts in its maps.
    assert.ok(
      thousand - none >= state.bytes / 2,
      `1000 policies: dataplane ${none} → ${thousand} bytes; the engine's maps hold ${state.bytes}`,
    );
  });
});
