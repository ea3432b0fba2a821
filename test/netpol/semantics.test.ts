// Feature-by-feature NetworkPolicy semantics. Every expectation lists exactly the allowed ordered
// pairs, so a model that allowed or denied one pair too many fails.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { effectivePolicyTypes } from '../../src/netpol/matcher.js';
import type { NetworkPolicy, Probe } from '../../src/netpol/types.js';
import { allPairs, expectAllowedExactly, mkCase, pod, policy, TCP80 } from './helpers.js';

const NAMESPACES = { x: { team: 'red' }, y: { team: 'blue' } };
const PODS = [
  pod('x/a', { app: 'a' }),
  pod('x/b', { app: 'b' }),
  pod('y/a', { app: 'a' }),
  pod('y/b', { app: 'b' }),
];

function four(policies: NetworkPolicy[], probes: Probe[] = [TCP80]) {
  return mkCase({ namespaces: NAMESPACES, pods: PODS, policies, probes });
}

describe('isolation and defaults', () => {
  test('no policies: every pair, self pairs included, is allowed', () => {
    const c = four([]);
    expectAllowedExactly(c, TCP80, allPairs(c));
  });

  test('default-deny ingress denies every source of the selected pods, self included; others untouched', () => {
    const c = four([policy('x', 'deny', { podSelector: {} })]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (_s, d) => !d.startsWith('x/')),
    );
  });

  test('ingress: [] is the same default deny as an absent list', () => {
    const c = four([policy('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'], ingress: [] })]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (_s, d) => !d.startsWith('x/')),
    );
  });

  test('default-deny egress isolates the sources only', () => {
    const c = four([
      policy('x', 'deny', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'] }),
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s) => s !== 'x/a'),
    );
  });

  test('a rule {} (absent from and ports) allows every source on every port', () => {
    const c = four(
      [policy('x', 'allow', { podSelector: {}, ingress: [{}] })],
      [TCP80, { port: 53, protocol: 'UDP' }],
    );
    expectAllowedExactly(c, TCP80, allPairs(c));
    expectAllowedExactly(c, { port: 53, protocol: 'UDP' }, allPairs(c));
  });

  test('from: [] and ports: [] mean all, like absent lists', () => {
    const c = four([policy('x', 'allow', { podSelector: {}, ingress: [{ from: [], ports: [] }] })]);
    expectAllowedExactly(c, TCP80, allPairs(c));
  });

  test('policyTypes default: egress rules present → Ingress and Egress both apply', () => {
    const p = policy('x', 'p', {
      podSelector: { matchLabels: { app: 'a' } },
      egress: [{ to: [{ podSelector: {} }] }],
    });
    assert.deepEqual(effectivePolicyTypes(p), { ingress: true, egress: true });
    const c = four([p]);
    // x/a: ingress denied from everyone; egress only to pods of x.
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/a' && (s !== 'x/a' || d.startsWith('x/'))),
    );
  });

  test('policyTypes default: egress: [] does not make the policy an egress policy', () => {
    const p = policy('x', 'p', { podSelector: {}, egress: [] });
    assert.deepEqual(effectivePolicyTypes(p), { ingress: true, egress: false });
    const c = four([p]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (_s, d) => !d.startsWith('x/')),
    );
  });

  test('explicit policyTypes: rules of an unlisted direction are ignored', () => {
    const egressOnly = policy('x', 'p', {
      podSelector: { matchLabels: { app: 'a' } },
      policyTypes: ['Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'none' } } }] }],
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }] }],
    });
    const c = four([egressOnly]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => s !== 'x/a' || d === 'x/b'),
    );
    const ingressOnly = policy('x', 'p', {
      podSelector: { matchLabels: { app: 'a' } },
      policyTypes: ['Ingress'],
      egress: [],
    });
    const c2 = four([ingressOnly]);
    expectAllowedExactly(
      c2,
      TCP80,
      allPairs(c2, (_s, d) => d !== 'x/a'),
    );
  });

  test('a policy selects only pods of its own namespace', () => {
    const c = four([policy('x', 'deny-a', { podSelector: { matchLabels: { app: 'a' } } })]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (_s, d) => d !== 'x/a'),
    );
  });

  test('self traffic is subject to policy like any pair', () => {
    const c = four([
      policy('x', 'only-b', {
        podSelector: { matchLabels: { app: 'a' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }] }],
      }),
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/a' || s === 'x/b'),
    );
  });
});

