import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { scoreResults } from '../../src/scoring/score.js';
import type { ScoringResult } from '../../src/scoring/types.js';
import { loadFacts } from '../../src/scoring/facts.js';
import { scoringSchema } from '../../src/scenario/schema.js';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { candidate, syntheticLocal, syntheticLocalWithCost, syntheticTwoCni } from './synthetic.js';
import { must } from '../helpers/must.js';

const close = (a: number | null | undefined, b: number, eps = 1e-9) =>
  assert.ok(a !== null && a !== undefined && Math.abs(a - b) < eps, `${a} ≉ ${b}`);

/** The named candidate of a scoring result, and one of its indicators; both must be there. */
const candidateIn = (r: ScoringResult, n: string) =>
  must(
    r.candidates.find((c) => c.name === n),
    `candidate ${n}`,
  );
const indicatorIn = (r: ScoringResult, n: string, indicator: string) =>
  must(
    candidateIn(r, n).indicators.find((i) => i.indicator === indicator),
    `${indicator} of ${n}`,
  );

const fact = (value: unknown) =>
  `{ value: ${JSON.stringify(value)}, source: ${value === 'unknown' ? 'null' : 'https://example.org/src'}, asOf: '2026-11-01' }`;

/** SYNTHETIC facts: custom indicators only, so the arithmetic stays by hand. */
const FACTS = `
factsVersion: 1
projects:
  calico:
    name: Calico
    facts:
      q1: ${fact(80)}
      q2: ${fact(60)}
      c1: ${fact(30)}
  cilium:
    name: Cilium
    facts:
      q1: ${fact(50)}
      q2: ${fact('unknown')}
      c1: ${fact(90)}
notApplicable:
  local-routed: stand-in
  local-vxlan: stand-in
`;

describe('scoreResults (hand-computed)', () => {
  const config = scoringSchema.parse({
    weights: { features: 0, performance: 0, maturity: 0, acceptance: 0, ossHealth: 0, quality: 60, cost: 40 },
    customCriteria: [
      { name: 'quality', indicators: ['facts.q1', 'facts.q2'] },
      { name: 'cost', indicators: ['c1'] },
    ],
  });
  const facts = loadFacts('synthetic-facts.yaml', FACTS);
  const results = [
    candidate({ name: 'calico', cni: 'calico', label: 'Calico v3.29.1' }),
    candidate({ name: 'cilium', cni: 'cilium', label: 'Cilium 1.16.5' }),
  ];
  const now = new Date('2026-11-24T00:00:00Z');
  const r = scoreResults({ candidates: results, config, facts, now });
  const by = (n: string) => candidateIn(r, n);
  const crit = (n: string, c: string) =>
    must(
      by(n).criteria.find((x) => x.criterion === c),
      `criterion ${c} of ${n}`,
    );

  test('an indicator missing for one candidate is excluded for all, never scored as zero', () => {
    // q2 is unknown for cilium → left out of the comparison: quality = q1 alone.
    assert.deepEqual(r.excludedIndicators, [{ indicator: 'quality:facts.q2', missingFor: ['cilium'] }]);
    close(crit('calico', 'quality').score, 80);
    close(crit('cilium', 'quality').score, 50);
    close(crit('calico', 'cost').score, 30);
    close(crit('cilium', 'cost').score, 90);
  });

  test('totals, winner and confidence', () => {
    // calico: .6 × 80 + .4 × 30 = 48 + 12 = 60; cilium: .6 × 50 + .4 × 90 = 30 + 36 = 66.
    close(by('calico').total, 60);
    close(by('cilium').total, 66);
    assert.equal(r.winner, 'cilium');
    assert.equal(by('cilium').rank, 1);
    // confidence: calico has every indicator → 1; cilium lacks q2 (half of quality's indicator weight):
    // (60 × 0.5 + 40 × 1) / 100 = 0.7. Built-in criteria have weight 0 and do not count.
    close(by('calico').confidence, 1);
    close(by('cilium').confidence, 0.7);
    assert.deepEqual(r.comparedCriteria, ['quality', 'cost']);
    assert.ok(r.excludedCriteria.every((e) => e.reason === 'weight 0'));
  });

  test('sensitivity: weight moved from cost to quality until calico ties', () => {
    // Δ (cilium − calico): quality −30, cost +60; d = .6 × −30 + .4 × 60 = 6.
    // Sink quality, source cost at rate 60 − (−30) = 90: mass 6/90 = 0.0667 → 6.667 weight units.
    // Check: quality 66.667, cost 33.333 → calico 53.333 + 10 = 63.333; cilium 33.333 + 30 = 63.333.
    const s = must(r.sensitivity.minimalShift, 'minimal shift');
    assert.equal(s.to, 'quality');
    assert.equal(s.newWinner, 'calico');
    assert.deepEqual(
      s.from.map((f) => f.criterion),
      ['cost'],
    );
    close(s.amount, 20 / 3);
    // Ranking under each criterion alone.
    const q = must(
      r.sensitivity.perCriterion.find((p) => p.criterion === 'quality'),
      'quality ranking',
    );
    assert.deepEqual(
      q.ranking.map((x) => x.name),
      ['calico', 'cilium'],
    );
    const c = must(
      r.sensitivity.perCriterion.find((p) => p.criterion === 'cost'),
      'cost ranking',
    );
    assert.deepEqual(
      c.ranking.map((x) => x.name),
      ['cilium', 'calico'],
    );
    // Decisive: cost contributes (90 − 30) × 40/100 = 24 in cilium's favour.
    assert.deepEqual(r.decisiveCriteria, [{ criterion: 'cost', contribution: 24 }]);
  });

  test('stale facts are flagged', () => {
    const old = scoreResults({ candidates: results, config: { ...config, factsMaxAgeDays: 10 }, facts, now });
    // asOf 2026-11-01 is 23 days before now: 5 known facts are stale, the unknown one is not counted.
    assert.equal(old.staleFacts.length, 5);
    assert.ok(old.warnings.some((w) => /older than 10 days/.test(w)));
    assert.equal(r.staleFacts.length, 0);
  });
});

