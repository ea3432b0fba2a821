/**
 * The install permission check against what the installers really call: every request cnibench (and
 * the stand-in helm) sends to the fake API server during an install and uninstall must have been
 * checked by a SelfSubjectAccessReview first, verb, resource and namespace alike. And a missing right
 * stops the install before anything is applied, naming it.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/cluster/kube/client.js';
import { installCandidate, uninstallCandidate } from '../../src/cni/session.js';
import { EnvironmentError } from '../../src/util/errors.js';
import { FakeApiServer, type AuthzAttributes, type RecordedRequest } from '../cluster/kube/fake-apiserver.js';
import { startControllers } from './fake-controllers.js';
import { calico, calicoFixture, cilium, fixture, fixtureFetch, kubeCluster, tempDir } from './helpers.js';

type T = TestContext;

async function cluster(t: T) {
  const api = await FakeApiServer.start();
  for (const ns of ['default', 'kube-system'])
    api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  api.store.create({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default' },
    subsets: [{ addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });
  const ctl = startControllers(api, { rolloutDelayMs: 20, calicoVersion: 'v3.32.1' });
  t.after(async () => {
    await ctl.stop();
    await api.close();
  });
  const dir = tempDir(t);
  const kubeconfig = await api.writeKubeconfig(dir);
  return { api, dir, kubeconfig, kube: connect({ kubeconfig }) };
}

/** A helm stand-in on PATH for the duration of the test. */
function fakeHelm(t: T) {
  const bin = tempDir(t, 'cnibench-fakehelm-');
  writeFileSync(
    join(bin, 'helm'),
    `#!/bin/sh\nexec "${process.execPath}" "${fixture('fake-helm/fake-helm.mjs')}" "$@"\n`,
  );
  chmodSync(join(bin, 'helm'), 0o755);
  const saved = { PATH: process.env.PATH, FAKE_HELM_LOG: process.env.FAKE_HELM_LOG };
  process.env.PATH = `${bin}:${process.env.PATH}`;
  process.env.FAKE_HELM_LOG = join(bin, 'helm.log');
  t.after(() => Object.assign(process.env, saved));
}

const key = (a: Pick<AuthzAttributes, 'verb' | 'group' | 'resource' | 'subresource' | 'namespace'>) =>
  `${a.verb} ${a.group}|${a.resource}${a.subresource ? `/${a.subresource}` : ''} in ${a.namespace || '(cluster)'}`;

/** What the SelfSubjectAccessReviews asked, and what every other request (not the controllers') needed. */
function checkedAndUsed(requests: RecordedRequest[]) {
  const checked = new Set<string>();
  const used = new Set<string>();
  for (const r of requests) {
    if (r.userAgent === 'cilium-operator') continue; // the CNI's own components have their own RBAC
    if (/selfsubjectaccessreviews$/.test(r.path)) {
      const a = (r.body as { spec: { resourceAttributes: AuthzAttributes } }).spec.resourceAttributes;
      checked.add(key(a));
      continue;
    }
    for (const a of r.authz) used.add(key(a));
  }
  return { checked, used: [...used].sort() };
}

const fast = { pollMs: 20, readyTimeoutMs: 10_000 };

describe('install permission check covers every call', () => {
  test('Calico v3.32 (operator manifests, Installation, APIServer, eBPF endpoint): install and uninstall', async (t) => {
    const { api, dir, kubeconfig, kube } = await cluster(t);
    const cfg = kubeCluster({ kubeconfig });
    const cand = calico({ manifest: calicoFixture('v3.32.1', 'tigera-operator.yaml'), dataplane: 'BPF' });
    const result = await installCandidate(cand, cfg, kube, { ...fast, cacheRoot: dir });
    await uninstallCandidate(result.plan, cfg, kube, fast);
    const { checked, used } = checkedAndUsed(api.requests);
    assert.ok(used.length > 10, used.join('\n'));
    assert.deepEqual(
      used.filter((u) => !checked.has(u)),
      [],
    );
    // RoleBinding tigera-operator-secrets (v3.30+) and the endpoint read are among them.
    assert.ok(checked.has('patch rbac.authorization.k8s.io|rolebindings in tigera-operator'));
    assert.ok(checked.has('get |endpoints in default'));
  });

  test('Cilium 1.20 (chart via helm, IPsec secret, ClusterNetworkPolicy CRD, kube-proxy replacement): install and uninstall', async (t) => {
    const { api, dir, kubeconfig, kube } = await cluster(t);
    fakeHelm(t);
    const cfg = kubeCluster({ kubeconfig });
    const cand = cilium({
      encryption: 'ipsec',
      kubeProxyReplacement: true,
      hubble: true,
      clusterNetworkPolicy: true,
    });
    const result = await installCandidate(cand, cfg, kube, {
      ...fast,
      cacheRoot: dir,
      fetch: { fetchImpl: fixtureFetch },
    });
    await uninstallCandidate(result.plan, cfg, kube, fast);
    const { checked, used } = checkedAndUsed(api.requests);
    assert.ok(used.length > 10, used.join('\n'));
    assert.deepEqual(
      used.filter((u) => !checked.has(u)),
      [],
    );
    for (const needed of [
      'create rbac.authorization.k8s.io|roles in cilium-secrets',
      'create |services in kube-system',
      'bind rbac.authorization.k8s.io|clusterroles in (cluster)',
      'delete apiextensions.k8s.io|customresourcedefinitions in (cluster)',
    ])
      assert.ok(checked.has(needed), needed);
  });

  test('a missing right stops the install before anything is applied, naming every missing one (exit 3)', async (t) => {
    const { api, dir, kubeconfig, kube } = await cluster(t);
    api.deny = [
      { verb: 'patch', resource: 'rolebindings', namespace: 'tigera-operator' },
      { verb: 'get', resource: 'endpoints' },
    ];
    const attempt = (settings: Record<string, unknown>) =>
      installCandidate(
        calico({ manifest: calicoFixture('v3.32.1', 'tigera-operator.yaml'), ...settings }),
        kubeCluster({ kubeconfig }),
        kube,
        { ...fast, cacheRoot: dir },
      ).then(
        () => undefined,
        (e: unknown) => e,
      );
    const err = await attempt({ dataplane: 'BPF' });
    assert.ok(err instanceof EnvironmentError, String(err));
    assert.equal(err.exitCode, 3);
    // The endpoint read itself was refused before the plan existed: one line naming it.
    assert.match(err.message, /forbidden: cannot read Endpoints default\/kubernetes/);
    api.deny = [{ verb: 'patch', resource: 'rolebindings', namespace: 'tigera-operator' }];
    const err2 = await attempt({});
    assert.ok(err2 instanceof EnvironmentError);
    assert.match(
      err2.message,
      /lack 1 permission\(s\) installing a CNI needs: cannot patch rolebindings\.rbac\.authorization\.k8s\.io in namespace tigera-operator/,
    );
    assert.equal(api.requests.filter((r) => r.method === 'PATCH').length, 0, 'nothing applied');
  });
});
