/**
 * The throughput and latency workloads end to end on the local cluster: baseline pair, same-node,
 * cross-node and service paths, with 1-second runs. Also checks that the service VIP really is a
 * DNAT in the client's node (traffic to the VIP fails once the rule is gone).
 */
import { test, describe, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { PerfTopology } from '../../src/cluster/driver.js';
import type { Measurement, SamplePlacement } from '../../src/results/schema.js';
import { listNetns } from '../../src/cluster/local/cleanup.js';
import {
  PERF_SERVICE_VIP,
  removeServiceVip,
  serviceScript,
  serviceTableName,
} from '../../src/cluster/local/service.js';
import type { LocalDriver } from '../../src/cluster/local/driver.js';
import type { Repetitions } from '../../src/scenario/schema.js';
import { runThroughput, type ThroughputWorkload } from '../../src/workloads/throughput/run.js';
import { runLatency, type LatencyWorkload } from '../../src/workloads/latency/run.js';
import type { PerfRunOptions } from '../../src/workloads/tools/measure.js';
import { AGENT_COMMAND, perfDriver } from './helpers/perf-driver.js';
import { must } from '../helpers/must.js';

const reps: Repetitions = { count: 2, warmup: 1, adaptive: false };
const once: Repetitions = { count: 1, warmup: 0, adaptive: false };
const onceWarm: Repetitions = { count: 1, warmup: 1, adaptive: false };

const arm = (driver: LocalDriver, topology: PerfTopology, name = 'routed') => ({
  name,
  driver,
  topology,
  agentCommand: AGENT_COMMAND,
});

async function throughput(
  driver: LocalDriver,
  topo: PerfTopology,
  w: ThroughputWorkload,
  r: Repetitions,
  opts: Partial<PerfRunOptions> = {},
): Promise<Measurement[]> {
  // The cost figures derived from each run are checked in cost.netns.test.ts.
  return (await runThroughput([arm(driver, topo)], w, r, { seed: 1, ...opts }))
    .map((x) => x.measurement)
    .filter((m) => m.derivedFrom === undefined);
}

async function latency(
  driver: LocalDriver,
  topo: PerfTopology,
  w: LatencyWorkload,
  r: Repetitions,
): Promise<Measurement[]> {
  return (await runLatency([arm(driver, topo)], w, r, { seed: 1 }))
    .map((x) => x.measurement)
    .filter((m) => m.derivedFrom === undefined);
}

function byId(ms: Measurement[], id: string): Measurement {
  const m = ms.find((x) => x.id === id);
  assert.ok(m, `no measurement ${id} in ${ms.map((x) => x.id).join(', ')}`);
  return m;
}

function checkShape(m: Measurement, unit: string): void {
  assert.equal(m.unit, unit);
  assert.equal(m.samples.length, reps.count);
  assert.equal(m.warmup.length, reps.warmup);
  assert.equal(m.summary.n, reps.count);
  for (const v of [...m.samples, ...m.warmup]) assert.ok(Number.isFinite(v) && v > 0, `${m.id}: sample ${v}`);
}

describe('perf workloads on the local cluster', () => {
  const driver = perfDriver({ nodes: 2, mode: 'routed' });
  let topo: PerfTopology;
  before(async () => {
    topo = await driver.preparePerf(['same-node', 'cross-node', 'service', 'baseline']);
  });
  after(async () => {
    await driver.cleanup();
    const left = (await listNetns()).filter((n) => n.startsWith(driver.topology.runId));
    assert.deepEqual(left, [], 'every namespace of the test is gone');
  });

  test('preparePerf: one pair per path, reused on a second call', async () => {
    assert.deepEqual(
      topo.pairs.map((p) => p.path),
      ['same-node', 'cross-node', 'service', 'baseline'],
    );
    const [same, cross, svc] = topo.pairs;
    assert.ok(same && cross && svc);
    assert.equal(same.client.node, same.server.node);
    assert.notEqual(cross.client.node, cross.server.node);
    assert.equal(svc.target, PERF_SERVICE_VIP);
    assert.notEqual(svc.server.key, cross.server.key, 'the service has its own backend (see perf.ts)');
    assert.notEqual(svc.server.node, svc.client.node);
    const again = await driver.preparePerf(['cross-node', 'baseline']);
    assert.equal(must(again.pairs[0], 'first pair').server.ip, cross.server.ip);
    assert.equal(driver.topology.pods().length, 4);
  });

  test('TCP throughput, 1 stream, baseline and cross-node: ids, samples, warm-up, tool', async () => {
    const w: ThroughputWorkload = {
      kind: 'throughput',
      tool: 'iperf3',
      protocol: 'TCP',
      paths: ['cross-node'],
      streams: [1],
      duration: 1,
      udpRate: '1G',
      baseline: true,
    };
    const seen: string[] = [];
    const ms = await throughput(driver, topo, w, reps, {
      onMeasurement: (_arm, m) => void seen.push(m.id),
    });
    assert.deepEqual(seen, [
      'throughput/tcp/streams=1/baseline',
      'throughput/tcp-cpu-per-gbit/streams=1/baseline',
      'throughput/tcp/streams=1/cross-node',
      'throughput/tcp-cpu-per-gbit/streams=1/cross-node',
    ]);
    for (const m of ms) {
      checkShape(m, 'Gbit/s');
      assert.equal(m.higherIsBetter, true);
      assert.equal(m.tool.name, 'iperf3');
      assert.match(m.tool.version ?? '', /^3\./);
      assert.equal(m.parameters.streams, 1);
      assert.ok(m.summary.median > 0.1, `${m.id}: ${m.summary.median} Gbit/s`);
      assert.deepEqual(
        m.schedule,
        [0, 1].map((block) => ({ block, position: 0 })),
      );
    }
    // The cross-node samples are paired with the baseline samples of the same turns.
    const [base, cross] = ms;
    assert.deepEqual(cross?.paired, { id: base?.id, samples: base?.samples });
    assert.equal(base?.paired, undefined);
    // --resume: done ids are skipped.
    const again = await throughput(driver, topo, w, reps, { isDone: () => true });
    assert.equal(again.length, 0);
  });

  test('UDP throughput on same-node: throughput, loss and jitter measurements', async () => {
    const w: ThroughputWorkload = {
      kind: 'throughput',
      tool: 'iperf3',
      protocol: 'UDP',
      paths: ['same-node'],
      streams: [1],
      duration: 1,
      udpRate: '200M',
      baseline: false,
    };
    const ms = await throughput(driver, topo, w, once);
    assert.deepEqual(
      ms.map((m) => m.id),
      [
        'throughput/udp/streams=1/same-node',
        'throughput/udp-loss/streams=1/same-node',
        'throughput/udp-jitter/streams=1/same-node',
      ],
    );
    const [tp, loss, jitter] = ms;
    assert.ok(tp && loss && jitter);
    const tp0 = must(tp.samples[0], 'throughput sample');
    const loss0 = must(loss.samples[0], 'loss sample');
    assert.ok(tp0 > 0.1 && tp0 < 0.3, `≈0.2 Gbit/s expected, got ${tp0}`);
    assert.equal(loss.unit, '%');
    assert.ok(loss0 >= 0 && loss0 <= 100);
    assert.equal(jitter.unit, 'ms');
    assert.equal(jitter.higherIsBetter, false);
    assert.equal(tp.parameters.udpRate, '200M');
  });

  test('RR latency on baseline and same-node: per-repetition medians, p99 and pooled percentiles', async () => {
    const w: LatencyWorkload = {
      kind: 'latency',
      mode: 'rr',
      paths: ['same-node'],
      duration: 1,
      payloadBytes: 1,
      baseline: true,
    };
    const ms = await latency(driver, topo, w, reps);
    assert.deepEqual(
      ms.map((m) => m.id),
      [
        'latency/rr/payload=1/baseline',
        'latency/rr-p99/payload=1/baseline',
        'latency/rr/payload=1/same-node',
        'latency/rr-p99/payload=1/same-node',
      ],
    );
    for (const m of ms) {
      checkShape(m, 'us');
      assert.equal(m.higherIsBetter, false);
      assert.equal(m.tool.name, 'cnibench-agent');
      assert.ok(m.summary.median > 1 && m.summary.median < 20_000, `${m.id}: ${m.summary.median} µs`);
      assert.ok((m.details?.roundTrips as number) > 100);
    }
    const p50 = byId(ms, 'latency/rr/payload=1/same-node');
    const p99 = byId(ms, 'latency/rr-p99/payload=1/same-node');
    for (let i = 0; i < reps.count; i++)
      assert.ok(must(p99.samples[i], 'p99 sample') >= must(p50.samples[i], 'p50 sample'));
    assert.ok((p50.details?.pooledP50Us as number) <= (p50.details?.pooledP99Us as number));
  });

  test('CRR connection rate on cross-node and through the service VIP', async () => {
    const w: LatencyWorkload = {
      kind: 'latency',
      mode: 'crr',
      paths: ['cross-node', 'service'],
      duration: 1,
      payloadBytes: 1,
      baseline: false,
    };
    const ms = await latency(driver, topo, w, onceWarm);
    assert.deepEqual(
      ms.map((m) => m.id),
      ['connection-rate/crr/payload=1/cross-node', 'connection-rate/crr/payload=1/service'],
    );
    for (const m of ms) {
      assert.equal(m.workload, 'connection-rate');
      assert.equal(m.unit, 'conn/s');
      assert.equal(m.higherIsBetter, true);
      const rate = must(m.samples[0], `${m.id} sample`);
      assert.ok(rate > 20, `${m.id}: ${rate} conn/s`);
      assert.ok((m.details?.connections as number) > 20);
    }
  });

  test('service path: TCP throughput through the VIP; without the DNAT rule the VIP is unreachable', async () => {
    const w: ThroughputWorkload = {
      kind: 'throughput',
      tool: 'iperf3',
      protocol: 'TCP',
      paths: ['service'],
      streams: [1],
      duration: 1,
      udpRate: '1G',
      baseline: false,
    };
    const [m] = await throughput(driver, topo, w, once);
    assert.ok(m);
    assert.equal(m.id, 'throughput/tcp/streams=1/service');
    assert.ok(must(m.samples[0], 'service sample') > 0.1);

    const svc = must(
      topo.pairs.find((p) => p.path === 'service'),
      'service pair',
    );
    const nodeNs = driver.topology.nodeNetns(svc.client.node);
    const listed = await driver.topology.exec(nodeNs, [
      'nft',
      'list',
      'table',
      'ip',
      serviceTableName(driver.topology.runId),
    ]);
    assert.match(
      listed.stdout,
      new RegExp(
        `ip daddr ${PERF_SERVICE_VIP.replace(/\./g, '\\.')} tcp dport \\{ 5201, 7001, 12865 \\} dnat to ${svc.server.ip.replace(/\./g, '\\.')}`,
      ),
    );

    await removeServiceVip(driver.topology, svc.client.node, 'perf');
    const lat: LatencyWorkload = {
      kind: 'latency',
      mode: 'rr',
      paths: ['service'],
      duration: 0.2,
      payloadBytes: 1,
      baseline: false,
    };
    await assert.rejects(latency(driver, topo, lat, once), /path service.*agent exited 1/s);
    // Putting the service back makes it answer again (the rule is what carries the traffic).
    const again = await driver.preparePerf(['service']);
    const ok = await latency(driver, again, lat, once);
    assert.ok(must(ok[0]?.samples[0], 'service sample after restore') > 0);
  });

  test('service nft script is idempotent and validated', () => {
    const s = serviceScript('cnb_x_svc', {
      name: 'perf',
      vip: '10.96.0.10',
      ports: [5201],
      backend: '10.244.1.2',
    });
    assert.match(
      s,
      /add chain ip cnb_x_svc svc_perf \{ type nat hook prerouting priority dstnat; policy accept; \}/,
    );
    assert.match(s, /flush chain ip cnb_x_svc svc_perf/);
    assert.match(s, /udp dport \{ 5201 \} dnat to 10\.244\.1\.2/);
    assert.throws(
      () => serviceScript('t', { name: 'perf', vip: '10.96.0', ports: [1], backend: '10.0.0.1' }),
      /not an IPv4/,
    );
  });
});

describe('perf workloads over the vxlan profile', () => {
  const driver = perfDriver({ nodes: 2, mode: 'vxlan' });
  after(async () => {
    await driver.cleanup();
    const left = (await listNetns()).filter((n) => n.startsWith(driver.topology.runId));
    assert.deepEqual(left, [], 'every namespace of the test is gone');
  });

  test('cross-node TCP and UDP through the overlay (MTU 1450)', async () => {
    const topo = await driver.preparePerf(['cross-node']);
    const tcp: ThroughputWorkload = {
      kind: 'throughput',
      tool: 'iperf3',
      protocol: 'TCP',
      paths: ['cross-node'],
      streams: [2],
      duration: 1,
      udpRate: '1G',
      baseline: false,
    };
    const [t] = await throughput(driver, topo, tcp, once);
    assert.ok(t);
    assert.equal(t.id, 'throughput/tcp/streams=2/cross-node');
    const t0 = must(t.samples[0], 'TCP sample');
    assert.ok(t0 > 0.1, `${t0} Gbit/s`);
    const udp: ThroughputWorkload = { ...tcp, protocol: 'UDP', streams: [1], udpRate: '100M' };
    const [u, loss] = await throughput(driver, topo, udp, once);
    const u0 = must(u?.samples[0], 'UDP sample');
    const loss0 = must(loss?.samples[0], 'UDP loss sample');
    assert.ok(u0 > 0.05 && u0 < 0.15, `≈0.1 Gbit/s expected, got ${u0}`);
    assert.ok(loss0 < 50, `loss ${loss0} %: datagrams do not fit the overlay MTU?`);
  });
});

describe('two candidates interleaved in blocks (both clusters exist at once)', () => {
  const a = perfDriver({ nodes: 2, mode: 'routed' });
  const b = perfDriver({ nodes: 2, mode: 'vxlan' });
  after(async () => {
    await Promise.all([a.cleanup(), b.cleanup()]);
    const left = (await listNetns()).filter(
      (n) => n.startsWith(a.topology.runId) || n.startsWith(b.topology.runId),
    );
    assert.deepEqual(left, [], 'every namespace of the test is gone');
  });

  test('RR on same-node: every block measures both candidates once, baseline paired in each turn', async () => {
    const paths = ['baseline', 'same-node'] as const;
    const [ta, tb] = await Promise.all([a.preparePerf([...paths]), b.preparePerf([...paths])]);
    const w: LatencyWorkload = {
      kind: 'latency',
      mode: 'rr',
      paths: ['same-node'],
      duration: 0.2,
      payloadBytes: 1,
      baseline: true,
    };
    const order: string[] = [];
    const ms = await runLatency(
      [arm(a, ta, 'routed'), arm(b, tb, 'vxlan')],
      w,
      { count: 4, warmup: 0, adaptive: false },
      { seed: 42, onProgress: (l) => void (/same-node: sample/.test(l) && order.push(l)) },
    );
    const rtt = (name: string) =>
      ms.find((x) => x.arm === name && x.measurement.id === 'latency/rr/payload=1/same-node')?.measurement;
    const ra = rtt('routed');
    const rb = rtt('vxlan');
    assert.equal(ra?.samples.length, 4);
    assert.equal(rb?.samples.length, 4);
    for (let block = 0; block < 4; block++) {
      const pa: SamplePlacement | undefined = ra?.schedule?.[block];
      const pb: SamplePlacement | undefined = rb?.schedule?.[block];
      assert.equal(pa?.block, block);
      assert.equal(pb?.block, block);
      assert.deepEqual([pa?.position, pb?.position].sort(), [0, 1], `block ${block}: one turn each`);
      // The progress lines show the turns in the recorded order.
      const first = pa?.position === 0 ? 'routed' : 'vxlan';
      assert.match(order[2 * block] ?? '', new RegExp(`\\(${first}\\)$`));
    }
    const baseA = ms.find((x) => x.arm === 'routed' && x.measurement.id === 'latency/rr/payload=1/baseline');
    assert.deepEqual(ra?.paired?.samples, baseA?.measurement.samples);
    assert.equal(ra?.paired?.id, 'latency/rr/payload=1/baseline');
  });
});
