/**
 * Policy → BPF map entries, in user space, the way Cilium's agent resolves policy: the kernel only
 * looks up (c/policy.bpf.c). Pure: inputs in, desired map contents out.
 *
 * Identities. Every IPv4 CIDR named by an ipBlock (cidr and except) or an admin-tier `networks` peer
 * becomes a CIDR identity in the ipcache (an LPM trie, so the longest listed prefix of an address
 * names it); every other address outside the pods is WORLD. A pod's identity is its namespace, the
 * namespace's labels, its labels — and, so that every member of an identity gets the same verdicts
 * from the model, its named container ports and the longest listed CIDR holding its IP (ipBlocks
 * match pod IPs too). Identity numbers come from an allocator that lives as long as the dataplane,
 * so an update that keeps an identity keeps its number and its entries.
 *
 * Verdicts. For each endpoint (pod) and direction, the rules that apply are taken in the model's
 * evaluation order (src/netpol/tiers.ts, matcher.ts): admin-tier rules by priority, first match wins
 * (Accept, Deny, or Pass on to NetworkPolicy); NetworkPolicy (isolated: allowed iff a rule of a
 * selecting policy matches); baseline rules, first match (Pass = allowed); else allowed. Named ports
 * are resolved at the destination: the endpoint for ingress, the remote pod for egress. Per remote
 * identity and protocol the verdict is a step function of the port; IDENTITY_ANY holds the function
 * of a remote that no selector or CIDR matches, and an identity gets entries only for the protocols
 * on which its function differs from that. A function is written as a /0 port prefix with its most
 * common verdict plus port prefixes (LPM: the longest wins) for the ranges that differ.
 */
import type { AdminTierSet, TierPolicy, TierRule } from '../../../../netpol/admin-tier.js';
import { effectivePolicyTypes, portProtocol } from '../../../../netpol/matcher.js';
import { labelSelectorMatches } from '../../../../netpol/selector.js';
import type {
  ContainerPort,
  Labels,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from '../../../../netpol/types.js';
import {
  IDENTITY_ANY,
  IdentityAllocator,
  PeerResolver,
  buildUniverse,
  listedPrefixes,
  type BpfPod,
  type Universe,
} from './identities.js';

export { IdentityAllocator, type BpfPod };

const DIR = { ingress: 0, egress: 1 } as const;
const VERDICT = { allow: 1, deny: 2 } as const;
type Verdict = (typeof VERDICT)[keyof typeof VERDICT];
/** IP protocol numbers as the program keys them; 0 = any protocol without ports. */
const PROTO_NUMBER: Record<Protocol | 'other', number> = { TCP: 6, UDP: 17, SCTP: 132, other: 0 };
const PORTED: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export interface ResolveInput {
  policies: readonly NetworkPolicy[];
  adminTier?: AdminTierSet;
  pods: readonly BpfPod[];
  namespaces: Record<string, Labels>;
}

/** What the maps should hold. Keys are the writer's argument text, so diffs are string compares. */
export interface DesiredMaps {
  /** "ADDR PLEN" → identity. */
  ipcache: Map<string, number>;
  /** endpoint address → ("ID DIR PROTO PORT PLEN" → verdict); endpoints absent allow everything. */
  endpoints: Map<string, Map<string, number>>;
  /** identity → what it stands for, for explanations and tests. */
  identities: Map<number, string>;
}

/** A rule in one direction of one endpoint, with the identities its peers match (null: every remote). */
interface FlatRule {
  phase: 'admin' | 'np' | 'baseline';
  effect: 'accept' | 'deny' | 'pass';
  peers: Set<number> | null;
  /** null: every port and protocol. */
  ports: readonly PortSpec[] | null;
}

type PortSpec =
  | { kind: 'range'; protocol: Protocol; from: number; to: number }
  /** protocol undefined: an admin-tier named port, of whatever protocol the container port has. */
  | { kind: 'named'; name: string; protocol?: Protocol };

function npPorts(ports: NetworkPolicyPort[] | undefined): PortSpec[] | null {
  if (!ports || ports.length === 0) return null;
  return ports.map((p): PortSpec => {
    const protocol = portProtocol(p);
    if (p.port === undefined) return { kind: 'range', protocol, from: 0, to: 65535 };
    if (typeof p.port === 'string') return { kind: 'named', name: p.port, protocol };
    return { kind: 'range', protocol, from: p.port, to: p.endPort ?? p.port };
  });
}

function tierPorts(rule: TierRule): PortSpec[] | null {
  if (rule.ports === null) return null;
  return rule.ports.map((p) => (p.kind === 'named' ? { kind: 'named', name: p.name } : p));
}

/** Port intervals of one protocol a rule's ports admit towards a destination with `dstPorts`. */
function intervals(
  ports: readonly PortSpec[],
  proto: Protocol,
  dstPorts: readonly ContainerPort[],
): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const p of ports) {
    if (p.kind === 'range') {
      if (p.protocol === proto) out.push([p.from, p.to]);
    } else {
      for (const cp of dstPorts)
        if (cp.name === p.name && cp.protocol === proto && (p.protocol === undefined || p.protocol === proto))
          out.push([cp.port, cp.port]);
    }
  }
  return out;
}

