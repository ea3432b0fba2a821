/**
 * The admin tier in one internal shape, whatever API version a case uses: ClusterNetworkPolicy
 * v1alpha2 (tier Admin | Baseline) and AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1
 * become TierPolicy objects with normalized subjects, peers, ports and actions, sorted in evaluation
 * order. The evaluator (tiers.ts), the explanations and the nftables compiler all read this shape,
 * so the two API versions cannot drift apart in meaning.
 *
 * Input is assumed valid (admin-validate.ts); the normalizer does not re-check it.
 */
import type {
  AdminTierApi,
  AdminTierPeer,
  AdminTierPolicies,
  AdminTierSubject,
  AnpPort,
  CnpProtocol,
  LabelSelector,
  Protocol,
} from './types.js';

export type TierName = 'Admin' | 'Baseline';

/** The effect of a matching rule. v1alpha1 "Allow" is the same effect as v1alpha2 "Accept". */
type TierEffect = 'accept' | 'deny' | 'pass';

type TierPolicyKind = 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

/** Pods of the namespaces matching namespaceSelector and, when set, matching podSelector. */
export interface TierSelection {
  namespaceSelector: LabelSelector;
  podSelector?: LabelSelector;
}

export type TierPeer =
  | { kind: 'pods'; selection: TierSelection }
  | { kind: 'networks'; cidrs: string[] }
  /** Node IPs and DNS names: accepted, but no pod-to-pod verdict depends on them. */
  | { kind: 'nodes' | 'domainNames' };

export type TierPort =
  | { kind: 'range'; protocol: Protocol; from: number; to: number }
  /** A container port name of the destination pod, whatever its protocol. */
  | { kind: 'named'; name: string };

export interface TierRule {
  /** 0-based position in spec.ingress / spec.egress. */
  index: number;
  name?: string;
  effect: TierEffect;
  /** The action as written (Accept, Allow, Deny, Pass), for explanations. */
  action: string;
  peers: TierPeer[];
  /** null: every port and protocol. */
  ports: TierPort[] | null;
}

export interface TierPolicy {
  kind: TierPolicyKind;
  name: string;
  tier: TierName;
  /** null for the BaselineAdminNetworkPolicy, which has no priority. */
  priority: number | null;
  subject: TierSelection;
  ingress: TierRule[];
  egress: TierRule[];
}

/** Both tiers of a case, each in evaluation order: ascending priority, then name. */
export interface AdminTierSet {
  api: AdminTierApi | null;
  admin: TierPolicy[];
  baseline: TierPolicy[];
}

/** Which API version a case's admin-tier objects use; 'mixed' is invalid (see validation). */
export function adminTierApi(c: AdminTierPolicies): AdminTierApi | 'mixed' | null {
  const v2 = (c.clusterNetworkPolicies?.length ?? 0) > 0;
  const v1 = (c.adminNetworkPolicies?.length ?? 0) > 0 || c.baselineAdminNetworkPolicy !== undefined;
  if (v1 && v2) return 'mixed';
  return v2 ? 'v1alpha2' : v1 ? 'v1alpha1' : null;
}

export function hasAdminTier(c: AdminTierPolicies): boolean {
  return adminTierApi(c) !== null;
}

/** e.g. `ClusterNetworkPolicy "deny-x"`. */
export function tierPolicyLabel(p: Pick<TierPolicy, 'kind' | 'name'>): string {
  return `${p.kind} "${p.name}"`;
}

function selection(s: AdminTierSubject | AdminTierPeer): TierSelection {
  if (s.namespaces !== undefined) return { namespaceSelector: s.namespaces };
  const pods = s.pods ?? { podSelector: {} };
  return { namespaceSelector: pods.namespaceSelector ?? {}, podSelector: pods.podSelector };
}

function peer(p: AdminTierPeer): TierPeer {
  if (p.networks !== undefined) return { kind: 'networks', cidrs: [...p.networks] };
  if (p.nodes !== undefined) return { kind: 'nodes' };
  if (p.domainNames !== undefined) return { kind: 'domainNames' };
  return { kind: 'pods', selection: selection(p) };
}

