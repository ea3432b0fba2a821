/**
 * The fake API server itself, driven through the real client-node: what other tests (the kube
 * driver's, the CNI installers') rely on. Also serves as usage examples.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import {
  AppsV1Api,
  CoreV1Api,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type KubernetesObject,
  type V1Status,
} from '@kubernetes/client-node';
import { execInPod } from '../../../src/cluster/kube/exec.js';
import { toClientModel } from '../../../src/cni/apply.js';
import { startFakeCluster, type FakeCluster } from './helpers.js';
import { matchesLabelSelector } from './fake-labels.js';
import { jsonPatch, mergePatch } from './fake-patch.js';

describe('fake API server', () => {
  let fc: FakeCluster;
  let kc: KubeConfig;
  before(async () => {
    fc = await startFakeCluster();
    kc = new KubeConfig();
    kc.loadFromFile(fc.kubeconfig);
  });
  after(() => fc.close());

  test('CRUD, label selectors and namespace deletion through the typed API', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'demo', labels: { env: 'test' } } } });
    const ns = await core.readNamespace({ name: 'demo' });
    assert.equal(ns.metadata?.labels?.['kubernetes.io/metadata.name'], 'demo');
    await core.createNamespacedConfigMap({
      namespace: 'demo',
      body: { metadata: { name: 'a', labels: { tier: 'web' } }, data: { k: 'v' } },
    });
    await core.createNamespacedConfigMap({
      namespace: 'demo',
      body: { metadata: { name: 'b', labels: { tier: 'db' } } },
    });
    await assert.rejects(
      core.createNamespacedConfigMap({ namespace: 'demo', body: { metadata: { name: 'a' } } }),
      /HTTP-Code: 409/,
    );
    const web = await core.listNamespacedConfigMap({
      namespace: 'demo',
      labelSelector: 'tier in (web,cache),!legacy',
    });
    assert.deepEqual(
      web.items.map((c) => c.metadata?.name),
      ['a'],
    );
    await core.patchNamespacedConfigMap(
      { name: 'b', namespace: 'demo', body: [{ op: 'add', path: '/data', value: { x: '1' } }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    assert.deepEqual((await core.readNamespacedConfigMap({ name: 'b', namespace: 'demo' })).data, { x: '1' });
    await core.deleteNamespace({ name: 'demo' });
    assert.equal(fc.api.store.list('v1', 'ConfigMap', { namespace: 'demo' }).length, 0);
    await assert.rejects(core.readNamespace({ name: 'demo' }), /HTTP-Code: 404/);
  });

  test('CRDs become servable resources; generic objects go through discovery and server-side apply', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kc);
    // Through the typed model (toClientModel): client-node's serialiser would drop the schema's
    // x-kubernetes-preserve-unknown-fields from plain JSON.
    await objects.create(
      toClientModel({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'installations.operator.tigera.io' },
        spec: {
          group: 'operator.tigera.io',
          scope: 'Cluster',
          names: { kind: 'Installation', plural: 'installations', singular: 'installation' },
          versions: [
            {
              name: 'v1',
              served: true,
              storage: true,
              schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
            },
          ],
        },
      } as KubernetesObject),
    );
    // Served once the API server has Established the CRD (a few milliseconds later).
    await new Promise((r) => setTimeout(r, 50));
    const inst = {
      apiVersion: 'operator.tigera.io/v1',
      kind: 'Installation',
      metadata: { name: 'default' },
      spec: { calicoNetwork: { bgp: 'Disabled' } },
    };
    await objects.patch(inst, undefined, undefined, 'cnibench', true, PatchStrategy.ServerSideApply);
    await objects.patch(
      { ...inst, spec: { variant: 'Calico' } },
      undefined,
      undefined,
      'cnibench',
      true,
      PatchStrategy.ServerSideApply,
    );
    const got = fc.api.store.get('operator.tigera.io/v1', 'Installation', 'default');
    assert.deepEqual(got?.spec, { calicoNetwork: { bgp: 'Disabled' }, variant: 'Calico' });
    const apps = kc.makeApiClient(AppsV1Api);
    await kc.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: 'kube-system' } } });
    await apps.createNamespacedDaemonSet({
      namespace: 'kube-system',
      body: {
        metadata: { name: 'calico-node' },
        spec: {
          selector: { matchLabels: { k: 'v' } },
          template: { metadata: { labels: { k: 'v' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
        },
      },
    });
    assert.ok(fc.api.store.get('apps/v1', 'DaemonSet', 'calico-node', 'kube-system'));
  });

  test('watch streams ADDED/MODIFIED/DELETED events filtered by label', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'w' } } });
    const events: string[] = [];
    const done = new Promise<void>((resolve) => {
      void new Watch(kc).watch(
        '/api/v1/namespaces/w/configmaps',
        { labelSelector: 'watched=yes' },
        (type, obj: KubernetesObject) => {
          events.push(`${type} ${obj.metadata?.name}`);
          if (type === 'DELETED') resolve();
        },
        () => undefined,
      );
    });
    await new Promise((r) => setTimeout(r, 50));
    await core.createNamespacedConfigMap({ namespace: 'w', body: { metadata: { name: 'other' } } });
    await core.createNamespacedConfigMap({
      namespace: 'w',
      body: { metadata: { name: 'c', labels: { watched: 'yes' } } },
    });
    await core.patchNamespacedConfigMap(
      { name: 'c', namespace: 'w', body: { data: { a: 'b' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ name: 'c', namespace: 'w' });
    await done;
    assert.deepEqual(events, ['ADDED c', 'MODIFIED c', 'DELETED c']);
  });

  test('exec over WebSocket delivers stdout, stderr and the exit status from the handler', async () => {
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'e' } } });
    await core.createNamespacedPod({
      namespace: 'e',
      body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'main', image: 'i' }] } },
    });
    const pod = await core.readNamespacedPod({ name: 'p', namespace: 'e' });
    assert.equal(pod.status?.phase, 'Running');
    assert.match(pod.status?.podIP ?? '', /^10\.244\./);
    fc.api.onExec = (p, container, command) => ({
      stdout: `${p.metadata.name}/${container}: ${command.join(' ')}\n`,
      stderr: 'warn\n',
      exitCode: 3,
    });
    const chunks: string[] = [];
    const errs: string[] = [];
    const sink = (into: string[]) =>
      new Writable({
        write(c, _e, cb) {
          into.push(String(c));
          cb();
        },
      });
    const status = await new Promise<V1Status>((resolve) => {
      void new Exec(kc).exec(
        'e',
        'p',
        'main',
        ['echo', 'hi'],
        sink(chunks),
        sink(errs),
        null,
        false,
        resolve,
      );
    });
    assert.equal(chunks.join(''), 'p/main: echo hi\n');
    assert.equal(errs.join(''), 'warn\n');
    assert.equal(status.status, 'Failure');
    assert.equal(status.details?.causes?.[0]?.message, '3');
  });

  test('exec waits the injected latency, and refuses an argument the kernel would refuse', async () => {
    fc.api.onExec = (_p, _c, command) => ({ stdout: `${command.length}\n`, exitCode: 0 });
    fc.api.execLatencyMs = 150;
    try {
      const t0 = performance.now();
      const r = await execInPod(kc, { namespace: 'e', pod: 'p', container: 'main' }, ['true']);
      assert.ok(performance.now() - t0 >= 140, 'the latency was applied');
      assert.deepEqual(r, { stdout: '1\n', stderr: '', exitCode: 0 });
      fc.api.execLatencyMs = 0;
      const long = await execInPod(kc, { namespace: 'e', pod: 'p', container: 'main' }, [
        'echo',
        'x'.repeat(128 * 1024),
      ]);
      assert.equal(long.exitCode, -1);
      assert.match(long.stderr, /argument list too long/);
    } finally {
      fc.api.execLatencyMs = 0;
    }
  });

  test('selector and patch helpers follow the API semantics', () => {
    assert.ok(matchesLabelSelector({ a: '1', b: '2' }, 'a=1,b!=3,c notin (x),!d'));
    assert.ok(!matchesLabelSelector({ a: '1' }, 'a in (2,3)'));
    assert.ok(!matchesLabelSelector({}, 'a'));
    assert.deepEqual(mergePatch({ a: { b: 1, c: 2 }, l: [1] }, { a: { c: null, d: 3 }, l: [2] }), {
      a: { b: 1, d: 3 },
      l: [2],
    });
    assert.deepEqual(
      jsonPatch({ a: [1, 2] }, [
        { op: 'add', path: '/a/-', value: 3 },
        { op: 'replace', path: '/a/0', value: 0 },
        { op: 'remove', path: '/a/1' },
      ]),
      { a: [0, 3] },
    );
    assert.throws(() => jsonPatch({ a: 1 }, [{ op: 'test', path: '/a', value: 2 }]), /test failed/);
  });
});
