import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { refreshFacts } from '../../src/scoring/refresh.js';
import { loadFacts } from '../../src/scoring/facts.js';
import { EnvironmentError } from '../../src/util/errors.js';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { healthyRoutes, startReplay, type Replay } from './github-replay.js';
import { factAt } from './fact-at.js';

const NOW = new Date('2026-11-24T00:00:00Z');

describe('facts refresh against a local GitHub API replay', () => {
  let dir: string;
  let file: string;
  let replay: Replay;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cnibench-facts-'));
    file = path.join(dir, 'cni-facts.yaml');
    copyFileSync(path.join(PROJECT_ROOT, 'data/cni-facts.yaml'), file);
    replay = await startReplay(healthyRoutes());
  });
  after(async () => {
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('updates the measurable facts and keeps comments', async () => {
    const before = readFileSync(file, 'utf8');
    const r = await refreshFacts({
      file,
      apiUrl: replay.base,
      token: 'test-token',
      now: NOW,
      statsContributorCap: 5,
      client: { statsDelayMs: 0 },
    });
    assert.equal(r.written, true);
    const { facts } = loadFacts(file); // still valid
    const cilium = (key: string) => factAt(facts, 'cilium', key);
    const calico = (key: string) => factAt(facts, 'calico', key);
    assert.equal(cilium('stars').value, 23456);
    assert.equal(cilium('forks').value, 3456);
    // Releases within a year of 2026-11-24, drafts and prereleases excluded: v1.18.4, v1.17.10, v1.18.3,
    // v1.18.2 (page 1) and v1.18.0, v1.17.9 (page 2, reached through the Link header) = 6.
    assert.equal(cilium('releasesLastYear').value, 6);
    assert.equal(cilium('latestRelease').value, 'v1.18.4');
    assert.equal(cilium('latestReleaseDate').value, '2026-11-10');
    // stats/contributors (answered 202 once, then 200): alice, bob, dave committed in the last year; carol did not.
    assert.equal(cilium('contributorsLastYear').value, 3);
    assert.equal(cilium('commitsLastYear').value, 52 * 14);
    assert.equal(cilium('openIssues').value, 987);
    assert.equal(cilium('closedIssues').value, 9013);
    // Calico: the stats list is at the cap → walk the commits (2 pages): erin, frank, ghost@, gina = 4.
    assert.equal(calico('contributorsLastYear').value, 4);
    assert.equal(calico('releasesLastYear').value, 3);
    assert.equal(calico('latestRelease').value, 'v3.31.2');
    assert.equal(calico('commitsLastYear').value, 52 * 5);
    assert.equal(calico('stars').asOf, '2026-11-24');
    assert.match(String(calico('stars').source), /^http:\/\/127\.0\.0\.1:\d+\/repos\/projectcalico\/calico$/);
    // Declared facts are untouched.
    assert.equal(calico('cncfStatus').value, 'none');
    // Comments survive, asOf stays quoted, untouched lines are byte-identical.
    const afterText = readFileSync(file, 'utf8');
    for (const line of before.split('\n').filter((l) => l.trimStart().startsWith('#'))) {
      assert.ok(afterText.includes(line), `comment lost: ${line}`);
    }
    assert.match(
      afterText,
      /stars: \{ value: 23456, source: http:\/\/127\.0\.0\.1:\d+\/repos\/cilium\/cilium, asOf: '2026-11-24' \}/,
    );
    assert.ok(
      afterText.includes('        note: Tigera') || afterText.includes('Project Calico is led by Tigera'),
    );
    // The token is sent; statistics were retried; pagination followed the Link header.
    assert.ok(replay.requests.every((q) => q.authorization === 'token test-token'));
    assert.equal(
      replay.requests.filter((q) => q.url === '/repos/cilium/cilium/stats/contributors').length,
      2,
    );
    assert.ok(replay.requests.some((q) => q.url.startsWith('/repositories/48109239/releases')));
    assert.equal(r.requests, replay.requests.length);
  });
});

describe('facts refresh rate limits', () => {
  test('a 403 with X-RateLimit-Remaining: 0 is an environment error naming the reset time; nothing is written', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cnibench-facts-'));
    const file = path.join(dir, 'cni-facts.yaml');
    copyFileSync(path.join(PROJECT_ROOT, 'data/cni-facts.yaml'), file);
    const replay = await startReplay([
      {
        path: '/repos/cilium/cilium',
        status: 403,
        file: 'rate-limited.json',
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1795000000' },
      },
      ...healthyRoutes(),
    ]);
    try {
      const before = readFileSync(file, 'utf8');
      await assert.rejects(
        refreshFacts({ file, apiUrl: replay.base, now: NOW, projects: ['cilium'] }),
        (err: unknown) => {
          assert.ok(err instanceof EnvironmentError);
          assert.equal(err.exitCode, 3);
          // 1795000000 s = 2026-11-18T11:06:40Z
          assert.match(err.message, /resets at 2026-11-18T11:06:40\.000Z/);
          assert.match(err.message, /GITHUB_TOKEN/);
          return true;
        },
      );
      assert.equal(readFileSync(file, 'utf8'), before);
    } finally {
      await replay.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
