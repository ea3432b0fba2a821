/**
 * Spec-derived admin-tier cases beyond the upstream conformance tests, on the same layout: how the
 * tiers interact with NetworkPolicy (Accept over a NetworkPolicy deny, Deny over a NetworkPolicy
 * allow, Pass to NetworkPolicy and to the Baseline tier, Baseline under NetworkPolicy), priorities,
 * subjects, every peer kind (networks, and the nodes and domainNames peers that pod traffic never
 * matches), port ranges, named ports and protocols. Each is written for both API versions unless it
 * needs what v1alpha1 lacks (Pass or several policies in the Baseline tier).
 *
 * Probes are few on purpose (TCP 80 and UDP 53 unless a case is about ports): every case probes all
 * 56 ordered pairs, and the group must stay cheap enough to run in every local conformance run.
 */
import type { AdminTierPeer, AdminTierSubject, NetworkPolicy, Probe } from '../types.js';
import { egressRule, ingressRule, policy } from './builders.js';
import { house, houseNs, housePodIp, nsNamed, podNamed, probes, type House } from './admin-layout.js';
import {
  namedPort,
  port,
  portRange,
  rule,
  type AdminDraftCase,
  type DraftPolicy,
  type DraftRule,
} from './admin-draft.js';

type Dir = 'ingress' | 'egress';

const DEFAULT_PROBES: Probe[] = [...probes('TCP', 80), ...probes('UDP', 53)];
const G: AdminTierSubject = { namespaces: nsNamed('gryffindor') };
const ns = (h: House): AdminTierPeer[] => [{ namespaces: nsNamed(h) }];
const everyone: AdminTierPeer[] = [{ namespaces: {} }];

function admin(
  name: string,
  priority: number,
  dir: Dir,
  rules: DraftRule[],
  subject: AdminTierSubject = G,
): DraftPolicy {
  return { name, tier: 'Admin', priority, subject, [dir]: rules };
}

function baseline(
  dir: Dir,
  rules: DraftRule[],
  subject: AdminTierSubject = G,
  name = 'default',
  priority = 10,
): DraftPolicy {
  return { name, tier: 'Baseline', priority, subject, [dir]: rules };
}

/** A NetworkPolicy in gryffindor isolating its pods (or one pod) for `dir`, allowing `from` namespaces only. */
function np(name: string, dir: Dir, allow: 'none' | 'all' | House[], podSelector = {}): NetworkPolicy {
  const peers = Array.isArray(allow) ? allow.map((h) => ({ namespaceSelector: house(h) })) : undefined;
  const rules = allow === 'none' ? [] : [peers];
  return policy(name, houseNs('gryffindor'), podSelector, {
    policyTypes: [dir === 'ingress' ? 'Ingress' : 'Egress'],
    ...(dir === 'ingress'
      ? { ingress: rules.map((p) => ingressRule(p)) }
      : { egress: rules.map((p) => egressRule(p)) }),
  });
}

interface Spec {
  name: string;
  description: string;
  tags: string[];
  policies: DraftPolicy[];
  networkPolicies?: NetworkPolicy[];
  probes?: Probe[];
  v1alpha2Only?: boolean;
}

function draft(s: Spec): AdminDraftCase {
  return {
    name: s.name,
    description: s.description,
    tags: s.tags,
    policies: s.policies,
    ...(s.networkPolicies ? { networkPolicies: s.networkPolicies } : {}),
    probes: (s.probes ?? DEFAULT_PROBES).map((p) => ({ ...p })),
    ...(s.v1alpha2Only ? { apis: ['v1alpha2'] as const } : {}),
  };
}

const w = (d: Dir) => (d === 'ingress' ? 'from' : 'to');

