/**
 * The NetworkPolicy canary in runConformance (networkpolicy-canary.ts), against a driver whose probes
 * the NetworkPolicy model answers over the policies actually applied to it (no namespaces):
 * - a cluster that enforces no NetworkPolicy: the canary waits out the convergence timeout, then every
 *   case expecting a denial fails, unprobed, with the canary's reason; a case allowing everything runs;
 * - a cluster that enforces, even slowly: the canary passes and the cases run as without it;
 * - the canary off (--no-canary): every case probed; a canary decided earlier is reused, not rerun.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterDriver, ProbeRequest, ProbeResult } from '../../../src/cluster/driver.js';
import { isAllowed } from '../../../src/netpol/truth-table.js';
import { layoutCase } from '../../../src/netpol/suite/layout.js';
import type { NetworkPolicy, ResolvedCase, ResolvedPod } from '../../../src/netpol/types.js';
import { expectsDenial, runConformance } from '../../../src/workloads/conformance/run.js';
import {
  NETWORKPOLICY_CANARY,
  planNetworkPolicyCanary,
} from '../../../src/workloads/conformance/networkpolicy-canary.js';
import { resolveCase } from '../../../src/netpol/resolve.js';
import { must } from '../../helpers/must.js';

const denyToXa: NetworkPolicy = {
  metadata: { name: 'deny', namespace: 'x' },
  spec: { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'] },
};

/** Probes answered by the model over what was applied; `enforce` false: every probe connects. */
class ModelDriver implements Partial<ClusterDriver> {
  readonly kind = 'kube' as const;
  /** The policy names of each setPolicies call, in order. */
  readonly applied: string[][] = [];
  probeRounds = 0;
  private layout: ResolvedCase | undefined;
  private policies: NetworkPolicy[] = [];
  private roundsSinceApply = 0;
  constructor(
    private readonly enforce: boolean,
    /** Rounds after each setPolicies during which nothing is enforced yet (a slow dataplane). */
    private readonly lagRounds = 0,
  ) {}
  capabilities() {
    return { protocols: ['TCP', 'UDP'] as const, paths: [] } as unknown as ReturnType<
      ClusterDriver['capabilities']
    >;
  }
  ensureLayout(c: ResolvedCase): Promise<ResolvedPod[]> {
    this.layout = c;
    return Promise.resolve(c.pods);
  }
  setPolicies(policies: NetworkPolicy[]): Promise<void> {
    this.policies = policies;
    this.roundsSinceApply = 0;
    this.applied.push(policies.map((p) => p.metadata.name));
    return Promise.resolve();
  }
  probe(reqs: ProbeRequest[]): Promise<ProbeResult[]> {
    this.probeRounds++;
    const world = { ...must(this.layout, 'the layout'), policies: this.policies };
    const enforced = this.enforce && this.roundsSinceApply++ >= this.lagRounds;
    return Promise.resolve(
      reqs.map((r) => {
        const ok = enforced ? isAllowed(world, r.from, r.to, r) : true;
        return { ...r, connected: ok, ...(ok ? { answeredBy: r.to } : { error: 'timeout' }), elapsedMs: 1 };
      }),
    );
  }
}

const opts = {
  probeTimeoutMs: 100,
  convergenceTimeoutMs: 300,
  concurrency: 8,
  protocols: ['TCP' as const, 'UDP' as const],
  pollIntervalMs: 10,
};
const drv = (d: ModelDriver) => d as unknown as ClusterDriver;
const denyCase = (name: string) => layoutCase({ name, description: '', tags: ['t'], policies: [denyToXa] });
const openCase = layoutCase({ name: 'no-policy', description: '', tags: ['t'], policies: [] });

const REASON =
  /^not run: the NetworkPolicy canary \(deny-all ingress to [xyz]\/[abc]\) was still allowed after 0\.\d s \([xyz]\/[abc] → [xyz]\/[abc] TCP\/80 still connected\): this cluster enforces no NetworkPolicy$/;

