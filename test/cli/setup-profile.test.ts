/** What `./cnibench` installs before a command: only what that command line needs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setupProfile } from '../../src/cli/setup-profile.js';
import { REPO_ROOT } from '../helpers/paths.js';

const repo = REPO_ROOT;
const quickstart = path.join(repo, 'scenarios/quickstart.yaml');
const kind = path.join(repo, 'scenarios/kind-calico-vs-cilium.yaml');

test('commands that read only files need no Debian package', () => {
  for (const argv of [
    ['validate', quickstart],
    ['plan', kind],
    ['schema'],
    ['netpol', 'suite', 'list'],
    ['compare', 'results/x'],
    ['install', 'calico', '--scenario', kind, '--dry-run'],
    ['cleanup', '--context', 'kind-cnibench'],
    [],
  ]) {
    assert.equal(setupProfile(argv), 'core', argv.join(' '));
  }
});

test('reports need the chart renderer; a local run and local cleanup need the dataplane tools', () => {
  assert.equal(setupProfile(['report', 'results/x', '--format', 'html']), 'report');
  assert.equal(setupProfile(['run', quickstart]), 'local');
  assert.equal(setupProfile(['cleanup']), 'local');
  assert.equal(setupProfile(['run', kind]), 'report');
  assert.equal(setupProfile(['run', kind, '--no-report']), 'core');
});

test('a scenario that does not load installs nothing: the run itself reports the problem', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnb-profile-'));
  try {
    const broken = path.join(dir, 'broken.yaml');
    fs.writeFileSync(broken, 'cluster: {kind: local\n');
    assert.equal(setupProfile(['run', broken]), 'core');
    assert.equal(setupProfile(['run', path.join(dir, 'missing.yaml')]), 'core');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
