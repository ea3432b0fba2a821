/**
 * NetworkPolicies → one nftables table per node (pure: text in, text out; nft-apply.ts loads it).
 *
 * Like a CNI agent, the harness knows every pod, so selectors are resolved to IP sets here and the
 * kernel only matches addresses and ports. Per node, only pods living on that node are checked:
 *   - egress for packets whose source is a local pod, ingress for packets whose destination is one
 *     (each pod lives on exactly one node, so every direction is checked exactly once; same-node
 *     traffic gets both checks on the same node);
 *   - the forward chain: established/related traffic passes, then `ip saddr @iso_eg jump egress`,
 *     then `ip daddr @iso_in jump ingress`; the egress chain `return`s when a rule admits the packet
 *     (so the ingress check still runs), the ingress chain `accept`s; both end in `deny`, which
 *     rejects TCP with a reset and anything else with ICMP admin-prohibited, so a denied probe fails
 *     at once instead of waiting for its timeout.
 * Rule count grows with policy rules, not with pods: each policy has a set of its selected local
 * pods, each rule a peer set (intervals: pod IPs and ipBlocks minus their excepts), a numeric port
 * set (`inet_proto . inet_service` intervals) and a named-port set (`ipv4_addr . inet_proto .
 * inet_service`, named ports resolved per destination pod).
 *
 * Semantics follow src/netpol/matcher.ts (the model): absent/empty policyTypes = Ingress, plus
 * Egress when spec.egress is non-empty; an absent or empty from/to admits every peer; absent or
 * empty ports admit every port; a peer with both ipBlock and a selector, or with neither, matches
 * nothing; ipBlocks are IPv4 intervals (IPv6 ones never match IPv4 pods; IPv6 pods are not policed).
 */
import { parseCidr } from '../../netpol/cidr.js';
import { effectivePolicyTypes, portProtocol } from '../../netpol/matcher.js';
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
  /** Every pod of the cluster (peers may live on any node). */
  pods: NftPod[];
  /** Namespace labels; a namespace missing here has only its kubernetes.io/metadata.name label. */
  namespaces: Record<string, Labels>;
}

type Interval = [number, number];

const PROTO_NAME: Record<Protocol, string> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };

function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  return ((+m[1] << 24) | (+m[2] << 16) | (+m[3] << 8) | +m[4]) >>> 0;
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

function formatIpInterval([a, b]: Interval): string {
  return a === b ? intToIpv4(a) : `${intToIpv4(a)}-${intToIpv4(b)}`;
}

function formatPortInterval([a, b]: Interval): string {
  return a === b ? String(a) : `${a}-${b}`;
}

class RulesetBuilder {
  readonly sets: string[] = [];
  private readonly namespaceLabels: (ns: string) => Labels;