/** Each tier against NetworkPolicy, in both directions. */
function tierCases(): Spec[] {
  const out: Spec[] = [];
  for (const d of ['ingress', 'egress'] as const) {
    const dt = `direction:${d}`;
    out.push(
      {
        name: `tiers-accept-over-np-deny-${d}`,
        description: `A NetworkPolicy isolates gryffindor for ${d} and allows nothing; an Admin Accept ${w(d)} ravenclaw overrides it for ravenclaw only.`,
        tags: ['tier:admin', 'with-network-policy', dt, 'action:accept', 'admin-peer:namespaces'],
        policies: [admin('accept-ravenclaw', 10, d, [rule('Accept', ns('ravenclaw'))])],
        networkPolicies: [np('deny-all', d, 'none')],
      },
      {
        name: `tiers-deny-over-np-allow-${d}`,
        description: `A NetworkPolicy allows all ${d} of gryffindor; an Admin Deny ${w(d)} slytherin wins over it.`,
        tags: ['tier:admin', 'with-network-policy', dt, 'action:deny', 'admin-peer:namespaces'],
        policies: [admin('deny-slytherin', 10, d, [rule('Deny', ns('slytherin'))])],
        networkPolicies: [np('allow-all', d, 'all')],
      },
      {
        name: `tiers-pass-to-np-allow-${d}`,
        description: `Admin: Pass ${w(d)} slytherin, then Deny everyone. Slytherin skips the rest of the Admin tier and the NetworkPolicy (allowing slytherin) lets it through; everyone else is denied by the Admin tier.`,
        tags: [
          'tier:admin',
          'with-network-policy',
          dt,
          'action:pass',
          'action:deny',
          'admin-peer:namespaces',
        ],
        policies: [admin('pass-slytherin', 10, d, [rule('Pass', ns('slytherin')), rule('Deny', everyone)])],
        networkPolicies: [np('allow-slytherin', d, ['slytherin'])],
      },
      {
        name: `tiers-pass-to-np-deny-${d}`,
        description: `Admin: Pass ${w(d)} slytherin, Accept ${w(d)} ravenclaw. The NetworkPolicy allows hufflepuff only, so passed slytherin traffic is denied by it, ravenclaw is accepted by the Admin tier and hufflepuff by the NetworkPolicy.`,
        tags: [
          'tier:admin',
          'with-network-policy',
          dt,
          'action:pass',
          'action:accept',
          'admin-peer:namespaces',
        ],
        policies: [
          admin('pass-and-accept', 10, d, [rule('Pass', ns('slytherin')), rule('Accept', ns('ravenclaw'))]),
        ],
        networkPolicies: [np('allow-hufflepuff', d, ['hufflepuff'])],
      },
      {
        name: `tiers-pass-to-baseline-${d}`,
        description: `Admin: Pass ${w(d)} slytherin. No NetworkPolicy selects gryffindor, so the Baseline tier decides: Deny slytherin. Everyone else is allowed by default.`,
        tags: ['tier:admin', 'tier:baseline', dt, 'action:pass', 'action:deny', 'admin-peer:namespaces'],
        policies: [
          admin('pass-slytherin', 10, d, [rule('Pass', ns('slytherin'))]),
          baseline(d, [rule('Deny', ns('slytherin'))]),
        ],
      },
      {
        name: `tiers-baseline-under-np-${d}`,
        description: `Baseline: Deny everyone for gryffindor's ${d}. A NetworkPolicy selects harry-potter-0 only and allows slytherin: that pod follows the NetworkPolicy, harry-potter-1 the Baseline tier.`,
        tags: ['tier:baseline', 'with-network-policy', dt, 'action:deny', 'admin-peer:namespaces'],
        policies: [baseline(d, [rule('Deny', everyone)])],
        networkPolicies: [np('hp0-allow-slytherin', d, ['slytherin'], podNamed('gryffindor', 0))],
      },
      {
        name: `tiers-baseline-accept-under-np-deny-${d}`,
        description: `Baseline: Accept everyone for gryffindor's ${d}; a NetworkPolicy isolating gryffindor and allowing nothing still wins, because it comes first.`,
        tags: ['tier:baseline', 'with-network-policy', dt, 'action:accept', 'admin-peer:namespaces'],
        policies: [baseline(d, [rule('Accept', everyone)])],
        networkPolicies: [np('deny-all', d, 'none')],
      },
    );
  }
  return out;
}

