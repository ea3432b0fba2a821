/**
 * runConformance's bookkeeping against a scripted driver (no namespaces): convergence polling,
 * programming latency, mismatch reporting, skips, self pairs. The real dataplane is covered by
 * suite.netns.test.ts and differential.netns.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ClusterDriver, ProbeRequest, ProbeResult } from '../../../src/cluster/driver.js';
import { isAllowed } from '../../../src/netpol/truth-table.js';
import { layoutCase } from '../../../src/netpol/suite/layout.js';
import type { NetworkPolicy, ResolvedCase } from '../../../src/netpol/types.js';
import { runConformance } from '../../../src/workloads/conformance/run.js';
import { probeRequests } from '../../../src/workloads/conformance/probe-loop.js';
import { ConvergenceBudget } from '../../../src/workloads/conformance/budget.js';
import { shrinkSteps } from '../../cluster/local/policy-gen.js';
import { must } from '../../helpers/must.js';

const denyAllToXa: NetworkPolicy = {
  metadata: { name: 'deny', namespace: 'x' },
  spec: { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress'] },
};

/** Answers probes like the model, except during the first `lagRounds` rounds and for `brokenTo`. */
class ScriptedDriver implements Partial<ClusterDriver> {
  readonly kind = 'local' as const;
  rounds = 0;
  layouts = 0;
  /** Probe rounds of each case, in the order the cases ran. */
  readonly roundsPerCase: number[] = [];
  private current: ResolvedCase | undefined;
  constructor(
    private readonly lagRounds = 0,
    private readonly brokenTo?: string,
  ) {}
  capabilities() {
    return { protocols: ['TCP', 'UDP'] as const, paths: [] } as unknown as ReturnType<
      ClusterDriver['capabilities']
    >;
  }
  ensureLayout(c: ResolvedCase) {
    this.layouts++;
    this.current = c;
    this.rounds = 0;
    this.roundsPerCase.push(0);
    return Promise.resolve(c.pods);
  }
  setPolicies(): Promise<void> {
    return Promise.resolve();
  }
  probe(reqs: ProbeRequest[]): Promise<ProbeResult[]> {
    const round = this.rounds++;
    this.roundsPerCase[this.roundsPerCase.length - 1] = this.rounds;
    const current = must(this.current, 'the laid-out case');
    return Promise.resolve(
      reqs.map((r) => {
        let ok = isAllowed(current, r.from, r.to, r);
        if (round < this.lagRounds) ok = true; // not programmed yet: everything open
        if (r.to === this.brokenTo) ok = !ok;
        return { ...r, connected: ok, ...(ok ? { answeredBy: r.to } : { error: 'refused' }), elapsedMs: 1 };
      }),
    );
  }
}

const opts = {
  probeTimeoutMs: 100,
  convergenceTimeoutMs: 300,
  concurrency: 8,
  protocols: ['TCP', 'UDP'] as const,
};
const drv = (d: ScriptedDriver) => d as unknown as ClusterDriver;
const theCase = (name = 'c1') => layoutCase({ name, description: '', tags: ['t'], policies: [denyAllToXa] });

