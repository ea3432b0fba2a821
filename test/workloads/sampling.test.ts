import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { blockOrder, collectBlocks, workloadBudget, type FigureSpec } from '../../src/workloads/sampling.js';
import { ciHalfWidthPercent, tCritical } from '../../src/stats/ci.js';

const FIG: FigureSpec = { id: 'x', statistic: 'mean', adaptive: true };

/** A turn that returns each arm's values in order and records the calls. */
function sequences(values: Record<string, number[]>) {
  const calls: string[] = [];
  const next: Record<string, number> = {};
  const turn = (arm: string, phase: string, block: number) => {
    calls.push(`${phase}${block}:${arm}`);
    const i = next[arm] ?? 0;
    next[arm] = i + 1;
    const v = values[arm]?.[i];
    if (v === undefined) return Promise.reject(new Error(`sequence of ${arm} exhausted`));
    return Promise.resolve({ x: v });
  };
  return { turn, calls };
}

describe('collectBlocks', () => {
  test('fixed count: warm-up blocks first and kept apart; every block runs every arm once', async () => {
    const { turn, calls } = sequences({ a: [100, 10, 11, 12], b: [200, 20, 21, 22] });
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 3, warmup: 1, adaptive: false },
      seed: 7,
      figures: [FIG],
      turn,
    });
    assert.deepEqual(r.get('a')?.get('x')?.warmup, [100]);
    assert.deepEqual(r.get('a')?.get('x')?.samples, [10, 11, 12]);
    assert.deepEqual(r.get('b')?.get('x')?.samples, [20, 21, 22]);
    assert.equal(calls.length, 8);
    for (let block = 0; block < 3; block++) {
      const inBlock = calls.filter((c) => c.startsWith(`sample${block}:`)).map((c) => c.split(':')[1]);
      assert.deepEqual([...inBlock].sort(), ['a', 'b'], `block ${block} runs each arm once`);
      // Positions are recorded and match the order the turns ran in.
      const sa = r.get('a')?.get('x')?.schedule[block];
      const sb = r.get('b')?.get('x')?.schedule[block];
      assert.equal(sa?.block, block);
      assert.equal(sb?.block, block);
      assert.deepEqual([sa?.position, sb?.position].sort(), [0, 1]);
      assert.equal(inBlock[sa?.position ?? -1], 'a');
    }
  });

  test('the order of a block is a seeded shuffle: reproducible, and it varies across blocks and seeds', () => {
    const arms = ['a', 'b', 'c', 'd'];
    assert.deepEqual(blockOrder(1, 'u', 3, arms), blockOrder(1, 'u', 3, arms));
    const orders = new Set(Array.from({ length: 40 }, (_, b) => blockOrder(1, 'u', b, arms).join('')));
    assert.ok(orders.size > 5, `only ${orders.size} distinct orders over 40 blocks`);
    const firsts = Array.from({ length: 200 }, (_, b) => blockOrder(9, 'u', b, ['a', 'b'])[0]);
    const share = firsts.filter((x) => x === 'a').length / firsts.length;
    assert.ok(share > 0.35 && share < 0.65, `a goes first in ${share} of the blocks`);
    assert.notDeepEqual(
      Array.from({ length: 20 }, (_, b) => blockOrder(1, 'u', b, arms).join('')),
      Array.from({ length: 20 }, (_, b) => blockOrder(2, 'u', b, arms).join('')),
    );
  });

  test('paired figures carry the baseline samples of the same turns', async () => {
    let i = 0;
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a'],
      reps: { count: 3, warmup: 0, adaptive: false },
      seed: 1,
      figures: [
        { id: 'base', statistic: 'mean', adaptive: true },
        { id: 'path', statistic: 'mean', adaptive: true, pairedWith: 'base' },
      ],
      turn: () => {
        i++;
        return Promise.resolve({ base: 10 * i, path: i });
      },
    });
    assert.deepEqual(r.get('a')?.get('path')?.paired, { id: 'base', samples: [10, 20, 30] });
    assert.equal(r.get('a')?.get('base')?.paired, undefined);
  });

  test('sequential: stops once the comparison is decided (a clear 20% difference), not before count', async () => {
    // b is 20% above a in every block, with 2% noise: decided after the first look.
    const noise = [1, 1.02, 0.98, 1.01, 0.99, 1, 1.02, 0.98, 1.01, 0.99];
    const { turn, calls } = sequences({
      a: [50, ...noise.map((x) => 10 * x)],
      b: [50, ...noise.map((x, i) => 12 * x * (i % 2 ? 1.01 : 0.99))],
    });
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 4, warmup: 1, adaptive: { maxSamples: 10 } },
      seed: 1,
      figures: [FIG],
      turn,
    });
    const a = r.get('b')?.get('x')?.adaptive;
    assert.ok(a && a.stopped === 'decided' && a.decided, JSON.stringify(a));
    assert.equal(a.minBlocks, 4);
    assert.equal(a.maxBlocks, 10);
    assert.ok(a.blocks >= 4 && a.blocks < 10, `${a.blocks} blocks`);
    assert.equal(calls.length, 2 * (1 + a.blocks));
  });

  test('sequential: latency figures never stop at n = 3 "target reached": an undecided comparison keeps sampling', async () => {
    // Two identical latency arms with tight values: the old rule stopped at 3 (CI within 5%). The new
    // one samples on until the comparison is decided (here: equivalent) or the maximum is reached.
    const vals = [40, 40.4, 39.8, 40.2, 39.9, 40.1, 40.3, 39.7, 40, 40.2];
    const { turn } = sequences({ a: vals, b: [...vals].reverse() });
    // The old scenario field is passed along: the old rule stopped on it, the new one ignores it.
    const adaptive = { maxSamples: 10, targetCiPercent: 5 } as { maxSamples: number };
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 3, warmup: 0, adaptive },
      seed: 1,
      figures: [{ id: 'x', statistic: 'median', adaptive: true }],
      turn,
    });
    const a = r.get('b')?.get('x')?.adaptive;
    assert.ok(a, 'recorded');
    assert.ok(a.blocks > 3, `stopped at ${a.blocks} blocks`);
  });

  test('sequential: an undecidable comparison runs to maxSamples; noise alone never stops it early', async () => {
    const { turn } = sequences({
      a: [10, 1, 10, 1, 10, 1, 10, 1],
      b: [1, 10, 1, 10, 1, 10, 1, 10],
    });
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 3, warmup: 0, adaptive: { maxSamples: 7 } },
      seed: 1,
      figures: [FIG],
      turn,
    });
    assert.equal(r.get('a')?.get('x')?.samples.length, 7);
    assert.equal(r.get('b')?.get('x')?.adaptive?.stopped, 'max-blocks');
    assert.equal(r.get('b')?.get('x')?.adaptive?.decided, false);
  });

  test('sequential: the time budget stops adding blocks (the first count blocks always run)', async () => {
    let clock = 0;
    const { turn } = sequences({
      a: [10, 1, 10, 1, 10, 1, 10, 1, 10, 1],
      b: [1, 10, 1, 10, 1, 10, 1, 10, 1, 10],
    });
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 3, warmup: 0, adaptive: { maxSamples: 10 }, maxDuration: '50s' },
      seed: 1,
      figures: [FIG],
      now: () => clock,
      deadline: 50_000,
      turn: (arm, phase, block) => {
        clock += 5_000; // 10 s per block of two turns
        return turn(arm, phase, block);
      },
    });
    const a = r.get('a')?.get('x')?.adaptive;
    assert.equal(a?.stopped, 'budget');
    assert.equal(a?.blocks, 5, 'blocks 1–3 unconditionally; the 5th ends at 50 s, a 6th would end after it');
    assert.equal(a?.maxDurationSeconds, 50);
  });

  test('workloadBudget: the units of a workload share its time in turn', () => {
    let t = 0;
    const next = workloadBudget(
      { count: 3, warmup: 0, adaptive: { maxSamples: 10 }, maxDuration: '90s' },
      3,
      () => t,
    );
    assert.equal(next(), 30_000);
    t = 10_000; // the first unit stopped early: the rest share what is left
    assert.equal(next(), 10_000 + 40_000);
    assert.equal(
      workloadBudget({ count: 3, warmup: 0, adaptive: false, maxDuration: '90s' }, 1)(),
      undefined,
      'no budget without sequential sampling',
    );
  });

  test('adaptive: false (the policy-scale sweep) takes exactly count blocks', async () => {
    const { turn } = sequences({ a: [1, 10, 1, 10, 1] });
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a'],
      reps: { count: 2, warmup: 0, adaptive: { maxSamples: 5 } },
      seed: 1,
      adaptive: false,
      figures: [FIG],
      turn,
    });
    assert.equal(r.get('a')?.get('x')?.samples.length, 2);
    assert.equal(r.get('a')?.get('x')?.adaptive, undefined);
  });

  test('a non-finite value is an error naming the figure and the run', async () => {
    const { turn } = sequences({ a: [1, NaN] });
    await assert.rejects(
      collectBlocks({
        unit: 'u',
        arms: ['a'],
        reps: { count: 2, warmup: 0, adaptive: false },
        seed: 1,
        figures: [FIG],
        turn,
      }),
      /x: a's sample run 2 produced a non-finite value/,
    );
  });

  test('an aborted signal stops the loop', async () => {
    const ac = new AbortController();
    let n = 0;
    const turn = () => {
      if (++n === 2) ac.abort(new Error('stop now'));
      return Promise.resolve({ x: 1 });
    };
    await assert.rejects(
      collectBlocks({
        unit: 'u',
        arms: ['a'],
        reps: { count: 5, warmup: 0, adaptive: false },
        seed: 1,
        figures: [FIG],
        turn,
        signal: ac.signal,
      }),
      /stop now/,
    );
    assert.equal(n, 2);
  });
});

describe('CI half-width (the one definition, stats/ci.ts)', () => {
  test('mean figure: t(2)·s/√n relative to the mean for [9, 10, 11]', () => {
    // t(0.975, df 2) = 4.3027 (table value 4.303), s = 1, n = 3, mean 10.
    assert.ok(Math.abs(tCritical(2) - 4.3027) < 1e-4);
    const expected = ((tCritical(2) * 1) / Math.sqrt(3) / 10) * 100;
    assert.ok(Math.abs(ciHalfWidthPercent([9, 10, 11], 'mean') - expected) < 1e-9);
    assert.ok(Math.abs(ciHalfWidthPercent([9, 10, 11], 'mean') - 24.84) < 0.01);
    assert.equal(ciHalfWidthPercent([5], 'mean'), Infinity);
    assert.equal(ciHalfWidthPercent([5], 'median'), Infinity);
  });
  test('Student t critical values from stdlib match the t table', () => {
    for (const [df, t] of [
      [1, 12.706],
      [4, 2.776],
      [10, 2.228],
      [30, 2.042],
    ] as const) {
      assert.ok(Math.abs(tCritical(df) - t) < 1e-3, `df ${df}: ${tCritical(df)}`);
    }
  });
});
