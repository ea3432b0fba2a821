// Uses SYNTHETIC results (test/stats/fixtures.ts), never real measurements.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { compareRuns } from '../../src/compare/results-compare.js';
import type { CompareReport } from '../../src/compare/results-compare.js';
import { formatCompareReport } from '../../src/compare/format.js';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { must } from '../helpers/must.js';
import { InputError } from '../../src/util/errors.js';
import { syntheticMeasurement, syntheticMeasurements, syntheticResults } from '../stats/fixtures.js';

const run = (runId: string, names: string[], scale = 1, prov = {}) => ({
  source: `${runId}/results.json`,
  results: syntheticResults(
    runId,
    names.map((name) => ({ name, measurements: syntheticMeasurements(scale) })),
    prov,
  ),
});

describe('compareRuns', () => {
  test('identical inputs compared with themselves: equivalent on every row; the baseline path gives no verdict', () => {
    const report = compareRuns([run('r1', ['alpha']), run('r2', ['alpha'])]);
    assert.equal(report.rows.length, 3);
    assert.deepEqual(
      report.candidates.map((c) => c.id),
      ['r1:alpha', 'r2:alpha'],
    );
    for (const row of report.rows) {
      const f = row.figures[1];
      if (row.path === 'baseline') {
        assert.equal(row.environmentCheck, true);
        assert.equal(f?.comparison, undefined);
        assert.equal(f?.drift, undefined);
        continue;
      }
      assert.equal(f?.comparison?.verdict, 'equivalent', row.key);
      assert.equal(f?.verdict, 'equivalent');
      assert.equal(f?.comparison?.relativeDifference, 0);
    }
    assert.equal(report.comparisons, 2, 'one comparison per figure, adjusted together');
    assert.deepEqual(report.discoveries, []);
    assert.deepEqual(report.warnings, []);
  });

  test('a clearly shifted candidate: throughput +20% better, latency +20% worse', () => {
    const r = run('r1', ['base']);
    r.results.candidates.push(
      must(
        syntheticResults('r1', [{ name: 'shifted', measurements: syntheticMeasurements(1.2) }]).candidates[0],
      ),
    );
    const report = compareRuns([r]);
    assert.equal(report.rows.length, 3, 'result-valued parameters (retransmits) do not split rows');
    const byMetric = (metric: string, pathKind: string) =>
      must(must(report.rows.find((x) => x.metric === metric && x.path === pathKind)).figures[1]?.comparison);
    assert.equal(byMetric('throughput', 'cross-node').verdict, 'better');
    assert.equal(byMetric('throughput', 'cross-node').test, 'welch-t');
    assert.equal(byMetric('rtt', 'cross-node').verdict, 'worse');
    assert.equal(byMetric('rtt', 'cross-node').test, 'welch-t', 'no blocks recorded: the unpaired test');
    assert.ok(Math.abs(must(byMetric('rtt', 'cross-node').relativeDifference) - 0.2) < 1e-9);
    // --baseline flips the direction.
    const flipped = compareRuns([r], { baseline: 'shifted' });
    assert.equal(flipped.rows.find((x) => x.metric === 'rtt')?.figures[0]?.comparison?.verdict, 'better');
  });

  test('figures relative to the same run’s baseline path', () => {
    const report = compareRuns([run('r1', ['alpha'])]);
    const thr = must(report.rows.find((x) => x.metric === 'throughput' && x.path === 'cross-node'));
    // mean 73/8 = 9.25 over baseline mean 84.4/8 = 10.55 → 0.8768
    assert.ok(Math.abs(must(thr.figures[0]?.ofBaselinePath) - 9.25 / 10.55) < 1e-12);
    assert.equal(report.rows.find((x) => x.metric === 'rtt')?.figures[0]?.ofBaselinePath, null);
  });

  test('different kernels and hosts → a loud warning naming the differences', () => {
    const report = compareRuns([
      run('r1', ['calico'], 1, { kernel: '6.1.0-18-amd64', hostname: 'node-a' }),
      run('r2', ['cilium'], 1, { kernel: '6.8.0-45-generic', hostname: 'node-a' }),
    ]);
    assert.equal(report.warnings.length, 1);
    assert.match(must(report.warnings[0]), /kernel \(r1: 6\.1\.0-18-amd64; r2: 6\.8\.0-45-generic\)/);
    const text = formatCompareReport(report, 'table');
    assert.match(text, /WARNING: THESE RUNS COME FROM DIFFERENT MACHINES OR KERNELS/);
    assert.match(formatCompareReport(report, 'md'), /\*\*WARNING/);
  });

  test('a measurement one candidate lacks is listed as not measured; bad --baseline is an input error', () => {
    const r = run('r1', ['a', 'b']);
    must(r.results.candidates[1]).measurements.pop();
    const report = compareRuns([r]);
    const rtt = must(report.rows.find((x) => x.metric === 'rtt'));
    assert.deepEqual(rtt.missing, ['b']);
    assert.match(formatCompareReport(report, 'table'), /not measured/);
    assert.throws(() => compareRuns([r], { baseline: 'zzz' }), /no such candidate \(candidates: a, b\)/);
  });

  test('a null sample in the file (NaN serialized by JSON) is bad input naming file, field and candidate', () => {
    const r = run('r1', ['a', 'b']);
    (must(must(r.results.candidates[1]).measurements[0]).samples as unknown[])[2] = null;
    assert.throws(
      () => compareRuns([r]),
      (e: unknown) =>
        e instanceof InputError &&
        /^r1\/results\.json: candidates\[1\]\.measurements\[0\]\.samples\[2\] \(synthetic-throughput-cross-node-throughput, candidate b\): null is not a finite number$/.test(
          e.message,
        ),
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
    const report = JSON.parse(r.stdout) as CompareReport;
    assert.equal(report.baseline, 'cand-b');
    assert.equal(report.alpha, 0.01);
  });
  test('a missing results directory exits 2 naming it', async () => {
    const r = await cli(['compare', path.join(dir, 'nope')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /nope: no such file or directory/);
  });
});

/** A candidate whose every sample of a pod path and of its paired baseline is scaled by `env` (the machine). */
function pairedCandidate(name: string, pathScale: number, env: number, noise: number[]) {
  const base = [10.5, 10.7, 10.6, 10.4, 10.6, 10.5, 10.6, 10.5].map((x, i) => x * env * (noise[i] ?? 1));
  const path = [9.1, 9.4, 9.3, 9.0, 9.2, 9.5, 9.3, 9.2].map((x, i) => x * pathScale * env * (noise[i] ?? 1));
  const params = { protocol: 'TCP', streams: 1 };
  const schedule = base.map((_, block) => ({ block, position: 0 }));
  const baseline = {
    ...syntheticMeasurement({
      workload: 'throughput',
      path: 'baseline',
      metric: 'throughput',
      unit: 'Gbit/s',
      higherIsBetter: true,
      samples: base,
      parameters: params,
    }),
    id: 'throughput/tcp/streams=1/baseline',
    schedule,
  };
  const cross = {
    ...syntheticMeasurement({
      workload: 'throughput',
      path: 'cross-node',
      metric: 'throughput',
      unit: 'Gbit/s',
      higherIsBetter: true,
      samples: path,
      parameters: params,
    }),
    id: 'throughput/tcp/streams=1/cross-node',
    schedule,
    paired: { id: baseline.id, samples: base },
  };
  return { name, measurements: [baseline, cross] };
}

describe('paired baselines, drift and multiple-comparison control', () => {
  const noiseA = [1, 1.01, 0.99, 1, 1.02, 0.98, 1, 1];
  const noiseB = [1.01, 0.99, 1, 1.02, 0.98, 1, 1, 0.99];

  test('within one run the figure is compared block by block on its absolute values: one paired comparison', () => {
    const r = compareRuns([
      {
        source: 'x',
        results: syntheticResults('r1', [
          pairedCandidate('a', 1, 1, noiseA),
          pairedCandidate('b', 0.8, 1, noiseB),
        ]),
      },
    ]);
    const row = r.rows.find((x) => x.path === 'cross-node');
    const b = row?.figures[1];
    assert.ok(b?.normalized && b.normalized.ci, 'the normalized figure is still shown');
    assert.ok(Math.abs((b?.normalized?.value ?? 0) - (9.25 * 0.8) / 10.55) < 0.01);
    assert.equal(b?.comparison?.design, 'paired');
    assert.equal(b?.comparison?.test, 'paired-t');
    assert.equal(b?.comparison?.n, 8);
    assert.equal(b?.verdict, 'worse');
    assert.equal(b?.verdictBasis, 'absolute');
    assert.ok(b?.comparison?.relativeDifferenceCi, 'with its CI');
    assert.ok(Math.abs((b?.comparison?.relativeDifference ?? 0) + 0.2) < 0.01, 'geometric-mean ratio −20%');
    assert.equal(r.comparisons, 1, 'one comparison per figure (the baseline path is an environment check)');
  });

  test('drift: one candidate’s whole environment 30% slower, shown with its interval; a paired verdict stands', () => {
    const drifted = compareRuns([
      {
        source: 'x',
        results: syntheticResults('r1', [
          pairedCandidate('a', 1, 1, noiseA),
          pairedCandidate('b', 0.8, 0.7, noiseB),
        ]),
      },
    ]);
    const d = drifted.rows.find((x) => x.path === 'cross-node')?.figures[1];
    assert.ok(d?.drift, 'drift detected');
    assert.ok(d?.drift?.ci && d.drift.ci[1] < -0.05, 'the whole interval beyond the tolerance');
    assert.match(
      d?.drift?.sentence ?? '',
      /baseline path measured 7\.3\d* Gbit\/s for b against 10\.5\d* Gbit\/s for a \(-30\.\d%/,
    );
    assert.equal(drifted.drift.length, 2, 'named for the pod path and on the baseline row');
    assert.equal(d?.verdictBasis, 'absolute', 'the basis comes from the design, not from the drift');
    assert.equal(d?.verdict, 'worse');
    const text = formatCompareReport(drifted, 'table');
    assert.match(text, /environment drift on 2/);
  });

  test('drift between separate runs without paired baselines makes the absolute verdict inconclusive', () => {
    const shifted = run('r2', ['b'], 1);
    const bl = shifted.results.candidates[0]?.measurements.find((m) => m.path === 'baseline');
    if (bl) bl.samples = bl.samples.map((x) => x * 1.3);
    const r2 = compareRuns([run('r1', ['a']), shifted]);
    const f = r2.rows.find((x) => x.metric === 'throughput' && x.path === 'cross-node')?.figures[1];
    assert.ok(f?.drift);
    assert.equal(f?.drift?.paired, false);
    assert.equal(f?.verdict, 'inconclusive');
    assert.match(f?.verdictNote ?? '', /no paired baseline/);
  });

  test('Benjamini–Hochberg adjusts over every comparison by default; Holm is the option; raw and adjusted p are shown', () => {
    const results = syntheticResults('r1', [
      pairedCandidate('a', 1, 1, noiseA),
      pairedCandidate('b', 0.97, 1, noiseB),
    ]);
    const holm = compareRuns([{ source: 'x', results }], { adjust: 'holm' });
    const bh = compareRuns([{ source: 'x', results }]);
    const c = holm.rows.find((x) => x.path === 'cross-node')?.figures[1]?.comparison;
    assert.ok(c && c.p !== null && c.pAdjusted !== null && c.pAdjusted >= c.p);
    assert.equal(holm.adjust, 'holm');
    assert.equal(bh.adjust, 'bh');
    const cb = bh.rows.find((x) => x.path === 'cross-node')?.figures[1]?.comparison;
    assert.ok(cb && cb.pAdjusted !== null && c.pAdjusted !== null && cb.pAdjusted <= c.pAdjusted);
    const text = formatCompareReport(holm, 'table');
    assert.match(text, /p adj/);
    assert.match(text, /adjusted over all 1 comparisons \(Holm\)/);
  });

  test('a version-1 results file (no blocks, no pairing) is still compared on its absolute figures', () => {
    const r = run('r1', ['a', 'b']);
    r.results.schemaVersion = 1;
    const report = compareRuns([r]);
    assert.ok(report.rows.every((x) => x.figures.every((f) => f.normalized === undefined)));
    assert.equal(report.tally.equivalent, 2);
  });
});
