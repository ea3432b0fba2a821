/**
 * The admin-tier evaluator (src/netpol/tiers.ts) on small hand-built cases: tier order, Pass in
 * each tier, actions in rule order, both directions must allow, peers and ports of both API
 * versions, nodes and domainNames peers left out, equal-priority ties reported, explanations.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, formatExplanation } from '../../src/netpol/explain.js';
import { resolveCase } from '../../src/netpol/resolve.js';
import { formatTies } from '../../src/netpol/tiers.js';
import { computeTruthTable, computeTruthTableWithTies, isAllowed } from '../../src/netpol/truth-table.js';
import type {
  AdminNetworkPolicy,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  CnpEgressRule,
  CnpIngressRule,
  NetworkPolicy,
  PolicyCase,
  Probe,
  ResolvedCase,
} from '../../src/netpol/types.js';

const TCP80: Probe = { port: 80, protocol: 'TCP' };
const TCP81: Probe = { port: 81, protocol: 'TCP' };
const UDP80: Probe = { port: 80, protocol: 'UDP' };

const nsSel = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });

function cnp(
  name: string,
  tier: 'Admin' | 'Baseline',
  priority: number,
  subjectNs: string,
  rules: { ingress?: CnpIngressRule[]; egress?: CnpEgressRule[] },
): ClusterNetworkPolicy {
  return {
    metadata: { name },
    spec: { tier, priority, subject: { namespaces: nsSel(subjectNs) }, ...rules },
  };
}

const from = (
  ns: string,
  action: CnpIngressRule['action'],
  protocols?: CnpIngressRule['protocols'],
): CnpIngressRule => ({
  action,
  from: [{ namespaces: nsSel(ns) }],
  ...(protocols ? { protocols } : {}),
});

function npIsolate(ns: string, allowFrom?: string): NetworkPolicy {
  return {
    metadata: { name: 'np', namespace: ns },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: allowFrom ? [{ from: [{ namespaceSelector: nsSel(allowFrom) }] }] : [],
    },
  };
}

/** Pods x/a and y/b (a with a named port "web" on TCP 80), TCP 80/81 and UDP 80 probes. */
function mk(extra: Partial<PolicyCase>): ResolvedCase {
  return resolveCase({
    name: 't',
    namespaces: { x: {}, y: {} },
    pods: [
      {
        namespace: 'x',
        name: 'a',
        ports: [
          { name: 'web', port: 80, protocol: 'TCP' },
          { name: 'alt', port: 81, protocol: 'TCP' },
          { name: 'u', port: 80, protocol: 'UDP' },
        ],
      },
      { namespace: 'y', name: 'b' },
    ],
    policies: [],
    probes: [TCP80, TCP81, UDP80],
    ...extra,
  });
}

const yToX = (c: ResolvedCase, p: Probe = TCP80) => isAllowed(c, 'y/b', 'x/a', p);