describe('scoreResults on synthetic runs', () => {
  const facts = loadFacts(path.join(PROJECT_ROOT, 'data/cni-facts.yaml'));
  const now = new Date('2026-11-24T00:00:00Z');

  test('two CNIs with the shipped facts file: every built-in criterion is compared', () => {
    const res = syntheticTwoCni();
    const r = scoreResults({
      candidates: res.candidates,
      scenarioCandidates: res.origin.scenario.candidates,
      config: res.origin.scenario.scoring,
      facts,
      now,
    });
    assert.deepEqual(r.comparedCriteria, ['features', 'performance', 'maturity', 'acceptance', 'ossHealth']);
    assert.ok(r.winner === 'calico' || r.winner === 'cilium');
    for (const c of r.candidates) {
      const total = must(c.total, `${c.name} total`);
      assert.ok(total > 0 && total <= 100);
      assert.ok(c.confidence > 0 && c.confidence < 1, 'unknown facts lower the confidence');
    }
    // Measured throughput: calico cross-node median 9.5 / baseline 20 = 0.475 → 47.5.
    close(indicatorIn(r, 'calico', 'performance.throughput').score, 47.5);
    // Policy scale: calico 8.5 / 9.5 retained → 89.47; cilium 12 / 12.5 → 96.
    const ps = (n: string) => indicatorIn(r, n, 'performance.policyScale').score;
    close(ps('calico'), (100 * 8.5) / 9.5);
    close(ps('cilium'), 96);
    // Programming latency at the smallest policy count: calico 160, cilium 210 → cilium 100 × 160/210.
    const pl = (n: string) => indicatorIn(r, n, 'performance.programmingLatency').score;
    close(pl('calico'), 100);
    close(pl('cilium'), (100 * 160) / 210);
    // SCS-0219: calico fails one case → MUST not met; cilium passes all run cases (1 skipped).
    const np = (n: string) =>
      must(
        must(
          r.standards.candidates.find((c) => c.name === n),
          `standards of ${n}`,
        ).checks[0],
        'SCS-0219 check',
      );
    assert.equal(np('calico').status, 'not-met');
    assert.equal(np('cilium').status, 'met');
    assert.match(np('cilium').evidence, /1 skipped/);
  });

  test('the skipped SCTP case is "not measured", not a failure', () => {
    const res = syntheticTwoCni();
    const r = scoreResults({ candidates: res.candidates, config: res.origin.scenario.scoring, facts, now });
    const cell = must(
      r.features.candidates[0]?.cells.find((c) => c.feature === 'np.sctp'),
      'np.sctp cell',
    );
    assert.equal(cell.status, 'not-measured');
    const egress = must(
      r.features.candidates.find((c) => c.name === 'calico')?.cells.find((c) => c.feature === 'np.egress'),
      'calico np.egress cell',
    );
    assert.equal(egress.status, 'unsupported');
    assert.equal(egress.detail, '0/1 passed');
    // SCTP has no data for anyone: not excluded-for-some, simply absent from the comparison.
    assert.ok(!r.excludedIndicators.some((e) => e.indicator === 'features.np.sctp'));
  });

  test('local reference profiles only: facts-based criteria are excluded and the run is marked a rehearsal', () => {
    const res = syntheticLocal();
    const r = scoreResults({ candidates: res.candidates, config: res.origin.scenario.scoring, facts, now });
    assert.equal(r.referenceOnly, true);
    assert.deepEqual(r.comparedCriteria, ['features', 'performance']);
    for (const c of ['maturity', 'acceptance', 'ossHealth']) {
      assert.ok(r.excludedCriteria.some((e) => e.criterion === c && /reference profiles/.test(e.reason)));
    }
    assert.equal(r.winner, 'routed');
    const routed = candidateIn(r, 'routed');
    assert.match(routed.notApplicable ?? '', /local reference profile \(routed\)/);
    assert.ok(r.warnings.some((w) => /rehearsal/.test(w)));
    // Throughput: routed 18/20 → 90, vxlan 12/20 → 60.
    close(indicatorIn(r, 'routed', 'performance.throughput').score, 90);
  });

  test('cost indicators: the cheapest candidate scores 100, the other by the ratio; ties score alike', () => {
    const res = syntheticLocalWithCost();
    const r = scoreResults({ candidates: res.candidates, config: res.origin.scenario.scoring, facts, now });
    close(indicatorIn(r, 'routed', 'performance.cpuPerGbit').score, 100);
    close(indicatorIn(r, 'vxlan', 'performance.cpuPerGbit').score, (100 * 0.1) / 0.15);
    close(indicatorIn(r, 'routed', 'performance.cpuPerConnection').score, 100);
    close(indicatorIn(r, 'vxlan', 'performance.cpuPerConnection').score, (100 * 0.4) / 0.5);
    // Same memory per policy: equivalent, both 100.
    close(indicatorIn(r, 'routed', 'performance.dataplaneMemory').score, 100);
    close(indicatorIn(r, 'vxlan', 'performance.dataplaneMemory').score, 100);
    assert.equal(indicatorIn(r, 'vxlan', 'performance.cpuPerTransaction').score, null);
    // Memory per policy at a policy count is not a retention figure of the scale indicator.
    assert.equal(indicatorIn(r, 'routed', 'performance.policyScale').score, null);
  });

  test('a reference profile next to real CNIs does not take part in the decision', () => {
    const two = syntheticTwoCni();
    const local = must(syntheticLocal().candidates[0], 'local candidate');
    const r = scoreResults({
      candidates: [...two.candidates, local],
      config: two.origin.scenario.scoring,
      facts,
      now,
    });
    const routed = candidateIn(r, 'routed');
    assert.equal(routed.eligible, false);
    assert.equal(routed.rank, null);
    assert.notEqual(r.winner, 'routed');
  });
});
