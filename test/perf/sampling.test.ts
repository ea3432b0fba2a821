import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ciHalfWidthPercent, collectSamples } from '../../src/workloads/sampling.js';
import { tCritical } from '../../src/stats/ci.js';

/** A takeOne that returns the given values in order and records the phases it was called with. */
function sequence(values: number[]) {
  const calls: string[] = [];
  let i = 0;
  const takeOne = async (phase: string) => {
    calls.push(phase);
    if (i >= values.length) throw new Error('sequence exhausted');
    return values[i++];
  };
  return { takeOne, calls };
}

describe('collectSamples', () => {
  test('fixed count: warm-up runs first and kept apart', async () => {
    const { takeOne, calls } = sequence([100, 200, 10, 11, 12]);
    const r = await collectSamples(takeOne, { count: 3, warmup: 2 });
    assert.deepEqual(r.warmup, [100, 200]);
    assert.deepEqual(r.samples, [10, 11, 12]);
    assert.deepEqual(calls, ['warmup', 'warmup', 'sample', 'sample', 'sample']);
    assert.equal(r.adaptive, undefined);
  });

  test('adaptive stops as soon as the CI is tight', async () => {
    // Three nearly equal values: CI half-width well under 5% after the minimum of 3.
    const { takeOne, calls } = sequence([50, 10, 10.1, 9.9, 10, 10, 10, 10]);
    const r = await collectSamples(takeOne, {
      count: 3,
      warmup: 1,
      adaptive: { targetCiPercent: 5, maxSamples: 20 },
    });
    assert.deepEqual(r.warmup, [50], 'the warm-up outlier is excluded from the samples');
    assert.deepEqual(r.samples, [10, 10.1, 9.9]);
    assert.equal(r.adaptive?.reached, true);
    assert.ok(r.adaptive!.ciPercent <= 5);
    assert.equal(calls.length, 4);
  });

  test('adaptive keeps sampling while noisy and respects maxSamples', async () => {
    const noisy = [1, 10, 1, 10, 1, 10, 1, 10, 1, 10, 1, 10];
    const { takeOne } = sequence(noisy);
    const r = await collectSamples(takeOne, {
      count: 3,
      warmup: 0,
      adaptive: { targetCiPercent: 1, maxSamples: 7 },
    });
    assert.equal(r.samples.length, 7);
    assert.equal(r.adaptive?.reached, false);
    assert.equal(r.adaptive?.maxSamples, 7);
    assert.ok(r.adaptive!.ciPercent > 1);
  });

  test('adaptive with a bootstrap of the median also converges on tight data', async () => {
    const { takeOne } = sequence([20, 20.2, 19.8, 20.1, 19.9, 20, 20, 20]);
    const r = await collectSamples(
      takeOne,
      { count: 3, warmup: 0, adaptive: { targetCiPercent: 2, maxSamples: 8 } },
      { ciMethod: 'bootstrap-median', minSamples: 5 },
    );
    assert.equal(r.samples.length, 5);
    assert.equal(r.adaptive?.reached, true);
  });

  test('a non-finite value is an error naming the run', async () => {
    const { takeOne } = sequence([1, NaN]);
    await assert.rejects(
      collectSamples(takeOne, { count: 2, warmup: 0 }),
      /sample run 2 produced a non-finite value/,
    );
  });

  test('an aborted signal stops the loop', async () => {
    const ac = new AbortController();
    let n = 0;
    const takeOne = async () => {
      if (++n === 2) ac.abort(new Error('stop now'));
      return 1;
    };
    await assert.rejects(collectSamples(takeOne, { count: 5, warmup: 0 }, { signal: ac.signal }), /stop now/);
    assert.equal(n, 2);
  });
});

describe('CI helpers', () => {
  test('t-based half-width of [9, 10, 11] is t(2)·s/√n relative to the median', () => {
    // t(0.975, df 2) = 4.3027 (table value 4.303), s = 1, n = 3, median 10.
    assert.ok(Math.abs(tCritical(2) - 4.3027) < 1e-4);
    const expected = ((tCritical(2) * 1) / Math.sqrt(3) / 10) * 100;
    assert.ok(Math.abs(ciHalfWidthPercent([9, 10, 11]) - expected) < 1e-9);
    assert.ok(Math.abs(ciHalfWidthPercent([9, 10, 11]) - 24.84) < 0.01);
    assert.equal(ciHalfWidthPercent([5]), Infinity);
  });
});