describe('tiers: order of evaluation', () => {
  test('Admin Accept overrides a NetworkPolicy that isolates the pod', () => {
    const c = mk({
      policies: [npIsolate('x')],
      clusterNetworkPolicies: [cnp('a', 'Admin', 1, 'x', { ingress: [from('y', 'Accept')] })],
    });
    assert.equal(yToX(c), true);
    assert.equal(
      isAllowed(c, 'x/a', 'x/a', TCP80),
      false,
      'x/a itself is still isolated by the NetworkPolicy',
    );
  });

  test('Admin Deny overrides a NetworkPolicy allow, and Baseline never sees the traffic', () => {
    const c = mk({
      policies: [npIsolate('x', 'y')],
      clusterNetworkPolicies: [
        cnp('d', 'Admin', 1, 'x', { ingress: [from('y', 'Deny')] }),
        cnp('b', 'Baseline', 1, 'x', { ingress: [from('y', 'Accept')] }),
      ],
    });
    assert.equal(yToX(c), false);
  });

  test('Admin Pass goes to NetworkPolicy; a NetworkPolicy that selects the pod decides, Baseline is not reached', () => {
    const passed = [cnp('p', 'Admin', 1, 'x', { ingress: [from('y', 'Pass'), from('y', 'Deny')] })];
    assert.equal(yToX(mk({ policies: [npIsolate('x', 'y')], clusterNetworkPolicies: passed })), true);
    assert.equal(yToX(mk({ policies: [npIsolate('x')], clusterNetworkPolicies: passed })), false);
    const withBaselineDeny = [...passed, cnp('b', 'Baseline', 1, 'x', { ingress: [from('y', 'Deny')] })];
    assert.equal(
      yToX(mk({ policies: [npIsolate('x', 'y')], clusterNetworkPolicies: withBaselineDeny })),
      true,
    );
  });

  test('Admin Pass with no NetworkPolicy on the pod goes to Baseline, then to the default', () => {
    const pass = cnp('p', 'Admin', 1, 'x', { ingress: [from('y', 'Pass')] });
    assert.equal(
      yToX(
        mk({
          clusterNetworkPolicies: [pass, cnp('b', 'Baseline', 1, 'x', { ingress: [from('y', 'Deny')] })],
        }),
      ),
      false,
    );
    assert.equal(yToX(mk({ clusterNetworkPolicies: [pass] })), true);
  });

  test('Pass skips the rest of its tier: later rules and later-priority policies alike', () => {
    const c = mk({
      clusterNetworkPolicies: [
        cnp('first', 'Admin', 1, 'x', { ingress: [from('y', 'Pass'), from('y', 'Deny')] }),
        cnp('second', 'Admin', 2, 'x', { ingress: [from('y', 'Deny')] }),
      ],
    });
    assert.equal(yToX(c), true);
  });

  test('Baseline Pass goes on to the default (allow)', () => {
    const c = mk({
      clusterNetworkPolicies: [
        cnp('b1', 'Baseline', 1, 'x', { ingress: [from('y', 'Pass')] }),
        cnp('b2', 'Baseline', 2, 'x', { ingress: [from('y', 'Deny')] }),
      ],
    });
    assert.equal(yToX(c), true);
  });

  test('within a tier, ascending priority; within a policy, rule order', () => {
    const deny1 = cnp('z-deny', 'Admin', 1, 'x', { ingress: [from('y', 'Deny')] });
    const accept2 = cnp('a-accept', 'Admin', 2, 'x', { ingress: [from('y', 'Accept')] });
    assert.equal(yToX(mk({ policies: [npIsolate('x')], clusterNetworkPolicies: [accept2, deny1] })), false);
    const order = cnp('o', 'Admin', 1, 'x', { ingress: [from('y', 'Accept'), from('y', 'Deny')] });
    assert.equal(yToX(mk({ clusterNetworkPolicies: [order] })), true);
  });

  test('egress at the source and ingress at the destination must both allow', () => {
    const denyEgress = cnp('e', 'Admin', 1, 'y', {
      egress: [{ action: 'Deny', to: [{ namespaces: nsSel('x') }] }],
    });
    const acceptIngress = cnp('i', 'Admin', 1, 'x', { ingress: [from('y', 'Accept')] });
    assert.equal(yToX(mk({ clusterNetworkPolicies: [denyEgress, acceptIngress] })), false);
    assert.equal(
      isAllowed(mk({ clusterNetworkPolicies: [denyEgress] }), 'x/a', 'y/b', TCP80),
      true,
      'the other way is untouched',
    );
  });

  test('a policy with no rules for a direction does not affect it', () => {
    const c = mk({
      clusterNetworkPolicies: [
        cnp('e', 'Admin', 1, 'x', { egress: [{ action: 'Deny', to: [{ namespaces: {} }] }] }),
      ],
    });
    assert.equal(yToX(c), true);
  });
});

