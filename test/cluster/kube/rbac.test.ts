import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import type { KubernetesObject } from '@kubernetes/client-node';
import { toClientModel } from '../../../src/cni/apply.js';
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import { HARNESS_PERMISSIONS, renderRbac, type Permission } from '../../../src/cluster/kube/permissions.js';
import type { RecordedRequest } from './fake-apiserver.js';
import { asModel, isRecord, plain } from './fake-models.js';
import { clusterConfig, sampleCase, startFakeCluster } from './helpers.js';
import { must } from '../../helpers/must.js';
import { REPO_ROOT } from '../../helpers/paths.js';

const repo = REPO_ROOT;

describe('RBAC manifest', () => {
  test('deploy/rbac.yaml is exactly what `cnibench rbac` generates', () => {
    assert.equal(fs.readFileSync(path.join(repo, 'deploy/rbac.yaml'), 'utf8'), renderRbac());
  });

  test('the ClusterRole grants every permission the preflight checks, and nothing else', () => {
    const docs = parseAllDocuments(renderRbac({ namespace: 'bench', name: 'runner' })).map((d) => {
      const doc: unknown = d.toJS();
      return doc;
    });
    assert.deepEqual(
      docs.map((d) => (isRecord(d) ? d.kind : undefined)),
      ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'],
    );
    const role = asModel('ClusterRole', docs[1]);
    const granted = new Set<string>();
    for (const r of role.rules ?? []) {
      for (const g of r.apiGroups ?? [])
        for (const res of r.resources ?? []) for (const v of r.verbs) granted.add(`${g}|${res}|${v}`);
    }
    const needed = new Set(
      HARNESS_PERMISSIONS.flatMap((p) =>
        p.verbs.map(
          (v) => `${p.group}|${p.subresource ? `${p.resource}/${p.subresource}` : p.resource}|${v}`,
        ),
      ),
    );
    assert.deepEqual([...granted].sort(), [...needed].sort());
    const binding = asModel('ClusterRoleBinding', docs[2]);
    assert.deepEqual(plain(binding.subjects), [
      { kind: 'ServiceAccount', name: 'runner', namespace: 'bench' },
    ]);
    assert.equal(binding.roleRef.name, 'runner');
  });

  test('`cnibench rbac` prints it', () => {
    const out = execFileSync(
      process.execPath,
      [path.join(repo, 'dist/src/cli/main.js'), 'rbac', '--namespace', 'ops'],
      { encoding: 'utf8' },
    );
    assert.equal(out, renderRbac({ namespace: 'ops' }));
  });
});

