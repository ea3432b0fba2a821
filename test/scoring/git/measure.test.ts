/**
 * `facts measure` on repositories the test builds (SYNTHETIC history, exact expected figures worked
 * out by hand in the comments), and the bad inputs: not a repository, a shallow clone, no tags, a
 * window without commits, a date before the first commit.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureRepository } from '../../../src/scoring/git/measure.js';
import { writeMeasuredFacts } from '../../../src/scoring/measured-facts.js';
import { loadFacts } from '../../../src/scoring/facts.js';
import { InputError } from '../../../src/util/errors.js';
import { PROJECT_ROOT } from '../../../src/util/version.js';
import { git, makeRepo } from './make-repo.js';

const MAIN = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');
const ALICE = { name: 'Alice', email: 'alice@tigera.io' };
const BOB = { name: 'Bob', email: 'Bob@gmail.com' };
const CAROL = { name: 'Carol', email: 'carol@isovalent.com' };
const DAVE = { name: 'Dave', email: 'dave@example.org' };
const BOT = { name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' };

const FILES = {
  LICENSE: 'Apache License\n                           Version 2.0, January 2004\n',
  'SECURITY.md': '# Security\n',
  'CONTRIBUTING.md': '# Contributing\n',
  'ADOPTERS.md': '# Adopters\n\n- Org A\n- Org B\n* Org C\n',
  '.github/workflows/ci.yml': [
    'jobs:',
    '  test:',
    '    steps:',
    '      - uses: actions/checkout@0123456789abcdef0123456789abcdef01234567',
    '      - uses: actions/setup-go@v5',
    '      - uses: ./local-action',
    '',
  ].join('\n'),
  'pkg/parse_test.go': 'package pkg\n\nfunc FuzzParse(f *testing.F) {}\n',
};

/** The history of the main test repository; the window (12 months to 2026-06-15) starts 2025-07-01. */
function mainHistory() {
  return makeRepo([
    { at: '2024-01-10T12:00:00Z', ...ALICE, files: FILES, tags: ['v1.0.0'] },
    { at: '2024-06-10T12:00:00Z', ...ALICE, tags: ['v1.0.1'] },
    { at: '2025-05-01T12:00:00Z', ...ALICE, tags: [{ name: 'v1.1.0', annotated: true }] },
    { at: '2025-07-05T12:00:00Z', ...ALICE },
    { at: '2025-07-20T12:00:00Z', ...BOB },
    { at: '2025-08-03T12:00:00Z', ...ALICE },
    { at: '2025-10-10T12:00:00Z', ...CAROL },
    { at: '2025-10-11T12:00:00Z', ...BOT },
    { at: '2026-01-15T12:00:00Z', ...ALICE, tags: ['v1.1.1'] },
    { at: '2026-03-01T12:00:00Z', ...DAVE },
    { at: '2026-06-15T12:00:00Z', ...BOB, tags: ['v1.2.0', 'v1.3.0-rc1'] },
  ]);
}

