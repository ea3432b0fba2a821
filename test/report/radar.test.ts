// SYNTHETIC results (test/scoring/synthetic.ts): a criterion without data is no point at zero.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { radarCharts } from '../../src/report/charts.js';
import { buildModel } from '../../src/report/model.js';
import { syntheticLocal } from '../scoring/synthetic.js';
import { must } from '../helpers/must.js';

test('radar: a criterion without data is marked "no data", has no point, and nothing is filled to the centre', () => {
  const m = buildModel([syntheticLocal()], { facts: null, now: new Date('2026-12-01') });
  const chart = must(
    radarCharts(m).find((c) => c.id === 'criteria-routed'),
    'the routed radar',
  );
  const data = chart.config.data;
  assert.deepEqual(data.labels, [
    'features',
    'performance',
    'maturity (no data)',
    'acceptance (no data)',
    'ossHealth (no data)',
  ]);
  const [ds] = data.datasets;
  assert.ok(ds);
  assert.deepEqual(ds.data.slice(2), [null, null, null]);
  assert.equal((ds as { fill?: unknown }).fill, false);
});
