/**
 * The planted handicap's sizing (rate cap, busy-waits, the warm-up figure), the tbf settings a cap
 * becomes, the agent's busy-wait, the CPU placement and the turn wrappers (duet, planted) — all pure or
 * self-timed, no namespaces.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  connectionServiceUs,
  rateCapBitsPerSecond,
  roundTripServiceUs,
  warmupFigure,
} from '../../../src/workloads/tools/planted.js';
import { tbfArgv, tbfParameters } from '../../../src/cluster/local/rate-cap.js';
import { busyWaitUs } from '../../../src/agent/busy-wait.js';
import { cpuPlacement } from '../../../src/workloads/tools/cpu-placement.js';
import { duetTurns, plantedTurns, unitTurn, type Turn } from '../../../src/workloads/tools/turns.js';
import { collectBlocks } from '../../../src/workloads/sampling.js';

describe('planted handicap sizing', () => {
  test('a rate cap at (100 − P) % of the warm-up throughput', () => {
    assert.equal(rateCapBitsPerSecond(10, 10), 9e9);
    assert.equal(rateCapBitsPerSecond(2.5, 20), 2e9);
    assert.equal(rateCapBitsPerSecond(1, 90), 1e8);
  });

  test('round trips: a busy-wait of P % of the warm-up round trip, so the figure rises by P %', () => {
    assert.equal(roundTripServiceUs(50, 10), 5);
    assert.equal(roundTripServiceUs(31.4, 20), 6.28);
    const rtt = 42;
    assert.ok(Math.abs((rtt + roundTripServiceUs(rtt, 15)) / rtt - 1.15) < 1e-9);
  });

  test('connection rate: a busy-wait of T·P/(100 − P) per connection, so the rate falls by P %', () => {
    // 4,000 conn/s is 250 µs a connection; 10 % fewer is 3,600 conn/s, 277.78 µs: 27.778 µs more.
    assert.equal(connectionServiceUs(4000, 10), 27.778);
    for (const [rate, p] of [
      [4800, 10],
      [250, 50],
      [100_000, 1],
    ] as const) {
      const after = 1e6 / (1e6 / rate + connectionServiceUs(rate, p));
      assert.ok(Math.abs(after / rate - (1 - p / 100)) < 1e-4, `${rate} conn/s, ${p} %: ${after}`);
    }
  });

  test('sizing refuses what cannot be a handicap', () => {
    assert.throws(() => rateCapBitsPerSecond(10, 0), /between 0 and 100/);
    assert.throws(() => roundTripServiceUs(50, 100), /between 0 and 100/);
    assert.throws(() => connectionServiceUs(0, 10), /warm-up connection rate is 0/);
    assert.throws(() => rateCapBitsPerSecond(Number.NaN, 10), /warm-up throughput is NaN/);
  });

  test('the warm-up figure is the median over every candidate’s warm-up runs of the unit', () => {
    const warmups = new Map([
      ['a-1', [{ x: 10, y: 1 }]],
      ['a-2', [{ x: 14 }, { x: 11 }]],
    ]);
    assert.equal(warmupFigure(warmups, 'x'), 11);
    assert.equal(warmupFigure(warmups, 'y'), 1);
    assert.throws(
      () => warmupFigure(new Map(), 'x'),
      /no warm-up run \(repetitions.warmup must be at least 1\)/,
    );
  });
});

describe('tbf settings of a rate cap', () => {
  test('a bucket of 1 ms at the rate, never under 256 KiB; a 20 ms queue', () => {
    assert.deepEqual(tbfParameters(9e9), { rateBit: 9e9, burstBytes: 1_125_000, latencyMs: 20 });
    assert.deepEqual(tbfParameters(2e8), { rateBit: 2e8, burstBytes: 262_144, latencyMs: 20 });
    assert.throws(() => tbfParameters(1000), /at least 8 kbit\/s/);
  });

  test('as tc argv, in the node namespace on the pod’s host-side veth', () => {
    assert.deepEqual(tbfArgv('cnb-abc-n1', 'cabcp3', tbfParameters(2011478402.4)), [
      'tc',
      '-n',
      'cnb-abc-n1',
      'qdisc',
      'replace',
      'dev',
      'cabcp3',
      'root',
      'tbf',
      'rate',
      '2011478402bit',
      'burst',
      '262144',
      'latency',
      '20ms',
    ]);
  });
});

describe('the agent’s busy-wait', () => {
  test('waits at least the time asked (self-timed on the monotonic clock), and nothing for 0', () => {
    assert.equal(busyWaitUs(0), 0);
    assert.equal(busyWaitUs(-5), 0);
    const spent: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t0 = process.hrtime.bigint();
      const reported = busyWaitUs(20);
      const wall = Number(process.hrtime.bigint() - t0) / 1000;
      assert.ok(reported >= 20, `reported ${reported} µs for 20`);
      assert.ok(wall >= 20, `took ${wall} µs for 20`);
      spent.push(wall);
    }
    // Loose: preemption on a shared machine makes single waits longer, not the typical one 1 ms longer.
    const sorted = spent.sort((a, b) => a - b);
    assert.ok((sorted[100] ?? Infinity) < 1020, `median ${sorted[100]} µs for 20`);
  });
});

describe('CPU placement', () => {
  test('one candidate at a time: client on CPU 0, server on CPU 1, for every candidate', () => {
    assert.deepEqual(cpuPlacement(0, false, 2), { client: '0', server: '1' });
    assert.deepEqual(cpuPlacement(1, false, 8), { client: '0', server: '1' });
  });
  test('duet: each candidate its own CPU, client and server together (A on 0, B on 1 on 2 cores)', () => {
    assert.deepEqual(cpuPlacement(0, true, 2), { client: '0', server: '0' });
    assert.deepEqual(cpuPlacement(1, true, 2), { client: '1', server: '1' });
    assert.deepEqual(cpuPlacement(2, true, 2), { client: '0', server: '0' });
  });
  test('duet: the candidates swap cores every block, so a slower core is no candidate’s bias', () => {
    const cores = (block: number) => [0, 1].map((i) => cpuPlacement(i, true, 2, block)?.client);
    assert.deepEqual(cores(0), ['0', '1']);
    assert.deepEqual(cores(1), ['1', '0']);
    assert.deepEqual(cores(2), ['0', '1']);
    assert.deepEqual(cpuPlacement(1, false, 2, 1), { client: '0', server: '1' });
  });
  test('one CPU: no pinning', () => {
    assert.equal(cpuPlacement(0, true, 1), undefined);
    assert.equal(cpuPlacement(0, false, 1), undefined);
  });
});

/** A turn that records when each candidate's turn starts and ends, taking `ms` each. */
function timedTurn(ms: number) {
  const log: string[] = [];
  const turn: Turn = async (arm, phase, block) => {
    log.push(`start ${phase}${block} ${arm}`);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`end ${phase}${block} ${arm}`);
    return { x: arm === 'a' ? 1 : 2 };
  };
  return { turn, log };
}

