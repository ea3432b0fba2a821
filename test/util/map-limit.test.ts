import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mapLimit } from '../../src/util/map-limit.js';

/** Runs mapLimit over delays (ms) and records the most calls that were in flight at once. */
async function peakOf(delays: number[], limit: number): Promise<{ out: number[]; peak: number }> {
  let inFlight = 0;
  let peak = 0;
  const out = await mapLimit(delays, limit, async (ms, i) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, ms));
    inFlight--;
    return i * 10;
  });
  return { out, peak };
}

describe('mapLimit', () => {
  test('keeps the input order and never exceeds the limit', async () => {
    const { out, peak } = await peakOf([5, 1, 4, 2, 3, 0], 2);
    assert.deepEqual(out, [0, 10, 20, 30, 40, 50]);
    assert.equal(peak, 2);
  });

  test('a limit below 1 runs one at a time; a fraction is rounded down', async () => {
    assert.equal((await peakOf([2, 1, 0], 0)).peak, 1);
    assert.equal((await peakOf([2, 1, 0, 1], 2.9)).peak, 2);
  });

  test('an empty list gives an empty result without calling fn', async () => {
    assert.deepEqual(await mapLimit([], 4, () => Promise.reject(new Error('called'))), []);
  });

  test('rejects with the first failure and still starts every item', async () => {
    const started: number[] = [];
    await assert.rejects(
      mapLimit([0, 1, 2, 3], 2, async (n) => {
        started.push(n);
        await new Promise((r) => setTimeout(r, 1));
        if (n === 1) throw new Error('item 1 failed');
        return n;
      }),
      /item 1 failed/,
    );
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(started.sort(), [0, 1, 2, 3]);
  });
});
