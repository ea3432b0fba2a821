/**
 * The report's cost section on SYNTHETIC results (test/scoring/synthetic.ts): the tables with their
 * intervals and derived-from figures, the throughput-vs-CPU chart, and the verdicts compare gives on
 * the cost figures.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderReports } from '../../src/report/render.js';
import { compareCandidateResults } from '../../src/compare/results-compare.js';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { syntheticLocalWithCost } from '../scoring/synthetic.js';
import { must } from '../helpers/must.js';

describe('cost in the report', () => {
  let out: string;
  let files: string[];
  before(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'cnibench-cost-report-'));
    files = await renderReports([syntheticLocalWithCost()], {
      outDir: out,
      facts: path.join(PROJECT_ROOT, 'data/cni-facts.yaml'),
      now: new Date('2026-12-04T00:00:00Z'),
      formats: ['md', 'html'],
    });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  test('a cost section with every cost figure per candidate and path, with its interval', () => {
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    const section = must(
      md.split(/^## /m).find((s) => s.startsWith('Cost')),
      'the Cost section',
    );
    for (const h of [
      'CPU seconds per Gbit transferred (CPU s/Gbit)',
      'CPU seconds per thousand connections (CPU s/1000 conn)',
      'dataplane memory per thousand policies (MiB/1000 policies)',
    ])
      assert.ok(section.includes(`### ${h}`), h);
    // routed: 0.1 CPU s/Gbit with its interval, derived from 18 Gbit/s, 1.8 CPU s per run.
    const perGbit = must(section.split('### ')[1], 'the CPU-per-Gbit table');
    const row = must(
      perGbit.split('\n').find((l) => l.includes('(routed)')),
      'the routed CPU-per-Gbit row',
    );
    assert.equal(
      row,
      '| local reference profile (routed) | cross-node | protocol=TCP, streams=1 | 8 | 0.1 | [0.098, 0.102] | 18 Gbit/s | 1.8 |',
    );
    assert.match(section, /Counters: synthetic\./);
    // Cost figures are not repeated as performance metrics.
    const perf = must(
      md.split(/^## /m).find((s) => s.startsWith('Performance')),
      'the Performance section',
    );
    assert.ok(!perf.includes('cpu-per-gbit'));
  });

  test('the throughput-vs-CPU chart is rendered', () => {
    const png = must(
      files.find((f) => f.endsWith('cost-throughput-vs-cpu.png')),
      'the cost chart',
    );
    const buf = readFileSync(png);
    assert.equal(buf.subarray(1, 4).toString(), 'PNG');
    assert.ok(buf.length > 5000);
    assert.ok(
      readFileSync(path.join(out, 'report.html'), 'utf8').includes('Throughput against CPU per Gbit'),
    );
  });

  test('compare gives verdicts on the cost figures like on any other', () => {
    const res = syntheticLocalWithCost();
    const report = compareCandidateResults(res.candidates, { baseline: 'routed' });
    const verdict = (metric: string) =>
      must(
        report.rows.find((r) => r.metric === metric),
        metric,
      ).figures.find((f) => f.candidate === 'vxlan')?.verdict;
    // vxlan spends 50% more CPU per Gbit and 25% more per thousand connections: worse, 8 against 8.
    assert.equal(verdict('cpu-per-gbit'), 'worse');
    assert.equal(verdict('cpu-per-kconn'), 'worse');
    assert.equal(verdict('memory-per-kpolicy'), 'equivalent');
  });
});
