// Uses SYNTHETIC measurements (test/stats/fixtures.ts), never real ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relativeToBest } from '../../src/scoring/performance.js';
import { performanceTies } from '../../src/scoring/ties.js';
import { syntheticMeasurements, syntheticResults } from '../stats/fixtures.js';

const candidates = (scale: number) =>
  syntheticResults('r1', [
    { name: 'a', measurements: syntheticMeasurements(1) },
    { name: 'b', measurements: syntheticMeasurements(scale) },
  ]).candidates;

test('equivalent or inconclusive figures tie in the performance criterion; a shown difference does not', () => {
  // 2% slower round trips: inside the 5% margin, but not shown to be (rank test at n = 8) → inconclusive.
  const close = candidates(1.02);
  const ties = performanceTies(close);
  const rtt = close[1]?.measurements.find((m) => m.metric === 'rtt');
  assert.ok(rtt);
  assert.equal(ties('a', 'b', rtt), true);
  const b = close[1];
  assert.ok(b);
  assert.equal(relativeToBest(b, close, 'rtt', 'median', false, undefined, ties).score, 100);
  assert.ok((relativeToBest(b, close, 'rtt', 'median', false).score ?? 100) < 100, 'without ties: below 100');
  // 20% slower: worse, shown → no tie, the score follows the values.
  const far = candidates(1.2);
  const farTies = performanceTies(far);
  const fb = far[1];
  assert.ok(fb);
  const s = relativeToBest(fb, far, 'rtt', 'median', false, undefined, farTies).score ?? 0;
  assert.ok(Math.abs(s - 100 / 1.2) < 1e-9, `score ${s}`);
});
