import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from '../../src/stats/summary.js';
import { ciHalfWidthPercent as ciPercent, figureCi } from '../../src/stats/ci.js';

const ciHalfWidthPercent = (xs: number[]) => ciPercent(xs, 'mean');
import { InvalidSampleError } from '../../src/stats/errors.js';
import { ExitCode } from '../../src/util/errors.js';

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected} ± ${tol}, got ${actual}`);

describe('summarize', () => {
  test('five samples, values worked by hand', () => {
    const s = summarize([2, 4, 4, 5, 10]);
    assert.equal(s.n, 5);
    assert.equal(s.mean, 5); // 25 / 5
    assert.equal(s.median, 4);
    // squared deviations 9 + 1 + 1 + 0 + 25 = 36; s² = 36/4 = 9; s = 3
    assert.equal(s.stdev, 3);
    assert.equal(s.cv, 0.6);
    assert.equal(s.min, 2);
    assert.equal(s.max, 10);
    assert.equal(s.p50, 4);
    // type 7: h = 4·0.9 = 3.6 → 5 + 0.6·(10 − 5) = 8; h = 3.96 → 5 + 0.96·5 = 9.8
    close(s.p90, 8, 1e-12, 'p90');
    close(s.p99, 9.8, 1e-12, 'p99');
    // CI of the mean: 5 ± t(0.975,4)·3/√5 = 5 ± 2.776445·1.341641 = 5 ± 3.724992
    close(s.ci95[0], 1.275008, 1e-5, 'ci low');
    close(s.ci95[1], 8.724992, 1e-5, 'ci high');
    assert.equal(s.ciDefined, true);
    // Q1 = 4, Q3 = 5, IQR = 1, fences [2.5, 6.5] → 2 (index 0) and 10 (index 4) flagged, not dropped
    assert.equal(s.iqr, 1);
    assert.deepEqual(s.outlierFences, [2.5, 6.5]);
    assert.deepEqual(s.outliers, [0, 4]);
    assert.deepEqual(s.bootstrap, { resamples: 2000, seed: 0x5eed });
    // A bootstrap median is always one of the order statistics' interpolations inside [min, max].
    assert.ok(s.ci95Median[0] >= 2 && s.ci95Median[0] <= 4 && s.ci95Median[1] >= 4 && s.ci95Median[1] <= 10);
  });

  test('bootstrap CI of the median is reproducible and depends on the seed', () => {
    const xs = Array.from({ length: 40 }, (_, i) => 100 + ((i * 37) % 23));
    assert.deepEqual(summarize(xs).ci95Median, summarize(xs).ci95Median);
    const s = summarize(xs);
    assert.ok(s.ci95Median[0] <= s.median && s.median <= s.ci95Median[1]);
    assert.ok(s.ci95Median[1] - s.ci95Median[0] < s.max - s.min, 'narrower than the range with 40 samples');
  });

  test('one sample: CIs are [x, x] and marked not defined; nothing is NaN', () => {
    const s = summarize([7.5]);
    assert.deepEqual(s.ci95, [7.5, 7.5]);
    assert.deepEqual(s.ci95Median, [7.5, 7.5]);
    assert.equal(s.ciDefined, false);
    assert.equal(s.stdev, 0);
    for (const v of Object.values(s)) if (typeof v === 'number') assert.ok(Number.isFinite(v));
    assert.equal(JSON.stringify(s).includes('null'), false);
  });

  test('identical samples: zero spread, zero-width CIs, no outliers', () => {
    const s = summarize([3, 3, 3, 3]);
    assert.equal(s.stdev, 0);
    assert.equal(s.cv, 0);
    assert.deepEqual(s.ci95, [3, 3]);
    assert.deepEqual(s.ci95Median, [3, 3]);
    assert.deepEqual(s.outliers, []);
    assert.equal(s.ciDefined, true);
  });

  test('NaN or Infinity: a clear error naming the measurement and sample, exit code 3', () => {
    assert.throws(
      () => summarize([1, 2, NaN], { label: 'cilium/throughput/cross-node' }),
      (e: unknown) =>
        e instanceof InvalidSampleError &&
        e.exitCode === ExitCode.environment &&
        /cilium\/throughput\/cross-node/.test(e.message) &&
        /sample #2 is NaN/.test(e.message),
    );
    assert.throws(() => summarize([Infinity], { label: 'x' }), /sample #0 is Infinity/);
    assert.throws(() => summarize([], { label: 'empty one' }), /empty one.*no samples/);
  });
});

describe('ciHalfWidthPercent', () => {
  test('worked example: [2,4,4,5,10] → 3.724992 / 5 = 74.4998%', () => {
    close(ciHalfWidthPercent([2, 4, 4, 5, 10]), 74.4998, 1e-3, 'percent');
  });
  test('tight samples: [100, 101, 99, 100] → t(0.975,3)·0.816497/2 = 1.29923%', () => {
    // s = √(2/3) = 0.816497, half = 3.182446·0.816497/2 = 1.299229, mean 100
    close(ciHalfWidthPercent([100, 101, 99, 100]), 1.299229, 1e-5, 'percent');
  });
  test('edge cases: one sample → Infinity, identical → 0, non-finite → Infinity', () => {
    assert.equal(ciHalfWidthPercent([5]), Infinity);
    assert.equal(ciHalfWidthPercent([]), Infinity);
    assert.equal(ciHalfWidthPercent([4, 4, 4]), 0);
    assert.equal(ciHalfWidthPercent([4, NaN, 4]), Infinity);
  });
  test('the median figure: half the bootstrap CI of the median, % of the median (the summary’s ci95Median)', () => {
    const xs = [40, 42, 41, 45, 43, 44, 41];
    const s = summarize(xs);
    const [lo, hi] = s.ci95Median;
    close(ciPercent(xs, 'median'), ((hi - lo) / 2 / s.median) * 100, 1e-12, 'percent');
    assert.deepEqual(figureCi(xs, 'median').ci, s.ci95Median);
    assert.deepEqual(figureCi(xs, 'mean').ci, s.ci95);
  });
  test('shrinks as samples accumulate', () => {
    const xs = Array.from({ length: 60 }, (_, i) => 50 + ((i * 7) % 5));
    assert.ok(ciHalfWidthPercent(xs.slice(0, 60)) < ciHalfWidthPercent(xs.slice(0, 6)));
  });
});
