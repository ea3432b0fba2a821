/**
 * The "add a measurement tool" recipe followed: fakeperf (this folder) registered by one line is a
 * `tool` the scenario schema, `validate` and `plan` accept, and the throughput workload runs it through
 * its driver — server started once per path, one client run per sample, its output parsed into the
 * figures — against a scripted cluster that answers as the tool would. `tool: netperf`, which no
 * driver implements, is refused at validation with file, line and column.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterDriver, ExecResult, PerfPair, PodHandle } from '../../../../src/cluster/driver.js';
import { buildPlan, formatPlan } from '../../../../src/plan/build.js';
import { loadScenario } from '../../../../src/run/scenario-file.js';
import { InputError } from '../../../../src/util/errors.js';
import { runThroughput, type ThroughputWorkload } from '../../../../src/workloads/throughput/run.js';
import { registerThroughputTool } from '../../../../src/workloads/tools/registry.js';
import { fakeperf } from './fakeperf.js';

registerThroughputTool(fakeperf);

const scenario = (tool: string, protocol = 'TCP') => `name: t
cluster:
  kind: local
candidates:
  - name: a
    cni: local-routed
workloads:
  - kind: throughput
    tool: ${tool}
    protocol: ${protocol}
    streams: [2]
    paths: [cross-node]
`;

function problems(text: string): string[] {
  try {
    loadScenario('s.yaml', text);
  } catch (err) {
    assert.ok(err instanceof InputError);
    assert.equal(err.exitCode, 2);
    return err.problems;
  }
  return [];
}

const pod = (name: string, ip: string): PodHandle => ({
  namespace: 'perf',
  name,
  key: `perf/${name}`,
  node: 'n1',
  ip,
});

/** A cluster whose pods answer fakeperf's commands as the tool would, and log what ran. */
function scriptedCluster(rates: number[]) {
  const ran: string[] = [];
  let next = 0;
  const ok = (stdout: string): ExecResult => ({ stdout, stderr: '', exitCode: 0 });
  const driver: Pick<ClusterDriver, 'exec' | 'spawn'> = {
    exec(p, argv) {
      ran.push(`${p.name}: ${argv.join(' ')}`);
      if (argv[1] === '--version') return Promise.resolve(ok('fakeperf 1.2\n'));
      const bits = rates[next++ % rates.length] ?? 0;
      return Promise.resolve(ok(`connecting\nreceived ${bits} bits/s retrans 3\n`));
    },
    spawn(p, argv) {
      ran.push(`${p.name}: ${argv.join(' ')} &`);
      return Promise.resolve({ stop: () => Promise.resolve(ok('')) });
    },
  };
  return { driver: driver as ClusterDriver, ran };
}

describe('a throughput tool registered by one line', () => {
  test('the schema, validate and plan take it; a protocol it cannot run is refused', () => {
    assert.deepEqual(problems(scenario('fakeperf')), []);
    const { scenario: s } = loadScenario('s.yaml', scenario('fakeperf'));
    assert.match(formatPlan(buildPlan(s)), /a: fakeperf TCP throughput, streams 2, on cross-node, baseline/);
    assert.deepEqual(problems(scenario('fakeperf', 'UDP')), [
      's.yaml:10:15 workloads[0].protocol: fakeperf measures TCP only',
    ]);
  });

  test('a tool no driver implements (netperf) is refused at validation, naming the choices', () => {
    const [p, ...rest] = problems(scenario('netperf'));
    assert.deepEqual(rest, []);
    assert.equal(p, 's.yaml:9:11 workloads[0].tool: expected one of "iperf3", "fakeperf"');
  });

  test('the throughput workload runs its server, client and parser', async () => {
    const { driver, ran } = scriptedCluster([9.5e9, 9.7e9, 1e9, 1.1e9]);
    const pairs: PerfPair[] = [
      {
        path: 'baseline',
        client: pod('base-c', '10.0.0.1'),
        server: pod('base-s', '10.0.0.2'),
        target: '10.0.0.2',
      },
      {
        path: 'cross-node',
        client: pod('c', '10.244.0.5'),
        server: pod('s', '10.244.1.5'),
        target: '10.244.1.5',
      },
    ];
    const { scenario: s } = loadScenario('s.yaml', scenario('fakeperf'));
    const workload = s.workloads[0] as ThroughputWorkload;
    const out = await runThroughput(
      [{ name: 'a', driver, topology: { pairs }, agentCommand: ['agent'] }],
      { ...workload, duration: 1 },
      { count: 2, warmup: 0, adaptive: false },
      { seed: 1 },
    );
    const byId = new Map(out.map((m) => [m.measurement.id, m.measurement]));
    const cross = byId.get('throughput/tcp/streams=2/cross-node');
    assert.ok(cross, `measurements: ${[...byId.keys()].join(', ')}`);
    assert.deepEqual(cross.tool, { name: 'fakeperf', version: '1.2' });
    assert.equal(cross.parameters.tool, 'fakeperf');
    assert.equal(cross.samples.length, 2);
    assert.deepEqual(cross.details, { retransmits: 6 });
    // Each sample turn runs the baseline first, then the pod path; rates alternate accordingly.
    assert.deepEqual(cross.samples, [9.7, 1.1]);
    assert.deepEqual(byId.get('throughput/tcp/streams=2/baseline')?.samples, [9.5, 1]);
    assert.ok(ran.includes('s: fakeperf -s -p 5201 &'), ran.join('\n'));
    assert.ok(ran.includes('c: fakeperf -c 10.244.1.5 -t 1 -P 2'), ran.join('\n'));
  });
});
