/**
 * The identity half of policy resolution (resolve.ts states the rules): which CIDRs the policies
 * list, which identity every pod and listed CIDR gets, the ipcache that maps addresses to them, and
 * which identities a policy peer names. Split out so that an update can keep all of it when neither
 * the pods, the namespaces nor the listed CIDRs changed (incremental.ts).
 */
import type { AdminTierSet, TierPolicy, TierRule } from '../../../../netpol/admin-tier.js';
import { canonicalCidr, cidrContains, parseCidr } from '../../../../netpol/cidr.js';
import { labelSelectorMatches } from '../../../../netpol/selector.js';
import type { ContainerPort, Labels, NetworkPolicy, NetworkPolicyPeer } from '../../../../netpol/types.js';
import { NAMESPACE_NAME_LABEL } from '../../../../netpol/types.js';

export interface BpfPod {
  key: string;
  namespace: string;
  labels: Labels;
  ip: string;
  ports: ContainerPort[];
}

export const IDENTITY_ANY = 0;
const IDENTITY_WORLD = 1;
/** First number handed out to pods and CIDRs. */
const FIRST_IDENTITY = 256;

/** Hands out identity numbers, stable for as long as the dataplane lives. */
export class IdentityAllocator {
  private readonly ids = new Map<string, number>();
  private next = FIRST_IDENTITY;
  get(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.next++));
    return id;
  }
}

export interface Prefix {
  text: string;
  net: number;
  len: number;
}

function ipv4(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (!m) return undefined;
  return m.slice(1, 5).reduce((a, x) => a * 256 + Number(x), 0);
}

function v4Prefix(text: string): Prefix | undefined {
  let c;
  try {
    c = parseCidr(text);
  } catch {
    return undefined;
  }
  if (c.family !== 4) return undefined;
  return { text: canonicalCidr(text), net: Number(c.network), len: c.prefix };
}

const contains = (outer: Prefix, inner: Prefix) =>
  outer.len <= inner.len &&
  (outer.len === 0 ||
    Math.floor(inner.net / 2 ** (32 - outer.len)) === Math.floor(outer.net / 2 ** (32 - outer.len)));

interface IdentityInfo {
  id: number;
  /** A member pod (all members get the same verdicts), or undefined for a CIDR identity. */
  pod?: BpfPod;
  /** Listed CIDRs (canonical text) that hold every address of the identity. */
  within: Set<string>;
}

/** The IPv4 CIDRs one NetworkPolicy names (ipBlock cidr and except). */
export function policyPrefixes(pol: NetworkPolicy): Prefix[] {
  const out: Prefix[] = [];
  const add = (text: string) => {
    const p = v4Prefix(text);
    if (p) out.push(p);
  };
  for (const r of [...(pol.spec.ingress ?? []), ...(pol.spec.egress ?? [])])
    for (const peer of ('from' in r ? r.from : (r as { to?: NetworkPolicyPeer[] }).to) ?? [])
      if (peer.ipBlock) {
        add(peer.ipBlock.cidr);
        for (const e of peer.ipBlock.except ?? []) add(e);
      }
  return out;
}

/** The IPv4 CIDRs the admin tier's `networks` peers name. */
export function tierPrefixes(adminTier: AdminTierSet | undefined): Prefix[] {
  const out: Prefix[] = [];
  for (const pol of [...(adminTier?.admin ?? []), ...(adminTier?.baseline ?? [])])
    for (const r of [...pol.ingress, ...pol.egress])
      for (const peer of r.peers)
        if (peer.kind === 'networks')
          for (const c of peer.cidrs) {
            const p = v4Prefix(c);
            if (p) out.push(p);
          }
  return out;
}

/** Distinct prefixes of several lists, shortest first (then by address): the order identities use. */
export function mergePrefixes(lists: Iterable<readonly Prefix[]>): Prefix[] {
  const prefixes = new Map<string, Prefix>();
  for (const l of lists) for (const p of l) prefixes.set(p.text, p);
  return [...prefixes.values()].sort((a, b) => a.len - b.len || a.net - b.net);
}

/** Every IPv4 CIDR the policies and admin tier name (ipBlock cidr and except, `networks` peers). */
export function listedPrefixes(
  policies: readonly NetworkPolicy[],
  adminTier: AdminTierSet | undefined,
): Prefix[] {
  return mergePrefixes([...policies.map(policyPrefixes), tierPrefixes(adminTier)]);
}

/** The identities of one set of pods, namespaces and listed CIDRs. Never changed once built. */
export interface Universe {
  nsLabels: (ns: string) => Labels;
  /** The IPv4 pods, each with its identity, in input order. */
  pods: ReadonlyArray<{ pod: BpfPod; id: number }>;
  /** Distinct pod identities. */
  podIds: readonly number[];
  identities: ReadonlyMap<number, IdentityInfo>;
  /** Listed CIDR text → identities whose addresses all lie inside it. */
  inside: ReadonlyMap<string, readonly number[]>;
  ipcache: Map<string, number>;
  describe: Map<number, string>;
}

