// Issue 18, defects 2–10 of the old analysis: one test each, on SYNTHETIC results (never measurements).
// Each fails on the analysis before the block-paired method (checked against that code).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Measurement } from '../../src/results/schema.js';
import { compareRuns, type CompareReport } from '../../src/compare/results-compare.js';
import { formatCompareReport } from '../../src/compare/format.js';
import { analyzeRun } from '../../src/run/analysis.js';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { normals } from '../helpers/synthetic-machine.js';
import { syntheticMeasurement, syntheticResults } from '../stats/fixtures.js';

type Kind = 'rate' | 'latency';

/** A measurement measured in blocks 0…n−1 (one sample per block), with optional paired baselines. */
function blocked(
  id: string,
  kind: Kind,
  samples: number[],
  paired?: number[],
  pathKind = 'cross-node',
): Measurement {
  const rate = kind === 'rate';
  return {
    ...syntheticMeasurement({
      workload: rate ? 'throughput' : 'latency',
      path: pathKind as Measurement['path'],
      metric: rate ? 'throughput' : 'rtt',
      unit: rate ? 'Gbit/s' : 'us',
      higherIsBetter: rate,
      samples,
      parameters: { figure: id },
    }),
    id: `${id}/${pathKind}`,
    schedule: samples.map((_, block) => ({ block, position: 0 })),
    ...(paired ? { paired: { id: `${id}/baseline`, samples: paired } } : {}),
  };
}

function report(a: Measurement[], b: Measurement[], opts = {}): CompareReport {
  const r = syntheticResults('r', [
    { name: 'a', measurements: a },
    { name: 'b', measurements: b },
  ]);
  r.schemaVersion = 3;
  return compareRuns([{ source: 'r/results.json', results: r }], opts);
}

const fig = (rep: CompareReport, id: string) =>
  rep.rows.find((x) => x.id === `${id}/cross-node`)?.figures.find((f) => f.candidate === 'b');