function priorityCases(): Spec[] {
  const tags = ['tier:admin', 'priority', 'direction:ingress', 'admin-peer:namespaces'];
  return [
    {
      name: 'priority-lower-value-first-deny',
      description:
        'Deny from slytherin at priority 10 and Accept from slytherin at 20, over a NetworkPolicy denying all ingress: the lower value is evaluated first, so slytherin is denied.',
      tags: [...tags, 'with-network-policy', 'action:deny', 'action:accept'],
      policies: [
        admin('deny-at-10', 10, 'ingress', [rule('Deny', ns('slytherin'))]),
        admin('accept-at-20', 20, 'ingress', [rule('Accept', ns('slytherin'))]),
      ],
      networkPolicies: [np('deny-all', 'ingress', 'none')],
    },
    {
      name: 'priority-lower-value-first-accept',
      description:
        'Accept from slytherin at priority 10 and Deny from everyone at 20: slytherin is accepted, everyone else denied.',
      tags: [...tags, 'action:accept', 'action:deny'],
      policies: [
        admin('accept-at-10', 10, 'ingress', [rule('Accept', ns('slytherin'))]),
        admin('deny-at-20', 20, 'ingress', [rule('Deny', everyone)]),
      ],
    },
    {
      name: 'priority-extremes',
      description:
        'Priority 0 (evaluated first) denies slytherin; priority 1000 (last) accepts everyone over a NetworkPolicy that denies all ingress.',
      tags: [...tags, 'with-network-policy', 'action:deny', 'action:accept'],
      policies: [
        admin('accept-at-1000', 1000, 'ingress', [rule('Accept', everyone)]),
        admin('deny-at-0', 0, 'ingress', [rule('Deny', ns('slytherin'))]),
      ],
      networkPolicies: [np('deny-all', 'ingress', 'none')],
    },
    {
      name: 'priority-pass-skips-later-policies',
      description:
        'Pass from slytherin at priority 5 skips the rest of the Admin tier, including a Deny-everyone policy at priority 6; with no NetworkPolicy or Baseline, slytherin is allowed by default.',
      tags: [...tags, 'action:pass', 'action:deny'],
      policies: [
        admin('pass-at-5', 5, 'ingress', [rule('Pass', ns('slytherin'))]),
        admin('deny-at-6', 6, 'ingress', [rule('Deny', everyone)]),
      ],
    },
    {
      name: 'priority-then-rule-order',
      description:
        'Priority 1 denies UDP 53 from slytherin; priority 2 accepts all from slytherin and denies the rest: slytherin TCP 80 is accepted, UDP 53 denied.',
      tags: [...tags, 'action:deny', 'action:accept', 'port:numbered'],
      policies: [
        admin('deny-dns-at-1', 1, 'ingress', [rule('Deny', ns('slytherin'), [port('UDP', 53)])]),
        admin('accept-then-deny-at-2', 2, 'ingress', [
          rule('Accept', ns('slytherin')),
          rule('Deny', everyone),
        ]),
      ],
    },
    {
      name: 'priority-equal-and-agreeing',
      description:
        'Two Admin policies with the same priority that both deny slytherin: they agree, so the outcome is defined (no tie).',
      tags: [...tags, 'action:deny'],
      policies: [
        admin('deny-a', 7, 'ingress', [rule('Deny', ns('slytherin'))]),
        admin('deny-b', 7, 'ingress', [rule('Deny', ns('slytherin'), [port('TCP', 80)])]),
      ],
    },
    {
      name: 'priority-baseline-tier',
      description:
        'Two Baseline ClusterNetworkPolicies: Deny slytherin at priority 1 comes before Accept everyone at 2 (v1alpha1 has a single Baseline policy).',
      tags: [
        'tier:baseline',
        'priority',
        'direction:ingress',
        'admin-peer:namespaces',
        'action:deny',
        'action:accept',
      ],
      policies: [
        baseline('ingress', [rule('Deny', ns('slytherin'))], G, 'baseline-deny-at-1', 1),
        baseline('ingress', [rule('Accept', everyone)], G, 'baseline-accept-at-2', 2),
      ],
      v1alpha2Only: true,
    },
    {
      name: 'baseline-pass-to-default',
      description:
        'A Baseline Pass from slytherin skips the rest of the Baseline tier (a Deny-everyone policy at a later priority): slytherin falls through to the default allow.',
      tags: [
        'tier:baseline',
        'priority',
        'direction:ingress',
        'admin-peer:namespaces',
        'action:pass',
        'action:deny',
      ],
      policies: [
        baseline('ingress', [rule('Pass', ns('slytherin'))], G, 'baseline-pass-at-1', 1),
        baseline('ingress', [rule('Deny', everyone)], G, 'baseline-deny-at-2', 2),
      ],
      v1alpha2Only: true,
    },
  ];
}