describe('the NetworkPolicy canary', () => {
  test('its plan is checked by the model: the deny blocks a pair across namespaces, the reverse stays open', () => {
    const c = resolveCase(denyCase('c'));
    const plan = must(planNetworkPolicyCanary(c), 'a plan');
    const world = { ...c, policies: plan.policies };
    const { blocked, control } = plan.probe;
    assert.notEqual(blocked.from.split('/')[0], blocked.to.split('/')[0]);
    assert.equal(blocked.to.split('/')[0], plan.namespace);
    assert.equal(isAllowed(world, blocked.from, blocked.to, blocked), false);
    assert.equal(isAllowed(world, control.from, control.to, control), true);
    assert.deepEqual([control.from, control.to], [blocked.to, blocked.from]);
    assert.equal(plan.policies[0]?.metadata.name, NETWORKPOLICY_CANARY);
  });

  test('a cluster that enforces no NetworkPolicy: every case expecting a denial fails unprobed with the canary reason', async () => {
    const d = new ModelDriver(false);
    const started = performance.now();
    const seen: string[] = [];
    const r = await runConformance(drv(d), [denyCase('c1'), openCase, denyCase('c2')], {
      ...opts,
      networkPolicyCanary: true,
      onNetworkPolicyCanary: (k) => seen.push(k.outcome),
    });
    assert.ok(performance.now() - started >= opts.convergenceTimeoutMs, 'the canary waits the full timeout');
    assert.deepEqual(seen, ['not-enforced']);
    const k = must(r.networkPolicyCanary, 'the canary record');
    assert.equal(k.outcome, 'not-enforced');
    assert.ok(k.rounds >= 2);
    assert.equal(k.case, 'c1');
    assert.deepEqual(
      r.caseResults.map((c) => [c.name, c.status]),
      [
        ['c1', 'fail'],
        ['no-policy', 'pass'],
        ['c2', 'fail'],
      ],
    );
    for (const c of r.caseResults.filter((x) => x.status === 'fail')) {
      assert.match(c.failReason ?? '', REASON);
      assert.equal(c.probes, 0);
      assert.deepEqual(c.mismatches, []);
    }
    assert.equal(r.failed, 2);
    // Probed: the canary's rounds and the one round of the case that allows everything, nothing else.
    assert.equal(d.probeRounds, k.rounds + 1);
    // The canary alone, the open case (none), and the final clean-up.
    assert.deepEqual(d.applied, [[NETWORKPOLICY_CANARY], [], []]);
  });

  test('a cluster that enforces, slowly: the canary passes after the lag, and the cases run as without it', async () => {
    const d = new ModelDriver(true, 3);
    const r = await runConformance(drv(d), [denyCase('c1'), denyCase('c2')], {
      ...opts,
      convergenceTimeoutMs: 2000,
      networkPolicyCanary: true,
    });
    const k = must(r.networkPolicyCanary, 'the canary record');
    assert.equal(k.outcome, 'enforced');
    assert.equal(k.rounds, 4);
    assert.deepEqual(
      r.caseResults.map((c) => [c.status, c.failReason]),
      [
        ['pass', undefined],
        ['pass', undefined],
      ],
    );
    assert.ok(r.caseResults.every((c) => c.probes > 0));
  });

  test('off (--no-canary): every case is probed and fails with its mismatches', async () => {
    const d = new ModelDriver(false);
    const r = await runConformance(drv(d), [denyCase('c1')], opts);
    assert.equal(r.networkPolicyCanary, undefined);
    const [c] = r.caseResults;
    assert.equal(c?.status, 'fail');
    assert.equal(c?.failReason, undefined);
    assert.ok((c?.mismatches.length ?? 0) > 0);
    assert.ok(!d.applied.some((names) => names.includes(NETWORKPOLICY_CANARY)));
  });

  test('a canary decided earlier (another workload of the check) is reused, not run again', async () => {
    const first = await runConformance(drv(new ModelDriver(false)), [denyCase('c1')], {
      ...opts,
      networkPolicyCanary: true,
    });
    const d = new ModelDriver(false);
    const r = await runConformance(drv(d), [denyCase('c2')], {
      ...opts,
      networkPolicyCanary: true,
      priorNetworkPolicyCanary: must(first.networkPolicyCanary, 'the first canary'),
    });
    assert.equal(d.probeRounds, 0);
    assert.equal(r.networkPolicyCanary, undefined, 'recorded once, by the workload that ran it');
    assert.match(r.caseResults[0]?.failReason ?? '', REASON);
  });
  test('a multi-step case fails by the canary only when some state of it expects a denial', () => {
    const allowAllToXa: NetworkPolicy = {
      metadata: { name: 'allow-all', namespace: 'x' },
      spec: { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'], ingress: [{}] },
    };
    const stepped = (name: string, created: NetworkPolicy) => ({
      ...openCase,
      name,
      steps: [{ name: 'create', actions: [{ create: created }] }],
    });
    // Allowed before and after the step: it would pass on a cluster that enforces nothing, so it runs.
    const open = stepped('open-throughout', allowAllToXa);
    assert.equal(expectsDenial(open, open.probes, opts), false);
    // Denied after the step: it fails by the canary.
    const denied = stepped('deny-after-step', denyToXa);
    assert.equal(expectsDenial(denied, denied.probes, opts), true);
  });
});
