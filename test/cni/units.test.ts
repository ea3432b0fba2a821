import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject, V1DaemonSet, V1Deployment } from '@kubernetes/client-node';
import { applyOrder, toClientModel } from '../../src/cni/apply.js';
import { imageVersion, isPublicImage, registryPrefix } from '../../src/cni/images.js';
import { daemonSetReady, deploymentReady } from '../../src/cni/rollout.js';
import { shellQuote } from '../../src/cni/helm.js';
import { EnvironmentError } from '../../src/util/errors.js';

describe('rollout checks', () => {
  // The fields V1DaemonSetStatus requires, which daemonSetReady does not read.
  const required = { currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
  const ds = (status: Record<string, number>, generation = 2): V1DaemonSet => ({
    metadata: { generation },
    status: { desiredNumberScheduled: 0, ...required, ...status },
  });
  test('a DaemonSet is ready only when the current generation is available on every scheduled node', () => {
    const full = {
      desiredNumberScheduled: 3,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
      observedGeneration: 2,
    };
    assert.equal(daemonSetReady(ds(full)).ready, true);
    assert.equal(
      daemonSetReady(ds({ ...full, observedGeneration: 1 })).ready,
      false,
      'old generation observed',
    );
    assert.equal(daemonSetReady(ds({ ...full, numberAvailable: 2 })).ready, false);
    assert.equal(
      daemonSetReady(ds({ ...full, updatedNumberScheduled: 2 })).ready,
      false,
      'rolling update in progress',
    );
    assert.equal(
      daemonSetReady(
        ds({ ...full, desiredNumberScheduled: 0, updatedNumberScheduled: 0, numberAvailable: 0 }),
      ).ready,
      false,
      'scheduled nowhere',
    );
    assert.equal(daemonSetReady(ds(full)).detail, '3/3 available, 3 updated');
  });
  test('a Deployment is ready when all wanted replicas of the current generation are ready', () => {
    const d = (replicas: number, status: Record<string, number>): V1Deployment => ({
      metadata: { generation: 1 },
      spec: { replicas, selector: {}, template: {} },
      status,
    });
    assert.equal(
      deploymentReady(d(2, { readyReplicas: 2, updatedReplicas: 2, observedGeneration: 1 })).ready,
      true,
    );
    assert.equal(
      deploymentReady(d(2, { readyReplicas: 1, updatedReplicas: 2, observedGeneration: 1 })).ready,
      false,
    );
    assert.equal(
      deploymentReady(d(2, { readyReplicas: 2, updatedReplicas: 2, observedGeneration: 0 })).ready,
      false,
    );
  });
});

describe('image helpers', () => {
  test('version from tag, digest, or latest', () => {
    assert.equal(imageVersion('quay.io/calico/node:v3.29.1'), 'v3.29.1');
    assert.equal(imageVersion('localhost:5000/cilium/cilium:v1.16.5@sha256:' + 'b'.repeat(64)), 'v1.16.5');
    assert.equal(imageVersion('quay.io/cilium/cilium@sha256:' + 'c'.repeat(64)), 'sha256:' + 'c'.repeat(64));
    assert.equal(imageVersion('busybox'), 'latest');
    assert.equal(imageVersion(''), 'unknown');
  });
  test('public registries, including Docker Hub short names', () => {
    for (const img of [
      'busybox',
      'calico/node:v3',
      'quay.io/x/y',
      'ghcr.io/a/b',
      'registry.k8s.io/pause:3.9',
      'us-docker.pkg.dev.gcr.io/x/y',
    ]) {
      assert.equal(isPublicImage(img), true, img);
    }
    for (const img of ['mirror.corp:5000/calico/node:v3', 'localhost:5000/x'])
      assert.equal(isPublicImage(img), false, img);
  });
  test('the operator registry prefix always ends in exactly one slash', () => {
    assert.equal(registryPrefix('mirror.corp:5000'), 'mirror.corp:5000/');
    assert.equal(registryPrefix('https://mirror.corp/proxy//'), 'mirror.corp/proxy/');
  });
});

describe('apply helpers', () => {
  test('CRDs, namespaces and RBAC go before what needs them, otherwise input order', () => {
    const o = (kind: string, name: string) =>
      ({ apiVersion: 'v1', kind, metadata: { name } }) as KubernetesObject;
    const order = applyOrder([
      o('Deployment', 'd'),
      o('Installation', 'i'),
      o('ClusterRole', 'r'),
      o('Namespace', 'n'),
      o('CustomResourceDefinition', 'c'),
      o('ServiceAccount', 's'),
    ]);
    assert.deepEqual(
      order.map((x) => x.kind),
      [
        'CustomResourceDefinition',
        'Namespace',
        'ServiceAccount',
        'ClusterRole',
        'Deployment',
        'Installation',
      ],
    );
  });
  test('objects are mapped onto client models without losing x-kubernetes fields or unknown kinds', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'a.b' },
      spec: {
        group: 'b',
        names: { kind: 'A', plural: 'a' },
        scope: 'Cluster',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    } as KubernetesObject;
    const model = toClientModel(crd) as unknown as {
      spec: { versions: { schema: { openAPIV3Schema: Record<string, unknown> } }[] };
    };
    assert.equal(model.spec.versions[0]?.schema.openAPIV3Schema.x_kubernetes_preserve_unknown_fields, true);
    const custom = {
      apiVersion: 'operator.tigera.io/v1',
      kind: 'Installation',
      metadata: { name: 'default' },
      spec: { registry: 'r/' },
    } as KubernetesObject;
    assert.deepEqual(JSON.parse(JSON.stringify(toClientModel(custom))), custom);
  });
  test('an object the client models would send without some of its fields is refused, naming them', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'op', namespace: 'ns' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { spec: { containers: [{ name: 'c', image: 'i', futureField: true }] } },
      },
    } as KubernetesObject;
    assert.throws(
      () => toClientModel(deployment),
      (e: unknown) =>
        e instanceof EnvironmentError &&
        /cannot send Deployment ns\/op unchanged: .*has no field spec\.template\.spec\.containers\[0\]\.futureField/.test(
          e.message,
        ),
    );
    // The NetworkPolicy `from` (model name `_from`) survives the mapping.
    const np = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'p', namespace: 'ns' },
      spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] },
    } as KubernetesObject;
    const model = toClientModel(np) as unknown as { spec: { ingress: { _from: unknown[] }[] } };
    assert.deepEqual(JSON.parse(JSON.stringify(model.spec.ingress[0]?._from)), [{ podSelector: {} }]);
  });
  test('the printed helm command quotes what the shell would split', () => {
    assert.equal(shellQuote('--values'), '--values');
    assert.equal(shellQuote('/tmp/my values.yaml'), "'/tmp/my values.yaml'");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
  });
});
