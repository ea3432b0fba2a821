import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { NamespaceMap } from '../../../src/cluster/kube/naming.js';
import { toClusterPolicy } from '../../../src/cluster/kube/policies.js';
import { namespaceManifest } from '../../../src/cluster/kube/manifests.js';
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import type { NetworkPolicy } from '../../../src/netpol/types.js';
import { clusterConfig, sampleCase, startFakeCluster } from './helpers.js';
import { schemaFor, validate } from './schema-check.js';
import { must } from '../../helpers/must.js';

const ns = new NamespaceMap('cnb', 'abc123');

/** A policy using every field: both directions, all peer kinds, expressions, ipBlock except, endPort. */
const full: NetworkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'full', namespace: 'x', labels: { suite: 'unit' } },
  spec: {
    podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a', 'b'] }] },
    policyTypes: ['Ingress', 'Egress'],
    ingress: [
      {
        from: [
          {
            namespaceSelector: {
              matchLabels: { 'kubernetes.io/metadata.name': 'y', team: 'red' },
              matchExpressions: [
                { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['z', 'w'] },
                { key: 'kubernetes.io/metadata.name', operator: 'Exists' },
                { key: 'team', operator: 'In', values: ['x'] },
              ],
            },
            podSelector: { matchLabels: { pod: 'c' } },
          },
          { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
        ],
        ports: [
          { protocol: 'TCP', port: 'serve-80-tcp' },
          { protocol: 'UDP', port: 1000, endPort: 2000 },
        ],
      },
    ],
    egress: [
      {
        to: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } },
          { podSelector: {} },
        ],
      },
      {},
    ],
  },
};

describe('policy rewriting for the cluster', () => {
  test('namespace-name selectors and metadata.namespace use real names; other labels are untouched', () => {
    const p = toClusterPolicy(full, ns);
    assert.equal(p.metadata.namespace, 'cnb-abc123-x');
    assert.deepEqual(p.metadata.labels, {
      suite: 'unit',
      'app.kubernetes.io/managed-by': 'cnibench',
      'cnibench.io/run-id': 'abc123',
    });
    const rule = must(p.spec.ingress?.[0], 'the first ingress rule');
    const fullRule = must(full.spec.ingress?.[0], 'the first ingress rule of the full policy');
    const peer = must(rule.from?.[0], 'the first peer');
    assert.deepEqual(peer.namespaceSelector, {
      matchLabels: { 'kubernetes.io/metadata.name': 'cnb-abc123-y', team: 'red' },
      matchExpressions: [
        { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['cnb-abc123-z', 'cnb-abc123-w'] },
        { key: 'kubernetes.io/metadata.name', operator: 'Exists' },
        { key: 'team', operator: 'In', values: ['x'] },
      ],
    });
    assert.deepEqual(peer.podSelector, { matchLabels: { pod: 'c' } });
    assert.deepEqual(rule.from?.[1], fullRule.from?.[1]);
    assert.deepEqual(p.spec.egress?.[0]?.to?.[0]?.namespaceSelector, {
      matchLabels: { 'kubernetes.io/metadata.name': 'cnb-abc123-x' },
    });
    assert.deepEqual(p.spec.podSelector, full.spec.podSelector);
    assert.deepEqual(validate(schemaFor('NetworkPolicy'), p), []);
    // The input is not modified.
    assert.equal(full.metadata.namespace, 'x');
  });

  test('namespace manifests drop the metadata.name label (the API server sets it) and keep the case labels', () => {
    const m = namespaceManifest('y', { 'kubernetes.io/metadata.name': 'y', team: 'red' }, ns);
    assert.equal(m.metadata.name, 'cnb-abc123-y');
    assert.equal(m.metadata.labels?.['kubernetes.io/metadata.name'], undefined);
    assert.equal(m.metadata.labels?.team, 'red');
    assert.deepEqual(validate(schemaFor('Namespace'), m), []);
  });

  test('reserved labels in a case and unmappable namespace names are input errors', () => {
    assert.throws(() => namespaceManifest('x', { 'cnibench.io/run-id': 'evil' }, ns), /reserved/);
    assert.throws(
      () => ns.real('Not_A_Label'),
      (e: Error & { exitCode?: number }) => e.exitCode === 2,
    );
    assert.throws(() => ns.real('a'.repeat(60)), /at most 63/);
  });

  test('every field survives the trip through client-node to the API server', async () => {
    const fc = await startFakeCluster();
    try {
      const d = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'abc123' });
      const c = sampleCase();
      await d.ensureLayout(c);
      await d.setPolicies([full], c.pods);
      const stored = fc.api.store.get('networking.k8s.io/v1', 'NetworkPolicy', 'full', 'cnb-abc123-x');
      const { metadata: _m, ...want } = toClusterPolicy(full, ns);
      const spec: unknown = stored?.spec;
      assert.deepEqual({ apiVersion: stored?.apiVersion, kind: stored?.kind, spec }, want);
      await d.cleanup();
    } finally {
      await fc.close();
    }
  });
});
