import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compareSamples, decideVerdict } from '../../src/stats/compare.js';

const thr = { higherIsBetter: true } as const;
const lat = { higherIsBetter: false } as const;

describe('compareSamples', () => {
  const base = [9.1, 9.4, 9.3, 9.0, 9.2, 9.5, 9.3, 9.2];
  test('identical inputs → equivalent (inside ±5%), relative difference 0', () => {
    for (const opts of [thr, lat]) {
      const c = compareSamples(base, base, opts);
      assert.equal(c.verdict, 'equivalent');
      assert.equal(c.relativeDifference, 0);
      assert.ok(c.p !== null && c.p > 0.5);
      assert.ok(c.pEquivalence !== null && c.pEquivalence < 0.05, `TOST p ${c.pEquivalence}`);
      const ci = c.relativeDifferenceCi;
      assert.ok(ci && ci[0] <= 0 && ci[1] >= 0, `CI ${JSON.stringify(ci)} contains 0`);
    }
  });
  test('throughput 10% higher → better; the same for a higher latency → worse', () => {
    const shifted = base.map((x) => x * 1.1);
    const t = compareSamples(base, shifted, thr);
    assert.equal(t.verdict, 'better');
    assert.equal(t.test, 'welch-t');
    assert.equal(t.statistic, 'mean');
    assert.ok(Math.abs((t.relativeDifference ?? 0) - 0.1) < 1e-9);
    const ci = t.relativeDifferenceCi;
    assert.ok(ci && ci[0] < 0.1 && ci[1] > 0.1 && ci[0] > 0, `CI ${JSON.stringify(ci)}`);
    const l = compareSamples(base, shifted, lat);
    assert.equal(l.verdict, 'worse');
    assert.equal(l.test, 'mann-whitney-u');
    assert.equal(l.statistic, 'median');
    assert.equal(compareSamples(shifted, base, lat).verdict, 'better');
    assert.equal(compareSamples(shifted, base, thr).verdict, 'worse');
  });
  test('a significant difference smaller than the margin is equivalent: it does not matter', () => {
    const tight = [100, 100.1, 99.9, 100, 100.05, 99.95, 100, 100];
    const tiny = tight.map((x) => x + 1);
    const c = compareSamples(tight, tiny, thr);
    assert.ok(c.p !== null && c.p < 0.05, `p ${c.p}`);
    assert.equal(c.verdict, 'equivalent');
    // With a margin below the difference it is a difference again.
    assert.equal(compareSamples(tight, tiny, { ...thr, margin: 0.002 }).verdict, 'better');
  });
  test('noisy samples: neither a difference nor equivalence can be shown → inconclusive', () => {
    const a = [5, 9, 6, 10, 7];
    const b = [6, 10, 5, 9, 8];
    assert.equal(compareSamples(a, b, thr).verdict, 'inconclusive');
    assert.equal(compareSamples(a, b, lat).verdict, 'inconclusive');
  });
  test('equivalence by two one-sided tests: the (1 − 2α) t interval inside ±margin', () => {
    // Means 100 and 102, margin 5%: δ = 5; p_TOST = max(P(T > (2+5)/se), P(T < (2−5)/se)).
    const a = [99, 100, 101, 100, 100, 99, 101, 100];
    const b = a.map((x) => x + 2);
    const c = compareSamples(a, b, thr);
    assert.equal(c.verdict, 'equivalent');
    assert.ok((c.pEquivalence ?? 1) < 0.001);
    const wide = compareSamples(a, b, { ...thr, margin: 0.02 });
    assert.ok((wide.pEquivalence ?? 0) > 0.4, 'a 2% difference is not inside ±2%');
    assert.equal(wide.verdict, 'better');
  });
  test('bootstrap CI is reproducible (seeded)', () => {
    const a = compareSamples(
      base,
      base.map((x) => x + 0.3),
      thr,
    );
    const b = compareSamples(
      base,
      base.map((x) => x + 0.3),
      thr,
    );
    assert.deepEqual(a.relativeDifferenceCi, b.relativeDifferenceCi);
  });
  test('alpha is configurable', () => {
    // Welch p for this pair is between 0.01 and 0.05 (checked below), so alpha decides the verdict.
    const a = [10, 11, 12, 10.5, 11.5];
    const b = [11, 12.5, 12, 12.2, 13];
    const c05 = compareSamples(a, b, thr);
    assert.ok(c05.p !== null && c05.p > 0.01 && c05.p < 0.05, `p = ${c05.p}`);
    assert.equal(c05.verdict, 'better');
    assert.equal(compareSamples(a, b, { ...thr, alpha: 0.01 }).verdict, 'inconclusive');
  });
  test('3 vs 3 latency samples: no verdict possible, and the note says why', () => {
    const c = compareSamples([1, 2, 3], [10, 11, 12], lat);
    assert.equal(c.verdict, 'inconclusive');
    assert.match(c.note ?? '', /cannot reach p < 0.05/);
  });
  test('one sample each for throughput: p null, note', () => {
    const c = compareSamples([5], [6], thr);
    assert.equal(c.p, null);
    assert.equal(c.verdict, 'inconclusive');
    assert.match(c.note ?? '', /two samples/);
  });
  test('NaN in a candidate names the measurement', () => {
    assert.throws(
      () => compareSamples([1, 2], [1, NaN], { ...thr, label: 'rr/cross-node' }),
      /rr\/cross-node \(candidate\)/,
    );
  });
  test('baseline statistic 0 → relative difference n/a (null), no division by zero', () => {
    const c = compareSamples([0, 0, 0], [1, 1, 2], { higherIsBetter: false });
    assert.equal(c.relativeDifference, null);
    assert.equal(c.relativeDifferenceCi, null);
  });
  test('decideVerdict uses the adjusted p-values it is given', () => {
    const c = { alpha: 0.05, baseline: 10, candidate: 12, higherIsBetter: true };
    assert.equal(decideVerdict(c, 0.01, null), 'better');
    assert.equal(decideVerdict(c, 0.2, null), 'inconclusive');
    assert.equal(decideVerdict(c, 0.01, 0.01), 'equivalent');
    assert.equal(decideVerdict({ ...c, higherIsBetter: false }, 0.01, 0.5), 'worse');
  });
});
