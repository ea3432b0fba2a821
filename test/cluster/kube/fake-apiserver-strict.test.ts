/**
 * What the fake API server refuses, as a real one does, driven through the real client-node and
 * cnibench's access layer: unknown fields (server-side apply, fieldValidation=Strict, pruning
 * otherwise), custom resource values against the CRD schema (422), kinds whose CRD is not yet
 * Established (404), deleted CRDs taking their objects along, RBAC denials (403) on the request itself
 * and on exec, and admission policies (422).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  apiCall,
  connect,
  KubeApiError,
  KubeAccessError,
  type KubeConnection,
} from '../../../src/cluster/kube/client.js';
import { execInPod } from '../../../src/cluster/kube/exec.js';
import { applyObject } from '../../../src/cni/apply.js';
import { ExitCode } from '../../../src/util/errors.js';
import { startFakeCluster, type FakeCluster } from './helpers.js';
import { plain } from './fake-models.js';

const CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { kind: 'Widget', plural: 'widgets', singular: 'widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            properties: {
              spec: {
                type: 'object',
                required: ['size'],
                properties: {
                  size: { type: 'integer', minimum: 1 },
                  colour: { type: 'string', enum: ['red', 'blue'] },
                  port: { 'x-kubernetes-int-or-string': true },
                  extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const widget = (spec: Record<string, unknown>, name = 'w1'): KubernetesObject =>
  ({
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name, namespace: 'default' },
    spec,
  }) as KubernetesObject;

const apply = (conn: KubeConnection, o: KubernetesObject) => applyObject(o, conn);

/** A request as any client sends it (client-node's typed models never send an undeclared field). */
async function raw(
  fc: FakeCluster,
  method: string,
  path: string,
  body: unknown,
  contentType = 'application/json',
) {
  const res = await fetch(`${fc.api.url}${path}`, {
    method,
    headers: { 'content-type': contentType },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { message?: string; reason?: string } };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
}

describe('fake API server: what a real API server refuses', () => {
  let fc: FakeCluster;
  let conn: KubeConnection;
  before(async () => {
    fc = await startFakeCluster({ crdEstablishDelayMs: 150 });
    fc.api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    conn = connect({ kubeconfig: fc.kubeconfig });
  });
  after(() => fc.close());

  test('a kind is not served until its CRD is Established; then values are checked against its schema', async () => {
    await apply(conn, CRD);
    const early = await rejection(apply(conn, widget({ size: 1 })));
    assert.ok(early instanceof KubeApiError, String(early));
    assert.equal(early.status, 404);
    await sleep(250);
    const crd = fc.api.store.model('CustomResourceDefinition', 'widgets.example.com');
    assert.ok(crd?.status?.conditions?.some((c) => c.type === 'Established'));
    await apply(conn, widget({ size: 2, colour: 'red', port: 'http', extra: { anything: [1] } }));

    const bad = await rejection(apply(conn, widget({ size: 0, colour: 'green' }, 'w2')));
    assert.ok(bad instanceof KubeApiError);
    assert.equal(bad.status, 422);
    assert.equal(bad.reason, 'Invalid');
    assert.equal(bad.exitCode, ExitCode.checkFailed);
    assert.match(bad.serverMessage, /^Widget\.example\.com "w2" is invalid: /);
    assert.match(
      bad.serverMessage,
      /spec\.colour: Unsupported value: "green": supported values: "red", "blue"/,
    );
    assert.match(bad.serverMessage, /spec\.size: Invalid value: 0/);
    assert.doesNotMatch(bad.message, /\n/);
    const missing = await rejection(apply(conn, widget({ colour: 'red' }, 'w3')));
    assert.match((missing as KubeApiError).serverMessage, /spec\.size: Required value/);
  });

  test('server-side apply refuses an undeclared field with the 500 real servers send; exit 1 all the same', async () => {
    const err = await rejection(apply(conn, widget({ size: 1, sise: 2 }, 'w4')));
    assert.ok(err instanceof KubeApiError);
    assert.equal(err.status, 500);
    assert.equal(err.exitCode, ExitCode.checkFailed);
    assert.equal(
      err.serverMessage,
      'failed to create typed patch object (default/w4; example.com/v1, Kind=Widget): .spec.sise: field not declared in schema',
    );
    // Built-in kinds too, from client-node's models.
    const builtin = await raw(
      fc,
      'PATCH',
      '/api/v1/namespaces/default/configmaps/c?fieldManager=test',
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, dataa: { a: 'b' } },
      'application/apply-patch+yaml',
    );
    assert.equal(builtin.status, 500);
    assert.match(builtin.body.message ?? '', /\.dataa: field not declared in schema/);
  });

  test('fieldValidation=Strict refuses unknown fields with 400; without it they are pruned', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'i', imagePullPolcy: 'Always' }] },
    };
    const strict = await raw(fc, 'POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', pod);
    assert.equal(strict.status, 400);
    assert.equal(strict.body.reason, 'BadRequest');
    assert.match(
      strict.body.message ?? '',
      /strict decoding error: unknown field "spec\.containers\[0\]\.imagePullPolcy"/,
    );
    const pruned = await raw(fc, 'POST', '/api/v1/namespaces/default/pods', pod);
    assert.equal(pruned.status, 201);
    assert.deepEqual(plain(fc.api.store.model('Pod', 'p', 'default')?.spec?.containers[0]), {
      name: 'c',
      image: 'i',
    });
  });

  test('a CRD without its group, names or a version schema is 422 Invalid, naming each field', async () => {
    const res = await raw(fc, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
      spec: { scope: 'Namespaced', names: { kind: 'Gadget' }, versions: [{ name: 'v1', served: true }] },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
    for (const field of [
      'spec.group: Required value',
      'spec.names.plural: Required value',
      'spec.versions[0].schema',
    ])
      assert.ok(res.body.message?.includes(field), `${field} in ${res.body.message}`);
    assert.equal(fc.api.store.model('CustomResourceDefinition', 'gadgets.example.com'), undefined);
  });

  test('deleting a CRD deletes its objects and the kind stops being served', async () => {
    assert.ok(fc.api.store.get('example.com/v1', 'Widget', 'w1', 'default'));
    await apiCall(conn, 'delete CRD', () =>
      conn.objects.delete({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
      }),
    );
    assert.equal(fc.api.store.get('example.com/v1', 'Widget', 'w1', 'default'), undefined);
    const gone = await fetch(`${fc.api.url}/apis/example.com/v1/namespaces/default/widgets`);
    assert.equal(gone.status, 404);
  });

  test('a denied verb is 403 on the request itself, worded like the real authorizer, and recorded', async () => {
    fc.api.deny = [
      { verb: 'list', resource: 'nodes' },
      { resource: 'pods', subresource: 'exec', verb: 'create' },
    ];
    try {
      const err = await rejection(apiCall(conn, 'list nodes', () => conn.core.listNode()));
      assert.ok(err instanceof KubeAccessError);
      assert.equal(err.status, 403);
      assert.equal(err.exitCode, ExitCode.environment);
      assert.match(
        err.message,
        /^forbidden: cannot list nodes: nodes is forbidden: User "fake-user" cannot list resource "nodes" in API group "" at the cluster scope$/,
      );
      await conn.core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'x' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      });
      const exec = await rejection(
        execInPod(conn.kc, { namespace: 'default', pod: 'x', container: 'c' }, ['true'], { timeoutMs: 5000 }),
      );
      assert.match(String(exec), /403/);
      const execReq = fc.api.requests.filter((r) => r.path.endsWith('/pods/x/exec')).at(-1);
      assert.deepEqual(
        execReq?.authz.map((a) => `${a.verb} ${a.resource}/${a.subresource}`),
        ['get pods/exec', 'create pods/exec'],
      );
      const list = fc.api.requests.filter((r) => r.path === '/api/v1/nodes').at(-1);
      assert.deepEqual(list?.authz, [{ verb: 'list', group: '', resource: 'nodes' }]);
    } finally {
      fc.api.deny = [];
    }
  });

  test('an admission policy refusal is 422 Invalid naming the policy; one line, exit 1', async () => {
    fc.api.admission = [
      { resource: 'configmaps', message: 'ConfigMaps need an owner label', policy: 'require-owner' },
    ];
    try {
      const cm = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'denied', namespace: 'default' },
      } as KubernetesObject;
      const err = await rejection(apply(conn, cm));
      assert.ok(err instanceof KubeApiError);
      assert.equal(err.exitCode, ExitCode.checkFailed);
      assert.equal(
        err.message,
        `cannot apply ConfigMap default/denied: HTTP 422 Invalid: configmaps "denied" is forbidden: ValidatingAdmissionPolicy 'require-owner' with binding 'require-owner-binding' denied request: ConfigMaps need an owner label`,
      );
    } finally {
      fc.api.admission = [];
    }
  });
});
