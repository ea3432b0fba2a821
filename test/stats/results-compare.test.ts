// Uses SYNTHETIC results (test/stats/fixtures.ts), never real measurements.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { compareRuns } from '../../src/stats/results-compare.js';
import { formatCompareReport } from '../../src/stats/compare-format.js';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { syntheticMeasurements, syntheticResults } from './fixtures.js';

const run = (runId: string, names: string[], scale = 1, prov = {}) => ({
  source: `${runId}/results.json`,
  results: syntheticResults(
    runId,
    names.map((name) => ({ name, measurements: syntheticMeasurements(scale) })),
    prov,
  ),
});

describe('compareRuns', () => {
  test('identical inputs compared with themselves: no significant difference on every row', () => {
    const report = compareRuns([run('r1', ['alpha']), run('r2', ['alpha'])]);
    assert.equal(report.rows.length, 3);
    assert.deepEqual(
      report.candidates.map((c) => c.id),
      ['r1:alpha', 'r2:alpha'],
    );
    for (const row of report.rows) {
      const cmp = row.figures[1].comparison!;
      assert.equal(cmp.verdict, 'no significant difference', row.key);
      assert.equal(cmp.relativeDifference, 0);
    }
    assert.deepEqual(report.warnings, []);
  });

  test('a clearly shifted candidate: throughput +20% better, latency +20% worse', () => {
    const r = run('r1', ['base']);
    r.results.candidates.push(
      syntheticResults('r1', [{ name: 'shifted', measurements: syntheticMeasurements(1.2) }]).candidates[0],
    );
    const report = compareRuns([r]);
    assert.equal(report.rows.length, 3, 'result-valued parameters (retransmits) do not split rows');
    const byMetric = (metric: string, pathKind: string) =>
      report.rows.find((x) => x.metric === metric && x.path === pathKind)!.figures[1].comparison!;
    assert.equal(byMetric('throughput', 'cross-node').verdict, 'better');
    assert.equal(byMetric('throughput', 'cross-node').test, 'welch-t');
    assert.equal(byMetric('rtt', 'cross-node').verdict, 'worse');
    assert.equal(byMetric('rtt', 'cross-node').test, 'mann-whitney-u');
    assert.ok(Math.abs(byMetric('rtt', 'cross-node').relativeDifference! - 0.2) < 1e-9);
    // --baseline flips the direction.
    const flipped = compareRuns([r], { baseline: 'shifted' });
    assert.equal(flipped.rows.find((x) => x.metric === 'rtt')!.figures[0].comparison!.verdict, 'better');
  });

  test('figures relative to the same run’s baseline path', () => {
    const report = compareRuns([run('r1', ['alpha'])]);
    const thr = report.rows.find((x) => x.metric === 'throughput' && x.path === 'cross-node')!;
    // mean 73/8 = 9.25 over baseline mean 84.4/8 = 10.55 → 0.8768
    assert.ok(Math.abs(thr.figures[0].ofBaselinePath! - 9.25 / 10.55) < 1e-12);
    assert.equal(report.rows.find((x) => x.metric === 'rtt')!.figures[0].ofBaselinePath, null);
    assert.match(formatCompareReport(report, 'table'), /0\.88× of baseline path/);
  });

  test('different kernels and hosts → a loud warning naming the differences', () => {
    const report = compareRuns([
      run('r1', ['calico'], 1, { kernel: '6.1.0-18-amd64', hostname: 'node-a' }),
      run('r2', ['cilium'], 1, { kernel: '6.8.0-45-generic', hostname: 'node-a' }),
    ]);
    assert.equal(report.warnings.length, 1);
    assert.match(report.warnings[0], /kernel \(r1: 6\.1\.0-18-amd64; r2: 6\.8\.0-45-generic\)/);
    const text = formatCompareReport(report, 'table');
    assert.match(text, /WARNING: THESE RUNS COME FROM DIFFERENT MACHINES OR KERNELS/);
    assert.match(formatCompareReport(report, 'md'), /\*\*WARNING/);
  });

  test('a measurement one candidate lacks is listed as not measured; bad --baseline is an input error', () => {
    const r = run('r1', ['a', 'b']);
    r.results.candidates[1].measurements.pop();
    const report = compareRuns([r]);
    const rtt = report.rows.find((x) => x.metric === 'rtt')!;
    assert.deepEqual(rtt.missing, ['b']);
    assert.match(formatCompareReport(report, 'table'), /not measured/);
    assert.throws(() => compareRuns([r], { baseline: 'zzz' }), /no such candidate \(candidates: a, b\)/);
  });

  test('a null sample in the file (NaN serialized by JSON) names file, candidate and measurement', () => {
    const r = run('r1', ['a', 'b']);
    (r.results.candidates[1].measurements[0].samples as unknown[])[2] = null;
    assert.throws(
      () => compareRuns([r]),
      /r1\/results\.json candidate b: throughput\/cross-node\/throughput.*sample #2/,
    );
  });
});

describe('cnibench compare (CLI)', { concurrency: true }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cnibench-compare-'));
    for (const [id, kernel, scale] of [
      ['run-a', '6.1.0', 1],
      ['run-b', '6.8.0', 1.2],
    ] as const) {
      mkdirSync(path.join(dir, id));
      const res = syntheticResults(
        id,
        [{ name: id.replace('run-', 'cand-'), measurements: syntheticMeasurements(scale) }],
        {
          kernel,
        },
      );
      writeFileSync(path.join(dir, id, 'results.json'), JSON.stringify(res));
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/cli/main.js'), ...args]).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => e,
    );

  test('table output with verdicts and the kernel warning on stderr', async () => {
    const r = await cli(['compare', path.join(dir, 'run-a'), path.join(dir, 'run-b', 'results.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /runs differ in kernel/);
    assert.match(r.stdout, /better/);
    assert.match(r.stdout, /worse/);
    assert.match(r.stdout, /Δ vs cand-a/);
  });
  test('json output parses; --baseline and --alpha are honoured', async () => {
    const r = await cli([
      'compare',
      path.join(dir, 'run-a'),
      path.join(dir, 'run-b'),
      '--baseline',
      'cand-b',
      '--alpha',
      '0.01',
      '--output',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.baseline, 'cand-b');
    assert.equal(report.alpha, 0.01);
  });
  test('a missing results directory exits 2 naming it', async () => {
    const r = await cli(['compare', path.join(dir, 'nope')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope: no such file or directory/);
  });
});
