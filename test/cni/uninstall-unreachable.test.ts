/**
 * `cnibench uninstall calico` must not report success when it could not ask the cluster: "already gone"
 * is decided from an HTTP 404 alone, and a closed port, an unresolvable host or a discovery 503 is exit 3
 * with one line (the real CLI against the fake API server).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { FakeApiServer } from '../cluster/kube/fake-apiserver.js';
import { selectCandidate } from '../../src/cli/commands/install.js';
import { InputError } from '../../src/util/errors.js';
import { cacheCalico, runCli, tempDir } from './helpers.js';

const VERSION = 'v3.32.1';

async function setUp(t: TestContext, opts: { discoveryStatus?: number } = {}) {
  const api = await FakeApiServer.start(opts);
  t.after(() => api.close());
  const dir = tempDir(t);
  const cache = join(dir, 'cache');
  await cacheCalico(cache, VERSION);
  const kubeconfig = await api.writeKubeconfig(dir);
  const uninstall = () =>
    runCli(['uninstall', 'calico', '--version', VERSION, '--kubeconfig', kubeconfig, '--timeout', '5'], {
      CNIBENCH_CACHE: cache,
    });
  return { api, dir, kubeconfig, uninstall };
}

function assertOneLineExit3(r: { exitCode?: number; stdout: string; stderr: string }, cause: RegExp) {
  assert.equal(r.exitCode, 3, `${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stdout, /removed/);
  const lines = r.stderr.split('\n').filter((l) => l !== '' && !/^cnibench: uninstall\b/.test(l));
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', cause);
}

describe('uninstall calico on a cluster it cannot ask', () => {
  test('nothing installed (every kind answers 404): exit 0, nothing to remove', async (t) => {
    const { uninstall } = await setUp(t);
    const r = await uninstall();
    assert.equal(r.exitCode, 0, r.stderr);
    assert.match(r.stdout, /removed from context "fake"/);
  });

  test('a closed port: exit 3, one line naming the server', async (t) => {
    const { api, uninstall } = await setUp(t);
    const url = api.url;
    await api.close();
    assertOneLineExit3(
      await uninstall(),
      new RegExp(`cannot reach .*${url.replace(/\./g, '\\.')}.*ECONNREFUSED`),
    );
  });

  test('an unresolvable host: exit 3, one line', async (t) => {
    const { kubeconfig, uninstall } = await setUp(t);
    const text = readFileSync(kubeconfig, 'utf8').replace(
      /http:\/\/127\.0\.0\.1:\d+/,
      'http://cnb-no-such-host.invalid:6443',
    );
    writeFileSync(kubeconfig, text);
    assertOneLineExit3(await uninstall(), /cnb-no-such-host\.invalid.*(ENOTFOUND|EAI_AGAIN)/);
  });

  test('discovery answers 503: exit 3, one line with the status', async (t) => {
    const { uninstall } = await setUp(t, { discoveryStatus: 503 });
    assertOneLineExit3(await uninstall(), /HTTP 503/);
  });
});

describe('a malformed --version', () => {
  const scenario = join(import.meta.dirname, '../../../scenarios/kind-calico-vs-cilium.yaml');
  const combos = [
    ['calico', undefined],
    ['cilium', undefined],
    ['calico', scenario],
    ['cilium', scenario],
  ] as const;
  test('garbage, 1.20, 3.32, v3.32.1-rc1 and an empty string are bad input, with or without --scenario', () => {
    for (const version of ['garbage', '1.20', '3.32', 'v3.32.1-rc1', ''])
      for (const [candidate, file] of combos) {
        assert.throws(
          () =>
            selectCandidate({
              candidate,
              version,
              scenario: file,
              'image-registry': undefined,
              context: undefined,
              kubeconfig: undefined,
            }),
          (err) =>
            err instanceof InputError &&
            err.message === `--version: expected a pinned version like v3.32.1, got "${version}"`,
          `${candidate} ${version} ${file ?? ''}`,
        );
      }
  });

  test('the CLI: exit 2 and one line, never a stack trace', async () => {
    for (const args of [
      ['install', 'calico', '--version=garbage'],
      ['uninstall', 'cilium', '--version='],
      ['uninstall', 'calico', '--version=3.32', '--scenario', scenario],
    ]) {
      const r = await runCli(args);
      const what = `${args.join(' ')}: ${r.stderr}`;
      assert.equal(r.exitCode, 2, what);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, what);
      assert.match(r.stderr, /^cnibench: --version: expected a pinned version like v3\.32\.1/, what);
    }
  });
});
