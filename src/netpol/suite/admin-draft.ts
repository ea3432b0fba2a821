/**
 * Admin-tier suite cases written once and rendered for either API version. network-policy-api's
 * v1alpha1 conformance tests (AdminNetworkPolicy/BaselineAdminNetworkPolicy, v0.1.7 and v0.1.8) and
 * its v0.2.0 ClusterNetworkPolicy tests are the same tests in two spellings (Allow/Accept,
 * ports/protocols, BANP/tier Baseline), so a draft says what the policies mean and `renderCase`
 * spells it as v1alpha2 (`cnp-` cases, tag cluster-network-policy) or v1alpha1 (`anp-` cases, tag
 * admin-network-policy).
 */
import type {
  AdminNetworkPolicy,
  AdminTierApi,
  AdminTierPeer,
  AdminTierSubject,
  AnpPort,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  CnpProtocol,
  NetworkPolicy,
  PolicyCase,
  Probe,
  Protocol,
} from '../types.js';
import { houseNamespaces, housePods } from './admin-layout.js';
import { withProtocolTags } from './layout.js';

export type DraftAction = 'Accept' | 'Deny' | 'Pass';

export type DraftPort =
  | { protocol: Protocol; port: number }
  | { protocol: Protocol; start: number; end: number }
  | { named: string };

export interface DraftRule {
  name?: string;
  action: DraftAction;
  peers: AdminTierPeer[];
  ports?: DraftPort[];
}

export interface DraftPolicy {
  name: string;
  tier: 'Admin' | 'Baseline';
  /** Ignored for v1alpha1 Baseline (the BANP has no priority). */
  priority: number;
  subject: AdminTierSubject;
  ingress?: DraftRule[];
  egress?: DraftRule[];
}

export interface AdminDraftCase {
  /** Without the API prefix; rendered as cnp-<name> and anp-<name>. */
  name: string;
  description: string;
  tags: readonly string[];
  policies: DraftPolicy[];
  networkPolicies?: NetworkPolicy[];
  probes: Probe[];
  /** The versions this case can be written in; default both. */
  apis?: readonly AdminTierApi[];
}

const API_GROUP_TAG: Record<AdminTierApi, string> = {
  v1alpha2: 'cluster-network-policy',
  v1alpha1: 'admin-network-policy',
};

export const API_CASE_PREFIX: Record<AdminTierApi, string> = { v1alpha2: 'cnp-', v1alpha1: 'anp-' };

export const rule = (
  action: DraftAction,
  peers: AdminTierPeer[],
  ports?: DraftPort[],
  name?: string,
): DraftRule => ({
  action,
  peers,
  ...(ports !== undefined ? { ports } : {}),
  ...(name !== undefined ? { name } : {}),
});

export const port = (protocol: Protocol, p: number): DraftPort => ({ protocol, port: p });
export const portRange = (protocol: Protocol, start: number, end: number): DraftPort => ({
  protocol,
  start,
  end,
});
export const namedPort = (name: string): DraftPort => ({ named: name });

function cnpProtocol(p: DraftPort): CnpProtocol {
  if ('named' in p) return { destinationNamedPort: p.named };
  const destinationPort = 'port' in p ? { number: p.port } : { range: { start: p.start, end: p.end } };
  const key = p.protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';
  return { [key]: { destinationPort } };
}

function anpPort(p: DraftPort): AnpPort {
  if ('named' in p) return { namedPort: p.named };
  if ('port' in p) return { portNumber: { protocol: p.protocol, port: p.port } };
  return { portRange: { protocol: p.protocol, start: p.start, end: p.end } };
}

/** v1alpha1 requires namespaceSelector in a pods peer or subject; absent means every namespace in v1alpha2. */
function v1Peer(p: AdminTierPeer): AdminTierPeer {
  if (p.pods === undefined) return structuredClone(p);
  return {
    pods: {
      namespaceSelector: structuredClone(p.pods.namespaceSelector ?? {}),
      podSelector: structuredClone(p.pods.podSelector),
    },
  };
}