describe('peers', () => {
  const ingressFrom = (from: NetworkPolicy['spec']['ingress']) =>
    four([policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: from })]);

  test('podSelector alone: pods of the policy namespace only, even if other namespaces have the labels', () => {
    const c = ingressFrom([{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/b' || s === 'x/a'),
    );
  });

  test('empty podSelector {}: every pod of the policy namespace', () => {
    const c = ingressFrom([{ from: [{ podSelector: {} }] }]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/b' || s.startsWith('x/')),
    );
  });

  test('namespaceSelector alone: every pod of matching namespaces', () => {
    const c = ingressFrom([{ from: [{ namespaceSelector: { matchLabels: { team: 'blue' } } }] }]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/b' || s.startsWith('y/')),
    );
  });

  test('empty namespaceSelector {}: every pod of every namespace', () => {
    const c = ingressFrom([{ from: [{ namespaceSelector: {} }] }]);
    expectAllowedExactly(c, TCP80, allPairs(c));
  });

  test('both selectors in one peer: AND (matching pods in matching namespaces)', () => {
    const c = ingressFrom([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { team: 'blue' } },
            podSelector: { matchLabels: { app: 'a' } },
          },
        ],
      },
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/b' || s === 'y/a'),
    );
  });

  test('the same selectors as two peers: OR', () => {
    const c = ingressFrom([
      {
        from: [
          { namespaceSelector: { matchLabels: { team: 'blue' } } },
          { podSelector: { matchLabels: { app: 'a' } } },
        ],
      },
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/b' || s === 'x/a' || s.startsWith('y/')),
    );
  });

  test('implicit kubernetes.io/metadata.name namespace label', () => {
    const c = ingressFrom([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] },
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/b' || s.startsWith('y/')),
    );
  });

  test('namespaceSelector with matchExpressions NotIn and DoesNotExist', () => {
    const c = ingressFrom([
      {
        from: [
          { namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: ['red'] }] } },
        ],
      },
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/b' || s.startsWith('y/')),
    );
    const c2 = ingressFrom([
      { from: [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }] },
    ]);
    expectAllowedExactly(
      c2,
      TCP80,
      allPairs(c2, (_s, d) => d !== 'x/b'),
    );
  });

  test('ipBlock with except (IPv4) matches pod IPs', () => {
    // x/a 10.244.1.10, x/b 10.244.1.11, y/a 10.244.2.10, y/b 10.244.2.11
    const c = ingressFrom([
      { from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24', '10.244.1.11/32'] } }] },
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/b' || s === 'x/a'),
    );
  });

  test('ipBlock with except (IPv6) and families kept apart', () => {
    const c = mkCase({
      pods: [
        pod('x/a', {}, { ip: 'fd00::10' }),
        pod('x/b', {}, { ip: 'fd00::1:10' }),
        pod('x/c', {}, { ip: '10.0.0.1' }),
        pod('x/t', { role: 't' }, { ip: 'fd00::99' }),
      ],
      policies: [
        policy('x', 'p', {
          podSelector: { matchLabels: { role: 't' } },
          ingress: [
            {
              from: [
                { ipBlock: { cidr: 'fd00::/64', except: ['fd00::1:0/112'] } },
                { ipBlock: { cidr: '::/0', except: ['fd00::/16'] } },
              ],
            },
          ],
        }),
      ],
    });
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => d !== 'x/t' || s === 'x/a' || s === 'x/t'),
    );
  });

  test('egress peers select destinations', () => {
    const c = four([
      policy('y', 'p', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { team: 'red' } },
                podSelector: { matchLabels: { app: 'a' } },
              },
            ],
          },
        ],
      }),
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => s.startsWith('x/') || d === 'x/a'),
    );
  });
});

