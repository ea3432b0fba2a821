/**
 * Conformance lanes on real clusters (docs/probing.md): several cases in flight at once, each lane in
 * its own namespaces with its own lane-scoped admin-tier objects.
 *
 * - Pure: lane names and labels, NetworkPolicy namespace-name selectors mapped to the lane's names,
 *   admin-tier objects named per lane with every namespace selector narrowed to the lane.
 * - The conformance workload on the kube driver against the fake API server (serving the upstream
 *   admin-tier CRDs, schema and CEL checked) with the end-to-end dataplane, which decides every probe
 *   from the model over *everything* the server stores — all lanes' namespaces, pods, policies and
 *   admin-tier objects at once, as a CNI sees them — so lanes that leaked into each other would show
 *   as wrong verdicts: 3 lanes give the same verdicts as 1, in suite order; a case failing in one
 *   lane leaves the others' verdicts alone; Ctrl-C stops every lane, and clean-up removes every
 *   lane's namespaces and cluster-scoped objects.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { CaseLane, ProbeOptions, ProbeRequest } from '../../../src/cluster/driver.js';
import { ADMIN_TIER_KINDS, toClusterAdminObjects } from '../../../src/cluster/kube/admin-policies.js';
import { toClientModel } from '../../../src/cni/apply.js';
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import { namespaceManifest } from '../../../src/cluster/kube/manifests.js';
import { LANE_LABEL, NamespaceMap, RUN_ID_LABEL } from '../../../src/cluster/kube/naming.js';
import { toClusterPolicy } from '../../../src/cluster/kube/policies.js';
import { adminTierSuite, builtinSuite } from '../../../src/netpol/suite/index.js';
import type { PolicyCase } from '../../../src/netpol/types.js';
import { runConformance, type ConformanceOptions } from '../../../src/workloads/conformance/run.js';
import { fakeDataplane } from '../../e2e/fake-dataplane.js';
import { crdSkipReason, UPSTREAM_DIR } from '../../netpol/crd-check.js';
import { must } from '../../helpers/must.js';
import { clusterConfig, startFakeCluster, type FakeCluster } from './helpers.js';

const G = 'policy.networking.k8s.io';

describe('lane scoping (pure)', () => {
  test('lane 0 keeps the run’s names; lane k gets <prefix>-<runid>-l<k>-<logical> and its label', () => {
    const l0 = new NamespaceMap('cnb', 'r1');
    const l2 = new NamespaceMap('cnb', 'r1', 2);
    assert.equal(l0.real('x'), 'cnb-r1-x');
    assert.equal(l2.real('x'), 'cnb-r1-l2-x');
    assert.equal(l2.logical('cnb-r1-l2-x'), 'x');
    assert.equal(l2.logical('cnb-r1-x'), undefined);
    assert.equal(namespaceManifest('y', { team: 'red' }, l2).metadata.labels?.[LANE_LABEL], '2');
    assert.equal(namespaceManifest('y', {}, l0).metadata.labels?.[LANE_LABEL], '0');
    assert.throws(() => namespaceManifest('y', { [LANE_LABEL]: '1' }, l0), /reserved/);
  });

  test('NetworkPolicy namespace-name selectors name the lane’s own namespaces', () => {
    const c = must(
      builtinSuite().find((x) => x.name === 'upstream-default-namespace-label-match-labels'),
      'the namespace-name case',
    );
    const p = toClusterPolicy(must(c.policies[0], 'its policy'), new NamespaceMap('cnb', 'r1', 1));
    assert.match(p.metadata.namespace, /^cnb-r1-l1-[xyz]$/);
    const names = JSON.stringify(p.spec).match(/cnb-r1[-\w]*/g) ?? [];
    assert.ok(names.length > 0, JSON.stringify(p.spec));
    for (const n of names) assert.match(n, /^cnb-r1-l1-/);
  });

  test('admin-tier objects: names distinct per lane, subject and peer namespace selectors narrowed to the lane', () => {
    const c = must(
      adminTierSuite('v1alpha2').find((x) => x.clusterNetworkPolicies?.length),
      'a ClusterNetworkPolicy case',
    );
    const tier = { clusterNetworkPolicies: c.clusterNetworkPolicies ?? [] };
    const [o0] = toClusterAdminObjects(tier, new NamespaceMap('cnb', 'r1'));
    const [o1] = toClusterAdminObjects(tier, new NamespaceMap('cnb', 'r1', 1));
    const name = must(c.clusterNetworkPolicies?.[0], 'its policy').metadata.name;
    assert.equal(o0?.metadata?.name, `cnb-r1-${name}`);
    assert.equal(o1?.metadata?.name, `cnb-r1-l1-${name}`);
    const spec = (o1 as KubernetesObject & { spec: Record<string, unknown> }).spec;
    const selectors = [
      ...JSON.stringify(spec).matchAll(/"namespaceSelector":(\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})/g),
      ...JSON.stringify(spec).matchAll(/"namespaces":(\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\})/g),
    ].map((m) => JSON.parse(m[1] ?? '{}') as { matchLabels?: Record<string, string> });
    assert.ok(selectors.length >= 2, JSON.stringify(spec));
    for (const s of selectors) {
      assert.equal(s.matchLabels?.[LANE_LABEL], '1', JSON.stringify(s));
      assert.equal(s.matchLabels?.[RUN_ID_LABEL], 'r1', JSON.stringify(s));
    }
    // The singleton keeps its only valid name in every lane (hence BANP cases run in lane 0 only).
    const banp = must(
      adminTierSuite('v1alpha1').find((x) => x.baselineAdminNetworkPolicy),
      'a BaselineAdminNetworkPolicy case',
    );
    const objs = toClusterAdminObjects(
      { baselineAdminNetworkPolicy: must(banp.baselineAdminNetworkPolicy, 'its BANP') },
      new NamespaceMap('cnb', 'r1', 3),
    );
    assert.equal(objs[0]?.metadata?.name, 'default');
  });
});