describe('turn wrappers', () => {
  test('duet: every candidate’s turn of a block starts when the first is asked for', async () => {
    const { turn, log } = timedTurn(20);
    const series = await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 2, warmup: 1, adaptive: false },
      seed: 1,
      figures: [{ id: 'x', statistic: 'mean', adaptive: false }],
      turn: duetTurns(['a', 'b'], turn),
    });
    // Both turns of a block start before either ends; blocks do not overlap.
    for (const blk of ['warmup0', 'sample0', 'sample1']) {
      const starts = log.flatMap((l, i) => (l.startsWith(`start ${blk} `) ? [i] : []));
      const ends = log.flatMap((l, i) => (l.startsWith(`end ${blk} `) ? [i] : []));
      assert.equal(starts.length, 2, blk);
      assert.ok(Math.max(...starts) < Math.min(...ends), `${blk}: ${log.join(', ')}`);
    }
    assert.deepEqual(series.get('a')?.get('x')?.samples, [1, 1]);
    assert.deepEqual(series.get('b')?.get('x')?.samples, [2, 2]);
  });

  test('duet: a failed turn the sampler never asks for is not an unhandled rejection', async () => {
    const turn: Turn = (arm) =>
      arm === 'a' ? Promise.reject(new Error('a failed')) : Promise.reject(new Error('b failed'));
    const duet = duetTurns(['a', 'b'], turn);
    await assert.rejects(duet('a', 'sample', 0), /a failed/);
    await new Promise((r) => setImmediate(r)); // an unhandled rejection would end the test process here
  });

  test('duet: the hook before each block runs before that block’s turns start', async () => {
    const { turn, log } = timedTurn(1);
    const duet = duetTurns(['a', 'b'], turn, (phase, block) => {
      log.push(`before ${phase}${block}`);
      return Promise.resolve();
    });
    await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 2, warmup: 0, adaptive: false },
      seed: 1,
      figures: [{ id: 'x', statistic: 'mean', adaptive: false }],
      turn: duet,
    });
    assert.equal(log[0], 'before sample0');
    assert.ok(log.indexOf('before sample1') > log.lastIndexOf('end sample0 a'), log.join(', '));
    assert.ok(log.indexOf('before sample1') < log.indexOf('start sample1 a'), log.join(', '));
  });

  test('planted: the handicap is installed once, after every warm-up and before the first measured turn', async () => {
    const { turn, log } = timedTurn(1);
    let seen: unknown;
    const wrapped = plantedTurns(turn, (warmups) => {
      log.push('install');
      seen = structuredClone(new Map(warmups));
      return Promise.resolve();
    });
    await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 2, warmup: 2, adaptive: false },
      seed: 3,
      figures: [{ id: 'x', statistic: 'mean', adaptive: false }],
      turn: wrapped,
    });
    assert.equal(log.filter((l) => l === 'install').length, 1);
    const at = log.indexOf('install');
    assert.ok(
      log.slice(0, at).every((l) => l.includes('warmup')),
      log.join(', '),
    );
    assert.ok(
      log.slice(at + 1).every((l) => l.includes('sample')),
      log.join(', '),
    );
    assert.deepEqual(
      seen,
      new Map([
        ['a', [{ x: 1 }, { x: 1 }]],
        ['b', [{ x: 2 }, { x: 2 }]],
      ]),
    );
  });

  test('planted: a failed installation fails the unit', async () => {
    const { turn } = timedTurn(1);
    const wrapped = unitTurn(['a', 'b'], turn, {
      duet: true,
      plant: () => Promise.reject(new Error('cannot cap')),
    });
    await assert.rejects(
      collectBlocks({
        unit: 'u',
        arms: ['a', 'b'],
        reps: { count: 1, warmup: 1, adaptive: false },
        seed: 3,
        figures: [{ id: 'x', statistic: 'mean', adaptive: false }],
        turn: wrapped,
      }),
      /cannot cap/,
    );
  });
});
