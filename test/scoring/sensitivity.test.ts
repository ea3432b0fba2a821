import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { minimalWeightShift, perCriterionRankings } from '../../src/scoring/sensitivity.js';
import { must } from '../helpers/must.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

describe('minimal weight shift (hand-computed)', () => {
  test('one source suffices', () => {
    // weights A 50, B 30, C 20 → p = .5 .3 .2
    // X: A 80 B 60 C 40 → T = 40 + 18 + 8 = 66
    // Y: A 60 B 70 C 90 → T = 30 + 21 + 18 = 69  → Y wins by d = 3
    // Δ = Y − X: A −20, B +10, C +50. Sink = A. Best source C: rate 50 − (−20) = 70,
    // mass needed 3/70 = 0.042857 ≤ p_C = .2 → move 4.2857 weight units from C to A.
    // Check: A 54.2857, B 30, C 15.7143 → X = 43.4286+18+6.2857 = 67.714, Y = 32.5714+21+14.1429 = 67.714 (tie).
    const scores = new Map([
      ['X', { A: 80, B: 60, C: 40 }],
      ['Y', { A: 60, B: 70, C: 90 }],
    ]);
    const { shift } = minimalWeightShift({
      criteria: ['A', 'B', 'C'],
      weights: { A: 50, B: 30, C: 20 },
      scores,
      winner: 'Y',
    });
    assert.ok(shift);
    assert.equal(shift.to, 'A');
    assert.equal(shift.newWinner, 'X');
    assert.equal(shift.from.length, 1);
    assert.equal(shift.from[0]?.criterion, 'C');
    close(shift.amount, 300 / 70);
    close(shift.share, 3 / 70);
    // Verify the tie with the shifted weights.
    const w = { A: 50 + shift.amount, B: 30, C: 20 - shift.amount };
    const t = (s: Record<string, number> | undefined) =>
      (w.A * must(s?.A) + w.B * must(s?.B) + w.C * must(s?.C)) / 100;
    close(t(scores.get('X')), t(scores.get('Y')));
  });

  test('greedy over two sources when the best one runs out', () => {
    // weights A 70, B 20, C 10. Y: A 60 B 60 C 100 → 42 + 12 + 10 = 64; X: A 40 B 70 C 0 → 28 + 14 + 0 = 42; d = 22.
    // Δ: A 20, B −10, C 100. Sink B. C: rate 110, needs 22/110 = .2 > p_C = .1 → take .1 (d → 22 − 11 = 11).
    // A: rate 30, needs 11/30 = .36667 ≤ .7 → take .36667. Total .46667 → 46.667 units.
    // Check: A 33.333, B 66.667, C 0 → Y = 20 + 40 + 0 = 60, X = 13.333 + 46.667 = 60 (tie).
    const scores = new Map([
      ['Y', { A: 60, B: 60, C: 100 }],
      ['X', { A: 40, B: 70, C: 0 }],
    ]);
    const { shift } = minimalWeightShift({
      criteria: ['A', 'B', 'C'],
      weights: { A: 70, B: 20, C: 10 },
      scores,
      winner: 'Y',
    });
    assert.ok(shift);
    assert.equal(shift.to, 'B');
    assert.deepEqual(
      shift.from.map((f) => f.criterion),
      ['C', 'A'],
    );
    close(must(shift.from[0]).amount, 10);
    close(must(shift.from[1]).amount, 110 / 3);
    close(shift.amount, 10 + 110 / 3);
  });

  test('the closest challenger decides', () => {
    // Z trails by less than X: Y = 69 (as above), Z: A 70 B 70 C 60 → 35 + 21 + 12 = 68; d = 1.
    // Δ(Y−Z): A −10, B 0, C 30. Sink A, source C rate 40, mass 1/40 → 2.5 units; X needed 4.2857.
    const scores = new Map([
      ['X', { A: 80, B: 60, C: 40 }],
      ['Y', { A: 60, B: 70, C: 90 }],
      ['Z', { A: 70, B: 70, C: 60 }],
    ]);
    const { shift } = minimalWeightShift({
      criteria: ['A', 'B', 'C'],
      weights: { A: 50, B: 30, C: 20 },
      scores,
      winner: 'Y',
    });
    assert.ok(shift);
    assert.equal(shift.newWinner, 'Z');
    close(shift.amount, 2.5);
  });

  test('a winner at least as good on every criterion is robust', () => {
    const scores = new Map([
      ['X', { A: 80, B: 60 }],
      ['Y', { A: 80, B: 70 }],
    ]);
    const r = minimalWeightShift({ criteria: ['A', 'B'], weights: { A: 1, B: 1 }, scores, winner: 'Y' });
    assert.equal(r.shift, null);
    assert.match(r.note, /robust/);
  });

  test('per-criterion rankings leave out candidates without a score', () => {
    const r = perCriterionRankings(
      ['A', 'B'],
      new Map<string, Record<string, number | null>>([
        ['X', { A: 10, B: null }],
        ['Y', { A: 20, B: 5 }],
      ]),
    );
    assert.deepEqual(r, [
      {
        criterion: 'A',
        ranking: [
          { name: 'Y', score: 20 },
          { name: 'X', score: 10 },
        ],
      },
      { criterion: 'B', ranking: [{ name: 'Y', score: 5 }] },
    ]);
  });
});
