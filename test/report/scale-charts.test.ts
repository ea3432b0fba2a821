// SYNTHETIC results (test/scoring/synthetic.ts): the policy-scale charts' configuration, not a picture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCALE_FIGURES, scaleCharts } from '../../src/report/scale-charts.js';
import type { CandidateResult, Measurement } from '../../src/results/schema.js';
import { syntheticTwoCni } from '../scoring/synthetic.js';
import { must } from '../helpers/must.js';

const style = { palette: ['#111111', '#222222'], font: 'DejaVu Sans' };

/** A copy of `m` re-filed under another figure at another count, with `median`. */
function at(m: Measurement, policies: number, median: number, patch: Partial<Measurement>): Measurement {
  return {
    ...m,
    path: 'cross-node',
    ...patch,
    parameters: { ...m.parameters, ...patch.parameters, policies },
    summary: { ...m.summary, median },
  };
}

function withSweep(c: CandidateResult, addMs: number[], installMs: number[]): CandidateResult {
  const [first] = c.measurements;
  const base = must(first, 'a measurement to copy');
  const counts = [0, 100, 1000, 10000];
  const add = counts.map((n, i) =>
    at(base, n, addMs[i] ?? 1, {
      metric: 'programming-latency',
      unit: 'ms',
      parameters: { change: 'add-deny' },
    }),
  );
  const install = counts.map((n, i) =>
    at(base, n, installMs[i] ?? 1, { metric: 'install-time', unit: 'ms', parameters: {} }),
  );
  // The synthetic run's own programming figures (old form, no `change`) would join the add-deny line.
  const others = c.measurements.filter((x) => x.metric !== 'programming-latency');
  return { ...c, measurements: [...others, ...add, ...install] };
}

test('policy-scale charts: log x, one dataset per candidate, log y where the figure spans decades', () => {
  const file = syntheticTwoCni();
  const [calico, cilium] = file.candidates;
  const candidates = [
    withSweep(must(calico, 'calico'), [5, 40, 400, 4000], [2, 20, 200, 2000]),
    withSweep(must(cilium, 'cilium'), [1, 1.2, 1.5, 2], [1, 10, 100, 1000]),
  ];
  const charts = scaleCharts(candidates, style);
  const byId = new Map(charts.map((c) => [c.id, c]));
  for (const id of ['policy-scale-throughput', 'policy-scale-add-deny', 'policy-scale-install']) {
    const chart = must(byId.get(id), id);
    const scales = chart.config.options?.scales;
    assert.equal(scales?.x?.type, 'logarithmic', `${id}: x axis`);
    const { datasets } = chart.config.data;
    assert.deepEqual(
      datasets.map((d) => d.label),
      ['Calico v3.29.1', 'Cilium 1.16.5'],
      `${id}: one dataset per candidate`,
    );
    // A log axis has no 0: the count 0 is not drawn.
    for (const d of datasets)
      assert.ok(
        d.data.every((p) => p.x > 0),
        `${id}: no point at 0 policies`,
      );
  }
  const add = must(byId.get('policy-scale-add-deny'), 'add-deny');
  assert.equal(add.config.options?.scales?.y?.type, 'logarithmic');
  assert.deepEqual(add.config.data.datasets[0]?.data, [
    { x: 100, y: 40 },
    { x: 1000, y: 400 },
    { x: 10000, y: 4000 },
  ]);
  // Throughput 8.4–12 Gbit/s spans less than a decade: linear, from zero.
  const tput = must(byId.get('policy-scale-throughput'), 'throughput');
  assert.equal(tput.config.options?.scales?.y?.type, 'linear');
  // Figures the results lack get no chart.
  assert.equal(byId.has('policy-scale-memory-per-kpolicy'), false);
  assert.ok(charts.every((c) => SCALE_FIGURES.some((f) => c.id === `policy-scale-${f.key}`)));
});
