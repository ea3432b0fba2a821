/**
 * runConformance and the admin tier, against a driver that answers every probe with the model over
 * what it was last asked to apply (no namespaces, no root): which cases run or are unsupported (and
 * by whom), the canary before each API version's first case (enforced, not enforced, inconclusive),
 * the `networks` CIDRs moved to the pods' real addresses, and the clean-up at the end.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type {
  AdminTierUnsupported,
  ClusterDriver,
  DriverCapabilities,
  ProbeRequest,
  ProbeResult,
} from '../../../src/cluster/driver.js';
import { cidrContains } from '../../../src/netpol/cidr.js';
import { adminTierSuite } from '../../../src/netpol/suite/index.js';
import { isAllowed } from '../../../src/netpol/truth-table.js';
import type {
  AdminTierPolicies,
  NetworkPolicy,
  PolicyCase,
  Protocol,
  ResolvedCase,
  ResolvedPod,
} from '../../../src/netpol/types.js';
import { runConformance } from '../../../src/workloads/conformance/run.js';
import { CANARY_POLICY } from '../../../src/workloads/conformance/canary.js';

interface Options {
  caps?: Partial<DriverCapabilities>;
  /** Apply admin-tier objects but never enforce them (a CNI serving the CRD only). */
  ignoreAdminTier?: boolean;
  /** Give pods addresses other than the model's (a real cluster's). */
  realAddresses?: boolean;
  /** Pods nothing reaches (a broken pod network). */
  unreachable?: string[];
  refusal?: (o: AdminTierPolicies) => AdminTierUnsupported | undefined;
}

/** Answers probes with the model over the pods it laid out and the objects it was last given. */
class ModelDriver {
  readonly kind = 'local' as const;
  layouts = 0;
  applied: Array<{ policies: NetworkPolicy[]; adminTier?: AdminTierPolicies }> = [];
  private world: ResolvedCase | undefined;
  adminTierRefusal?: (o: AdminTierPolicies) => AdminTierUnsupported | undefined;
  constructor(private readonly o: Options = {}) {
    if (o.refusal) this.adminTierRefusal = o.refusal;
  }
  capabilities(): DriverCapabilities {
    return { protocols: ['TCP', 'UDP'], paths: [], ...this.o.caps };
  }
  ensureLayout(c: ResolvedCase): Promise<ResolvedPod[]> {
    this.layouts++;
    const pods = c.pods.map((p) => ({
      ...p,
      ip: this.o.realAddresses
        ? p.ip.replace(/^10\.244\.(\d+)\./, (_m, n: string) => `172.16.${Number(n) * 7}.`)
        : p.ip,
    }));
    this.world = { ...c, pods, policies: [] };
    return Promise.resolve(pods);
  }
  setPolicies(
    policies: NetworkPolicy[],
    _pods: ResolvedPod[],
    _signal?: AbortSignal,
    adminTier?: AdminTierPolicies,
  ): Promise<void> {
    this.applied.push({ policies, ...(adminTier ? { adminTier } : {}) });
    if (!this.world) return Promise.resolve();
    const {
      clusterNetworkPolicies: _c,
      adminNetworkPolicies: _a,
      baselineAdminNetworkPolicy: _b,
      ...rest
    } = this.world;
    this.world = { ...rest, policies, ...(adminTier && !this.o.ignoreAdminTier ? adminTier : {}) };
    return Promise.resolve();
  }
  probe(reqs: ProbeRequest[]): Promise<ProbeResult[]> {
    const w = this.world;
    assert.ok(w, 'probe before ensureLayout');
    return Promise.resolve(
      reqs.map((r) => {
        const ok =
          !this.o.unreachable?.includes(r.to) &&
          !this.o.unreachable?.includes(r.from) &&
          isAllowed(w, r.from, r.to, r);
        return { ...r, connected: ok, ...(ok ? { answeredBy: r.to } : { error: 'timeout' }), elapsedMs: 1 };
      }),
    );
  }
}

const drv = (d: ModelDriver) => d as unknown as ClusterDriver;
const opts = {
  probeTimeoutMs: 100,
  convergenceTimeoutMs: 200,
  concurrency: 8,
  pollIntervalMs: 20,
  protocols: ['TCP', 'UDP', 'SCTP'] as Protocol[],
};
const cnp = (name: string): PolicyCase => {
  const c = adminTierSuite('v1alpha2').find((x) => x.name === name);
  assert.ok(c, name);
  return c;
};
const anp = (name: string): PolicyCase => {
  const c = adminTierSuite('v1alpha1').find((x) => x.name === name);
  assert.ok(c, name);
  return c;
};
const CNP_CASE = 'cnp-upstream-admin-gress-1-initial';
const ANP_CASE = 'anp-upstream-admin-ingress-tcp-1-initial';