function subjectCases(): Spec[] {
  const tags = ['tier:admin', 'direction:ingress', 'action:deny'];
  return [
    {
      name: 'subject-pods-match-expressions',
      description:
        'Subject: pods named harry-potter-0 or draco-malfoy-0 in any namespace (matchExpressions); they deny ingress from hufflepuff.',
      tags: [...tags, 'admin-peer:namespaces'],
      policies: [
        admin('deny-hufflepuff-to-first-pods', 10, 'ingress', [rule('Deny', ns('hufflepuff'))], {
          pods: {
            namespaceSelector: {},
            podSelector: {
              matchExpressions: [
                {
                  key: 'statefulset.kubernetes.io/pod-name',
                  operator: 'In',
                  values: ['harry-potter-0', 'draco-malfoy-0'],
                },
              ],
            },
          },
        }),
      ],
    },
    {
      name: 'subject-namespaces-not-in',
      description: 'Subject: every namespace but gryffindor (NotIn); they deny ingress from gryffindor.',
      tags: [...tags, 'admin-peer:namespaces'],
      policies: [
        admin('deny-gryffindor-elsewhere', 10, 'ingress', [rule('Deny', ns('gryffindor'))], {
          namespaces: {
            matchExpressions: [{ key: 'conformance-house', operator: 'NotIn', values: ['gryffindor'] }],
          },
        }),
      ],
    },
    {
      name: 'subject-selects-nothing',
      description: 'A Deny-everything policy whose subject matches no namespace changes nothing.',
      tags: [...tags, 'admin-peer:namespaces'],
      policies: [
        admin('selects-nothing', 10, 'ingress', [rule('Deny', everyone)], {
          namespaces: { matchLabels: { 'conformance-house': 'durmstrang' } },
        }),
      ],
    },
  ];
}

