import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitneyU, welchTTest } from '../../src/stats/tests.js';

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected} ± ${tol}, got ${actual}`);

describe('Mann–Whitney U', () => {
  test('complete separation 5 vs 5: U = 0, exact p = 2/C(10,5) = 2/252', () => {
    const r = mannWhitneyU([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    assert.equal(r.u, 0);
    assert.equal(r.method, 'exact');
    close(r.p, 2 / 252, 1e-15, 'p');
  });
  test('3 vs 3 can never reach 0.05: smallest p = 2/C(6,3) = 0.1', () => {
    const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
    close(r.p, 0.1, 1e-15, 'p');
    close(r.minAchievableP ?? NaN, 0.1, 1e-15, 'min p');
  });
  // Published example (SciPy reference docs for mannwhitneyu, after Conover): ages of male and
  // female subjects; U1 = 17, exact two-sided p = 0.1111, asymptotic p = 0.11135.
  const males = [19, 22, 16, 29, 24];
  const females = [20, 11, 17, 12];
  test('males vs females: U1 = 17, exact p = 0.1111 (= 14/126 by enumeration)', () => {
    const r = mannWhitneyU(males, females);
    assert.equal(r.u1, 17);
    assert.equal(r.u, 3);
    // P(U <= 3) for n = 5, 4: 1+1+2+3 = 7 of C(9,4) = 126 arrangements; two-sided 14/126.
    close(r.p, 14 / 126, 1e-12, 'p');
  });
  test('normal approximation with a tie: worked by hand', () => {
    // Pooled sorted: 11 12 16 17 19 20 20 22 24 29 → the two 20s share rank 6.5.
    // R1 (first sample 19,22,16,29,24,20) = 5+8+3+10+9+6.5 = 41.5; U1 = 41.5 − 21 = 20.5; μ = 12
    // σ² = 24/12 · (11 − (2³−2)/(10·9)) = 2 · (11 − 0.0666667) = 21.866667
    // z = (20.5 − 12 − 0.5)/√21.866667 = 8/4.676180 = 1.710798; p = 2(1 − Φ(z)) = 0.087118
    const r = mannWhitneyU([...males, 20], females);
    assert.equal(r.method, 'normal');
    assert.equal(r.u1, 20.5);
    close(r.z ?? NaN, 1.710798, 1e-6, 'z');
    close(r.p, 0.087118, 2e-6, 'p');
  });
  test('identical samples → p = 1; everything tied → p = 1', () => {
    assert.equal(mannWhitneyU([3, 1, 2, 5], [3, 1, 2, 5]).p, 1);
    assert.equal(mannWhitneyU([4, 4, 4], [4, 4]).p, 1);
  });
  test('large samples use the normal approximation and detect a shift', () => {
    const a = Array.from({ length: 40 }, (_, i) => 100 + (i % 10));
    const b = a.map((x) => x + 5);
    const r = mannWhitneyU(a, b);
    assert.equal(r.method, 'normal');
    assert.ok(r.p < 1e-4, `p = ${r.p}`);
  });
});

describe('Welch t test', () => {
  // Wikipedia "Welch's t-test", example data A1 and A2 (15 values each).
  const A1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
  const A2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
  test('A1 vs A2: t = 2.4554, df = 24.99, p = 0.0214 (arithmetic in the comment)', () => {
    // means 312.3/15 = 20.82 and 344.8/15 = 22.98667; s² = 7.867429 and 3.812667
    // se² = 7.867429/15 + 3.812667/15 = 0.524495 + 0.254178 = 0.778673; t = 2.166667/0.882425 = 2.455356
    // df = 0.778673² / (0.524495²/14 + 0.254178²/14) = 0.606331/(0.0196498 + 0.0046147) = 24.9885
    const r = welchTTest(A1, A2);
    close(r.meanA, 20.82, 1e-12, 'mean A1');
    close(r.t, 2.455356, 1e-6, 't');
    close(r.df, 24.98853, 1e-4, 'df');
    close(r.p ?? NaN, 0.021378, 1e-6, 'p');
  });
  test('sign follows mean(b) − mean(a)', () => assert.ok(welchTTest(A2, A1).t < 0));
  test('identical samples → t = 0, p = 1', () => {
    const r = welchTTest([5, 6, 7], [5, 6, 7]);
    assert.equal(r.t, 0);
    close(r.p ?? NaN, 1, 1e-12, 'p');
  });
  test('zero variance: equal constants p = 1, different constants p = 0', () => {
    assert.equal(welchTTest([2, 2, 2], [2, 2]).p, 1);
    assert.equal(welchTTest([2, 2, 2], [3, 3]).p, 0);
  });
  test('a side with one sample: no test (p = null)', () => assert.equal(welchTTest([1], [2, 3]).p, null));
});
