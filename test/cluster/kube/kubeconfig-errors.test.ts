/**
 * Kubeconfigs a new user gets wrong, and a server fetch refuses before connecting: each is one line
 * (exit 3) that says what is wrong, never a parser excerpt, "undefined" or a bare "fetch failed".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, connect } from '../../../src/cluster/kube/client.js';
import { EnvironmentError } from '../../../src/util/errors.js';

function kubeconfigFile(t: TestContext, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cnibench-kc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config');
  writeFileSync(file, text);
  return file;
}

function kubeconfig(server: string, currentContext: string | undefined): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- {name: c, cluster: {server: "${server}", insecure-skip-tls-verify: true}}`,
    'users:',
    '- {name: u, user: {token: t}}',
    'contexts:',
    '- {name: one, context: {cluster: c, user: u}}',
    '- {name: two, context: {cluster: c, user: u}}',
    ...(currentContext ? [`current-context: ${currentContext}`] : []),
  ].join('\n');
}

function refusal(fn: () => unknown): EnvironmentError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof EnvironmentError, String(err));
    assert.equal(err.exitCode, 3);
    assert.doesNotMatch(err.message, /\n/, 'one line');
    return err;
  }
  assert.fail('accepted');
}

test('a garbage kubeconfig: one line naming the file and where the YAML breaks', (t) => {
  const file = kubeconfigFile(t, 'apiVersion: v1\nclusters: [\n  - foo: {bar\n: :\n');
  const err = refusal(() => connect({ kubeconfig: file }));
  assert.match(err.message, new RegExp(`^cannot load kubeconfig ${file}: .*\\(\\d+:\\d+\\)$`));
});

test('a kubeconfig that is a bare string: "not a kubeconfig", not current context "undefined"', (t) => {
  const file = kubeconfigFile(t, 'just a string\n');
  const err = refusal(() => connect({ kubeconfig: file }));
  assert.doesNotMatch(err.message, /undefined/);
  assert.match(err.message, /defines no context: not a kubeconfig/);
});

test('no current-context and no --context: names the contexts to choose from', (t) => {
  const file = kubeconfigFile(t, kubeconfig('https://127.0.0.1:6443', undefined));
  const err = refusal(() => connect({ kubeconfig: file }));
  assert.match(err.message, /sets no current-context; name one with --context \(available: one, two\)/);
  assert.equal(connect({ kubeconfig: file, context: 'two' }).context, 'two');
});

test('a server on a port fetch refuses (1): one line naming the server URL and the cause', async (t) => {
  const file = kubeconfigFile(t, kubeconfig('https://127.0.0.1:1', 'one'));
  const kube = connect({ kubeconfig: file });
  await assert.rejects(
    apiCall(kube, 'read the server version', () => kube.version.getCode()),
    (err) =>
      err instanceof EnvironmentError &&
      err.exitCode === 3 &&
      /^cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:1 \(context "one"\) while trying to read the server version: fetch failed: bad port$/.test(
        err.message,
      ),
  );
});