describe('facts measure on a repository built by the test', () => {
  let repo: string;
  before(() => {
    repo = mainHistory();
  });
  after(() => rmSync(repo, { recursive: true, force: true }));

  test('activity, contributors, organisations, releases and process signals, exactly', async () => {
    const m = await measureRepository({ git: repo, repository: 'example/project' });
    assert.equal(m.provenance.window, '2025-07-01..2026-06-15');
    assert.equal(m.provenance.repository, 'example/project');
    assert.match(m.provenance.commit, /^[0-9a-f]{40}$/);
    assert.deepEqual(m.facts, {
      // 8 commits in the window, the bot's included.
      commitsLastYear: 8,
      // Alice, Bob, Carol, Dave (the bot is no person).
      contributorsLastYear: 4,
      // Sep, Nov, Dec 2025 and Feb, Apr, May 2026.
      monthsWithoutCommits: 6,
      // Human commits 7: Alice 3, Bob 2, Carol 1, Dave 1; 3 < 3.5 ≤ 3 + 2.
      contributorAbsenceFactor: 2,
      // Tigera 3 of 7 human commits.
      largestOrganisationShare: 0.429,
      largestOrganisation: 'Tigera',
      // Tigera 3, independent 2 (gmail), then 1: 6 ≥ 0.8 × 7.
      organisationsFor80Percent: 3,
      // Bob, Carol, Dave: their first commit is in the window; Alice's is from 2024.
      newContributorsLastYear: 3,
      firstStableRelease: '2024-01',
      latestRelease: 'v1.2.0',
      latestReleaseDate: '2026-06-15',
      // v1.1.1 and v1.2.0 (the rc is no release; v1.1.0 is from before the window).
      releasesLastYear: 2,
      // First releases 2024-01-10, 2025-05-01, 2026-06-15: gaps 477 and 410 days, median 443.5.
      minorReleaseIntervalDays: 444,
      // Only 1.0 is closed (1.1 came out 410 days before the as-of day): 2024-01-10 → 2024-06-10.
      supportWindowDays: 152,
      signedTagsShare: 0,
      license: 'Apache-2.0',
      securityPolicy: true,
      contributionGuide: true,
      designProcess: false,
      governanceFile: false,
      codeOfConduct: false,
      ci: true,
      fuzzing: true,
      // One of two remote actions pinned by SHA (the local one has nothing to pin).
      pinnedActionsShare: 0.5,
      adopters: 3,
    });
    assert.deepEqual(
      m.notMeasured.map((n) => n.key),
      ['sbom'],
    );
    assert.deepEqual(
      m.history.monthly.map((x) => [x.month, x.commits, x.contributors]),
      [
        ['2025-07', 2, 2],
        ['2025-08', 1, 1],
        ['2025-09', 0, 0],
        ['2025-10', 2, 1],
        ['2025-11', 0, 0],
        ['2025-12', 0, 0],
        ['2026-01', 1, 1],
        ['2026-02', 0, 0],
        ['2026-03', 1, 1],
        ['2026-04', 0, 0],
        ['2026-05', 0, 0],
        ['2026-06', 1, 1],
      ],
    );
    assert.deepEqual(
      m.history.releases.map((r) => r.tag),
      ['v1.0.0', 'v1.0.1', 'v1.1.0', 'v1.1.1', 'v1.2.0'],
    );
  });

  test('as of an earlier date: the newest commit at or before it, the window ending that day', async () => {
    const m = await measureRepository({ git: repo, asOf: new Date('2025-12-31T23:59:59Z') });
    assert.equal(m.provenance.window, '2025-01-01..2025-12-31');
    assert.equal(m.facts.latestRelease, 'v1.1.0');
    // 2025-05-01 (Alice), 07-05, 07-20, 08-03, 10-10, 10-11.
    assert.equal(m.facts.commitsLastYear, 6);
  });

  test('a window without commits gives zeros and twelve empty months', async () => {
    const m = await measureRepository({ git: repo, asOf: new Date('2028-01-31T23:59:59Z') });
    assert.equal(m.facts.commitsLastYear, 0);
    assert.equal(m.facts.contributorsLastYear, 0);
    assert.equal(m.facts.monthsWithoutCommits, 12);
    assert.equal(m.facts.releasesLastYear, 0);
  });

  test('a date before the first commit is bad input', async () => {
    await assert.rejects(
      measureRepository({ git: repo, asOf: new Date('2020-01-01T00:00:00Z') }),
      (e: unknown) => e instanceof InputError && /no commit at or before 2020-01-01/.test(e.message),
    );
  });

  test('written twice on the same commit: byte-identical; a contradicted declared fact is named', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cnibench-facts-'));
    try {
      const file = path.join(dir, 'facts.yaml');
      writeFileSync(
        file,
        [
          '# comments survive',
          'factsVersion: 2',
          'projects:',
          '  demo:',
          '    name: Demo',
          '    repo: example/project',
          '    facts:',
          "      license: { value: MIT, source: 'https://example.org/LICENSE', asOf: '2026-01-01' }",
          "      firstStableRelease: { value: '2015-08', source: 'https://example.org/history', asOf: '2026-01-01' }",
          '',
        ].join('\n'),
      );
      const m = await measureRepository({ git: repo, repository: 'example/project' });
      const r = writeMeasuredFacts(file, 'demo', m);
      const first = readFileSync(file, 'utf8');
      assert.equal(r.warnings.length, 2);
      assert.match(
        r.warnings.join('\n'),
        /demo\.license: declared "MIT" \(https:\/\/example\.org\/LICENSE.*measured "Apache-2\.0" from example\/project@/,
      );
      assert.match(r.warnings.join('\n'), /demo\.firstStableRelease: .*the earlier declared value is kept/);
      writeMeasuredFacts(file, 'demo', await measureRepository({ git: repo, repository: 'example/project' }));
      assert.equal(readFileSync(file, 'utf8'), first);
      assert.match(first, /^# comments survive/);
      const { facts } = loadFacts(file);
      const demo = facts.projects.demo;
      assert.equal(demo?.facts.license?.value, 'Apache-2.0');
      assert.equal(demo?.facts.license?.measured?.commit, m.provenance.commit);
      assert.equal(demo?.facts.firstStableRelease?.value, '2015-08');
      assert.equal(demo?.history?.monthly.length, 12);
      assert.equal(facts.factsVersion, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('facts measure: what cannot be measured', () => {
  test('a repository without tags has no release facts, and says why', async () => {
    const repo = makeRepo([{ at: '2026-01-10T12:00:00Z', ...ALICE, files: { 'README.md': 'x\n' } }]);
    try {
      const m = await measureRepository({ git: repo });
      assert.equal(m.facts.latestRelease, undefined);
      const reasons = Object.fromEntries(m.notMeasured.map((n) => [n.key, n.reason]));
      assert.match(reasons.releasesLastYear ?? '', /no release tags/);
      assert.match(reasons.license ?? '', /no LICENSE file/);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  test('a shallow clone: what needs the whole history is not measured', async () => {
    const repo = mainHistory();
    const shallow = mkdtempSync(path.join(tmpdir(), 'cnibench-shallow-'));
    try {
      git(shallow, ['clone', '-q', '--depth', '2', `file://${repo}`, 'c']);
      const m = await measureRepository({ git: path.join(shallow, 'c') });
      assert.equal(m.shallow, true);
      const keys = m.notMeasured.map((n) => n.key);
      for (const k of ['newContributorsLastYear', 'firstStableRelease', 'commitsLastYear'])
        assert.ok(keys.includes(k), `${k} must be listed as not measured`);
      assert.equal(m.facts.commitsLastYear, undefined);
      assert.equal(m.history.monthly.length, 0);
    } finally {
      rmSync(repo, { recursive: true, force: true });
      rmSync(shallow, { recursive: true, force: true });
    }
  });
});

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MAIN, ...args], { cwd: PROJECT_ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('cnibench facts measure (CLI)', () => {
  test('not a repository: exit 2 and one line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cnibench-norepo-'));
    try {
      const r = await cli(['facts', 'measure', '--git', dir]);
      assert.equal(r.code, 2, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', /not a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a malformed --as-of: exit 2', async () => {
    const r = await cli(['facts', 'measure', '--git', PROJECT_ROOT, '--as-of', 'last week']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--as-of "last week": expected a date YYYY-MM-DD/);
  });

  test('writes into a facts file given with --file, with a progress line on stderr', async () => {
    const repo = mainHistory();
    const dir = mkdtempSync(path.join(tmpdir(), 'cnibench-facts-'));
    try {
      const file = path.join(dir, 'cni-facts.yaml');
      copyFileSync(path.join(PROJECT_ROOT, 'data/cni-facts.yaml'), file);
      const r = await cli(['facts', 'measure', '--git', repo, '--project', 'cilium', '--file', file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /facts measure: read 11 commits/);
      assert.match(r.stdout, /^cilium\/cilium at [0-9a-f]{40} \(window 2025-07-01\.\.2026-06-15/);
      assert.match(r.stdout, /measured facts of cilium written/);
      assert.equal(loadFacts(file).facts.projects.cilium?.facts.contributorsLastYear?.value, 4);
    } finally {
      rmSync(repo, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
