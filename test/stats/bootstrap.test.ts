import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bootstrapMedianCi, bootstrapRelativeDifferenceCi, medianStat } from '../../src/stats/bootstrap.js';
import { medianOf } from '../../src/stats/quantile.js';
import { seededRandom } from '../../src/stats/prng.js';

test('linear-time bootstrap median equals the sorted median (odd, even, ties, sorted input)', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 60 }), (xs) => {
      return medianStat(Float64Array.from(xs)) === medianOf(xs);
    }),
    { numRuns: 500 },
  );
  assert.equal(medianStat(Float64Array.from([1, 2, 3, 4, 5, 6])), 3.5);
  assert.equal(medianStat(Float64Array.from([7, 7, 7, 7])), 7);
});

test('seeded generator: same seed same stream, values in [0, 1)', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 1000 }, () => a());
  assert.deepEqual(
    xs.slice(0, 5),
    Array.from({ length: 5 }, () => b()),
  );
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});

test('bootstrap median CI: covers the median, inside the range, reproducible, seed-dependent', () => {
  const xs = Array.from({ length: 30 }, (_, i) => (i * 17) % 31);
  const ci = bootstrapMedianCi(xs);
  assert.deepEqual(bootstrapMedianCi(xs), ci);
  assert.ok(ci[0] <= medianOf(xs) && medianOf(xs) <= ci[1]);
  assert.ok(ci[0] >= Math.min(...xs) && ci[1] <= Math.max(...xs));
  assert.deepEqual(bootstrapMedianCi([4]), [4, 4]);
});

test('relative-difference CI of a pure 2× scaling is exactly [1, 1] for the median', () => {
  // Resampling b = 2a with the same indexes is not guaranteed (independent draws), so use constants.
  assert.deepEqual(bootstrapRelativeDifferenceCi([3, 3, 3], [6, 6, 6], medianStat), [1, 1]);
  assert.equal(bootstrapRelativeDifferenceCi([0, 0], [1, 2], medianStat), null);
});