export function buildUniverse(
  pods: readonly BpfPod[],
  namespaces: Record<string, Labels>,
  prefixList: readonly Prefix[],
  alloc: IdentityAllocator,
): Universe {
  const nsLabels = (ns: string): Labels => ({ ...(namespaces[ns] ?? {}), [NAMESPACE_NAME_LABEL]: ns });
  const identities = new Map<number, IdentityInfo>();
  const describe = new Map<number, string>([
    [IDENTITY_ANY, 'any'],
    [IDENTITY_WORLD, 'world'],
  ]);
  const ipcache = new Map<string, number>();
  const inside = new Map<string, number[]>();
  const addInside = (info: IdentityInfo) => {
    for (const w of info.within) {
      let l = inside.get(w);
      if (!l) inside.set(w, (l = []));
      l.push(info.id);
    }
  };
  for (const p of prefixList) {
    const id = alloc.get(`cidr:${p.text}`);
    const within = new Set(prefixList.filter((q) => contains(q, p)).map((q) => q.text));
    const info = { id, within };
    identities.set(id, info);
    addInside(info);
    describe.set(id, `cidr:${p.text}`);
    const [addr] = p.text.split('/');
    ipcache.set(`${addr} ${p.len}`, id);
  }
  const withIds: Array<{ pod: BpfPod; id: number }> = [];
  for (const pod of pods) {
    const net = ipv4(pod.ip);
    if (net === undefined) continue;
    // Listed CIDRs holding the pod nest (they share its address), so the last, longest, names them all.
    const within = prefixList.filter((q) => contains(q, { text: pod.ip, net, len: 32 })).map((q) => q.text);
    const sorted = (l: Labels) => Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const ports = [...pod.ports]
      .map((c) => `${c.name ?? ''}/${c.protocol}/${c.port}`)
      .sort()
      .join(',');
    const key = JSON.stringify([
      pod.namespace,
      sorted(nsLabels(pod.namespace)),
      sorted(pod.labels),
      ports,
      within.at(-1) ?? '',
    ]);
    const id = alloc.get(`pod:${key}`);
    withIds.push({ pod, id });
    ipcache.set(`${pod.ip} 32`, id);
    if (!identities.has(id)) {
      const info = { id, pod, within: new Set(within) };
      identities.set(id, info);
      addInside(info);
      describe.set(id, `pod:${pod.namespace}/${JSON.stringify(pod.labels)}`);
    }
  }
  return {
    nsLabels,
    pods: withIds,
    podIds: [...new Set(withIds.map((x) => x.id))],
    identities,
    inside,
    ipcache,
    describe,
  };
}

/**
 * Peer → identities within one universe, cached per peer object: a rule is resolved once, whichever
 * endpoints it applies to. One resolver per resolution, as policy objects may be new (or changed) at
 * the next one.
 */
export class PeerResolver {
  private readonly cache = new Map<object, Set<number>>();
  constructor(private readonly u: Universe) {}

  selects(s: TierPolicy['subject'], pod: BpfPod): boolean {
    return (
      labelSelectorMatches(s.namespaceSelector, this.u.nsLabels(pod.namespace)) &&
      (s.podSelector === undefined || labelSelectorMatches(s.podSelector, pod.labels))
    );
  }

  np(peer: NetworkPolicyPeer, policyNs: string): Set<number> {
    const cached = this.cache.get(peer);
    if (cached) return cached;
    const { identities, inside, podIds, nsLabels } = this.u;
    const out = new Set<number>();
    if (peer.ipBlock) {
      if (!peer.podSelector && !peer.namespaceSelector) {
        const cidr = v4Prefix(peer.ipBlock.cidr);
        const excepts = (peer.ipBlock.except ?? []).flatMap((e) => v4Prefix(e)?.text ?? []);
        for (const id of cidr ? (inside.get(cidr.text) ?? []) : []) {
          const info = identities.get(id);
          if (!info) continue;
          // A pod matches by its own IP (as the model does); a CIDR by its place among the listed CIDRs.
          const excluded = info.pod
            ? (peer.ipBlock.except ?? []).some((e) => info.pod && cidrContains(e, info.pod.ip))
            : excepts.some((e) => info.within.has(e));
          if (!excluded) out.add(id);
        }
      }
    } else if (peer.podSelector || peer.namespaceSelector) {
      for (const id of podIds) {
        const pod = identities.get(id)?.pod;
        if (!pod) continue;
        if (peer.namespaceSelector) {
          if (!labelSelectorMatches(peer.namespaceSelector, nsLabels(pod.namespace))) continue;
        } else if (pod.namespace !== policyNs) continue;
        if (peer.podSelector && !labelSelectorMatches(peer.podSelector, pod.labels)) continue;
        out.add(id);
      }
    }
    this.cache.set(peer, out);
    return out;
  }

  tier(rule: TierRule): Set<number> {
    const cached = this.cache.get(rule);
    if (cached) return cached;
    const { identities, inside, podIds } = this.u;
    const out = new Set<number>();
    for (const peer of rule.peers) {
      if (peer.kind === 'pods') {
        for (const id of podIds) {
          const pod = identities.get(id)?.pod;
          if (pod && this.selects(peer.selection, pod)) out.add(id);
        }
      } else if (peer.kind === 'networks') {
        for (const c of peer.cidrs) {
          const p = v4Prefix(c);
          for (const id of p ? (inside.get(p.text) ?? []) : []) out.add(id);
        }
      }
    }
    this.cache.set(rule, out);
    return out;
  }
}
