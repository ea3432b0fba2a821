/**
 * The kube driver and the admin tier, against the fake API server serving network-policy-api's real
 * CRDs (v0.2.0 ClusterNetworkPolicy, v0.1.7 AdminNetworkPolicy/BaselineAdminNetworkPolicy, from
 * ../shared/upstream; structural schema and CEL rules checked as a real API server checks them):
 * detection of the served API, every admin-tier object of the built-in suite accepted as cnibench
 * translates it, a bad one refused, objects scoped to the run and removed by the driver and by
 * `cnibench cleanup`, and the singleton BaselineAdminNetworkPolicy of someone else left alone.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { toClientModel, waitCrdsEstablished } from '../../../src/cni/apply.js';
import { ADMIN_TIER_KINDS, toClusterAdminObjects } from '../../../src/cluster/kube/admin-policies.js';
import { NamespaceMap } from '../../../src/cluster/kube/naming.js';
import type { AdminTierPolicies } from '../../../src/netpol/types.js';
import { cleanupKube } from '../../../src/cluster/kube/cleanup.js';
import { KubeApiError } from '../../../src/cluster/kube/client.js';
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import { adminTierSuite } from '../../../src/netpol/suite/index.js';
import { ExitCode } from '../../../src/util/errors.js';
import { parse } from 'yaml';
import { crdProblems, crdSkipReason, UPSTREAM_DIR, type Schema } from '../../netpol/crd-check.js';
import { clusterConfig, startFakeCluster, type FakeCluster } from './helpers.js';

const SKIP = crdSkipReason();
if (SKIP) process.stderr.write(`kube/admin-tier.test: ${SKIP}\n`);

const CRDS = [
  'v0.2.0/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml',
  'v0.1.7/standard/policy.networking.k8s.io_adminnetworkpolicies.yaml',
  'v0.1.7/standard/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml',
];
const G = 'policy.networking.k8s.io';
const tierOf = (c: AdminTierPolicies): AdminTierPolicies => ({
  ...(c.clusterNetworkPolicies ? { clusterNetworkPolicies: c.clusterNetworkPolicies } : {}),
  ...(c.adminNetworkPolicies ? { adminNetworkPolicies: c.adminNetworkPolicies } : {}),
  ...(c.baselineAdminNetworkPolicy ? { baselineAdminNetworkPolicy: c.baselineAdminNetworkPolicy } : {}),
});

/** Installs upstream CRDs through the API, as `kubectl apply` would, and waits until Established. */
async function installCrds(driver: KubeDriver, files: string[]): Promise<void> {
  const conn = driver.connection();
  const crds: KubernetesObject[] = [];
  for (const f of files) {
    const crd = parse(readFileSync(path.join(UPSTREAM_DIR, f), 'utf8')) as KubernetesObject;
    await conn.objects.create(toClientModel(crd));
    crds.push(crd);
  }
  await waitCrdsEstablished(crds, conn, 10_000, 10);
}