describe('issue 18 defects', () => {
  test('2: drift is decided with its interval, not a point estimate beyond 5%, and does not switch the basis', () => {
    // Both candidates' paired baselines from the same noisy machine (CV 13%), b's 6% higher by chance.
    const z = normals(18);
    const noisy = (scale: number) => Array.from({ length: 6 }, () => 10 * scale * Math.exp(0.13 * z()));
    const baseA = noisy(1);
    const baseB = baseA.map((x, i) => x * 1.06 * ([1.1, 0.9, 1.05, 0.95, 1.12, 0.88][i] ?? 1));
    const rep = report([blocked('f', 'rate', noisy(0.9), baseA)], [blocked('f', 'rate', noisy(0.9), baseB)]);
    const f = fig(rep, 'f');
    assert.equal(f?.drift, undefined, `point estimate ${f?.drift?.relativeDifference}: not drift`);
    assert.equal(f?.verdictBasis, 'absolute');
    assert.equal(rep.drift.length, 0);
  });

  test('3: one comparison per figure enters the family, even with paired baselines', () => {
    const base = [10, 10.2, 9.9, 10.1, 10, 9.8];
    const rep = report(
      [
        blocked('f', 'rate', [9, 9.1, 8.9, 9.2, 9, 8.8], base),
        blocked('g', 'latency', [40, 41, 39, 40, 42, 40], base),
      ],
      [
        blocked('f', 'rate', [8, 8.1, 7.9, 8.2, 8, 7.8], base),
        blocked('g', 'latency', [44, 45, 43, 44, 46, 44], base),
      ],
    );
    assert.equal(rep.comparisons, 2);
  });

  test('4: no figure is better/worse next to a note that says it cannot reach significance', () => {
    // 11 rate figures with large differences and one latency figure of 5 blocks, cleanly separated.
    const a: Measurement[] = [];
    const b: Measurement[] = [];
    for (let i = 0; i < 11; i++) {
      a.push(blocked(`r${i}`, 'rate', [10, 10.1, 9.9, 10.05, 9.95]));
      b.push(blocked(`r${i}`, 'rate', [12, 12.2, 11.9, 12.1, 11.8]));
    }
    a.push(blocked('lat', 'latency', [40, 41, 39, 40.5, 39.5]));
    b.push(blocked('lat', 'latency', [48, 50, 47, 49, 48.5]));
    const rep = report(a, b);
    for (const row of rep.rows) {
      for (const f of row.figures) {
        const note = f.comparison?.note ?? '';
        if (f.verdict === 'better' || f.verdict === 'worse') {
          assert.doesNotMatch(note, /cannot reach|not after/, `${row.id}: ${f.verdict} with "${note}"`);
        }
        if (/not after/.test(note)) assert.ok((f.comparison?.pAdjusted ?? 0) >= rep.alpha, note);
      }
    }
  });

  test('6: the relative-difference interval covers at its level and matches TOST (equivalent ⇔ inside ±margin)', () => {
    const z = normals(6);
    let covered = 0;
    let aaExcludes = 0;
    const runs = 250;
    let level = 0;
    for (let r = 0; r < runs; r++) {
      const blocks = Array.from({ length: 6 }, () => 0.1 * z());
      const truth = 0.97;
      const a = blocks.map((e) => 10 * Math.exp(e + 0.07 * z()));
      const b = blocks.map((e) => 10 * truth * Math.exp(e + 0.07 * z()));
      const aa = blocks.map((e) => 10 * Math.exp(e + 0.07 * z()));
      const rep = report(
        [blocked('f', 'rate', a), blocked('g', 'rate', a)],
        [blocked('f', 'rate', b), blocked('g', 'rate', aa)],
        {
          adjust: 'holm',
        },
      );
      const c = fig(rep, 'f')?.comparison;
      const ci = c?.relativeDifferenceCi;
      assert.ok(c && ci);
      level = c.ciLevel;
      if (ci[0] <= truth - 1 && truth - 1 <= ci[1]) covered++;
      const g = fig(rep, 'g')?.comparison?.relativeDifferenceCi;
      if (g && (g[0] > 0 || g[1] < 0)) aaExcludes++;
      // Equivalence and the interval: TOST at alpha rejects exactly when the (1 − 2α) CI is inside.
      const inside = ci[0] > -c.margin - 1e-12 && ci[1] < c.margin + 1e-12;
      const tostRaw = (c.pEquivalence ?? 1) < c.alpha;
      if (tostRaw) assert.ok(inside, `TOST p ${c.pEquivalence} but CI [${ci[0]}, ${ci[1]}]`);
    }
    assert.ok(Math.abs(level - 0.9) < 1e-9, `a fixed design shows the 90% interval (${level})`);
    assert.ok(covered / runs >= level - 0.03, `coverage ${covered / runs} at level ${level}`);
    assert.ok(aaExcludes / runs <= 1 - level + 0.03, `A/A intervals excluding 0: ${aaExcludes / runs}`);
  });

  test('7: direction and significance come from one estimate: a verdict never contradicts its interval', () => {
    // Latencies where b has the lower median (39.9 against 40) but is slower on most pairs: 11 of 20
    // blocks just under a's median, 9 far above. Medians said "better" while Mann–Whitney said
    // "B is larger" (p ≈ 0.02); the paired log-ratio test and its effect cannot split like that.
    const a = Array.from({ length: 20 }, (_, k) => 35 + ((k * 7) % 20) / 2);
    const b = Array.from({ length: 20 }, (_, k) => (k < 11 ? 39.9 : 60));
    const rep = report([blocked('f', 'latency', a)], [blocked('f', 'latency', b)]);
    const f = fig(rep, 'f');
    const c = f?.comparison;
    assert.ok(c?.relativeDifference !== undefined && c.relativeDifference !== null);
    assert.ok(c.relativeDifference > 0, 'b is slower on average (geometric mean)');
    assert.notEqual(f?.verdict, 'better', 'never better while its effect says slower');
    if (f?.verdict === 'worse') assert.ok((c.relativeDifferenceCi?.[0] ?? 0) > 0);
  });

  test('8: run --aa counts figure verdicts, one per figure', () => {
    const base = [10, 10.2, 9.9, 10.1, 10, 9.8];
    const r = syntheticResults('aa', [
      { name: 'x-1', measurements: [blocked('f', 'rate', [9, 9.1, 8.9, 9.2, 9, 8.8], base)] },
      { name: 'x-2', measurements: [blocked('f', 'rate', [9.05, 9.0, 9.0, 9.1, 9.1, 8.9], base)] },
    ]);
    r.schemaVersion = 3;
    r.aa = { of: 'x' };
    const aa = analyzeRun(r).aa;
    assert.equal(aa?.comparisons, 1, 'one figure, one comparison (the old count was 2)');
    assert.equal(aa?.falseDiscoveries, aa?.discoveries.length);
  });

  test('9: constant samples never give p = 0: no verdict from n = 2, none without noise', () => {
    const two = report([blocked('f', 'rate', [10, 10])], [blocked('f', 'rate', [11, 11])]);
    assert.equal(fig(two, 'f')?.verdict, 'inconclusive');
    assert.equal(fig(two, 'f')?.comparison?.p, null);
    const flat = report(
      [blocked('f', 'rate', [10, 10, 10, 10, 10])],
      [blocked('f', 'rate', [11, 11, 11, 11, 11])],
    );
    assert.equal(fig(flat, 'f')?.verdict, 'inconclusive');
    assert.match(fig(flat, 'f')?.comparison?.note ?? '', /noise cannot be estimated/);
  });
});

