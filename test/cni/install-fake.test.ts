/**
 * The installers against the fake API server (real HTTP, real @kubernetes/client-node), with the
 * controllers a cluster would run simulated in fake-controllers.ts and helm replaced by a script that
 * records its argv and creates what the chart would.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { connect } from '../../src/cluster/kube/client.js';
import { findHelm, helmVersion } from '../../src/cni/helm.js';
import { installedVersionsRecord } from '../../src/cni/components.js';
import { detectCnis } from '../../src/cni/detect.js';
import type { InstallProgress } from '../../src/cni/installer.js';
import { installCandidate, uninstallCandidate } from '../../src/cni/session.js';
import { EnvironmentError } from '../../src/util/errors.js';
import { FakeApiServer, type FakeNode, type KubeObject } from '../cluster/kube/fake-apiserver.js';
import { startControllers, type ControllerOptions } from './fake-controllers.js';
import { asInstallation } from './calico-models.js';
import { at, plain } from '../cluster/kube/fake-models.js';
import {
  calico,
  calicoFixture,
  cilium,
  fixture,
  fixtureFetch,
  kubeCluster,
  PUBLIC_REGISTRY_PATTERN,
  runCli,
  tempDir,
} from './helpers.js';
import { must } from '../helpers/must.js';

type T = TestContext;

async function cluster(t: T, controllers: ControllerOptions = {}, nodes?: FakeNode[]) {
  const api = await FakeApiServer.start({ nodes });
  for (const ns of ['default', 'kube-system'])
    api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const ctl = startControllers(api, { rolloutDelayMs: 30, ...controllers });
  t.after(async () => {
    await ctl.stop();
    await api.close();
  });
  const dir = tempDir(t);
  const kubeconfig = await api.writeKubeconfig(dir);
  const kube = connect({ kubeconfig });
  return { api, dir, kubeconfig, kube };
}

function daemonSet(name: string, namespace: string, container: string, image: string): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name, namespace },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: container, image }] } },
    },
  };
}

const fast = { pollMs: 20, readyTimeoutMs: 10_000 };

describe('Calico on the fake API server', () => {
  test('install applies operator + Installation with server-side apply, waits, records versions; uninstall removes it all', async (t) => {
    // The rollout takes long enough for the wait to report calico-node pending at least once.
    const { api, dir, kubeconfig, kube } = await cluster(t, {
      calicoVersion: 'v3.32.1',
      rolloutDelayMs: 400,
    });
    const cand = calico({
      manifest: calicoFixture('v3.32.1', 'tigera-operator.yaml'),
      encapsulation: 'VXLANCrossSubnet',
    });
    const clusterCfg = kubeCluster({
      kubeconfig,
      imageRegistry: 'mirror.corp:5000',
      imagePullSecrets: ['mirror-creds'],
    });
    const progress: InstallProgress[] = [];
    const result = await installCandidate(cand, clusterCfg, kube, {
      ...fast,
      cacheRoot: dir,
      progress: (p) => progress.push(p),
    });

    // The installer's permissions were checked first (SelfSubjectAccessReviews are reads, not writes).
    const ssar = (r: { method: string; path: string }) =>
      r.method === 'POST' && /selfsubjectaccessreviews$/.test(r.path);
    assert.ok(api.requests.filter(ssar).length > 0);
    assert.ok(api.requests.findIndex(ssar) < api.requests.findIndex((r) => r.method === 'PATCH'));
    // Every write was a server-side apply by cnibench.
    const writes = api.requests.filter((r) => r.method !== 'GET' && !ssar(r));
    assert.ok(writes.length >= 10);
    for (const w of writes) {
      assert.equal(w.method, 'PATCH');
      assert.equal(w.contentType, 'application/apply-patch+yaml');
      assert.equal(w.query.fieldManager, 'cnibench');
      assert.equal(w.query.force, 'true');
    }
    // CRDs keep their x-kubernetes-* schema fields (client-node's typed serialiser drops them from plain JSON).
    // Read as stored JSON, not as the client's model: the point is the wire names.
    const crd = api.store.get(
      'apiextensions.k8s.io/v1',
      'CustomResourceDefinition',
      'installations.operator.tigera.io',
    );
    const spec = at(crd?.spec, 'versions', 0, 'schema', 'openAPIV3Schema', 'properties', 'spec');
    assert.equal(at(spec, 'x-kubernetes-preserve-unknown-fields'), true);
    const ipPool = at(spec, 'properties', 'calicoNetwork', 'properties', 'ipPools', 'items');
    assert.equal(at(ipPool, 'properties', 'blockSize', 'x-kubernetes-int-or-string'), true);
    // The operator runs from the mirror, with the pull secret; the Installation points Calico there too.
    const operator = api.store.model('Deployment', 'tigera-operator', 'tigera-operator')?.spec?.template.spec;
    assert.equal(operator?.containers[0]?.image, 'mirror.corp:5000/tigera/operator:v1.36.2');
    assert.deepEqual(plain(operator?.imagePullSecrets), [{ name: 'mirror-creds' }]);
    const inst = asInstallation(api.store.get('operator.tigera.io/v1', 'Installation', 'default'));
    assert.equal(inst.spec.registry, 'mirror.corp:5000/');
    assert.equal(inst.spec.calicoNetwork.ipPools[0]?.encapsulation, 'VXLANCrossSubnet');
    assert.ok(api.store.get('operator.tigera.io/v1', 'APIServer', 'default'));

    // Waited for the rollout, then recorded what actually runs.
    assert.ok(progress.some((p) => p.phase === 'wait' && p.message.includes('calico-system/calico-node')));
    assert.equal(progress.at(-1)?.message, 'ready');
    const node = result.installed.find((c) => c.name === 'calico-node');
    assert.deepEqual(node, {
      cni: 'calico',
      kind: 'DaemonSet',
      namespace: 'calico-system',
      name: 'calico-node',
      image: 'mirror.corp:5000/calico/node:v3.32.1',
      version: 'v3.32.1',
    });
    assert.equal(result.installed.find((c) => c.name === 'tigera-operator')?.version, 'v1.36.2');
    for (const c of result.installed) assert.doesNotMatch(c.image, PUBLIC_REGISTRY_PATTERN);
    assert.deepEqual(result.before, []);
    assert.deepEqual(
      (await detectCnis(kube)).map((d) => `${d.cni} ${d.version}`),
      ['calico v3.32.1'],
    );

    await uninstallCandidate(result.plan, clusterCfg, kube, fast);
    assert.equal(api.store.get('operator.tigera.io/v1', 'Installation', 'default'), undefined);
    assert.equal(api.store.get('v1', 'Namespace', 'calico-system'), undefined);
    assert.equal(api.store.get('v1', 'Namespace', 'tigera-operator'), undefined);
    assert.equal(
      api.store.get(
        'apiextensions.k8s.io/v1',
        'CustomResourceDefinition',
        'installations.operator.tigera.io',
      ),
      undefined,
    );
    assert.equal(api.store.get('rbac.authorization.k8s.io/v1', 'ClusterRole', 'tigera-operator'), undefined);
    // The Installation was deleted before the operator (the operator must clean up calico-system).
    const deletes = api.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
    assert.ok(
      deletes.findIndex((p) => p.includes('/installations/')) <
        deletes.findIndex((p) => p.includes('/deployments/tigera-operator')),
    );
    assert.deepEqual(await detectCnis(kube), []);
  });

  test('a calico-node that never rolls out fails with what is pending (exit 3)', async (t) => {
    const { dir, kubeconfig, kube } = await cluster(t, { stuck: ['calico-system/calico-node'] });
    const err = await installCandidate(
      calico({ manifest: calicoFixture('v3.32.1', 'tigera-operator.yaml') }),
      kubeCluster({ kubeconfig }),
      kube,
      {
        cacheRoot: dir,
        pollMs: 20,
        readyTimeoutMs: 400,
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(err instanceof EnvironmentError, String(err));
    assert.equal(err.exitCode, 3);
    assert.match(
      err.message,
      /not ready within 0\.4s; still waiting for DaemonSet calico-system\/calico-node \(0\/0 available/,
    );
  });

  test('refuses to install over a different CNI unless force: true', async (t) => {
    const { api, dir, kubeconfig, kube } = await cluster(t);
    api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-flannel' } });
    api.store.create(
      daemonSet('kube-flannel-ds', 'kube-flannel', 'kube-flannel', 'docker.io/flannel/flannel:v0.25.1'),
    );
    const cfg = kubeCluster({ kubeconfig });
    const opts = { ...fast, cacheRoot: dir };
    await assert.rejects(
      installCandidate(
        calico({ manifest: calicoFixture('v3.32.1', 'tigera-operator.yaml') }),
        cfg,
        kube,
        opts,
      ),
      (e: unknown) =>
        e instanceof EnvironmentError &&
        /already runs flannel v0\.25\.1 \(DaemonSet kube-flannel\/kube-flannel-ds\)/.test(e.message) &&
        /force: true/.test(e.message),
    );
    assert.equal(api.store.get('operator.tigera.io/v1', 'Installation', 'default'), undefined);
    const forced = await installCandidate(
      calico({ manifest: calicoFixture('v3.32.1', 'tigera-operator.yaml') }, { force: true }),
      cfg,
      kube,
      opts,
    );
    assert.deepEqual(
      forced.before.map((d) => d.cni),
      ['flannel'],
    );
    assert.ok(forced.installed.some((c) => c.name === 'calico-node'));
  });
});

/** cilium.io CRDs on the fake cluster. */
const ciliumLeftovers = (api: FakeApiServer) =>
  api.store
    .list('apiextensions.k8s.io/v1', 'CustomResourceDefinition')
    .filter((c) => at(c.spec, 'group') === 'cilium.io')
    .map((c) => c.metadata.name);

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) assert.fail('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A helm on PATH that runs fake-helm.mjs and logs to a file; returns the log reader. */
function fakeHelm(t: T, extraEnv: Record<string, string> = {}) {
  const bin = tempDir(t, 'cnibench-fakehelm-');
  const log = join(bin, 'helm.log');
  const script = join(bin, 'helm');
  writeFileSync(
    script,
    `#!/bin/sh\nexec "${process.execPath}" "${fixture('fake-helm/fake-helm.mjs')}" "$@"\n`,
  );
  chmodSync(script, 0o755);
  const saved = {
    PATH: process.env.PATH,
    FAKE_HELM_LOG: process.env.FAKE_HELM_LOG,
    ...Object.fromEntries(Object.keys(extraEnv).map((k) => [k, process.env[k]])),
  };
  process.env.PATH = `${bin}:${process.env.PATH}`;
  process.env.FAKE_HELM_LOG = log;
  Object.assign(process.env, extraEnv);
  t.after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  return () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { argv: string[]; values?: string })
      : [];
}