function toCnp(d: DraftPolicy): ClusterNetworkPolicy {
  const spec: ClusterNetworkPolicy['spec'] = {
    tier: d.tier,
    priority: d.priority,
    subject: structuredClone(d.subject),
  };
  if (d.ingress)
    spec.ingress = d.ingress.map((r) => ({
      ...(r.name !== undefined ? { name: r.name } : {}),
      action: r.action,
      from: structuredClone(r.peers),
      ...(r.ports ? { protocols: r.ports.map(cnpProtocol) } : {}),
    }));
  if (d.egress)
    spec.egress = d.egress.map((r) => ({
      ...(r.name !== undefined ? { name: r.name } : {}),
      action: r.action,
      to: structuredClone(r.peers),
      ...(r.ports ? { protocols: r.ports.map(cnpProtocol) } : {}),
    }));
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name: d.name },
    spec,
  };
}

/** The v1alpha1 spec body shared by AdminNetworkPolicy and BaselineAdminNetworkPolicy. */
function v1Spec<A extends string>(d: DraftPolicy, action: (a: DraftAction) => A) {
  const rules = (rs: DraftRule[] | undefined, dir: 'from' | 'to') =>
    rs?.map((r) => ({
      ...(r.name !== undefined ? { name: r.name } : {}),
      action: action(r.action),
      [dir]: r.peers.map(v1Peer),
      ...(r.ports ? { ports: r.ports.map(anpPort) } : {}),
    }));
  const subject: AdminTierSubject = d.subject.pods
    ? { pods: v1Peer({ pods: d.subject.pods }).pods }
    : structuredClone(d.subject);
  const ingress = rules(d.ingress, 'from');
  const egress = rules(d.egress, 'to');
  return { subject, ...(ingress ? { ingress } : {}), ...(egress ? { egress } : {}) };
}

function toAnp(d: DraftPolicy): AdminNetworkPolicy {
  const body = v1Spec(d, (a) => (a === 'Accept' ? 'Allow' : a));
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name: d.name },
    spec: { priority: d.priority, ...body } as AdminNetworkPolicy['spec'],
  };
}

function toBanp(d: DraftPolicy): BaselineAdminNetworkPolicy {
  const body = v1Spec(d, (a): 'Allow' | 'Deny' => {
    if (a === 'Pass') throw new Error(`draft ${d.name}: a BaselineAdminNetworkPolicy has no Pass action`);
    return a === 'Accept' ? 'Allow' : a;
  });
  // The BANP is a singleton: whatever the draft calls it, the cluster only accepts "default".
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: body as BaselineAdminNetworkPolicy['spec'],
  };
}

/** The case in one API version; throws when the draft needs what that version lacks. */
export function renderCase(api: AdminTierApi, d: AdminDraftCase): PolicyCase {
  const c: PolicyCase = {
    name: `${API_CASE_PREFIX[api]}${d.name}`,
    description: d.description,
    tags: withProtocolTags([API_GROUP_TAG[api], ...d.tags], d.probes),
    namespaces: houseNamespaces(),
    pods: housePods(),
    policies: structuredClone(d.networkPolicies ?? []),
    probes: d.probes.map((p) => ({ ...p })),
  };
  if (api === 'v1alpha2') {
    c.clusterNetworkPolicies = d.policies.map(toCnp);
    return c;
  }
  const admin = d.policies.filter((p) => p.tier === 'Admin');
  const baseline = d.policies.filter((p) => p.tier === 'Baseline');
  if (baseline.length > 1)
    throw new Error(`draft ${d.name}: v1alpha1 has a single BaselineAdminNetworkPolicy`);
  if (admin.length > 0) c.adminNetworkPolicies = admin.map(toAnp);
  const banp = baseline[0];
  if (banp) c.baselineAdminNetworkPolicy = toBanp(banp);
  return c;
}

/** Every API version the draft is written for. */
export function renderAll(drafts: readonly AdminDraftCase[], api: AdminTierApi): PolicyCase[] {
  return drafts
    .filter((d) => (d.apis ?? ['v1alpha1', 'v1alpha2']).includes(api))
    .map((d) => renderCase(api, d));
}
