/**
 * The statistical method checked on SEEDED SYNTHETIC data (never on this shared machine's
 * measurements, which must not gate CI): the A/A error under the sequential stopping rule stays at or
 * below alpha, and the block-paired analysis finds planted effects the old unpaired one missed.
 * bench/stats-method.bench.ts prints the same figures with more runs.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import { adjustPValues } from '../../src/stats/adjust.js';
import { nominalLevels } from '../../src/stats/sequential.js';
import { welchTTest } from '../../src/stats/tests.js';
import { normals, rightSign, syntheticRun } from '../helpers/synthetic-machine.js';

const REPS = { count: 4, warmup: 0, adaptive: { maxSamples: 10 } };

describe('sequential stopping rule on seeded synthetic data', () => {
  test('A/A: a paired t looked at after every block from 4 to 10 rejects in at most alpha of 20,000 runs', () => {
    for (const alpha of [0.05, 0.01]) {
      const nu = nominalLevels(4, 10, 10, alpha);
      const z = normals(2026);
      let rejected = 0;
      const runs = 20_000;
      for (let r = 0; r < runs; r++) {
        let sum = 0;
        let sq = 0;
        for (let n = 1; n <= 10; n++) {
          const x = z();
          sum += x;
          sq += x * x;
          if (n < 4) continue;
          const mean = sum / n;
          const t = mean / Math.sqrt((sq - n * mean * mean) / (n - 1) / n);
          if (2 * (1 - tCdf(Math.abs(t), n - 1)) <= (nu[n - 4] ?? 0)) {
            rejected++;
            break; // the sampling stops at the first crossing
          }
        }
      }
      const rate = rejected / runs;
      assert.ok(rate <= alpha, `A/A rejection ${rate} at alpha ${alpha}`);
      assert.ok(rate > alpha / 2, `not needlessly conservative: ${rate}`);
    }
  });

  test('A/A through the real scheduler and compare: false figure verdicts stay below alpha', async () => {
    let figures = 0;
    let false_ = 0;
    for (let s = 0; s < 15; s++) {
      const r = await syntheticRun({ figures: 6, ratesOnly: true, effect: 0, reps: REPS, seed: 100 + s });
      const x = rightSign(r.report);
      figures += x.figures;
      false_ += x.right + x.wrong;
      assert.deepEqual(r.report.discoveries.length, x.right + x.wrong, 'discoveries are figure verdicts');
    }
    assert.equal(figures, 90);
    assert.ok(false_ / figures <= 0.05, `${false_} of ${figures} figures better/worse`);
  });

  test('a planted +10% on every figure: the paired sequential analysis beats the old unpaired one', async () => {
    let newRight = 0;
    let newWrong = 0;
    let oldRight = 0;
    let figures = 0;
    for (let s = 0; s < 10; s++) {
      const seed = 500 + s;
      const r = await syntheticRun({ figures: 6, ratesOnly: true, effect: 0.1, reps: REPS, seed });
      const x = rightSign(r.report);
      newRight += x.right;
      newWrong += x.wrong;
      figures += x.figures;
      // The old decision path on the same machine: 6 blocks, Welch's t between the candidates'
      // samples (blocks ignored), Holm over the figures.
      const old = await syntheticRun({
        figures: 6,
        ratesOnly: true,
        effect: 0.1,
        reps: { count: 6, warmup: 0, adaptive: false },
        seed,
      });
      const ps = old.measurements.a.map(
        (m, i) => welchTTest(m.samples, old.measurements.b[i]?.samples ?? []).p,
      );
      oldRight += adjustPValues(ps, 'holm').filter((p) => p !== null && p < 0.05).length;
    }
    assert.equal(newWrong, 0, 'never the wrong sign');
    assert.ok(newRight > oldRight, `new ${newRight} vs old ${oldRight} of ${figures}`);
    assert.ok(newRight / figures >= 0.2, `power ${newRight / figures}`);
  });
});
