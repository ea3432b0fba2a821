/**
 * The building blocks of a node's nft table: pods, address and port intervals, named sets, and the
 * rules for one policy rule (one per port kind). nft-compile.ts assembles the NetworkPolicy chains
 * and nft-tiers.ts the admin-tier chains from these.
 */
import { parseCidr } from '../../netpol/cidr.js';
import type { AdminTierSet } from '../../netpol/admin-tier.js';
import { portProtocol } from '../../netpol/matcher.js';
import { labelSelectorMatches } from '../../netpol/selector.js';
import type {
  ContainerPort,
  Labels,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from '../../netpol/types.js';
import { NAMESPACE_NAME_LABEL } from '../../netpol/types.js';

export interface NftPod {
  key: string;
  namespace: string;
  labels: Labels;
  ip: string;
  ports: ContainerPort[];
  node: string;
}

export interface NodeRulesetInput {
  /** nft table name (family inet). */
  table: string;
  node: string;
  policies: NetworkPolicy[];
  /** The admin tier in evaluation order (normalizeAdminTier); absent or empty: NetworkPolicy only. */
  adminTier?: AdminTierSet;
  /** Every pod of the cluster (peers may live on any node). */
  pods: NftPod[];
  /** Namespace labels; a namespace missing here has only its kubernetes.io/metadata.name label. */
  namespaces: Record<string, Labels>;
}

/** A port match: a protocol's port interval, or a container port name (of one protocol, or any). */
export type PortMatch =
  | { kind: 'range'; protocol: Protocol; from: number; to: number }
  | { kind: 'named'; name: string; protocol?: Protocol };

/** A rule's ports as nft elements: numeric intervals per protocol, named ports resolved per pod. */
export interface CompiledPorts {
  numeric: Map<Protocol, Interval[]>;
  named: string[];
}

export type Interval = [number, number];

const PROTO_NAME: Record<Protocol, string> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

export function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = m.slice(1, 5).map(Number);
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Sorted, merged (adjacent ranges joined) — nft rejects overlapping interval elements. */
export function mergeIntervals(list: Interval[]): Interval[] {
  const sorted = [...list].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Interval[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** `base` minus every interval of `minus` (both merged). */
export function subtractIntervals(base: Interval[], minus: Interval[]): Interval[] {
  let cur = mergeIntervals(base);
  for (const [ma, mb] of mergeIntervals(minus)) {
    const next: Interval[] = [];
    for (const [a, b] of cur) {
      if (mb < a || ma > b) {
        next.push([a, b]);
        continue;
      }
      if (a < ma) next.push([a, ma - 1]);
      if (b > mb) next.push([mb + 1, b]);
    }
    cur = next;
  }
  return cur;
}

/** An IPv4 CIDR as an interval; undefined for IPv6 (which never matches the IPv4 pods). */
export function cidrInterval(text: string): Interval | undefined {
  const c = parseCidr(text);
  if (c.family !== 4) return undefined;
  const start = Number(c.network);
  const size = 2 ** (32 - c.prefix);
  return [start, start + size - 1];
}

export function formatIpInterval([a, b]: Interval): string {
  return a === b ? intToIpv4(a) : `${intToIpv4(a)}-${intToIpv4(b)}`;
}

function formatPortInterval([a, b]: Interval): string {
  return a === b ? String(a) : `${a}-${b}`;
}

export class RulesetBuilder {
  readonly sets: string[] = [];
  readonly namespaceLabels: (ns: string) => Labels;

  constructor(readonly input: NodeRulesetInput) {
    this.namespaceLabels = (ns) => ({ ...(input.namespaces[ns] ?? {}), [NAMESPACE_NAME_LABEL]: ns });
  }

  addSet(name: string, type: string, interval: boolean, elements: string[]): string {
    const lines = [`\tset ${name} {`, `\t\ttype ${type}`];
    if (interval) lines.push('\t\tflags interval');
    if (elements.length > 0) lines.push(`\t\telements = { ${elements.join(', ')} }`);
    lines.push('\t}');
    this.sets.push(lines.join('\n'));
    return `@${name}`;
  }

  /** Pods a policy selects (its own namespace, matching podSelector). */
  selected(p: NetworkPolicy): NftPod[] {
    return this.input.pods.filter(
      (pod) =>
        pod.namespace === p.metadata.namespace && labelSelectorMatches(p.spec.podSelector ?? {}, pod.labels),
    );
  }

  /** Address intervals a rule's peers cover; null = any address. */
  peerIntervals(peers: NetworkPolicyPeer[] | undefined, policyNs: string): Interval[] | null {
    if (!peers || peers.length === 0) return null;
    const out: Interval[] = [];
    for (const peer of peers) {
      if (peer.ipBlock) {
        if (peer.podSelector || peer.namespaceSelector) continue;
        const base = cidrInterval(peer.ipBlock.cidr);
        if (!base) continue;
        const except = (peer.ipBlock.except ?? []).map(cidrInterval).filter((x): x is Interval => !!x);
        out.push(...subtractIntervals([base], except));
        continue;
      }
      if (!peer.podSelector && !peer.namespaceSelector) continue;
      for (const pod of this.input.pods) {
        if (peer.namespaceSelector) {
          if (!labelSelectorMatches(peer.namespaceSelector, this.namespaceLabels(pod.namespace))) continue;
        } else if (pod.namespace !== policyNs) continue;
        if (peer.podSelector && !labelSelectorMatches(peer.podSelector, pod.labels)) continue;
        const n = ipv4ToInt(pod.ip);
        if (n !== undefined) out.push([n, n]);
      }
    }
    return mergeIntervals(out);
  }

  /**
   * A rule's ports: numeric intervals per protocol and named ports resolved against `destinations`.
   * null = every port.
   */
  ports(ports: PortMatch[] | null, destinations: NftPod[]): CompiledPorts | null {
    if (ports === null) return null;
    const numeric = new Map<Protocol, Interval[]>();
    const named = new Set<string>();
    for (const p of ports) {
      if (p.kind === 'named') {
        for (const pod of destinations) {
          if (ipv4ToInt(pod.ip) === undefined) continue;
          for (const cp of pod.ports)
            if (cp.name === p.name && (p.protocol === undefined || cp.protocol === p.protocol))
              named.add(`${pod.ip} . ${PROTO_NAME[cp.protocol]} . ${cp.port}`);
        }
        continue;
      }
      if (p.to < p.from) continue;
      numeric.set(p.protocol, [...(numeric.get(p.protocol) ?? []), [p.from, p.to]]);
    }
    for (const [proto, list] of numeric) numeric.set(proto, mergeIntervals(list));
    return { numeric, named: [...named].sort() };
  }
}

/** NetworkPolicy ports as port matches (absent or empty: every port). */
export function npPortMatches(ports: NetworkPolicyPort[] | undefined): PortMatch[] | null {
  if (!ports || ports.length === 0) return null;
  return ports.map((p): PortMatch => {
    const protocol = portProtocol(p);
    if (typeof p.port === 'string') return { kind: 'named', name: p.port, protocol };
    if (p.port === undefined) return { kind: 'range', protocol, from: 0, to: 65535 };
    return { kind: 'range', protocol, from: p.port, to: typeof p.endPort === 'number' ? p.endPort : p.port };
  });
}

/** Rules for one policy rule: one per port kind (numeric, named), or one without ports. */
export function portRules(
  b: RulesetBuilder,
  rid: string,
  match: string[],
  ports: CompiledPorts | null,
  verdict: string,
  comment: string,
): string[] {
  if (ports === null) return [`${match.join(' ')} ${verdict}${comment}`];
  const out: string[] = [];
  const numeric = [...ports.numeric.entries()].sort(([a], [b2]) => a.localeCompare(b2));
  const elements = numeric.flatMap(([proto, list]) =>
    list.map((iv) => `${PROTO_NAME[proto]} . ${formatPortInterval(iv)}`),
  );
  if (elements.length > 0) {
    const set = b.addSet(`${rid}_ports`, 'inet_proto . inet_service', true, elements);
    out.push(`${match.join(' ')} meta l4proto . th dport ${set} ${verdict}${comment}`);
  }
  if (ports.named.length > 0) {
    const set = b.addSet(`${rid}_named`, 'ipv4_addr . inet_proto . inet_service', false, ports.named);
    out.push(`${match.join(' ')} ip daddr . meta l4proto . th dport ${set} ${verdict}${comment}`);
  }
  return out;
}
