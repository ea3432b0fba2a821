import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { blockOrder, collectBlocks, type FigureSpec } from '../../src/workloads/sampling.js';
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

  test('adaptive: stops once every arm’s figure is within the target, after the minimum count', async () => {
    const { turn, calls } = sequences({
      a: [50, 10, 10.1, 9.9, 10, 10, 10],
      b: [50, 20, 20.1, 19.9, 20, 20, 20],
    });
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 3, warmup: 1, adaptive: { targetCiPercent: 5, maxSamples: 20 } },
      seed: 1,
      figures: [FIG],
      turn,
    });
    assert.deepEqual(r.get('a')?.get('x')?.samples, [10, 10.1, 9.9]);
    const a = r.get('a')?.get('x')?.adaptive;
    assert.equal(a?.reached, true);
    assert.ok((a?.ciPercent ?? 99) <= 5);
    assert.equal(calls.length, 8);
  });

  test('adaptive: one noisy arm keeps every arm sampling, up to maxSamples; reached is per figure', async () => {
    const { turn } = sequences({
      a: [10, 10, 10, 10, 10, 10, 10, 10],
      b: [1, 10, 1, 10, 1, 10, 1, 10],
    });
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a', 'b'],
      reps: { count: 3, warmup: 0, adaptive: { targetCiPercent: 1, maxSamples: 7 } },
      seed: 1,
      figures: [FIG],
      turn,
    });
    assert.equal(r.get('a')?.get('x')?.samples.length, 7);
    assert.equal(r.get('b')?.get('x')?.samples.length, 7);
    assert.equal(r.get('a')?.get('x')?.adaptive?.reached, true);
    assert.equal(r.get('b')?.get('x')?.adaptive?.reached, false);
    assert.equal(r.get('b')?.get('x')?.adaptive?.maxSamples, 7);
  });

  test('adaptive: false (the policy-scale sweep) takes exactly count blocks', async () => {
    const { turn } = sequences({ a: [1, 10, 1, 10, 1] });
    const r = await collectBlocks({
      unit: 'u',
      arms: ['a'],
      reps: { count: 2, warmup: 0, adaptive: { targetCiPercent: 1, maxSamples: 5 } },
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