describe('tiers: peers and ports', () => {
  test('networks match pod addresses; IPv6 networks never match IPv4 pods', () => {
    const c = mk({
      clusterNetworkPolicies: [
        cnp('n', 'Admin', 1, 'y', { egress: [{ action: 'Deny', to: [{ networks: ['10.244.1.0/24'] }] }] }),
      ],
    });
    assert.equal(yToX(c), false);
    const v6 = mk({
      clusterNetworkPolicies: [
        cnp('n', 'Admin', 1, 'y', { egress: [{ action: 'Deny', to: [{ networks: ['::/0'] }] }] }),
      ],
    });
    assert.equal(yToX(v6), true);
  });

  test('nodes and domainNames peers never match a pod, and explain says so', () => {
    const c = mk({
      clusterNetworkPolicies: [
        cnp('n', 'Admin', 1, 'y', {
          egress: [
            { action: 'Deny', to: [{ nodes: {} }] },
            { action: 'Deny', to: [{ domainNames: ['example.com'] }] },
          ],
        }),
      ],
    });
    assert.equal(yToX(c), true);
    const text = formatExplanation(explain(c, 'y/b', 'x/a', TCP80));
    assert.match(
      text,
      /rule 1 has a nodes peer \(to\[0\]\): node IPs are never pod IPs, so pod-to-pod verdicts leave it out/,
    );
    assert.match(text, /rule 2 has a domainNames peer \(to\[0\]\): domain names are not judged/);
  });

  test('v1alpha2 ports: number, range, and a named port of any protocol on the destination', () => {
    const rule = (protocols: CnpIngressRule['protocols']) =>
      mk({
        clusterNetworkPolicies: [cnp('p', 'Admin', 1, 'x', { ingress: [from('y', 'Deny', protocols)] })],
      });
    const number = rule([{ tcp: { destinationPort: { number: 80 } } }]);
    assert.deepEqual([yToX(number, TCP80), yToX(number, TCP81), yToX(number, UDP80)], [false, true, true]);
    const range = rule([{ tcp: { destinationPort: { range: { start: 81, end: 90 } } } }]);
    assert.deepEqual([yToX(range, TCP80), yToX(range, TCP81)], [true, false]);
    const named = rule([{ destinationNamedPort: 'u' }]);
    assert.deepEqual([yToX(named, TCP80), yToX(named, UDP80)], [true, false]);
  });

  test('v1alpha1 ports: protocol defaults to TCP; a range with start > end matches nothing', () => {
    const anp = (ports: AdminNetworkPolicy['spec']['ingress']): ResolvedCase =>
      mk({
        adminNetworkPolicies: [
          {
            metadata: { name: 'a' },
            spec: { priority: 1, subject: { namespaces: nsSel('x') }, ingress: ports },
          },
        ],
      });
    const byNumber = anp([
      { action: 'Deny', from: [{ namespaces: nsSel('y') }], ports: [{ portNumber: { port: 80 } }] },
    ]);
    assert.deepEqual([yToX(byNumber, TCP80), yToX(byNumber, UDP80)], [false, true]);
    const backwards = anp([
      { action: 'Deny', from: [{ namespaces: nsSel('y') }], ports: [{ portRange: { start: 90, end: 80 } }] },
    ]);
    assert.equal(yToX(backwards, TCP80), true);
  });

  test('v1alpha1: ANP Allow is Accept, BANP applies under NetworkPolicy', () => {
    const banp: BaselineAdminNetworkPolicy = {
      metadata: { name: 'default' },
      spec: { subject: { namespaces: {} }, ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }] },
    };
    const anp: AdminNetworkPolicy = {
      metadata: { name: 'a' },
      spec: {
        priority: 5,
        subject: { pods: { namespaceSelector: {}, podSelector: {} } },
        ingress: [{ action: 'Allow', from: [{ namespaces: nsSel('y') }] }],
      },
    };
    assert.equal(yToX(mk({ baselineAdminNetworkPolicy: banp })), false);
    assert.equal(yToX(mk({ baselineAdminNetworkPolicy: banp, adminNetworkPolicies: [anp] })), true);
    assert.equal(
      isAllowed(
        mk({ baselineAdminNetworkPolicy: banp, policies: [npIsolate('y', 'x')] }),
        'x/a',
        'y/b',
        TCP80,
      ),
      true,
    );
  });
});