const SKIP = crdSkipReason();
if (SKIP) process.stderr.write(`kube/lanes.test: the workload tests are ${SKIP}\n`);

const CRDS = [
  'v0.2.0/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml',
  'v0.1.7/standard/policy.networking.k8s.io_adminnetworkpolicies.yaml',
  'v0.1.7/standard/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml',
];

/**
 * A handful of cases: namespace-name selectors, ipBlock, ClusterNetworkPolicy (one with `networks`
 * CIDRs, rebased per lane), a BaselineAdminNetworkPolicy (lane 0 only).
 */
function selectedCases(): PolicyCase[] {
  const suite = builtinSuite();
  const byName = (n: string) =>
    must(
      suite.find((c) => c.name === n),
      n,
    );
  const cnp = (n: string) =>
    must(
      adminTierSuite('v1alpha2').find((c) => c.name === n),
      n,
    );
  const banp = must(
    adminTierSuite('v1alpha1').find((c) => c.baselineAdminNetworkPolicy),
    'a BaselineAdminNetworkPolicy case',
  );
  // Their subjects select namespaces by a label every lane's copy carries (conformance-house), not by
  // name: only the lane label keeps one lane's ClusterNetworkPolicies off the others' pods.
  return [
    byName('upstream-default-namespace-label-match-labels'),
    cnp('cnp-upstream-admin-integration-1-initial'),
    cnp('cnp-upstream-admin-integration-2-ingress-pass'),
    cnp('cnp-upstream-admin-egress-inline-cidr-1-initial'),
    byName('upstream-egress-to-cidr'),
    banp,
    byName('upstream-egress-cidr-except'),
  ];
}

const OPTS: ConformanceOptions = {
  probeTimeoutMs: 200,
  convergenceTimeoutMs: 2000,
  concurrency: 16,
  protocols: ['TCP', 'UDP'],
  pollIntervalMs: 20,
};