describe('runConformance: the admin tier', () => {
  test('an API version the driver cannot apply: unsupported, with the per-version reason first, never laid out', async () => {
    const d = new ModelDriver({
      caps: {
        adminTier: ['v1alpha2'],
        adminTierUnsupported: { by: 'driver', reason: 'general' },
        adminTierUnsupportedApis: {
          v1alpha1: { by: 'cluster', reason: 'the cluster does not serve AdminNetworkPolicy' },
        },
      },
    });
    const r = await runConformance(drv(d), [anp(ANP_CASE)], opts);
    assert.equal(r.unsupported, 1);
    assert.equal(r.failed + r.passed + r.skipped, 0);
    const c = r.caseResults[0];
    assert.equal(c?.unsupportedBy, 'cluster');
    assert.match(
      c?.unsupportedReason ?? '',
      /^policy\.networking\.k8s\.io\/v1alpha1 AdminNetworkPolicy\/BaselineAdminNetworkPolicy: the cluster does not serve AdminNetworkPolicy$/,
    );
    assert.equal(d.layouts, 0, 'nothing laid out for an unsupported case');
    assert.equal(r.adminTierCanaries, undefined, 'no canary for a version that never runs');

    const general = new ModelDriver({ caps: { adminTierUnsupported: { by: 'cluster', reason: 'general' } } });
    const r1 = await runConformance(drv(general), [cnp(CNP_CASE)], opts);
    assert.match(r1.caseResults[0]?.unsupportedReason ?? '', /v1alpha2 ClusterNetworkPolicy: general$/);
    const none = new ModelDriver({});
    const r2 = await runConformance(drv(none), [cnp(CNP_CASE)], opts);
    assert.equal(r2.caseResults[0]?.unsupportedBy, 'driver', 'no declared reason counts as the driver');
  });

  test('an enforcing cluster: the canary alone first, then the case; SCTP probes it cannot do are left out; nothing left at the end', async () => {
    const d = new ModelDriver({ caps: { adminTier: ['v1alpha1', 'v1alpha2'] } });
    const seen: string[] = [];
    const c = cnp(CNP_CASE);
    const r = await runConformance(drv(d), [c], { ...opts, onCanary: (k) => seen.push(k.outcome) });
    assert.equal(r.passed, 1, JSON.stringify(r.caseResults[0]));
    assert.deepEqual(seen, ['enforced']);
    const [canary] = r.adminTierCanaries ?? [];
    assert.equal(canary?.api, 'v1alpha2');
    assert.equal(canary?.outcome, 'enforced');
    assert.equal(canary?.case, CNP_CASE);
    assert.equal(canary?.rounds, 1);
    assert.ok(canary?.blocked && canary.control);
    assert.deepEqual(
      [canary.control.from, canary.control.to],
      [canary.blocked.to, canary.blocked.from],
      'the control is the reverse pair',
    );
    assert.notEqual(canary.blocked.from.split('/')[0], canary.blocked.to.split('/')[0]);
    assert.equal(canary.blocked.protocol, 'TCP');
    // Applied in order: the canary alone (no NetworkPolicy), the case, then nothing.
    assert.equal(d.applied.length, 3);
    assert.deepEqual(d.applied[0]?.policies, []);
    assert.deepEqual(
      d.applied[0]?.adminTier?.clusterNetworkPolicies?.map((p) => p.metadata.name),
      [CANARY_POLICY],
    );
    assert.deepEqual(d.applied[1]?.adminTier, { clusterNetworkPolicies: c.clusterNetworkPolicies });
    assert.deepEqual(d.applied[2], { policies: [] }, 'the admin-tier objects are removed at the end');
    const res = r.caseResults[0];
    assert.deepEqual(res?.probesNotRun, { count: 2, reason: 'protocol SCTP not supported by this driver' });
    assert.equal(res?.probes, 56 * 4, 'TCP 80/8080 and UDP 53/5353 on every ordered pair');
    assert.ok(res.tags.includes('protocol:tcp') && !res.tags.includes('protocol:sctp'));
  });

  test('a cluster that accepts the objects but does not enforce them: the canary fails and names itself, the cases are unsupported by the cluster', async () => {
    const d = new ModelDriver({ caps: { adminTier: ['v1alpha1', 'v1alpha2'] }, ignoreAdminTier: true });
    const cases = adminTierSuite('v1alpha2').slice(0, 3);
    const started = performance.now();
    const r = await runConformance(drv(d), cases, opts);
    assert.ok(performance.now() - started >= opts.convergenceTimeoutMs, 'the canary waits for the timeout');
    assert.equal(r.unsupported, 3);
    assert.equal(r.passed + r.failed, 0);
    const [canary] = r.adminTierCanaries ?? [];
    assert.equal(canary?.outcome, 'not-enforced');
    assert.ok((canary?.rounds ?? 0) >= 2);
    assert.match(
      canary?.detail ?? '',
      /→ .*: connected; .*: connected \(still connected 0\.2 s after the Deny was applied\)$/,
    );
    for (const c of r.caseResults) {
      assert.equal(c.unsupportedBy, 'cluster');
      assert.match(
        c.unsupportedReason ?? '',
        /^policy\.networking\.k8s\.io\/v1alpha2 ClusterNetworkPolicy: not enforced by the cluster: the canary ClusterNetworkPolicy "cnibench-canary" \(Admin tier, priority 0\): one ingress Deny rule did not block network-policy-conformance-\S+ → network-policy-conformance-\S+ TCP\/80, still connected 0\.\d s after it was applied$/,
      );
    }
    // Only the canary and the final clean-up were applied: no case of that version.
    assert.equal(d.applied.length, 2);
  });

  test('a control pair that never connects leaves the canary inconclusive, and the cases run (and fail)', async () => {
    const c = cnp(CNP_CASE);
    const d = new ModelDriver({
      caps: { adminTier: ['v1alpha2'] },
      unreachable: c.pods.map((p) => `${p.namespace}/${p.name}`).slice(0, 8),
    });
    const r = await runConformance(drv(d), [c], opts);
    assert.equal(r.adminTierCanaries?.[0]?.outcome, 'inconclusive');
    assert.match(r.adminTierCanaries?.[0]?.detail ?? '', /the control pair did not connect either/);
    assert.equal(r.failed, 1);
  });

  test("a driver's refusal makes that case unsupported; the canary runs on the next case that runs", async () => {
    const refused = cnp(CNP_CASE);
    const other = adminTierSuite('v1alpha2').find((x) => x.name !== CNP_CASE);
    assert.ok(other);
    const d = new ModelDriver({
      caps: { adminTier: ['v1alpha2'] },
      refusal: (o) =>
        o.clusterNetworkPolicies === refused.clusterNetworkPolicies
          ? { by: 'cluster', reason: 'the served CRD has no field spec.ingress[0].from[0].nodes' }
          : undefined,
    });
    const r = await runConformance(drv(d), [refused, other], opts);
    assert.deepEqual(
      r.caseResults.map((x) => [x.status, x.unsupportedBy]),
      [
        ['unsupported', 'cluster'],
        ['pass', undefined],
      ],
    );
    assert.match(
      r.caseResults[0]?.unsupportedReason ?? '',
      /ClusterNetworkPolicy: the served CRD has no field/,
    );
    assert.equal(r.adminTierCanaries?.[0]?.case, other.name);
  });

  test('networks CIDRs written for the model addresses are moved to the real ones, so the case still passes', async () => {
    for (const name of [
      'cnp-networks-namespace-range',
      'cnp-upstream-admin-egress-inline-cidr-2-pod-ips-first',
    ]) {
      const c = cnp(name);
      const d = new ModelDriver({ caps: { adminTier: ['v1alpha2'] }, realAddresses: true });
      const r = await runConformance(drv(d), [c], { ...opts, protocols: ['TCP', 'UDP'] });
      assert.equal(r.passed, 1, `${name}: ${JSON.stringify(r.caseResults[0]?.mismatches.slice(0, 3))}`);
      const applied = d.applied[1]?.adminTier?.clusterNetworkPolicies ?? [];
      const networks = applied.flatMap((p) =>
        (p.spec.egress ?? []).flatMap((e) => e.to.flatMap((t) => t.networks ?? [])),
      );
      assert.ok(networks.length > 0);
      assert.ok(
        networks.every((n) => !cidrContains(n, '10.244.1.10') || n === '0.0.0.0/0'),
        `${name}: no model address left: ${networks.join(', ')}`,
      );
      assert.ok(
        networks.some((n) => n.startsWith('172.16.')),
        `${name}: ${networks.join(', ')}`,
      );
    }
  });
});
