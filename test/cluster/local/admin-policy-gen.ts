/**
 * Random admin-tier policy sets on network-policy-api's conformance layout (four houses, two pods
 * each), from a seeded PRNG, for the differential test: a v1alpha2 or v1alpha1 set of Admin and
 * Baseline policies with every action, peer kind and port kind, sometimes with NetworkPolicies in
 * the way; plus shrink steps that make a failing set smaller while keeping it valid.
 */
import { housePodIp, HOUSES, houseNs } from '../../../src/netpol/suite/admin-layout.js';
import {
  renderCase,
  type AdminDraftCase,
  type DraftPolicy,
  type DraftPort,
  type DraftRule,
} from '../../../src/netpol/suite/admin-draft.js';
import type {
  AdminTierApi,
  AdminTierPeer,
  LabelSelector,
  NetworkPolicy,
  PolicyCase,
  Probe,
} from '../../../src/netpol/types.js';
import type { Random } from '../../../src/stats/prng.js';
import { must } from '../../helpers/must.js';

const pick = <T>(r: Random, xs: readonly T[]): T => must(xs[Math.floor(r() * xs.length)], 'a choice');
const count = (r: Random, max: number) => Math.floor(r() * (max + 1));

const NS_SELECTORS: LabelSelector[] = [
  {},
  { matchLabels: { 'conformance-house': 'slytherin' } },
  { matchLabels: { 'kubernetes.io/metadata.name': houseNs('gryffindor') } },
  { matchExpressions: [{ key: 'conformance-house', operator: 'In', values: ['hufflepuff', 'ravenclaw'] }] },
  { matchExpressions: [{ key: 'conformance-house', operator: 'NotIn', values: ['gryffindor'] }] },
];
const POD_SELECTORS: LabelSelector[] = [
  {},
  { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'harry-potter-0' } },
  {
    matchExpressions: [
      {
        key: 'statefulset.kubernetes.io/pod-name',
        operator: 'In',
        values: ['draco-malfoy-1', 'luna-lovegood-0'],
      },
    ],
  },
  { matchExpressions: [{ key: 'conformance-house', operator: 'Exists' }] },
  { matchLabels: { 'conformance-house': 'nobody' } },
];
const NETWORKS = [
  '0.0.0.0/0',
  '::/0',
  '10.244.0.0/16',
  '10.244.2.0/24',
  '10.244.3.0/25',
  `${housePodIp('ravenclaw', 1)}/32`,
  `${housePodIp('gryffindor', 0)}/32`,
  'fd00::/8',
];
const PORTS: DraftPort[] = [
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 8080 },
  { protocol: 'TCP', start: 79, end: 81 },
  { protocol: 'TCP', start: 8000, end: 9000 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'UDP', start: 50, end: 60 },
  { protocol: 'SCTP', port: 80 },
];
const NAMED: DraftPort[] = [
  { named: 'web' },
  { named: 'dns' },
  { named: 'serve-8080-tcp' },
  { named: 'missing' },
];

export const ADMIN_DIFF_PROBES: Probe[] = [
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 8080 },
  { protocol: 'UDP', port: 53 },
];

function peer(r: Random, egress: boolean, baselineV1: boolean): AdminTierPeer {
  const kinds = egress ? (baselineV1 ? 4 : 5) : 2;
  switch (count(r, kinds - 1)) {
    case 0:
      return { namespaces: pick(r, NS_SELECTORS) };
    case 1: {
      const ns = r() < 0.3 ? undefined : pick(r, NS_SELECTORS);
      return { pods: { ...(ns ? { namespaceSelector: ns } : {}), podSelector: pick(r, POD_SELECTORS) } };
    }
    case 2:
      return { networks: [...new Set(Array.from({ length: 1 + count(r, 1) }, () => pick(r, NETWORKS)))] };
    case 3:
      return { nodes: r() < 0.5 ? {} : { matchLabels: { 'kubernetes.io/os': 'linux' } } };
    default:
      return { domainNames: ['example.com'] };
  }
}

function rule(
  r: Random,
  egress: boolean,
  actions: readonly DraftRule['action'][],
  baselineV1: boolean,
): DraftRule {
  const peers = Array.from({ length: 1 + count(r, 1) }, () => peer(r, egress, baselineV1));
  const out: DraftRule = { action: pick(r, actions), peers };
  if (r() < 0.55) {
    // A named port may not go with a peer that has no named ports (networks, nodes, domainNames).
    const external = peers.some((p) => p.networks || p.nodes || p.domainNames);
    const pool = external ? PORTS : [...PORTS, ...NAMED];
    out.ports = [
      ...new Map(
        Array.from({ length: 1 + count(r, 1) }, () => pick(r, pool)).map((p) => [JSON.stringify(p), p]),
      ).values(),
    ];
  }
  return out;
}

function housePolicy(r: Random, i: number): NetworkPolicy {
  const ns = houseNs(pick(r, HOUSES));
  const dir = pick(r, ['Ingress', 'Egress'] as const);
  const peers = r() < 0.3 ? undefined : [{ namespaceSelector: pick(r, NS_SELECTORS) }];
  const rules = r() < 0.3 ? [] : [peers ? (dir === 'Ingress' ? { from: peers } : { to: peers }) : {}];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `np-${i}`, namespace: ns },
    spec: {
      podSelector:
        r() < 0.5
          ? {}
          : {
              matchLabels: {
                'statefulset.kubernetes.io/pod-name': `${pick(r, ['harry-potter', 'draco-malfoy', 'cedric-diggory', 'luna-lovegood'])}-${count(r, 1)}`,
              },
            },
      policyTypes: [dir],
      ...(dir === 'Ingress' ? { ingress: rules } : { egress: rules }),
    },
  };
}