function cnpPorts(protocols: CnpProtocol[] | undefined): TierPort[] | null {
  if (protocols === undefined || protocols.length === 0) return null;
  return protocols.map((p): TierPort => {
    if (p.destinationNamedPort !== undefined) return { kind: 'named', name: p.destinationNamedPort };
    const [protocol, body] =
      p.tcp !== undefined
        ? (['TCP', p.tcp] as const)
        : p.udp !== undefined
          ? (['UDP', p.udp] as const)
          : (['SCTP', p.sctp] as const);
    const dp = body?.destinationPort;
    if (dp?.range !== undefined) return { kind: 'range', protocol, from: dp.range.start, to: dp.range.end };
    if (dp?.number !== undefined) return { kind: 'range', protocol, from: dp.number, to: dp.number };
    // Validation requires destinationPort; an entry without one would mean every port of the protocol.
    return { kind: 'range', protocol, from: 1, to: 65535 };
  });
}

function anpPorts(ports: AnpPort[] | undefined): TierPort[] | null {
  if (ports === undefined || ports.length === 0) return null;
  return ports.map((p): TierPort => {
    if (p.namedPort !== undefined) return { kind: 'named', name: p.namedPort };
    if (p.portRange !== undefined)
      return {
        kind: 'range',
        protocol: p.portRange.protocol ?? 'TCP',
        from: p.portRange.start,
        to: p.portRange.end,
      };
    const n = p.portNumber ?? { port: 0 };
    return { kind: 'range', protocol: n.protocol ?? 'TCP', from: n.port, to: n.port };
  });
}

const EFFECT: Record<string, TierEffect> = { Accept: 'accept', Allow: 'accept', Deny: 'deny', Pass: 'pass' };

interface RawRule {
  name?: string;
  action: string;
}

function rule(r: RawRule, index: number, peers: AdminTierPeer[], ports: TierPort[] | null): TierRule {
  return {
    index,
    ...(r.name !== undefined && r.name !== '' ? { name: r.name } : {}),
    effect: EFFECT[r.action] ?? 'deny',
    action: r.action,
    peers: peers.map(peer),
    ports,
  };
}

/** Ascending priority, then name: the order both the model and the local dataplane use for ties. */
function compareTierPolicies(a: TierPolicy, b: TierPolicy): number {
  return (a.priority ?? 0) - (b.priority ?? 0) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** The case's admin-tier objects as both tiers in evaluation order. */
export function normalizeAdminTier(c: AdminTierPolicies): AdminTierSet {
  const all: TierPolicy[] = [];
  for (const p of c.clusterNetworkPolicies ?? []) {
    all.push({
      kind: 'ClusterNetworkPolicy',
      name: p.metadata.name,
      tier: p.spec.tier,
      priority: p.spec.priority,
      subject: selection(p.spec.subject),
      ingress: (p.spec.ingress ?? []).map((r, i) => rule(r, i, r.from, cnpPorts(r.protocols))),
      egress: (p.spec.egress ?? []).map((r, i) => rule(r, i, r.to, cnpPorts(r.protocols))),
    });
  }
  for (const p of c.adminNetworkPolicies ?? []) {
    all.push({
      kind: 'AdminNetworkPolicy',
      name: p.metadata.name,
      tier: 'Admin',
      priority: p.spec.priority,
      subject: selection(p.spec.subject),
      ingress: (p.spec.ingress ?? []).map((r, i) => rule(r, i, r.from, anpPorts(r.ports))),
      egress: (p.spec.egress ?? []).map((r, i) => rule(r, i, r.to, anpPorts(r.ports))),
    });
  }
  const banp = c.baselineAdminNetworkPolicy;
  if (banp !== undefined) {
    all.push({
      kind: 'BaselineAdminNetworkPolicy',
      name: banp.metadata.name,
      tier: 'Baseline',
      priority: null,
      subject: selection(banp.spec.subject),
      ingress: (banp.spec.ingress ?? []).map((r, i) => rule(r, i, r.from, anpPorts(r.ports))),
      egress: (banp.spec.egress ?? []).map((r, i) => rule(r, i, r.to, anpPorts(r.ports))),
    });
  }
  const api = adminTierApi(c);
  return {
    api: api === 'mixed' ? null : api,
    admin: all.filter((p) => p.tier === 'Admin').sort(compareTierPolicies),
    baseline: all.filter((p) => p.tier === 'Baseline').sort(compareTierPolicies),
  };
}
