/**
 * What the SCS compliance runner makes of a check that cannot start: it counts the lines of stdout and
 * stderr that begin with "error" or "critical" (case-insensitive) into its own exit status and reads
 * the tool's exit code for nothing else. So every line about a problem begins with ERROR: or CRITICAL:,
 * or a misconfigured `scripts:` entry would end as a "TENTATIVE pass".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { CLI_MAIN, REPO_ROOT } from '../helpers/paths.js';
import { parseScsOutput } from './scs-runner-parse.js';

const cli = (args: string[]) =>
  execa(process.execPath, [CLI_MAIN, ...args], { reject: false, cwd: REPO_ROOT, timeout: 60_000 });

/** The runner's exit-status rule applied to a run's output: non-zero when it counted a problem. */
const runnerStatus = (stdout: string, stderr: string) => {
  const c = parseScsOutput(stdout, stderr).counts;
  return c.error + c.critical;
};

test('an unknown testcase id: exit 2, and the runner counts an ERROR line', async () => {
  const r = await cli(['check', 'scs-0219', '-k', '/nonexistent/kubeconfig', 'kaas-networking-chek']);
  assert.equal(r.exitCode, 2, r.stderr);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^ERROR: cnibench: unknown testcase id "kaas-networking-chek"/);
  assert.ok(runnerStatus(r.stdout, r.stderr) > 0, r.stderr);
  for (const line of r.stderr.trimEnd().split('\n')) assert.match(line, /^(ERROR|CRITICAL): /);
});

test('a usage error of check (unknown option) is an ERROR line too; other commands keep "cnibench:"', async () => {
  const r = await cli(['check', 'scs-0219', '--no-such-option']);
  assert.equal(r.exitCode, 2, r.stderr);
  assert.ok(runnerStatus(r.stdout, r.stderr) > 0, r.stderr);
  for (const line of r.stderr.trimEnd().split('\n')) assert.match(line, /^ERROR: cnibench: /);
  const other = await cli(['validate', '/nonexistent/scenario.yaml']);
  assert.match(other.stderr, /^cnibench: /);
});
