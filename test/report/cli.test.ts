import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/util/version.js';
import { syntheticTwoCni } from '../scoring/synthetic.js';
import { healthyRoutes, startReplay } from '../scoring/github-replay.js';
import type { ReportJson } from '../../src/report/json.js';

const MAIN = path.join(PROJECT_ROOT, 'dist/src/cli/main.js');

function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, ...env } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('cnibench report / facts (CLI)', () => {
  test('report writes the requested formats from a results file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cnibench-cli-'));
    try {
      const file = path.join(dir, 'results.json');
      writeFileSync(file, JSON.stringify(syntheticTwoCni()));
      const r = await cli(['report', file, '--format', 'json,csv,junit', '--out', path.join(dir, 'out')]);
      assert.equal(r.code, 0, r.stderr);
      for (const f of ['report.json', 'measurements.csv', 'junit.xml'])
        assert.ok(existsSync(path.join(dir, 'out', f)), f);
      assert.ok(!existsSync(path.join(dir, 'out', 'report.html')));
      const json = JSON.parse(readFileSync(path.join(dir, 'out', 'report.json'), 'utf8')) as ReportJson;
      assert.equal(json.schema, 'cnibench-report/2');
      // A run directory works too, with the default output directory <run>/report.
      const r2 = await cli(['report', dir, '--format', 'md', '--no-charts']);
      assert.equal(r2.code, 0, r2.stderr);
      assert.ok(existsSync(path.join(dir, 'report', 'report.md')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad input exits 2 with the reason', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cnibench-cli-'));
    try {
      const file = path.join(dir, 'results.json');
      writeFileSync(file, JSON.stringify(syntheticTwoCni()));
      const bad = await cli(['report', file, '--format', 'md,pdf']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /unknown format "pdf"/);
      writeFileSync(file, JSON.stringify({ ...syntheticTwoCni(), schemaVersion: 99 }));
      const old = await cli(['report', file]);
      assert.equal(old.code, 2);
      assert.match(old.stderr, /schemaVersion 99 is not supported/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('facts refresh: rate limit exits 3 naming the reset time', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cnibench-cli-'));
    const replay = await startReplay([
      {
        path: '/repos/projectcalico/calico',
        status: 429,
        file: 'rate-limited.json',
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1795000000' },
      },
      ...healthyRoutes(),
    ]);
    try {
      const file = path.join(dir, 'facts.yaml');
      copyFileSync(path.join(PROJECT_ROOT, 'data/cni-facts.yaml'), file);
      const r = await cli(['facts', 'refresh', '--file', file, '--api-url', replay.base], {
        GITHUB_TOKEN: '',
      });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /rate limit exhausted .* resets at 2026-11-18T11:06:40\.000Z/);
    } finally {
      await replay.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