  constructor(private readonly input: NodeRulesetInput) {
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
  ports(
    ports: NetworkPolicyPort[] | undefined,
    destinations: NftPod[],
  ): { numeric: Map<Protocol, Interval[]>; named: string[] } | null {
    if (!ports || ports.length === 0) return null;
    const numeric = new Map<Protocol, Interval[]>();
    const named = new Set<string>();
    for (const p of ports) {
      const proto = portProtocol(p);
      if (typeof p.port === 'string') {
        for (const pod of destinations) {
          const cp = pod.ports.find((c) => c.name === p.port && c.protocol === proto);
          if (cp && ipv4ToInt(pod.ip) !== undefined)
            named.add(`${pod.ip} . ${PROTO_NAME[proto]} . ${cp.port}`);
        }
        continue;
      }
      const range: Interval =
        p.port === undefined ? [0, 65535] : [p.port, typeof p.endPort === 'number' ? p.endPort : p.port];
      if (range[1] < range[0]) continue;
      numeric.set(proto, [...(numeric.get(proto) ?? []), range]);
    }
    for (const [proto, list] of numeric) numeric.set(proto, mergeIntervals(list));
    return { numeric, named: [...named].sort() };
  }
}

/** The node's whole table as nft script text (`table inet NAME { ... }`). Deterministic. */
export function compileNodeRuleset(input: NodeRulesetInput): string {
  const b = new RulesetBuilder(input);
  const local = (pods: NftPod[]) =>
    pods.filter((p) => p.node === input.node && ipv4ToInt(p.ip) !== undefined);
  const isoIn = new Set<string>();
  const isoEg = new Set<string>();
  const ingressRules: string[] = [];
  const egressRules: string[] = [];

  input.policies.forEach((pol, pi) => {
    const types = effectivePolicyTypes(pol);
    const selectedAll = b.selected(pol);
    const sel = local(selectedAll);
    if (sel.length === 0) return;
    const ns = pol.metadata.namespace;
    const id = `p${pi}`;
    const comment = ` comment "${`${ns}/${pol.metadata.name}`.replace(/["\\]/g, '')}"`;
    const selIps = sel.map((p) => p.ip).sort();

    if (types.ingress) {
      for (const ip of selIps) isoIn.add(ip);
      const selSet = b.addSet(`${id}_in_sel`, 'ipv4_addr', false, selIps);
      (pol.spec.ingress ?? []).forEach((rule, ri) => {
        const rid = `${id}_in${ri}`;
        const peers = b.peerIntervals(rule.from, ns);
        if (peers && peers.length === 0) return;
        const ports = b.ports(rule.ports, sel);
        const match = [`ip daddr ${selSet}`];
        if (peers)
          match.push(`ip saddr ${b.addSet(`${rid}_peer`, 'ipv4_addr', true, peers.map(formatIpInterval))}`);
        ingressRules.push(...portRules(b, rid, match, ports, 'accept', comment));
      });
    }
    if (types.egress) {
      for (const ip of selIps) isoEg.add(ip);
      const selSet = b.addSet(`${id}_eg_sel`, 'ipv4_addr', false, selIps);
      (pol.spec.egress ?? []).forEach((rule, ri) => {
        const rid = `${id}_eg${ri}`;
        const peers = b.peerIntervals(rule.to, ns);
        if (peers && peers.length === 0) return;
        // Egress named ports resolve at the destination, which may be any pod of the cluster.
        const ports = b.ports(rule.ports, input.pods);
        const match = [`ip saddr ${selSet}`];
        if (peers)
          match.push(`ip daddr ${b.addSet(`${rid}_peer`, 'ipv4_addr', true, peers.map(formatIpInterval))}`);
        egressRules.push(...portRules(b, rid, match, ports, 'return', comment));
      });
    }
  });

  const isoInSet = b.addSet('iso_in', 'ipv4_addr', false, [...isoIn].sort());
  const isoEgSet = b.addSet('iso_eg', 'ipv4_addr', false, [...isoEg].sort());
  const chain = (name: string, body: string[], header?: string) =>
    [`\tchain ${name} {`, ...(header ? [`\t\t${header}`] : []), ...body.map((r) => `\t\t${r}`), '\t}'].join(
      '\n',
    );
  return [
    `table inet ${input.table} {`,
    ...b.sets,
    chain(
      'forward',
      [
        'ct state established,related accept',
        `ip saddr ${isoEgSet} jump egress`,
        `ip daddr ${isoInSet} jump ingress`,
      ],
      'type filter hook forward priority filter; policy accept;',
    ),
    chain('egress', [...egressRules, 'jump deny']),
    chain('ingress', [...ingressRules, 'jump deny']),
    chain('deny', ['meta l4proto tcp reject with tcp reset', 'reject with icmpx admin-prohibited']),
    '}',
  ].join('\n');
}

/** Rules for one policy rule: one per port kind (numeric, named), or one without ports. */
function portRules(
  b: RulesetBuilder,
  rid: string,
  match: string[],
  ports: ReturnType<RulesetBuilder['ports']>,
  verdict: 'accept' | 'return',
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

/**
 * One atomic nft transaction that replaces the table: creating it first makes the delete valid when
 * it does not exist yet, and nft applies the whole script or nothing.
 */
export function replaceTableScript(table: string, ruleset: string): string {
  return `table inet ${table}\ndelete table inet ${table}\n${ruleset}\n`;
}

export function deleteTableScript(table: string): string {
  return `table inet ${table}\ndelete table inet ${table}\n`;
}