export function randomAdminCase(r: Random, name: string): PolicyCase {
  const api: AdminTierApi = r() < 0.5 ? 'v1alpha2' : 'v1alpha1';
  const policies: DraftPolicy[] = [];
  const subject = () =>
    r() < 0.6
      ? { namespaces: pick(r, NS_SELECTORS) }
      : { pods: { namespaceSelector: pick(r, NS_SELECTORS), podSelector: pick(r, POD_SELECTORS) } };
  const rules = (egress: boolean, actions: readonly DraftRule['action'][], baselineV1 = false) =>
    Array.from({ length: 1 + count(r, 2) }, () => rule(r, egress, actions, baselineV1));
  const admins = 1 + count(r, 2);
  for (let i = 0; i < admins; i++) {
    const p: DraftPolicy = { name: `admin-${i}`, tier: 'Admin', priority: count(r, 20), subject: subject() };
    if (r() < 0.7) p.ingress = rules(false, ['Accept', 'Deny', 'Pass']);
    if (r() < 0.6 || !p.ingress) p.egress = rules(true, ['Accept', 'Deny', 'Pass']);
    policies.push(p);
  }
  const baselines = api === 'v1alpha1' ? count(r, 1) : count(r, 2);
  for (let i = 0; i < baselines; i++) {
    const v1 = api === 'v1alpha1';
    const actions = v1 ? (['Accept', 'Deny'] as const) : (['Accept', 'Deny', 'Pass'] as const);
    const p: DraftPolicy = {
      name: v1 ? 'default' : `baseline-${i}`,
      tier: 'Baseline',
      priority: count(r, 20),
      subject: subject(),
    };
    if (r() < 0.7) p.ingress = rules(false, actions, v1);
    if (r() < 0.6 || !p.ingress) p.egress = rules(true, actions, v1);
    policies.push(p);
  }
  const draft: AdminDraftCase = {
    name,
    description: 'random admin-tier policy set (differential test)',
    tags: [],
    policies,
    networkPolicies: Array.from({ length: count(r, 2) }, (_, i) => housePolicy(r, i)),
    probes: ADMIN_DIFF_PROBES.map((p) => ({ ...p })),
  };
  const c = renderCase(api, draft);
  c.name = name;
  return c;
}

type RuleList = Array<{ from?: unknown[]; to?: unknown[]; protocols?: unknown[]; ports?: unknown[] }>;

/** Every one-step-smaller variant: a policy, rule, peer or port removed (never leaving a rule without peers). */
export function* shrinkAdminSteps(c: PolicyCase): Generator<PolicyCase> {
  const lists: Array<'clusterNetworkPolicies' | 'adminNetworkPolicies'> = [
    'clusterNetworkPolicies',
    'adminNetworkPolicies',
  ];
  for (let i = 0; i < c.policies.length; i++) {
    const v = structuredClone(c);
    v.policies.splice(i, 1);
    yield v;
  }
  if (c.baselineAdminNetworkPolicy) {
    const v = structuredClone(c);
    delete v.baselineAdminNetworkPolicy;
    yield v;
  }
  for (const key of lists) {
    const objs = c[key] ?? [];
    for (let i = 0; i < objs.length; i++) {
      if (objs.length > 1 || c.baselineAdminNetworkPolicy) {
        const v = structuredClone(c);
        v[key]?.splice(i, 1);
        yield v;
      }
    }
  }
  // Rules, peers and ports of every admin-tier object.
  const targets = (v: PolicyCase): Array<{ spec: { ingress?: RuleList; egress?: RuleList } }> => [
    ...(v.clusterNetworkPolicies ?? []),
    ...(v.adminNetworkPolicies ?? []),
    ...(v.baselineAdminNetworkPolicy ? [v.baselineAdminNetworkPolicy] : []),
  ];
  const n = targets(c).length;
  for (let t = 0; t < n; t++) {
    for (const dir of ['ingress', 'egress'] as const) {
      const rules = targets(c)[t]?.spec[dir] ?? [];
      for (let j = 0; j < rules.length; j++) {
        const edit = (f: (rl: RuleList[number]) => void) => {
          const v = structuredClone(c);
          const rl = targets(v)[t]?.spec[dir]?.[j];
          if (rl) f(rl);
          return v;
        };
        const v = structuredClone(c);
        targets(v)[t]?.spec[dir]?.splice(j, 1);
        yield v;
        const peers = rules[j]?.from ?? rules[j]?.to ?? [];
        for (let k = 0; k < peers.length && peers.length > 1; k++)
          yield edit((rl) => (rl.from ?? rl.to)?.splice(k, 1));
        const ports = rules[j]?.protocols ?? rules[j]?.ports ?? [];
        for (let k = 0; k < ports.length; k++)
          yield edit((rl) => {
            const list = rl.protocols ?? rl.ports;
            list?.splice(k, 1);
            if (list?.length === 0) {
              delete rl.protocols;
              delete rl.ports;
            }
          });
      }
    }
  }
}
