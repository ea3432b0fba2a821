import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { renderReports } from '../../src/report/render.js';
import { chromium } from '../helpers/chromium.js';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { syntheticLocal, syntheticScheduledLocal, syntheticTwoCni } from '../scoring/synthetic.js';
import { seededRandom } from '../../src/stats/prng.js';
import type { ReportJson } from '../../src/report/json.js';
import { must } from '../helpers/must.js';

const NOW = new Date('2026-11-24T00:00:00Z');
const EVIL = 'demo <script>alert("pwned")</script> & co';

describe('renderReports on a synthetic two-CNI run', () => {
  let out: string;
  let files: string[];
  before(async () => {
    out = mkdtempSync(path.join(tmpdir(), 'cnibench-report-'));
    files = await renderReports([syntheticTwoCni({ name: EVIL })], {
      outDir: out,
      facts: path.join(PROJECT_ROOT, 'data/cni-facts.yaml'),
      now: NOW,
    });
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  test('writes every format and the chart PNGs', () => {
    for (const f of [
      'report.md',
      'decision-record.md',
      'report.html',
      'report.json',
      'junit.xml',
      'measurements.csv',
    ]) {
      assert.ok(files.includes(path.join(out, f)), f);
    }
    const pngs = files.filter((f) => f.endsWith('.png'));
    // throughput, latency, programming latency, scale, heat map, case programming latency, radar of
    // all + one per candidate, and the git activity and release time line of the shipped facts
    // (Calico's are measured from git).
    assert.equal(pngs.length, 11);
    for (const p of pngs) {
      const buf = readFileSync(p);
      assert.equal(buf.subarray(1, 4).toString(), 'PNG');
      assert.ok(buf.length > 5000, `${p} is suspiciously small`);
    }
  });

  test('HTML is self-contained and escapes scenario text', () => {
    const html = readFileSync(path.join(out, 'report.html'), 'utf8');
    assert.ok(!html.includes('<script>alert'), 'scenario text must not become markup');
    assert.ok(html.includes('demo &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; co'));
    assert.equal(html.match(/<script>/g)?.length, 1, 'only the inline image check script');
    // Nothing is loaded from outside: every src is a data: URI, no stylesheet links, no @import.
    for (const [, src] of html.matchAll(/\ssrc="([^"]*)"/g))
      assert.match(src ?? '', /^data:image\/png;base64,/);
    assert.ok(!/<link\b/.test(html) && !/@import/.test(html) && !/url\(/.test(html));
  });

  test('headless Chromium loads every chart image and the summary names the winner', async () => {
    const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as ReportJson;
    const winnerLabel = json.summary.winnerLabel;
    assert.ok(winnerLabel === 'Calico v3.29.1' || winnerLabel === 'Cilium 1.16.5');
    const url = `file://${path.join(out, 'report.html')}`;
    const dom = await chromium(['--virtual-time-budget=5000', '--dump-dom', url]);
    const attr = (name: string) => new RegExp(`<body[^>]*\\s${name}="([^"]*)"`).exec(dom)?.[1];
    assert.equal(attr('data-images-total'), '11');
    assert.equal(attr('data-images-loaded'), '11');
    assert.equal(attr('data-images-ok'), 'true');
    const summary = /<p class="summary">([^<]*)<\/p>/.exec(dom)?.[1] ?? '';
    assert.ok(summary.startsWith(`Winner: ${winnerLabel} with a score of`), summary);
    // A screenshot for a human look (kept only when CNIBENCH_KEEP_SCREENSHOT names a path).
    const shot = process.env.CNIBENCH_KEEP_SCREENSHOT ?? path.join(out, 'screenshot.png');
    await chromium(['--window-size=1280,1800', '--hide-scrollbars', `--screenshot=${shot}`, url]);
    assert.ok(existsSync(shot) && statSync(shot).size > 10_000);
  });

  test('JUnit XML: a testsuite per candidate, failures with mismatches, skipped with reasons', () => {
    const xml = readFileSync(path.join(out, 'junit.xml'), 'utf8');
    assert.equal(xml.match(/<testsuite /g)?.length, 2);
    assert.equal(xml.match(/<testcase /g)?.length, 10);
    assert.equal(xml.match(/<failure /g)?.length, 1);
    assert.match(
      xml,
      /<failure message="1 mismatch with the NetworkPolicy model" type="mismatch">x\/a -&gt; y\/b 80\/TCP: expected deny, observed allow \(answered by y\/b\)<\/failure>/,
    );
    assert.equal(xml.match(/<skipped message="SCTP not enabled on the cluster"\/>/g)?.length, 2);
    assert.match(xml, /<testsuites name="cnibench conformance: demo &lt;script&gt;/);
  });

  test('CSV: one row per measurement, quoted where needed', () => {
    const csv = readFileSync(path.join(out, 'measurements.csv'), 'utf8').trimEnd().split('\r\n');
    assert.equal(csv.length, 1 + 2 * 8);
    assert.ok(csv[0]?.startsWith('run_id,candidate,label,cni,measurement_id,'));
    const row = must(
      csv.find(
        (l) =>
          l.includes('programming-latency') &&
          l.includes('policies=100') &&
          l.startsWith('synthetic-run,cilium'),
      ),
      'the cilium programming-latency row at 100 policies',
    );
    assert.ok(row.endsWith(',260 270 280,'), row);
  });

  test('Markdown: the facts measured from git, with their commit', () => {
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    assert.match(md, /## Project activity measured from git/);
    assert.match(md, /: projectcalico\/calico\n\nCommit [0-9a-f]{40}, window \d{4}-\d{2}-\d{2} to /);
    assert.match(md, /\| contributorAbsenceFactor \| \d+ \|/);
    // The evidence names the commit in place of a URL.
    assert.match(
      md,
      /\| ossHealth\.contributors \| [\d.]+ \| \d+ \| git projectcalico\/calico@[0-9a-f]{12} \|/,
    );
    assert.ok(files.includes(path.join(out, 'project-activity.png')));
    assert.ok(files.includes(path.join(out, 'release-timeline.png')));
  });

  test('Markdown: sections, labels and the decision record', () => {
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    for (const h of [
      '## Executive summary',
      '## Scores',
      '## Sensitivity analysis',
      '## Feature matrix',
      '## Standards fit',
      '## Conformance',
      '## Performance',
      '## Policy scale',
      '## Provenance',
      '## Scenario as run',
      '## Decision record',
    ]) {
      assert.ok(md.includes(h), h);
    }
    assert.ok(md.includes('![Throughput (median, 95% CI)](throughput.png)'));
    assert.ok(md.includes('demo &lt;script&gt;'));
    const record = readFileSync(path.join(out, 'decision-record.md'), 'utf8');
    // The sections of the SCS decision-record template, in its order (scs-XXXX-vN-decision-record-template.md).
    const sections = record.split('\n').filter((l) => l.startsWith('## '));
    assert.deepEqual(sections, [
      '## Abstract',
      '## Terminology',
      '## Context',
      '## Decision',
      '## Consequences',
      '## Related Documents',
    ]);
    for (const h of ['### Options considered', '### Criteria and weights', '### Evidence'])
      assert.ok(record.includes(h), h);
    assert.match(record, /scs-0219-v1, Stable since 2024-11-21/);
    assert.doesNotMatch(record, /scs-0219, draft/);
    assert.match(record, /^---\ntitle: .*\ntype: Decision Record\nstatus: Draft\ntrack: KaaS\n---/);
  });
});

describe('renderReports on the local reference profiles', () => {
  test('names the stand-ins as such and never as Calico or Cilium', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cnibench-report-'));
    try {
      await renderReports([syntheticLocal()], {
        outDir: out,
        formats: ['md', 'json'],
        charts: false,
        facts: path.join(PROJECT_ROOT, 'data/cni-facts.yaml'),
        now: NOW,
      });
      const md = readFileSync(path.join(out, 'report.md'), 'utf8');
      assert.ok(md.includes('local reference profile (routed)'));
      assert.ok(md.includes('local reference profile (VXLAN)'));
      assert.ok(!/calico|cilium/i.test(md), 'a stand-in must not be named after a CNI product');
      assert.match(md, /No decision: only local reference profiles were measured/);
      const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as ReportJson;
      assert.equal(json.summary.referenceOnly, true);
      assert.ok(!existsSync(path.join(out, 'throughput.png')));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('two results files are merged; a repeated candidate name is qualified by run id', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cnibench-report-'));
    try {
      const a = syntheticLocal();
      const b = { ...syntheticLocal(), runId: 'second-run' };
      await renderReports([a, b], { outDir: out, formats: ['json'], charts: false, facts: null, now: NOW });
      const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as ReportJson;
      assert.deepEqual(
        json.scoring.candidates.map((c: { name: string }) => c.name),
        ['routed@synthetic-run', 'vxlan@synthetic-run', 'routed@second-run', 'vxlan@second-run'],
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('candidates the measurements cannot separate: no winner, the difference with its interval', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'cnibench-report-'));
    try {
      // SYNTHETIC: the same level with ±25 % independent noise, 6 blocks: a difference of a few
      // percent that the data cannot separate.
      const rand = seededRandom(11);
      const noisy = (scale: number) => Array.from({ length: 6 }, () => scale * 10 * (0.75 + 0.5 * rand()));
      const res = syntheticScheduledLocal(
        noisy(1),
        noisy(0.97),
        Array.from({ length: 6 }, () => 20),
      );
      await renderReports([res], {
        outDir: out,
        formats: ['md', 'json'],
        charts: false,
        facts: null,
        now: NOW,
      });
      const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as ReportJson;
      assert.equal(json.summary.winner, null);
      const sep = must(json.summary.separation, 'separation');
      assert.equal(sep.separated, false);
      assert.ok(sep.untiedInterval.lo <= 0 && sep.untiedInterval.hi >= 0);
      assert.ok(sep.untiedInterval.hi > sep.untiedInterval.lo, 'untied: the medians could differ either way');
      const md = readFileSync(path.join(out, 'report.md'), 'utf8');
      assert.match(md, /No (winner|best reference profile): .* are not separated/);
      assert.match(md, /Measurement uncertainty: over 400 block-bootstrap replicates/);
      assert.doesNotMatch(md, /Best reference profile \(a rehearsal/);
      // The share of replicates where the leader ranks first says which replicates it counts.
      const untiedDiffers =
        sep.untiedInterval.lo !== sep.interval.lo || sep.untiedInterval.hi !== sep.interval.hi;
      assert.ok(untiedDiffers, 'the synthetic figures are inconclusive, so the untied interval differs');
      assert.match(
        md,
        /ranks first in \d+% of 400 block-bootstrap replicates in which those figures differ as their medians do/,
      );
      // With no winner named, the sensitivity lines speak of the leader, never of "the winner".
      const sensitivity = md.slice(md.indexOf('## Sensitivity analysis'));
      assert.doesNotMatch(sensitivity.split('\n## ')[0] ?? '', /the winner\b/);
      assert.doesNotMatch(md.slice(0, md.indexOf('## ', 3)), /tie with the winner/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