describe('ports', () => {
  const UDP80: Probe = { port: 80, protocol: 'UDP' };
  const SCTP80: Probe = { port: 80, protocol: 'SCTP' };
  const TCP81: Probe = { port: 81, protocol: 'TCP' };
  const onlyPorts = (ports: NonNullable<NetworkPolicy['spec']['ingress']>[0]['ports'], probes: Probe[]) =>
    four([policy('x', 'p', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports }] })], probes);

  test('numeric port; protocol defaults to TCP', () => {
    const c = onlyPorts([{ port: 80 }], [TCP80, UDP80, TCP81]);
    expectAllowedExactly(c, TCP80, allPairs(c));
    expectAllowedExactly(
      c,
      UDP80,
      allPairs(c, (_s, d) => d !== 'x/b'),
    );
    expectAllowedExactly(
      c,
      TCP81,
      allPairs(c, (_s, d) => d !== 'x/b'),
    );
  });

  test('protocol without port: every port of that protocol', () => {
    const c = onlyPorts([{ protocol: 'UDP' }], [TCP80, UDP80, { port: 5353, protocol: 'UDP' }, SCTP80]);
    expectAllowedExactly(c, UDP80, allPairs(c));
    expectAllowedExactly(c, { port: 5353, protocol: 'UDP' }, allPairs(c));
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (_s, d) => d !== 'x/b'),
    );
    expectAllowedExactly(
      c,
      SCTP80,
      allPairs(c, (_s, d) => d !== 'x/b'),
    );
  });

  test('SCTP port', () => {
    const c = onlyPorts([{ port: 80, protocol: 'SCTP' }], [TCP80, SCTP80]);
    expectAllowedExactly(c, SCTP80, allPairs(c));
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (_s, d) => d !== 'x/b'),
    );
  });

  test('endPort range is inclusive at both ends', () => {
    const probes: Probe[] = [999, 1000, 1500, 2000, 2001].map((port) => ({ port, protocol: 'TCP' }));
    const c = onlyPorts([{ port: 1000, endPort: 2000 }], probes);
    for (const p of probes) {
      const inside = p.port >= 1000 && p.port <= 2000;
      expectAllowedExactly(
        c,
        p,
        allPairs(c, (_s, d) => inside || d !== 'x/b'),
      );
    }
  });

  test('named port on ingress resolves against the destination pod', () => {
    const c = mkCase({
      pods: [
        pod('x/s'),
        pod('x/d1', { app: 'd' }, { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
        pod('x/d2', { app: 'd' }, { ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] }),
      ],
      policies: [
        policy('x', 'p', {
          podSelector: { matchLabels: { app: 'd' } },
          ingress: [{ ports: [{ port: 'http' }] }],
        }),
      ],
      probes: [
        { port: 8080, protocol: 'TCP' },
        { port: 9090, protocol: 'TCP' },
      ],
    });
    expectAllowedExactly(
      c,
      { port: 8080, protocol: 'TCP' },
      allPairs(c, (_s, d) => d !== 'x/d2'),
    );
    expectAllowedExactly(
      c,
      { port: 9090, protocol: 'TCP' },
      allPairs(c, (_s, d) => d !== 'x/d1'),
    );
  });

  test('named port on egress resolves against the destination pod, not the source', () => {
    const c = mkCase({
      pods: [
        pod('x/s', { app: 's' }, { ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] }),
        pod('x/d1', {}, { ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }),
        pod('x/d2', {}, { ports: [{ name: 'web', port: 8080, protocol: 'TCP' }] }),
      ],
      policies: [
        policy('x', 'p', {
          podSelector: { matchLabels: { app: 's' } },
          policyTypes: ['Egress'],
          egress: [{ ports: [{ port: 'http' }] }],
        }),
      ],
      probes: [
        { port: 8080, protocol: 'TCP' },
        { port: 9090, protocol: 'TCP' },
      ],
    });
    // 8080 from s: only d1 has 'http' on 8080. 9090 from s: only s itself has 'http' on 9090.
    expectAllowedExactly(
      c,
      { port: 8080, protocol: 'TCP' },
      allPairs(c, (s, d) => s !== 'x/s' || d === 'x/d1'),
    );
    expectAllowedExactly(
      c,
      { port: 9090, protocol: 'TCP' },
      allPairs(c, (s, d) => s !== 'x/s' || d === 'x/s'),
    );
  });

  test('named port must match the protocol of the rule and of the probe', () => {
    const c = mkCase({
      pods: [
        pod('x/s'),
        pod(
          'x/d',
          { app: 'd' },
          {
            ports: [
              { name: 'dns', port: 53, protocol: 'TCP' },
              { name: 'dnsu', port: 53, protocol: 'UDP' },
            ],
          },
        ),
      ],
      policies: [
        policy('x', 'p', {
          podSelector: { matchLabels: { app: 'd' } },
          ingress: [{ ports: [{ port: 'dns', protocol: 'UDP' }, { port: 'dnsu' }] }],
        }),
      ],
      probes: [
        { port: 53, protocol: 'TCP' },
        { port: 53, protocol: 'UDP' },
      ],
    });
    // 'dns' is TCP but the rule asks UDP; 'dnsu' is UDP but the rule defaults to TCP: nothing matches.
    expectAllowedExactly(
      c,
      { port: 53, protocol: 'TCP' },
      allPairs(c, (_s, d) => d !== 'x/d'),
    );
    expectAllowedExactly(
      c,
      { port: 53, protocol: 'UDP' },
      allPairs(c, (_s, d) => d !== 'x/d'),
    );
  });

  test('default container ports make serve-<port>-<proto> names usable', () => {
    const c = onlyPorts([{ port: 'serve-80-udp', protocol: 'UDP' }], [TCP80, UDP80]);
    expectAllowedExactly(c, UDP80, allPairs(c));
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (_s, d) => d !== 'x/b'),
    );
  });

  test('peers and ports of one rule must both match', () => {
    const c = four(
      [
        policy('x', 'p', {
          podSelector: { matchLabels: { app: 'b' } },
          ingress: [
            { from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 81 }] },
            { ports: [{ port: 80 }] },
          ],
        }),
      ],
      [TCP80, TCP81],
    );
    expectAllowedExactly(c, TCP80, allPairs(c));
    expectAllowedExactly(
      c,
      TCP81,
      allPairs(c, (s, d) => d !== 'x/b' || s === 'x/a'),
    );
  });
});