/** Splits [from, to] into port prefixes: [port, number of leading bits that must match]. */
export function portPrefixes(from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let p = from;
  while (p <= to) {
    let size = 1;
    let bits = 16;
    while (bits > 0 && p % (size * 2) === 0 && p + size * 2 - 1 <= to) {
      size *= 2;
      bits--;
    }
    out.push([p, bits]);
    p += size;
  }
  return out;
}

type Steps = Array<[number, number, Verdict]>; // [from, to, verdict], covering 0..65535 in order

function sameSteps(a: Steps, b: Steps): boolean {
  return a.length === b.length && a.every((s, i) => s[0] === b[i]?.[0] && s[2] === b[i]?.[2]);
}

/**
 * One endpoint's policy entries. `policies` must hold every policy of the endpoint's namespace that
 * selects it (others are skipped). Depends on the endpoint only through its namespace, labels and
 * ports, i.e. its identity: endpoints of one identity get the same entries.
 */
export function endpointEntries(
  ep: BpfPod,
  policies: readonly NetworkPolicy[],
  adminTier: AdminTierSet | undefined,
  u: Universe,
  peers: PeerResolver,
): Map<string, number> {
  const admin = adminTier?.admin ?? [];
  const baseline = adminTier?.baseline ?? [];
  const entries = new Map<string, number>();
  for (const dir of ['ingress', 'egress'] as const) {
    const rules: FlatRule[] = [];
    const tierRules = (set: readonly TierPolicy[], phase: 'admin' | 'baseline') => {
      for (const pol of set) {
        const rs = dir === 'ingress' ? pol.ingress : pol.egress;
        if (rs.length === 0 || !peers.selects(pol.subject, ep)) continue;
        for (const r of rs)
          rules.push({ phase, effect: r.effect, peers: peers.tier(r), ports: tierPorts(r) });
      }
    };
    tierRules(admin, 'admin');
    let isolated = false;
    for (const pol of policies) {
      if (!effectivePolicyTypes(pol)[dir]) continue;
      if (
        pol.metadata.namespace !== ep.namespace ||
        !labelSelectorMatches(pol.spec.podSelector ?? {}, ep.labels)
      )
        continue;
      isolated = true;
      const rs = (dir === 'ingress' ? pol.spec.ingress : pol.spec.egress) ?? [];
      for (const r of rs) {
        const rulePeers = ('from' in r ? r.from : (r as { to?: NetworkPolicyPeer[] }).to) ?? [];
        let ids: Set<number> | null = null;
        if (rulePeers.length > 0) {
          ids = new Set();
          for (const peer of rulePeers) for (const id of peers.np(peer, pol.metadata.namespace)) ids.add(id);
        }
        rules.push({ phase: 'np', effect: 'accept', peers: ids, ports: npPorts(r.ports) });
      }
    }
    tierRules(baseline, 'baseline');
    if (rules.length === 0 && !isolated) continue;

    // Rules per identity, in order; rules for every remote go to every list.
    const anyRules: FlatRule[] = [];
    const specific = new Map<number, FlatRule[]>();
    // Egress named ports resolve at each remote pod: then every pod identity needs its own entries.
    if (dir === 'egress' && rules.some((r) => r.ports?.some((p) => p.kind === 'named')))
      for (const id of u.podIds) specific.set(id, []);
    for (const r of rules) {
      if (r.peers === null) {
        anyRules.push(r);
        for (const l of specific.values()) l.push(r);
        continue;
      }
      for (const id of r.peers) {
        let l = specific.get(id);
        if (!l) specific.set(id, (l = [...anyRules]));
        l.push(r);
      }
    }

    const steps = (
      list: readonly FlatRule[],
      proto: Protocol | 'other',
      remote: BpfPod | undefined,
    ): Steps => {
      const dstPorts = dir === 'ingress' ? ep.ports : (remote?.ports ?? []);
      if (proto === 'other') return [[0, 65535, verdictOf(list, isolated, () => true)]];
      const cuts = new Set<number>([0]);
      const ranges = list.map((r) => (r.ports === null ? null : intervals(r.ports, proto, dstPorts)));
      for (const rs of ranges)
        for (const [a, b] of rs ?? []) {
          cuts.add(a);
          if (b < 65535) cuts.add(b + 1);
        }
      const starts = [...cuts].sort((a, b) => a - b);
      if (list.every((r) => r.phase === 'np')) return npSteps(ranges, isolated);
      const out: Steps = [];
      starts.forEach((from, i) => {
        const to = (starts[i + 1] ?? 65536) - 1;
        const v = verdictOf(list, isolated, (k) => {
          const rs = ranges[k];
          return rs === null || rs === undefined ? true : rs.some(([a, b]) => from >= a && from <= b);
        });
        const last = out.at(-1);
        if (last && last[2] === v) last[1] = to;
        else out.push([from, to, v]);
      });
      return out;
    };
    const d = DIR[dir];
    const write = (id: number, proto: Protocol | 'other', st: Steps) => {
      const pn = PROTO_NUMBER[proto];
      if (proto === 'other') {
        entries.set(`${id} ${d} ${pn} 0 0`, st[0]?.[2] ?? VERDICT.allow);
        return;
      }
      // The most common verdict (by ports covered) as the /0 default, the rest as prefixes.
      const cover = { [VERDICT.allow]: 0, [VERDICT.deny]: 0 };
      for (const [a, b, v] of st) cover[v] += b - a + 1;
      const base = cover[VERDICT.allow] >= cover[VERDICT.deny] ? VERDICT.allow : VERDICT.deny;
      entries.set(`${id} ${d} ${pn} 0 0`, base);
      for (const [a, b, v] of st)
        if (v !== base)
          for (const [port, bits] of portPrefixes(a, b)) entries.set(`${id} ${d} ${pn} ${port} ${bits}`, v);
    };
    const anySteps = new Map<Protocol | 'other', Steps>();
    for (const proto of [...PORTED, 'other'] as const) {
      const st = steps(anyRules, proto, undefined);
      anySteps.set(proto, st);
      if (!(st.length === 1 && st[0]?.[2] === VERDICT.allow)) write(IDENTITY_ANY, proto, st);
    }
    for (const [id, list] of specific) {
      const remote = u.identities.get(id)?.pod;
      for (const proto of [...PORTED, 'other'] as const) {
        const st = steps(list, proto, remote);
        const base = anySteps.get(proto);
        if (base && sameSteps(st, base)) continue;
        write(id, proto, st);
      }
    }
  }
  return entries;
}