describe('issue 18 defect 10: impossible samples are bad input (exit 2) naming file and field', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cnibench-defect10-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'dist/src/cli/main.js'), ...args]).then(
      (r) => ({ ...r, code: 0 }),
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
  const write = (name: string, sample: unknown) => {
    const r = syntheticResults('r', [
      { name: 'a', measurements: [blocked('f', 'rate', [10, 10.2, 9.9, 10.1])] },
      { name: 'b', measurements: [blocked('f', 'rate', [5, 5.1, 4.9, 5])] },
    ]);
    (r.candidates[1]?.measurements[0]?.samples as unknown[])[1] = sample;
    const file = path.join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify(r));
    return file;
  };

  test('a negative throughput sample', async () => {
    const file = write('negative', -5.1);
    const r = await cli(['compare', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /negative\.json: candidates\[1\]\.measurements\[0\]\.samples\[1\] .*-5\.1 is negative/,
    );
  });

  test('a null sample (NaN written by JSON)', async () => {
    const file = write('null', null);
    const r = await cli(['compare', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /null\.json: candidates\[1\]\.measurements\[0\]\.samples\[1\] .*null is not a finite number/,
    );
  });
});

describe('compare in a terminal', () => {
  test('figures are named by id and every line fits 160 columns, long notes as footnotes', () => {
    const id = 'policy-scale/policies=1000/latency/rr-p99/payload=1';
    const a = [
      blocked(id, 'latency', [4002, 3185, 6753, 4100, 3900, 4500]),
      blocked('throughput/tcp/streams=4', 'rate', [1.97, 1.53, 2.41, 2.2]),
    ];
    const b = [
      blocked(id, 'latency', [7384, 3719, 26848, 9000, 5000, 12000]),
      blocked('throughput/tcp/streams=4', 'rate', [2.5, 1.46, 3.53, 2.1]),
    ];
    const text = formatCompareReport(report(a, b), 'table');
    assert.match(text, /^policy-scale\/policies=1000\/latency\/rr-p99\/payload=1\/cross-node +b /m);
    for (const line of text.split('\n')) assert.ok(line.length <= 160, `${line.length} columns: ${line}`);
  });
});