function peerCases(): Spec[] {
  const ing = ['tier:admin', 'direction:ingress', 'action:deny'];
  const eg = ['tier:admin', 'direction:egress'];
  const luna0 = `${housePodIp('ravenclaw', 0)}/32`;
  return [
    {
      name: 'peer-pods-in-any-namespace',
      description:
        'Deny from pods named harry-potter-1, cedric-diggory-1 or luna-lovegood-1 in any namespace (v1alpha2: no namespaceSelector; v1alpha1: an empty one).',
      tags: [...ing, 'admin-peer:pods'],
      policies: [
        admin('deny-second-pods', 10, 'ingress', [
          rule('Deny', [
            {
              pods: {
                podSelector: {
                  matchExpressions: [
                    {
                      key: 'statefulset.kubernetes.io/pod-name',
                      operator: 'In',
                      values: ['harry-potter-1', 'cedric-diggory-1', 'luna-lovegood-1'],
                    },
                  ],
                },
              },
            },
          ]),
        ]),
      ],
    },
    {
      name: 'peer-pods-and-namespace',
      description: 'Deny from draco-malfoy-0 in slytherin only (namespace AND pod selector).',
      tags: [...ing, 'admin-peer:pods'],
      policies: [
        admin('deny-draco-0', 10, 'ingress', [
          rule('Deny', [
            { pods: { namespaceSelector: house('slytherin'), podSelector: podNamed('slytherin', 0) } },
          ]),
        ]),
      ],
    },
    {
      name: 'peer-namespaces-match-expressions',
      description: 'Deny from namespaces whose house is slytherin or hufflepuff (matchExpressions In).',
      tags: [...ing, 'admin-peer:namespaces'],
      policies: [
        admin('deny-two-houses', 10, 'ingress', [
          rule('Deny', [
            {
              namespaces: {
                matchExpressions: [
                  { key: 'conformance-house', operator: 'In', values: ['slytherin', 'hufflepuff'] },
                ],
              },
            },
          ]),
        ]),
      ],
    },
    {
      name: 'peer-several-peers',
      description:
        'One Deny rule with two peers: namespace slytherin, and luna-lovegood-1 in ravenclaw. Any peer matching is enough.',
      tags: [...ing, 'admin-peer:namespaces', 'admin-peer:pods'],
      policies: [
        admin('deny-two-peers', 10, 'ingress', [
          rule('Deny', [
            { namespaces: nsNamed('slytherin') },
            { pods: { namespaceSelector: nsNamed('ravenclaw'), podSelector: podNamed('ravenclaw', 1) } },
          ]),
        ]),
      ],
    },
    {
      name: 'networks-pod-address',
      description: `Deny egress to networks [${luna0}], the address of luna-lovegood-0: networks peers match pod addresses too.`,
      tags: [...eg, 'action:deny', 'admin-peer:networks'],
      policies: [admin('deny-luna-0-address', 10, 'egress', [rule('Deny', [{ networks: [luna0] }])])],
    },
    {
      name: 'networks-namespace-range',
      description:
        "Deny egress to 10.244.2.0/24, where slytherin's pods live, but Accept slytherin pods on TCP first: TCP to slytherin is accepted, UDP denied.",
      tags: [
        ...eg,
        'action:deny',
        'action:accept',
        'admin-peer:networks',
        'admin-peer:namespaces',
        'port:numbered',
      ],
      policies: [
        admin('slytherin-range', 10, 'egress', [
          rule('Accept', ns('slytherin'), [port('TCP', 80)]),
          rule('Deny', [{ networks: ['10.244.2.0/24'] }]),
        ]),
      ],
    },
    {
      name: 'networks-pass-pods-then-deny-all',
      description:
        'The pattern the API documents: Pass all pod traffic, then Deny 0.0.0.0/0. Pods pass on to the NetworkPolicy, which denies egress to slytherin only.',
      tags: [
        ...eg,
        'with-network-policy',
        'action:pass',
        'action:deny',
        'admin-peer:networks',
        'admin-peer:namespaces',
      ],
      policies: [
        admin('pods-pass-internet-deny', 10, 'egress', [
          rule('Pass', everyone),
          rule('Deny', [{ networks: ['0.0.0.0/0'] }]),
        ]),
      ],
      networkPolicies: [
        policy(
          'deny-egress-to-slytherin',
          houseNs('gryffindor'),
          {},
          {
            policyTypes: ['Egress'],
            egress: [
              egressRule([
                {
                  namespaceSelector: {
                    matchExpressions: [
                      { key: 'conformance-house', operator: 'NotIn', values: ['slytherin'] },
                    ],
                  },
                },
              ]),
            ],
          },
        ),
      ],
    },
    {
      name: 'networks-ipv6-only',
      description: 'Deny egress to ::/0 only: no IPv4 pod address is in it, so nothing is denied.',
      tags: [...eg, 'action:deny', 'admin-peer:networks'],
      policies: [admin('deny-ipv6', 10, 'egress', [rule('Deny', [{ networks: ['::/0'] }])])],
    },
    {
      name: 'networks-accept-over-np',
      description:
        "A NetworkPolicy denies all egress of gryffindor; an Admin Accept to 10.244.4.0/24 (ravenclaw's pods) overrides it.",
      tags: [...eg, 'with-network-policy', 'action:accept', 'admin-peer:networks'],
      policies: [
        admin('accept-ravenclaw-range', 10, 'egress', [rule('Accept', [{ networks: ['10.244.4.0/24'] }])]),
      ],
      networkPolicies: [np('deny-all', 'egress', 'none')],
    },
    {
      name: 'networks-baseline',
      description:
        "Baseline: Deny egress to 10.244.3.0/24 (hufflepuff's pods) and 10.244.1.11/32 (harry-potter-1).",
      tags: ['tier:baseline', 'direction:egress', 'action:deny', 'admin-peer:networks'],
      policies: [
        baseline('egress', [
          rule('Deny', [{ networks: ['10.244.3.0/24', `${housePodIp('gryffindor', 1)}/32`] }]),
        ]),
      ],
    },
    {
      name: 'domain-names-not-judged',
      description:
        'Accept egress to domain names, then Deny everyone: domain names are accepted by the API but say nothing about pod traffic, so all egress of gryffindor is denied.',
      tags: [...eg, 'action:accept', 'action:deny', 'admin-peer:domain-names', 'admin-peer:namespaces'],
      policies: [
        admin('dns-allowlist', 10, 'egress', [
          rule('Accept', [{ domainNames: ['kubernetes.io', '*.example.com'] }]),
          rule('Deny', everyone),
        ]),
      ],
    },
    {
      name: 'nodes-not-judged',
      description:
        'Deny egress to every node: node addresses are never pod addresses, so pod traffic is unaffected.',
      tags: [...eg, 'action:deny', 'admin-peer:nodes'],
      policies: [admin('deny-nodes', 10, 'egress', [rule('Deny', [{ nodes: {} }])])],
    },
  ];
}