describe('the kube driver and the admin tier', { skip: SKIP ?? false }, () => {
  let fc: FakeCluster;
  before(async () => {
    fc = await startFakeCluster({ crdEstablishDelayMs: 5 });
  });
  after(() => fc?.close());

  test('without the CRDs: nothing served, each version unsupported by the cluster with the CRD named; before detection, by the driver', async () => {
    const d = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'a0' });
    assert.equal(d.capabilities().adminTierUnsupported?.by, 'driver');
    assert.deepEqual(d.capabilities().adminTier, []);
    const det = await d.detectAdminTier();
    assert.deepEqual(det.served, []);
    const caps = d.capabilities();
    assert.deepEqual(caps.adminTier, []);
    assert.deepEqual(caps.adminTierUnsupportedApis?.v1alpha2, {
      by: 'cluster',
      reason: `the cluster does not serve ClusterNetworkPolicy (CRD clusternetworkpolicies.${G} is not installed)`,
    });
    assert.match(caps.adminTierUnsupportedApis?.v1alpha1?.reason ?? '', /AdminNetworkPolicy/);
    await d.cleanup();
  });

  test('with the upstream CRDs: both versions served; every suite object accepted, scoped to the run, then removed', async () => {
    const d = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'a1' });
    await installCrds(d, CRDS);
    const det = await d.detectAdminTier();
    assert.deepEqual(det.served, ['v1alpha1', 'v1alpha2']);
    assert.deepEqual(
      det.crds.map((c) => [c.kind, c.servedVersions, c.established, c.bundleVersion]),
      [
        ['ClusterNetworkPolicy', ['v1alpha2'], true, 'v0.2.0'],
        ['AdminNetworkPolicy', ['v1alpha1'], true, 'v0.1.7'],
        ['BaselineAdminNetworkPolicy', ['v1alpha1'], true, 'v0.1.7'],
      ],
    );
    assert.deepEqual(d.capabilities().adminTier, ['v1alpha1', 'v1alpha2']);

    // Every case's objects as cnibench translates them: the real schema and CEL rules accept each
    // (checked offline, all of them), unless the served CRD lacks a field they use (the standard
    // channel has no nodes/domainNames peers), which the driver says before sending anything.
    const cases = [...adminTierSuite('v1alpha2'), ...adminTierSuite('v1alpha1')];
    const schemas = new Map(
      CRDS.map((f) => {
        const crd = parse(readFileSync(path.join(UPSTREAM_DIR, f), 'utf8')) as {
          spec: { names: { kind: string }; versions: Array<{ schema: { openAPIV3Schema: Schema } }> };
        };
        return [crd.spec.names.kind, crd.spec.versions[0]?.schema.openAPIV3Schema ?? {}];
      }),
    );
    const ns = new NamespaceMap('cnb', 'a1');
    const refused: string[] = [];
    for (const c of cases) {
      const why = d.adminTierRefusal(tierOf(c));
      if (why) {
        assert.equal(why.by, 'cluster');
        // Only experimental-channel fields: peers by node or domain name, named ports.
        assert.match(
          why.reason,
          /\(network-policy-api v0\.(2\.0|1\.7) standard\) has no field spec\.(egress|ingress)\[\d+\]\.\w+\[\d+\]\.(nodes|domainNames|namedPort)\b/,
          c.name,
        );
        refused.push(c.name);
        continue;
      }
      for (const o of toClusterAdminObjects(tierOf(c), ns))
        assert.deepEqual(
          crdProblems(schemas.get(o.kind ?? '') ?? {}, o),
          [],
          `${c.name}: ${o.metadata?.name}`,
        );
    }
    assert.ok(refused.includes('cnp-upstream-admin-egress-node-peers-1-initial'), refused.join(', '));
    assert.ok(refused.length < cases.length / 4, `${refused.length} refused`);
    // A sample through the API, in turn, as the conformance workload sends them: the previous case's
    // objects go.
    const sample = cases.filter((c, i) => i % 25 === 0 && !refused.includes(c.name));
    for (const c of sample) {
      await d.setPolicies([], [], undefined, tierOf(c)).catch((err: unknown) => {
        throw new Error(`case ${c.name}: ${(err as Error).message}`);
      });
      const stored = ADMIN_TIER_KINDS.flatMap((k) => fc.api.store.list(`${G}/${k.api}`, k.kind));
      const want =
        (c.clusterNetworkPolicies?.length ?? 0) +
        (c.adminNetworkPolicies?.length ?? 0) +
        (c.baselineAdminNetworkPolicy ? 1 : 0);
      assert.equal(stored.length, want, c.name);
    }
    // One object as the cluster holds it: run-prefixed name, management labels, selectors narrowed to the run.
    const c = adminTierSuite('v1alpha2').find((x) => x.name === 'cnp-upstream-admin-gress-1-initial');
    assert.ok(c?.clusterNetworkPolicies?.[0]);
    await d.setPolicies([], [], undefined, { clusterNetworkPolicies: c.clusterNetworkPolicies });
    const [o] = fc.api.store.list(`${G}/v1alpha2`, 'ClusterNetworkPolicy');
    assert.equal(o?.metadata.name, `cnb-a1-${c.clusterNetworkPolicies[0].metadata.name}`);
    assert.equal(o?.metadata.labels?.['app.kubernetes.io/managed-by'], 'cnibench');
    assert.equal(o?.metadata.labels?.['cnibench.io/run-id'], 'a1');
    const selectors = JSON.stringify(o?.spec);
    for (const m of selectors.matchAll(/"namespaceSelector":(\{[^}]*\})|"namespaces":(\{[^}]*\})/g))
      assert.match(m[0], /"cnibench\.io\/run-id":"a1"/, `every namespace selector is narrowed: ${m[0]}`);
    assert.doesNotMatch(selectors, /"kubernetes\.io\/metadata\.name":"network-policy-conformance/);

    await d.cleanup();
    for (const k of ADMIN_TIER_KINDS)
      assert.deepEqual(fc.api.store.list(`${G}/${k.api}`, k.kind), [], k.kind);
  });

  test("a value the CRD refuses (priority above 1000, a CEL rule) is exit 1 with the server's message", async () => {
    const d = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'a2' });
    await d.detectAdminTier();
    const c = adminTierSuite('v1alpha2')[0];
    const p = c?.clusterNetworkPolicies?.[0];
    assert.ok(p);
    const err = await d
      .setPolicies([], [], undefined, {
        clusterNetworkPolicies: [{ ...p, spec: { ...p.spec, priority: 1001 } }],
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(err instanceof KubeApiError, String(err));
    assert.equal(err.status, 422);
    assert.equal(err.exitCode, ExitCode.checkFailed);
    assert.match(err.serverMessage, /spec\.priority/);
    // A CEL rule: a port range whose start is not below its end.
    const ranged = {
      ...p,
      spec: {
        ...p.spec,
        ingress: [
          {
            action: 'Deny' as const,
            from: [{ namespaces: {} }],
            protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 80 } } } }],
          },
        ],
      },
    };
    const cel = await d.setPolicies([], [], undefined, { clusterNetworkPolicies: [ranged] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(cel instanceof KubeApiError, String(cel));
    assert.equal(cel.status, 422);
    await d.cleanup();
  });

  test('`cnibench cleanup` removes labelled admin-tier objects (of one run) and leaves a foreign BANP, which makes BANP cases unsupported', async () => {
    fc.api.store.create({
      apiVersion: `${G}/v1alpha1`,
      kind: 'BaselineAdminNetworkPolicy',
      metadata: { name: 'default' },
      spec: { subject: { namespaces: {} } },
    });
    const d = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'a3' });
    const det = await d.detectAdminTier();
    assert.equal(det.foreignBaseline, 'default');
    const banpCase = adminTierSuite('v1alpha1').find((x) => x.baselineAdminNetworkPolicy);
    assert.ok(banpCase?.baselineAdminNetworkPolicy);
    assert.match(
      d.adminTierRefusal({ baselineAdminNetworkPolicy: banpCase.baselineAdminNetworkPolicy })?.reason ?? '',
      /already has a BaselineAdminNetworkPolicy "default" that is not this run's/,
    );
    assert.equal(
      d.adminTierRefusal({ adminNetworkPolicies: banpCase.adminNetworkPolicies ?? [] }),
      undefined,
    );
    // An interrupted run left two objects (no driver to remember them): cleanup finds them by label.
    const c = adminTierSuite('v1alpha2')[0];
    assert.ok(c?.clusterNetworkPolicies);
    await d.setPolicies([], [], undefined, { clusterNetworkPolicies: c.clusterNetworkPolicies });
    const other = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'a4' });
    await other.detectAdminTier();
    await other.setPolicies([], [], undefined, { clusterNetworkPolicies: c.clusterNetworkPolicies });
    const report = await cleanupKube({
      kubeconfig: fc.kubeconfig,
      context: 'fake',
      runId: 'a3',
      wait: false,
    });
    assert.deepEqual(
      report.clusterObjects,
      c.clusterNetworkPolicies.map((p) => `ClusterNetworkPolicy/cnb-a3-${p.metadata.name}`),
    );
    const left = fc.api.store.list(`${G}/v1alpha2`, 'ClusterNetworkPolicy').map((o) => o.metadata.name);
    assert.ok(left.length > 0 && left.every((n) => n.startsWith('cnb-a4-')), left.join(', '));
    const all = await cleanupKube({ kubeconfig: fc.kubeconfig, context: 'fake', wait: false });
    assert.equal(all.clusterObjects?.length, left.length);
    assert.ok(fc.api.store.get(`${G}/v1alpha1`, 'BaselineAdminNetworkPolicy', 'default'), 'not ours: kept');
  });
});