describe('runConformance', () => {
  test('passes after the dataplane converges and reports the programming latency', async () => {
    const d = new ScriptedDriver(2);
    const r = await runConformance(drv(d), [theCase()], {
      ...opts,
      protocols: [...opts.protocols],
      pollIntervalMs: 10,
    });
    assert.equal(r.passed, 1);
    assert.equal(d.rounds, 3, 'two lagging rounds, then a matching one');
    const c = must(r.caseResults[0], 'case result');
    assert.ok(c.programmingLatencyMs !== null && c.programmingLatencyMs >= 20);
    assert.equal(c.probes, 72 * 4);
    assert.deepEqual(c.mismatches, []);
  });

  test('fails with the last round mismatches when it never converges', async () => {
    const d = new ScriptedDriver(0, 'y/b');
    const r = await runConformance(drv(d), [theCase()], {
      ...opts,
      protocols: [...opts.protocols],
      pollIntervalMs: 50,
    });
    assert.equal(r.failed, 1);
    const failure = must(r.failures[0], 'failure');
    assert.equal(failure.programmingLatencyMs, null);
    assert.ok(d.rounds >= 2);
    // 8 sources × 4 probes towards y/b, each flipped.
    assert.equal(failure.mismatches.length, 32);
    const m = must(failure.mismatches[0], 'mismatch');
    assert.equal(m.to, 'y/b');
    assert.equal(m.expected, true);
    assert.equal(m.detail, 'refused');
  });

  test('a kind of mismatch that outlasted the timeout once is not waited out again', async () => {
    // A dataplane that enforces nothing: every round lets everything through.
    const d = new ScriptedDriver(Number.POSITIVE_INFINITY);
    const r = await runConformance(drv(d), [theCase('c1'), theCase('c2'), theCase('c3')], {
      ...opts,
      convergenceTimeoutMs: 1000,
      protocols: [...opts.protocols],
      pollIntervalMs: 20,
    });
    assert.equal(r.failed, 3);
    const [first, ...later] = d.roundsPerCase;
    // The first case probes until the timeout (1 s at 20 ms pauses); the later ones twice.
    assert.ok(must(first) >= 10, `first case: ${first} rounds`);
    assert.deepEqual(later, [2, 2]);
    assert.equal(r.caseResults[0]?.convergenceCutShort, undefined);
    for (const c of r.caseResults.slice(1)) {
      assert.match(
        c.convergenceCutShort?.reason ?? '',
        /^after 2 rounds every mismatch is of a kind an earlier case showed for the full 1 s convergence timeout \(TCP: expected deny, observed allow/,
      );
      assert.ok(c.mismatches.length > 0);
    }
  });

  test('a mismatch of another kind still gets the full timeout', async () => {
    // Case 1 never enforces its deny (deny→allow times out); case 2's y/b answers the opposite of the
    // model, which includes allow→deny mismatches: a kind that has not timed out, so it waits in full.
    const d = new ScriptedDriver(Number.POSITIVE_INFINITY);
    const budget = new ConvergenceBudget();
    await runConformance(drv(d), [theCase('c1')], {
      ...opts,
      protocols: [...opts.protocols],
      pollIntervalMs: 20,
      budget,
    });
    assert.deepEqual(budget.knownKinds().sort(), [
      'TCP: expected deny, observed allow',
      'UDP: expected deny, observed allow',
    ]);
    const d2 = new ScriptedDriver(0, 'y/b');
    const r = await runConformance(drv(d2), [theCase('c2')], {
      ...opts,
      protocols: [...opts.protocols],
      pollIntervalMs: 20,
      budget,
    });
    assert.equal(r.caseResults[0]?.convergenceCutShort, undefined);
    assert.ok(must(d2.roundsPerCase[0]) >= 5, `${d2.roundsPerCase[0]} rounds`);
  });

  test('skips cases whose protocols the driver lacks or the run excludes', async () => {
    const sctp = layoutCase({
      name: 's',
      description: '',
      tags: [],
      policies: [],
      probes: [{ port: 80, protocol: 'SCTP' }],
    });
    const d = new ScriptedDriver();
    const r = await runConformance(drv(d), [sctp], { ...opts, protocols: ['TCP', 'UDP', 'SCTP'] });
    const skipped = must(r.caseResults[0], 'case result');
    assert.equal(skipped.status, 'skip');
    assert.equal(skipped.skipReason, 'protocol SCTP not supported by this driver');
    const r2 = await runConformance(drv(d), [sctp], { ...opts, protocols: ['TCP'] });
    assert.match(r2.caseResults[0]?.skipReason ?? '', /no probes for protocols TCP/);
    assert.equal(d.layouts, 0);
  });

  test('probeRequests covers every ordered pair, self pairs only on request', () => {
    const pods = [
      { namespace: 'x', name: 'a', key: 'x/a', labels: {}, ip: '10.0.0.1', ports: [] },
      { namespace: 'x', name: 'b', key: 'x/b', labels: {}, ip: '10.0.0.2', ports: [] },
    ];
    const probes = [{ port: 80, protocol: 'TCP' as const }];
    assert.deepEqual(
      probeRequests(pods, probes, false).map((r) => `${r.from}>${r.to}@${r.toIp}`),
      ['x/a>x/b@10.0.0.2', 'x/b>x/a@10.0.0.1'],
    );
    assert.equal(probeRequests(pods, probes, true).length, 4);
  });

  test('the differential shrinker yields strictly smaller cases', () => {
    const c = theCase();
    c.policies.push({
      metadata: { name: 'p2', namespace: 'y' },
      spec: {
        podSelector: {},
        ingress: [
          { from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 80 }] },
        ],
      },
    });
    const steps = [...shrinkSteps(c)];
    const size = (x: typeof c) => JSON.stringify(x.policies).length;
    assert.ok(steps.length >= 6);
    for (const s of steps) assert.ok(size(s) < size(c));
    assert.ok(steps.some((s) => s.policies.length === 1));
    assert.ok(steps.some((s) => s.policies[1]?.spec.ingress?.[0]?.from?.[0]?.ipBlock?.except === undefined));
  });
});