describe('tiers: equal priorities, truth tables, explanations', () => {
  const tie = () =>
    mk({
      clusterNetworkPolicies: [
        cnp('b-deny', 'Admin', 3, 'x', { ingress: [from('y', 'Deny')] }),
        cnp('a-accept', 'Admin', 3, 'x', { ingress: [from('y', 'Accept')] }),
      ],
    });

  test('two policies of equal priority that disagree: a tie naming both, the table follows the first by name', () => {
    const { table, ties } = computeTruthTableWithTies(tie());
    assert.equal(table.probes[0]?.allowed['y/b']?.['x/a'], true);
    assert.equal(ties.length, 3, 'one per probe for y/b -> x/a');
    const lines = formatTies(ties);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0] ?? '',
      /Admin tier: ClusterNetworkPolicy "a-accept" and ClusterNetworkPolicy "b-deny" have the same priority \(3\) and disagree on 3 probed pairs/,
    );
    assert.match(lines[0] ?? '', /implementation/);
  });

  test('equal priorities that agree are no tie', () => {
    const c = mk({
      clusterNetworkPolicies: [
        cnp('a', 'Admin', 3, 'x', { ingress: [from('y', 'Deny')] }),
        cnp('b', 'Admin', 3, 'x', { ingress: [from('y', 'Deny')] }),
      ],
    });
    assert.deepEqual(computeTruthTableWithTies(c).ties, []);
  });

  test('the truth table covers every ordered pair, self pairs included, and matches isAllowed', () => {
    const c = tie();
    const t = computeTruthTable(c);
    for (const p of t.probes)
      for (const from of ['x/a', 'y/b'])
        for (const to of ['x/a', 'y/b'])
          assert.equal(p.allowed[from]?.[to], isAllowed(c, from, to, p), `${from}->${to}`);
  });

  test('explain names tier, policy, rule and action: Admin decision, Pass to NetworkPolicy, Baseline, default', () => {
    const deny = mk({
      clusterNetworkPolicies: [cnp('deny-y', 'Admin', 4, 'x', { ingress: [from('y', 'Deny')] })],
    });
    assert.match(
      formatExplanation(explain(deny, 'y/b', 'x/a', TCP80)),
      /ingress at x\/a: DENIED \(Admin tier: ClusterNetworkPolicy "deny-y" \(priority 4\) ingress rule 1 \(Deny\)\)/,
    );

    const passed = mk({
      policies: [npIsolate('x', 'y')],
      clusterNetworkPolicies: [
        cnp('p', 'Admin', 1, 'x', { ingress: [{ name: 'to-np', ...from('y', 'Pass') }] }),
      ],
    });
    assert.match(
      formatExplanation(explain(passed, 'y/b', 'x/a', TCP80)),
      /passed to NetworkPolicy by ClusterNetworkPolicy "p" \(priority 1\) ingress rule 1 "to-np" \(Pass\); NetworkPolicy: allowed by x\/np ingress rule 1/,
    );

    const base = mk({
      clusterNetworkPolicies: [cnp('default', 'Baseline', 10, 'x', { ingress: [from('y', 'Deny')] })],
    });
    assert.match(
      formatExplanation(explain(base, 'y/b', 'x/a', TCP80)),
      /Baseline tier: ClusterNetworkPolicy "default" \(priority 10\) ingress rule 1 \(Deny\)/,
    );
    assert.match(
      formatExplanation(explain(base, 'x/a', 'y/b', TCP80)),
      /no Baseline tier rule matched; default: allowed/,
    );

    const e = explain(tie(), 'y/b', 'x/a', TCP80);
    assert.equal(e.tiers?.ingress.decidedBy, 'admin');
    assert.match(
      formatExplanation(e),
      /WARNING: ClusterNetworkPolicy "a-accept" and ClusterNetworkPolicy "b-deny" share priority 3/,
    );
  });

  test('NetworkPolicy-only cases explain as before (no tiers)', () => {
    const e = explain(mk({ policies: [npIsolate('x')] }), 'y/b', 'x/a', TCP80);
    assert.equal(e.tiers, undefined);
    assert.match(formatExplanation(e), /isolated by x\/np/);
  });
});
