/**
 * Scores carry measurement uncertainty (issue 18): block-bootstrap replicates keep the pairing of
 * interleaved blocks, every total gets an interval, and a winner is named only when the leader's total
 * is separated from the runner-up's. SYNTHETIC data, seeded: nothing here was measured.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { CandidateResult } from '../../src/results/schema.js';
import { scoreResults } from '../../src/scoring/score.js';
import { resampleCandidates, percentileInterval } from '../../src/scoring/uncertainty.js';
import { seededRandom } from '../../src/stats/prng.js';
import { medianOf } from '../../src/stats/quantile.js';
import { syntheticLocal, syntheticScheduledLocal } from './synthetic.js';
import { must } from '../helpers/must.js';

/** Block effects shared by both candidates: the machine's state in each block (wide swings). */
function blockLevels(n: number, seed: number): number[] {
  const rand = seededRandom(seed);
  return Array.from({ length: n }, () => 10 * (0.5 + rand()));
}

/** The two local profiles of the synthetic results, with the given throughput samples. */
const twoProfiles = (a: number[], b: number[], baseline: number[]): CandidateResult[] =>
  syntheticScheduledLocal(a, b, baseline).candidates;

const scoreOf = (cands: CandidateResult[]) => {
  const res = syntheticLocal();
  return scoreResults({
    candidates: cands,
    config: res.origin.scenario.scoring,
    now: new Date('2026-12-01'),
  });
};

describe('block bootstrap of measurements', () => {
  test('a replicate draws the same blocks for every candidate, so a per-block ratio survives exactly', () => {
    const levels = blockLevels(8, 7);
    const cands = twoProfiles(
      levels,
      levels.map((x) => 0.8 * x),
      levels.map((x) => 1.1 * x),
    );
    const rand = seededRandom(1);
    for (let r = 0; r < 50; r++) {
      const [a, b] = resampleCandidates(cands, rand);
      const ma = must(
        a?.measurements.find((m) => m.path === 'cross-node'),
        'a',
      );
      const mb = must(
        b?.measurements.find((m) => m.path === 'cross-node'),
        'b',
      );
      // Unpaired resampling would give ratios all over the place with these block swings.
      assert.ok(Math.abs(mb.summary.median / ma.summary.median - 0.8) < 1e-12);
      assert.equal(ma.summary.median, medianOf(ma.samples));
      assert.equal(ma.samples.length, 8);
    }
  });

  test('unscheduled samples are drawn one by one from the candidate’s own samples', () => {
    const [routed] = syntheticLocal().candidates;
    const c = must(routed, 'routed');
    const reps = resampleCandidates([c], seededRandom(3));
    for (const m of must(reps[0], 'replicate').measurements) {
      const orig = must(
        c.measurements.find((x) => x.id === m.id),
        m.id,
      );
      assert.equal(m.samples.length, orig.samples.length);
      for (const x of m.samples) assert.ok(orig.samples.includes(x));
    }
  });

  test('percentile interval of replicate values', () => {
    const xs = Array.from({ length: 1001 }, (_, i) => i);
    assert.deepEqual(percentileInterval(xs), { lo: 25, hi: 975 });
    assert.equal(percentileInterval([]), null);
  });
});

describe('scores with measurement uncertainty', () => {
  test('noise that hides a small difference: totals get intervals, no winner is named', () => {
    // Same level, per-sample noise of ±25 % independent between candidates: a 3 % difference of
    // medians that the data cannot separate.
    const rand = seededRandom(11);
    const noisy = (scale: number) => Array.from({ length: 6 }, () => scale * 10 * (0.75 + 0.5 * rand()));
    const cands = twoProfiles(
      noisy(1),
      noisy(0.97),
      Array.from({ length: 6 }, () => 20),
    );
    const r = scoreOf(cands);
    const sep = must(r.separation, 'separation');
    assert.equal(sep.separated, false);
    assert.ok(sep.interval.lo <= 0 && sep.interval.hi >= 0, JSON.stringify(sep.interval));
    assert.ok(sep.untiedInterval.lo < 0 && sep.untiedInterval.hi > 0, JSON.stringify(sep.untiedInterval));
    assert.equal(r.winner, null);
    assert.ok(r.leader === 'routed' || r.leader === 'vxlan');
    for (const c of r.candidates) {
      const iv = must(c.totalInterval, `${c.name} interval`);
      assert.ok(iv.lo < iv.hi, `${c.name}: a noisy total has a non-degenerate interval`);
      assert.ok(iv.lo <= must(c.total, 'total') + 1e-9 && must(c.total, 'total') <= iv.hi + 1e-9);
    }
  });

  test('a clear, consistent difference is separated, and the winner named', () => {
    const levels = blockLevels(8, 5).map((x) => 10 + x / 20);
    const cands = twoProfiles(
      levels,
      levels.map((x) => 0.7 * x),
      levels.map((x) => 1.5 * x),
    );
    const r = scoreOf(cands);
    const sep = must(r.separation, 'separation');
    assert.equal(sep.leader, 'routed');
    assert.equal(sep.separated, true);
    assert.ok(sep.interval.lo > 0);
    assert.equal(r.winner, 'routed');
    assert.equal(sep.leaderFirstShare, 1);
  });

  test('the same data give the same intervals (seeded)', () => {
    const levels = blockLevels(6, 9);
    const mk = () =>
      twoProfiles(
        levels,
        levels.map((x, i) => x * (i % 2 ? 0.9 : 1.05)),
        levels,
      );
    assert.deepEqual(scoreOf(mk()).separation, scoreOf(mk()).separation);
  });

  test('nothing measured twice: intervals are points and the point difference decides', () => {
    const r = scoreOf(
      syntheticLocal().candidates.map((c) => ({
        ...c,
        measurements: c.measurements.map((m) => ({ ...m, samples: m.samples.slice(0, 1) })),
      })),
    );
    for (const c of r.candidates) {
      assert.deepEqual(c.totalInterval, { lo: must(c.total, 'total'), hi: must(c.total, 'total') });
    }
    const sep = must(r.separation, 'separation');
    assert.equal(sep.resamples, 0);
    // The point difference is then exact: a winner exactly when the totals differ (here, with one
    // sample each, no figure is shown to differ, so the totals tie and no winner is named).
    assert.deepEqual(sep.interval, { lo: sep.difference, hi: sep.difference });
    assert.equal(r.winner, sep.difference > 0 ? r.leader : null);
  });
});