/** The whole desired state from scratch: what an incremental update must always equal. */
export function resolvePolicy(input: ResolveInput, alloc: IdentityAllocator): DesiredMaps {
  const u = buildUniverse(
    input.pods,
    input.namespaces,
    listedPrefixes(input.policies, input.adminTier),
    alloc,
  );
  const peers = new PeerResolver(u);
  const endpoints = new Map<string, Map<string, number>>();
  for (const { pod } of u.pods) {
    const entries = endpointEntries(pod, input.policies, input.adminTier, u, peers);
    if (entries.size > 0) endpoints.set(pod.ip, entries);
  }
  return { ipcache: u.ipcache, endpoints, identities: u.describe };
}

/** NetworkPolicy alone: allowed where any rule's ports reach (isolated), else everywhere. */
function npSteps(ranges: ReadonlyArray<Array<[number, number]> | null>, isolated: boolean): Steps {
  if (!isolated || ranges.some((r) => r === null)) return [[0, 65535, VERDICT.allow]];
  const all = ranges.flatMap((r) => r ?? []).sort((a, b) => a[0] - b[0]);
  const out: Steps = [];
  let at = 0;
  for (const [a, b] of all) {
    const last = out.at(-1);
    if (last && last[2] === VERDICT.allow && a <= last[1] + 1) {
      last[1] = Math.max(last[1], b);
      at = last[1] + 1;
      continue;
    }
    if (a > at) out.push([at, a - 1, VERDICT.deny]);
    if (b >= at) out.push([Math.max(a, at), b, VERDICT.allow]);
    at = Math.max(at, b + 1);
  }
  if (at <= 65535) out.push([at, 65535, VERDICT.deny]);
  return out;
}

/** The model's decision for a remote that the rules at `matches(k)` (by index) match on port. */
function verdictOf(rules: readonly FlatRule[], isolated: boolean, portOk: (k: number) => boolean): Verdict {
  let k = 0;
  for (; k < rules.length; k++) {
    const r = rules[k];
    if (!r || r.phase !== 'admin') break;
    if (!portOk(k)) continue;
    if (r.effect === 'pass') break;
    return r.effect === 'accept' ? VERDICT.allow : VERDICT.deny;
  }
  while (k < rules.length && rules[k]?.phase === 'admin') k++;
  if (isolated) {
    for (; k < rules.length && rules[k]?.phase === 'np'; k++) if (portOk(k)) return VERDICT.allow;
    return VERDICT.deny;
  }
  while (k < rules.length && rules[k]?.phase === 'np') k++;
  for (; k < rules.length; k++) {
    const r = rules[k];
    if (r && portOk(k)) return r.effect === 'deny' ? VERDICT.deny : VERDICT.allow;
  }
  return VERDICT.allow;
}