describe('Cilium on the fake API server', () => {
  test('helm upgrade --install with generated values; IPsec secret; wait; versions; helm uninstall', async (t) => {
    const { api, dir, kubeconfig, kube } = await cluster(t);
    api.store.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default' },
      subsets: [
        { addresses: [{ ip: '172.18.0.2' }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] },
      ],
    });
    const calls = fakeHelm(t);
    const cand = cilium({ encryption: 'ipsec', kubeProxyReplacement: true });
    const cfg = kubeCluster({ kubeconfig, imageRegistry: 'mirror.corp:5000' });
    const result = await installCandidate(cand, cfg, kube, { ...fast, cacheRoot: dir });

    const install = must(
      calls().find((c) => c.argv[0] === 'upgrade'),
      'a helm upgrade call',
    );
    const valuesFile = must(install.argv[install.argv.indexOf('--values') + 1], 'the --values argument');
    assert.deepEqual(install.argv, [
      'upgrade',
      '--install',
      'cilium',
      'cilium',
      '--repo',
      'https://helm.cilium.io/',
      '--version',
      '1.20.0',
      '--namespace',
      'kube-system',
      '--values',
      valuesFile,
      '--kubeconfig',
      kubeconfig,
    ]);
    assert.equal(existsSync(valuesFile), false, 'the values file is removed after helm ran');
    const valuesText = must(install.values, 'the values helm was given');
    const values: unknown = parse(valuesText);
    assert.equal(at(values, 'image', 'repository'), 'mirror.corp:5000/cilium/cilium');
    assert.equal(at(values, 'kubeProxyReplacement'), true);
    assert.equal(at(values, 'k8sServiceHost'), '172.18.0.2');
    assert.equal(at(values, 'k8sServicePort'), 6443);
    assert.equal(at(values, 'encryption', 'enabled'), true);
    assert.equal(at(values, 'encryption', 'type'), 'ipsec');
    assert.equal(
      at(values, 'encryption', 'ztunnel', 'image', 'repository'),
      'mirror.corp:5000/cilium/ztunnel',
    );
    assert.doesNotMatch(valuesText, PUBLIC_REGISTRY_PATTERN);

    const secret = api.store.model('Secret', 'cilium-ipsec-keys', 'kube-system');
    assert.match(secret?.stringData?.keys ?? '', /^3\+ rfc4106\(gcm\(aes\)\) [0-9a-f]{40} 128$/);

    assert.deepEqual(
      result.installed.map((c) => `${c.name} ${c.image} ${c.version}`),
      [
        'cilium mirror.corp:5000/cilium/cilium:v1.20.0 v1.20.0',
        'cilium-envoy mirror.corp:5000/cilium/cilium-envoy:v1.37.5 v1.37.5',
        'cilium-operator mirror.corp:5000/cilium/operator-generic:v1.20.0 v1.20.0',
      ],
    );
    assert.deepEqual(installedVersionsRecord(result.installed), {
      'kube-system/cilium': 'v1.20.0',
      'kube-system/cilium-envoy': 'v1.37.5',
      'kube-system/cilium-operator': 'v1.20.0',
    });
    assert.deepEqual(
      (await detectCnis(kube)).map((d) => `${d.cni} ${d.version} ${d.namespace}/${d.name}`),
      ['cilium v1.20.0 kube-system/cilium'],
    );
    assert.equal(await helmVersion(), 'v3.17.0+gfake');

    await uninstallCandidate(result.plan, cfg, kube, fast);
    const uninstall = must(
      calls().find((c) => c.argv[0] === 'uninstall'),
      'a helm uninstall call',
    );
    assert.deepEqual(uninstall.argv, [
      'uninstall',
      'cilium',
      '--namespace',
      'kube-system',
      '--ignore-not-found',
      '--wait',
      '--timeout',
      '10s',
      '--kubeconfig',
      kubeconfig,
    ]);
    assert.equal(api.store.get('apps/v1', 'DaemonSet', 'cilium', 'kube-system'), undefined);
    assert.equal(api.store.get('v1', 'Secret', 'cilium-ipsec-keys', 'kube-system'), undefined);
    // cilium-operator registered its CRDs while it ran; helm left them, cnibench removed them and their objects.
    assert.deepEqual(ciliumLeftovers(api), []);
  });

  test('a one-node cluster: the chart default (2 operator replicas, one per node) never rolls out; cnibench sets 1', async (t) => {
    const oneNode: FakeNode[] = [{ name: 'solo', ip: '172.18.0.2' }];
    const { dir, kubeconfig, kube } = await cluster(t, {}, oneNode);
    const calls = fakeHelm(t);
    const cfg = kubeCluster({ kubeconfig });
    // Forcing the chart default shows what the fake models: the second replica has nowhere to run.
    const stuck = await installCandidate(cilium({ values: { operator: { replicas: 2 } } }), cfg, kube, {
      ...fast,
      cacheRoot: dir,
      readyTimeoutMs: 600,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(stuck instanceof EnvironmentError, String(stuck));
    assert.match(stuck.message, /Deployment kube-system\/cilium-operator \(1\/2 ready\)/);
    const { plan } = await installCandidate(cilium(), cfg, kube, { ...fast, cacheRoot: dir });
    assert.deepEqual(plan.helm?.values.operator, { replicas: 1 });
    const values: unknown = parse(calls().at(-1)?.values ?? '');
    assert.equal(at(values, 'operator', 'replicas'), 1);
  });

  test('uninstall leaves no cilium.io CRD behind, even when the install never finished', async (t) => {
    const { api, dir, kubeconfig, kube } = await cluster(t);
    fakeHelm(t);
    const cfg = kubeCluster({ kubeconfig });
    const { plan } = await installCandidate(cilium({ clusterNetworkPolicy: true }), cfg, kube, {
      ...fast,
      cacheRoot: dir,
      fetch: { fetchImpl: fixtureFetch },
    });
    // The ClusterNetworkPolicy CRD (network-policy-api v0.2.0) was applied before helm ran.
    assert.ok(
      api.store.get(
        'apiextensions.k8s.io/v1',
        'CustomResourceDefinition',
        'clusternetworkpolicies.policy.networking.k8s.io',
      ),
    );
    // The fake agent creates its CRDs first and its CiliumNode after: wait for both.
    await waitFor(
      () => ciliumLeftovers(api).length > 0 && api.store.list('cilium.io/v2', 'CiliumNode').length > 0,
    );
    await uninstallCandidate(plan, cfg, kube, fast);
    assert.deepEqual(ciliumLeftovers(api), []);
    assert.deepEqual(api.store.list('cilium.io/v2', 'CiliumNode'), []);
    assert.equal(
      api.store.get(
        'apiextensions.k8s.io/v1',
        'CustomResourceDefinition',
        'clusternetworkpolicies.policy.networking.k8s.io',
      ),
      undefined,
    );
  });

  test('helm older than 3.13 is refused before anything is applied (exit 3); helm 4 is fine', async (t) => {
    const { api, dir, kubeconfig, kube } = await cluster(t);
    fakeHelm(t, { FAKE_HELM_VERSION: 'v3.12.3+g3a31588' });
    const old = await installCandidate(cilium({ encryption: 'ipsec' }), kubeCluster({ kubeconfig }), kube, {
      ...fast,
      cacheRoot: dir,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(old instanceof EnvironmentError);
    assert.match(old.message, /helm v3\.12\.3\+g3a31588 is too old: cnibench needs helm 3\.13\.0 or later/);
    assert.equal(api.store.get('v1', 'Secret', 'cilium-ipsec-keys', 'kube-system'), undefined);
    process.env.FAKE_HELM_VERSION = 'v4.1.4+g05fa379';
    const v4 = await installCandidate(cilium(), kubeCluster({ kubeconfig }), kube, {
      ...fast,
      cacheRoot: dir,
    });
    assert.ok(v4.installed.some((c) => c.name === 'cilium'));
  });

  test("a failing helm is an environment error carrying helm's output", async (t) => {
    const { dir, kubeconfig, kube } = await cluster(t);
    fakeHelm(t, { FAKE_HELM_FAIL: '1' });
    await assert.rejects(
      installCandidate(cilium(), kubeCluster({ kubeconfig }), kube, { ...fast, cacheRoot: dir }),
      (e: unknown) =>
        e instanceof EnvironmentError &&
        /helm upgrade --install failed \(exit 1\):\nError: INSTALLATION FAILED: fake failure/.test(e.message),
    );
  });

  test('no helm on PATH: exit 3 with how to get it on Debian, before anything is applied', async (t) => {
    const empty = tempDir(t);
    assert.equal(await helmVersion({ PATH: empty }), undefined);
    const { api, dir, kubeconfig, kube } = await cluster(t);
    const savedPath = process.env.PATH;
    process.env.PATH = empty;
    t.after(() => {
      process.env.PATH = savedPath;
    });
    await assert.rejects(
      installCandidate(cilium({ encryption: 'ipsec' }), kubeCluster({ kubeconfig }), kube, {
        ...fast,
        cacheRoot: dir,
      }),
      (e: unknown) => e instanceof EnvironmentError && /helm is not installed/.test(e.message),
    );
    assert.equal(api.store.get('v1', 'Secret', 'cilium-ipsec-keys', 'kube-system'), undefined);
    assert.throws(
      () => findHelm({ PATH: empty }),
      (e: unknown) =>
        e instanceof EnvironmentError &&
        e.exitCode === 3 &&
        /Debian has no helm package/.test(e.message) &&
        /helm apt repository/.test(e.message),
    );
  });
});

describe('cnibench detect', () => {
  test('lists every CNI agent with its version; says so when there is none', async (t) => {
    const { api, kubeconfig } = await cluster(t);
    const none = await runCli(['detect', '--kubeconfig', kubeconfig]);
    assert.equal(none.exitCode, 0, none.stderr);
    assert.match(none.stdout, /no known CNI DaemonSet found/);
    api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'calico-system' } });
    api.store.create(daemonSet('calico-node', 'calico-system', 'calico-node', 'quay.io/calico/node:v3.28.0'));
    api.store.create(
      daemonSet('kindnet', 'kube-system', 'kindnet-cni', 'docker.io/kindest/kindnetd:v20240513-cd2ac642'),
    );
    api.store.create(
      daemonSet('weave-net', 'kube-system', 'weave', 'weaveworks/weave-kube@sha256:' + 'a'.repeat(64)),
    );
    const r = await runCli(['detect', '--kubeconfig', kubeconfig, '--json']);
    assert.equal(r.exitCode, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      context: string;
      cnis: { cni: string; version: string; namespace: string }[];
    };
    assert.equal(out.context, 'fake');
    assert.deepEqual(
      out.cnis.map((c) => `${c.cni} ${c.version} ${c.namespace}`),
      [
        'calico v3.28.0 calico-system',
        'kindnet v20240513-cd2ac642 kube-system',
        `weave sha256:${'a'.repeat(64)} kube-system`,
      ],
    );
  });

  test('an unreachable cluster is exit 3', async (t) => {
    const { api, kubeconfig } = await cluster(t);
    await api.close();
    const r = await runCli(['detect', '--kubeconfig', kubeconfig]);
    assert.equal(r.exitCode, 3, r.stderr);
  });
});