describe(
  'the conformance workload in lanes (fake API server, model dataplane)',
  { skip: SKIP ?? false },
  () => {
    let fc: FakeCluster;
    /** A probe the dataplane drops although the model allows it (the broken-case test sets it). */
    let drop: ((srcNamespace: string) => boolean) | undefined;
    const cases = selectedCases();

    before(async () => {
      fc = await startFakeCluster({ crdEstablishDelayMs: 5 });
      fc.api.store.create({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'calico-node', namespace: 'calico-system' },
        spec: {},
      });
      fc.api.onExec = fakeDataplane(fc.api, {
        adminTier: { calico: ['v1alpha1', 'v1alpha2'] },
        drop: (src) => drop?.(src.namespace) ?? false,
      }).handler;
      const conn = new KubeDriver(clusterConfig(fc.kubeconfig), { runId: 'crd' }).connection();
      for (const f of CRDS) {
        const crd = parse(readFileSync(path.join(UPSTREAM_DIR, f), 'utf8')) as KubernetesObject;
        await conn.objects.create(toClientModel(crd));
      }
      await new Promise((r) => setTimeout(r, 60));
    });
    after(() => fc?.close());

    /** A driver with `lanes` lanes, admin tier detected, each lane's probe rounds recorded. */
    async function driverWith(runId: string, lanes: number) {
      const d = new KubeDriver(clusterConfig(fc.kubeconfig, { conformanceLanes: lanes }), { runId });
      await d.detectAdminTier();
      const rounds: Array<{ lane: number; execs: number; sources: number }> = [];
      let inFlight = 0;
      let maxInFlight = 0;
      for (const [k, lane] of d.caseLanes().entries()) {
        const probe = lane.probe.bind(lane);
        (lane as CaseLane).probe = async (requests: ProbeRequest[], o: ProbeOptions) => {
          const sources = new Set(requests.map((r) => r.from));
          const before = fc.api.requests.length;
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          try {
            return await probe(requests, o);
          } finally {
            inFlight--;
            // This lane's execs only: those into its own namespaces.
            const mine = new RegExp(
              `^/api/v1/namespaces/cnb-${runId}-${k === 0 ? '' : `l${k}-`}[a-z0-9]+/pods/`,
            );
            const execs = fc.api.requests
              .slice(before)
              .filter((r) => r.path.endsWith('/exec') && mine.test(r.path)).length;
            rounds.push({ lane: k, execs, sources: sources.size });
          }
        };
      }
      return { d, rounds, maxInFlight: () => maxInFlight };
    }

    const statuses = (r: { caseResults: Array<{ name: string; status: string }> }) =>
      r.caseResults.map((c) => `${c.name}: ${c.status}`);

    let oneLane: string[];

    test('3 lanes: the verdicts of 1 lane, in suite order, cases in flight at once, one exec per source pod per round', async () => {
      const one = await driverWith('one', 1);
      const r1 = await runConformance(one.d, cases, OPTS);
      await one.d.cleanup();
      oneLane = statuses(r1);
      assert.equal(r1.failed, 0, JSON.stringify(r1.failures.map((f) => [f.name, f.mismatches.slice(0, 2)])));
      assert.equal(r1.passed, cases.length);

      const three = await driverWith('three', 3);
      const finished: number[] = [];
      const r3 = await runConformance(three.d, cases, { ...OPTS, onProgress: (p) => finished.push(p.index) });
      const laneNamespaces = fc.api.store
        .list('v1', 'Namespace')
        .map((n) => n.metadata.name)
        .filter((n) => n.startsWith('cnb-three-'));
      await three.d.cleanup();
      assert.deepEqual(statuses(r3), oneLane);
      assert.deepEqual(
        r3.caseResults.map((c) => c.name),
        cases.map((c) => c.name),
      );
      assert.deepEqual(
        [...finished].sort((a, b) => a - b),
        [...cases.keys()],
      );
      assert.ok(three.maxInFlight() >= 2, `at most ${three.maxInFlight()} lane(s) probing at once`);
      for (const k of [1, 2])
        assert.ok(
          laneNamespaces.some((n) => n.startsWith(`cnb-three-l${k}-`)),
          `lane ${k} ran cases: ${laneNamespaces.join(', ')}`,
        );
      for (const r of three.rounds) assert.ok(r.execs <= r.sources, JSON.stringify(r));
      // The canaries ran (alone, in lane 0) and found the admin tier enforced.
      assert.deepEqual(
        r3.adminTierCanaries?.map((c) => [c.api, c.outcome]),
        [
          ['v1alpha2', 'enforced'],
          ['v1alpha1', 'enforced'],
        ],
      );
    });

    test('a case failing in one lane leaves the verdicts of the other lanes’ cases alone', async () => {
      // The ipBlock case's policy, wherever (in whichever lane) it is applied, gets a broken dataplane.
      const target = must(cases[4], 'the ipBlock case');
      const policy = must(target.policies[0], 'its policy').metadata.name;
      assert.ok(
        cases.every((c) => c === target || c.policies.every((p) => p.metadata.name !== policy)),
        `policy ${policy} is the ipBlock case's own`,
      );
      drop = (ns) => fc.api.store.get('networking.k8s.io/v1', 'NetworkPolicy', policy, ns) !== undefined;
      try {
        // The ipBlock case and the four before it: one in every lane while it runs.
        const some = cases.slice(0, 5);
        const three = await driverWith('broken', 3);
        const r = await runConformance(three.d, some, { ...OPTS, convergenceTimeoutMs: 400 });
        await three.d.cleanup();
        assert.deepEqual(
          statuses(r),
          oneLane.slice(0, 5).map((s) => (s.startsWith(`${target.name}:`) ? `${target.name}: fail` : s)),
        );
      } finally {
        drop = undefined;
      }
    });

    test('Ctrl-C stops every lane; clean-up removes every lane’s namespaces and admin-tier objects', async () => {
      const { d } = await driverWith('stop', 3);
      const ctl = new AbortController();
      const cnpCases = adminTierSuite('v1alpha2')
        .filter((c) => c.clusterNetworkPolicies?.length && !c.baselineAdminNetworkPolicy)
        .slice(0, 9);
      let adminNames: string[] = [];
      const listAdmin = () =>
        ADMIN_TIER_KINDS.flatMap((k) => fc.api.store.list(`${G}/${k.api}`, k.kind)).map(
          (o) => o.metadata.name,
        );
      const done: string[] = [];
      const run = runConformance(d, cnpCases, {
        ...OPTS,
        signal: ctl.signal,
        onProgress: (p) => {
          done.push(p.name);
          // Once a case has finished, the other lanes hold their own cases' objects.
          if (done.length === 2) {
            adminNames = listAdmin();
            ctl.abort(new Error('interrupted'));
          }
        },
      });
      await assert.rejects(run, /interrupted/);
      assert.ok(done.length < cnpCases.length, `${done.length} of ${cnpCases.length} cases finished`);
      const execsAtStop = fc.api.requests.filter((r) => r.path.endsWith('/exec')).length;
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(
        fc.api.requests.filter((r) => r.path.endsWith('/exec')).length,
        execsAtStop,
        'no lane probes after the run stopped',
      );
      assert.ok(
        new Set(adminNames.map((n) => /^cnb-stop-(l\d+-)?/.exec(n)?.[0])).size >= 2,
        `objects of several lanes at once: ${adminNames.join(', ')}`,
      );
      await d.cleanup();
      assert.deepEqual(listAdmin(), []);
      assert.deepEqual(
        fc.api.store
          .list('v1', 'Namespace')
          .map((n) => n.metadata.name)
          .filter((n) => n.startsWith('cnb-stop-')),
        [],
      );
    });
  },
);