/** A CRD for one admin-tier kind with a schema that keeps any spec (served v1alpha1 and v1alpha2). */
function adminTierCrd(kind: string, plural: string) {
  const schema = {
    openAPIV3Schema: {
      type: 'object',
      properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    },
  };
  return toClientModel({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.policy.networking.k8s.io` },
    spec: {
      group: 'policy.networking.k8s.io',
      scope: 'Cluster',
      names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
      versions: ['v1alpha1', 'v1alpha2'].map((name) => ({
        name,
        served: true,
        storage: name === 'v1alpha2',
        schema,
      })),
    },
  } as KubernetesObject);
}

/** "verb group|resource[/sub]" of every request the harness itself sent (its SSARs and /version excluded). */
function observed(requests: RecordedRequest[]): string[] {
  const out = new Set<string>();
  for (const r of requests)
    for (const a of r.authz) {
      if (a.resource === 'selfsubjectaccessreviews') continue; // every user may ask what they may do
      out.add(`${a.verb} ${a.group}|${a.subresource ? `${a.resource}/${a.subresource}` : a.resource}`);
    }
  return [...out].sort();
}

function granted(perms: readonly Permission[]): string[] {
  return perms
    .flatMap((p) =>
      p.verbs.map((v) => `${v} ${p.group}|${p.subresource ? `${p.resource}/${p.subresource}` : p.resource}`),
    )
    .sort();
}

describe('least privilege', () => {
  test('HARNESS_PERMISSIONS is exactly what the kube driver calls on the API server, conflict paths included', async () => {
    const fc = await startFakeCluster({ onExec: () => ({ exitCode: 0 }) });
    const driver = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'rb' });
    try {
      // The admin-tier CRDs, as a CNI installs them (minimal stand-ins: the verbs, not the schemas,
      // matter here); not the driver's requests, so left out below.
      for (const [kind, plural] of [
        ['ClusterNetworkPolicy', 'clusternetworkpolicies'],
        ['AdminNetworkPolicy', 'adminnetworkpolicies'],
        ['BaselineAdminNetworkPolicy', 'baselineadminnetworkpolicies'],
      ] as const)
        await driver.connection().objects.create(adminTierCrd(kind, plural));
      await new Promise((r) => setTimeout(r, 50));
      const first = fc.api.requests.length;
      // Objects left by an interrupted run of the same id: creates answer 409 and the driver reads them.
      fc.api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cnb-rb-x' } });
      fc.api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cnb-rb-perf' } });
      fc.api.store.create({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'perf-server', namespace: 'cnb-rb-perf' },
        spec: { clusterIP: '10.96.0.99', ports: [{ port: 5201 }] },
      });
      fc.api.store.create({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-from-y', namespace: 'cnb-rb-x' },
        spec: { podSelector: {} },
      });
      await driver.preflight();
      await driver.detectAdminTier();
      const subject = { namespaces: {} };
      const cnp = (priority: number) => ({
        clusterNetworkPolicies: [
          { metadata: { name: 'p' }, spec: { tier: 'Admin' as const, priority, subject } },
        ],
      });
      await driver.setPolicies([], [], undefined, cnp(1));
      await driver.setPolicies([], [], undefined, cnp(2));
      const anp = (priority: number) => ({
        adminNetworkPolicies: [{ metadata: { name: 'a' }, spec: { priority, subject } }],
        baselineAdminNetworkPolicy: {
          metadata: { name: 'default' },
          spec: {
            subject,
            ...(priority > 1 ? { ingress: [{ name: 'r', action: 'Deny' as const, from: [subject] }] } : {}),
          },
        },
      });
      await driver.setPolicies([], [], undefined, anp(1));
      await driver.setPolicies([], [], undefined, anp(2));
      const c = sampleCase();
      const pods = await driver.ensureLayout(c);
      await driver.setPolicies(c.policies, pods);
      const changed = structuredClone(c.policies);
      must(must(changed[0]).spec.ingress?.[0], 'the first ingress rule').ports = [
        { protocol: 'TCP', port: 80 },
      ];
      await driver.setPolicies(changed, pods);
      await driver.setPolicies([], pods);
      // Relabel one pod and namespace, drop one pod, change another's ports (delete and re-create).
      const next = sampleCase();
      next.namespaces.x = { 'kubernetes.io/metadata.name': 'x', team: 'green' };
      next.pods = next.pods.filter((p) => p.key !== 'x/b');
      must(next.pods[0]).labels = { pod: 'a', tier: 'web' };
      must(next.pods[1]).ports = [{ name: 'serve-8080-tcp', port: 8080, protocol: 'TCP' }];
      const again = await driver.ensureLayout(next);
      await driver.probe([{ from: 'x/a', to: 'y/a', toIp: must(again[1]).ip, port: 8080, protocol: 'TCP' }], {
        timeoutMs: 1000,
        concurrency: 1,
      });
      const topo = await driver.preparePerf(['same-node', 'cross-node', 'service', 'baseline']);
      const pair = must(topo.pairs[0], 'a perf pair');
      await driver.exec(pair.client, ['iperf3', '--version']);
      // Cost: the kubelet summary of the pair's nodes (nodes/proxy) and of every node (nodes list).
      await driver.cost().readCpu(pair);
      await driver.cost().dataplaneMemoryBytes();
      await (await driver.spawn(pair.server, ['iperf3', '-s'])).stop();
      await driver.cleanup();
      assert.deepEqual(observed(fc.api.requests.slice(first)), granted(HARNESS_PERMISSIONS));
    } finally {
      await driver.cleanup();
      await fc.close();
    }
  });
});