function portCases(): Spec[] {
  const ing = ['tier:admin', 'direction:ingress', 'admin-peer:namespaces'];
  const TCP2 = probes('TCP', 80, 8080);
  return [
    {
      name: 'ports-range-tcp',
      description: 'Deny from slytherin on TCP 79-81: TCP 80 is in the range, 8080 is not.',
      tags: [...ing, 'action:deny', 'port:range'],
      policies: [
        admin('deny-range', 10, 'ingress', [rule('Deny', ns('slytherin'), [portRange('TCP', 79, 81)])]),
      ],
      probes: TCP2,
    },
    {
      name: 'ports-range-udp-over-np',
      description:
        'A NetworkPolicy denies all ingress of gryffindor; an Admin Accept on UDP 5000-6000 lets UDP 5353 in but not UDP 53.',
      tags: [...ing, 'with-network-policy', 'action:accept', 'port:range'],
      policies: [
        admin('accept-udp-range', 10, 'ingress', [
          rule('Accept', [{ namespaces: {} }], [portRange('UDP', 5000, 6000)]),
        ]),
      ],
      networkPolicies: [np('deny-all', 'ingress', 'none')],
      probes: probes('UDP', 53, 5353),
    },
    {
      name: 'ports-range-egress',
      description: 'Deny egress to hufflepuff on TCP 8000-8100: 8080 denied, 80 allowed.',
      tags: ['tier:admin', 'direction:egress', 'admin-peer:namespaces', 'action:deny', 'port:range'],
      policies: [
        admin('deny-egress-range', 10, 'egress', [
          rule('Deny', ns('hufflepuff'), [portRange('TCP', 8000, 8100)]),
        ]),
      ],
      probes: TCP2,
    },
    {
      name: 'ports-named-web',
      description:
        'Deny from slytherin on the named port "web" (TCP 80 on every pod): TCP 80 denied, TCP 8080 and UDP 53 allowed.',
      tags: [...ing, 'action:deny', 'port:named'],
      policies: [admin('deny-web', 10, 'ingress', [rule('Deny', ns('slytherin'), [namedPort('web')])])],
      probes: [...TCP2, ...probes('UDP', 53)],
    },
    {
      name: 'ports-named-dns-egress',
      description:
        'A NetworkPolicy denies all egress of gryffindor; an Admin Accept to ravenclaw on the named port "dns" (UDP 53) lets only that through.',
      tags: [
        'tier:admin',
        'direction:egress',
        'admin-peer:namespaces',
        'with-network-policy',
        'action:accept',
        'port:named',
      ],
      policies: [admin('accept-dns', 10, 'egress', [rule('Accept', ns('ravenclaw'), [namedPort('dns')])])],
      networkPolicies: [np('deny-all', 'egress', 'none')],
      probes: [...probes('UDP', 53, 5353), ...probes('TCP', 80)],
    },
    {
      name: 'ports-named-missing',
      description: 'Deny from slytherin on a named port no pod has: the rule never matches.',
      tags: [...ing, 'action:deny', 'port:named'],
      policies: [
        admin('deny-unknown-name', 10, 'ingress', [rule('Deny', ns('slytherin'), [namedPort('metrics')])]),
      ],
    },
    {
      name: 'ports-several-protocols',
      description: 'Deny from slytherin on TCP 80 and UDP 5353: TCP 8080 and UDP 53 stay open.',
      tags: [...ing, 'action:deny', 'port:numbered', 'port:multiple'],
      policies: [
        admin('deny-two-ports', 10, 'ingress', [
          rule('Deny', ns('slytherin'), [port('TCP', 80), port('UDP', 5353)]),
        ]),
      ],
      probes: [...TCP2, ...probes('UDP', 53, 5353)],
    },
    {
      name: 'ports-protocol-must-match',
      description: 'Deny from slytherin on UDP 80: TCP 80 is another protocol and is not denied.',
      tags: [...ing, 'action:deny', 'port:numbered'],
      policies: [admin('deny-udp-80', 10, 'ingress', [rule('Deny', ns('slytherin'), [port('UDP', 80)])])],
      probes: [...probes('TCP', 80), ...probes('UDP', 53)],
    },
    {
      name: 'ports-sctp',
      description: 'Deny from slytherin on SCTP 9003: SCTP 9005 stays open.',
      tags: [...ing, 'action:deny', 'port:numbered'],
      policies: [admin('deny-sctp', 10, 'ingress', [rule('Deny', ns('slytherin'), [port('SCTP', 9003)])])],
      probes: probes('SCTP', 9003, 9005),
    },
  ];
}

/** Every generated admin-tier draft, named tiers-*, priority-*, subject-*, peer-*, networks-*, ports-*. */
export function generatedAdminDrafts(): AdminDraftCase[] {
  return [...tierCases(), ...priorityCases(), ...subjectCases(), ...peerCases(), ...portCases()].map(draft);
}