describe('combining policies and directions', () => {
  test('several policies selecting a pod are unioned', () => {
    const c = four([
      policy('x', 'from-a', {
        podSelector: { matchLabels: { app: 'b' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }],
      }),
      policy('x', 'from-y', {
        podSelector: {},
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: 'blue' } },
                podSelector: { matchLabels: { app: 'b' } },
              },
            ],
          },
        ],
      }),
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => !d.startsWith('x/') || s === 'y/b' || (d === 'x/b' && s === 'x/a')),
    );
  });

  test('a deny-all policy does not subtract from an allow policy', () => {
    const c = four([
      policy('x', 'deny', { podSelector: {} }),
      policy('x', 'allow', { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }] }),
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => !d.startsWith('x/') || s.startsWith('x/')),
    );
  });

  test('traffic needs egress at the source AND ingress at the destination', () => {
    const c = four([
      // y pods may only send to x/a...
      policy('y', 'eg', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'a' } } }] }],
      }),
      // ...and x/a accepts only from y/b.
      policy('x', 'in', {
        podSelector: { matchLabels: { app: 'a' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: 'blue' } },
                podSelector: { matchLabels: { app: 'b' } },
              },
            ],
          },
        ],
      }),
    ]);
    expectAllowedExactly(
      c,
      TCP80,
      allPairs(c, (s, d) => {
        const egressOk = s.startsWith('x/') || d.endsWith('/a');
        const ingressOk = d !== 'x/a' || s === 'y/b';
        return egressOk && ingressOk;
      }),
    );
  });
});
