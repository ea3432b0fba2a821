// Distribution functions against published table values (Student t quantiles from any statistics
// textbook's t table; Φ(1.96) = 0.9750) and closed forms checked by hand.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  normalCdf,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTInv,
  studentTTwoSidedP,
} from '../../src/stats/distributions.js';

const close = (actual: number, expected: number, tol: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected} ± ${tol}, got ${actual}`);

describe('regularized incomplete beta', () => {
  test('closed forms: I_x(1,1) = x, I_x(a,1) = x^a, I_x(1,b) = 1-(1-x)^b', () => {
    close(regularizedIncompleteBeta(0.37, 1, 1), 0.37, 1e-12, 'I_0.37(1,1)');
    close(regularizedIncompleteBeta(0.5, 3, 1), 0.125, 1e-12, 'I_0.5(3,1)');
    close(regularizedIncompleteBeta(0.2, 1, 4), 1 - 0.8 ** 4, 1e-12, 'I_0.2(1,4)');
  });
  test('I_0.3(2,5) by the binomial identity: P(Bin(6,0.3) >= 2) = 0.579825', () => {
    // I_x(a, n-a+1) = P(X >= a) for X ~ Bin(n, x): 1 - 0.7^6 - 6·0.3·0.7^5 = 1 - 0.117649 - 0.302526
    close(regularizedIncompleteBeta(0.3, 2, 5), 0.579825, 1e-10, 'I_0.3(2,5)');
  });
  test('symmetry I_x(a,b) = 1 - I_{1-x}(b,a) and the bounds', () => {
    close(
      regularizedIncompleteBeta(0.8, 2.5, 7),
      1 - regularizedIncompleteBeta(0.2, 7, 2.5),
      1e-12,
      'symmetry',
    );
    assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
    assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
    assert.throws(() => regularizedIncompleteBeta(0.5, 0, 1), /a, b > 0/);
  });
});

describe('Student t', () => {
  // Two-sided 95% critical values, t table (e.g. Montgomery, Applied Statistics, Table V).
  const table: Array<[number, number]> = [
    [1, 12.706],
    [2, 4.303],
    [3, 3.182],
    [4, 2.776],
    [5, 2.571],
    [10, 2.228],
    [20, 2.086],
    [30, 2.042],
    [120, 1.98],
  ];
  for (const [df, t] of table) {
    test(`t(0.975, ${df}) = ${t}`, () => close(studentTInv(0.975, df), t, 5e-4, `df ${df}`));
  }
  test('df = 1 is the Cauchy distribution: CDF(t) = 1/2 + atan(t)/π', () => {
    for (const t of [-3, -0.5, 0, 0.7, 10])
      close(studentTCdf(t, 1), 0.5 + Math.atan(t) / Math.PI, 1e-12, `t=${t}`);
  });
  test('df = 2 closed form: CDF(t) = 1/2 + t / (2√(2 + t²))', () => {
    for (const t of [-2, 0.3, 4.303])
      close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-12, `t=${t}`);
  });
  test('inverse of the CDF, including fractional df and both tails', () => {
    for (const df of [1.5, 7.3, 27.6, 400]) {
      for (const p of [0.001, 0.05, 0.5, 0.9, 0.999])
        close(studentTCdf(studentTInv(p, df), df), p, 1e-10, `df ${df} p ${p}`);
    }
    assert.equal(studentTInv(0.5, 3), 0);
    close(studentTInv(0.025, 10), -2.228, 5e-4, 'lower tail');
  });
  test('large df approaches the normal: t(0.975, 1e6) ≈ 1.95996', () =>
    close(studentTInv(0.975, 1e6), 1.95996, 1e-4, 'z'));
  test('two-sided p at the critical value is 0.05', () =>
    close(studentTTwoSidedP(2.228138852, 10), 0.05, 1e-9, 'p'));
});

test('normal CDF: Φ(0) = 0.5, Φ(1.96) = 0.9750, Φ(-1) = 0.1587', () => {
  close(normalCdf(0), 0.5, 1e-7, 'Φ(0)');
  close(normalCdf(1.96), 0.975, 1e-5, 'Φ(1.96)');
  close(normalCdf(-1), 0.158655, 1e-6, 'Φ(-1)');
});
