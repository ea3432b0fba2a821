/**
 * Precomputes a case for fast evaluation: per policy the selected pods and per rule the peer pods
 * as bitsets, so a whole truth table is a few thousand word-wise ORs instead of a
 * pods × pods × policies loop. Semantics mirror matcher.ts, which the tests compare against.
 */
import { itemAt } from '../util/arrays.js';
import { andBitsets, fullBitset, newBitset, orInto, setBit } from './bitset.js';
import { cidrContains, parseCidr, parseIp, type Cidr, type IpAddress } from './cidr.js';
import { effectivePolicyTypes, policyKey, portProtocol } from './matcher.js';
import { labelSelectorMatches } from './selector.js';
import type {
  IPBlock,
  LabelSelector,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
  ResolvedCase,
  ResolvedPod,
} from './types.js';

type CompiledPort =
  | { kind: 'range'; protocol: Protocol; from: number; to: number }
  | { kind: 'named'; protocol: Protocol; name: string };

export interface CompiledRule {
  /** Peer pods; null when the rule has no peers (every pod). */
  peers: Uint32Array | null;
  /** null when the rule has no ports (every port). */
  ports: CompiledPort[] | null;
}

interface CompiledPolicy {
  key: string;
  ingress: boolean;
  egress: boolean;
  selected: Uint32Array;
  ingressRules: CompiledRule[];
  egressRules: CompiledRule[];
}

export interface CompiledModel {
  pods: ResolvedPod[];
  index: Map<string, number>;
  /** Words per bitset. */
  words: number;
  all: Uint32Array;
  policies: CompiledPolicy[];
}

function compilePort(p: NetworkPolicyPort): CompiledPort {
  const protocol = portProtocol(p);
  if (p.port === undefined) return { kind: 'range', protocol, from: 0, to: 65535 };
  if (typeof p.port === 'string') return { kind: 'named', protocol, name: p.port };
  return { kind: 'range', protocol, from: p.port, to: p.endPort ?? p.port };
}

export function compileModel(c: ResolvedCase): CompiledModel {
  const pods = c.pods;
  const n = pods.length;
  const index = new Map<string, number>();
  pods.forEach((p, i) => index.set(p.key, i));
  const byNamespace = new Map<string, number[]>();
  pods.forEach((p, i) => {
    let list = byNamespace.get(p.namespace);
    if (!list) byNamespace.set(p.namespace, (list = []));
    list.push(i);
  });
  let ips: IpAddress[] | undefined;
  const empty = newBitset(n);
  const all = fullBitset(n);

  // Many policies repeat the same selectors; cache by their JSON text.
  const podSelCache = new Map<string, Uint32Array>();
  const podsMatching = (ns: string, sel: LabelSelector): Uint32Array => {
    const key = `${ns}\u0000${JSON.stringify(sel)}`;
    let b = podSelCache.get(key);
    if (!b) {
      b = newBitset(n);
      for (const i of byNamespace.get(ns) ?? [])
        if (labelSelectorMatches(sel, itemAt(pods, i).labels)) setBit(b, i);
      podSelCache.set(key, b);
    }
    return b;
  };
  const nsSelCache = new Map<string, string[]>();
  const namespacesMatching = (sel: LabelSelector): string[] => {
    const key = JSON.stringify(sel);
    let list = nsSelCache.get(key);
    if (!list) {
      list = [];
      // Namespaces without pods cannot contribute peers, so only those with pods are considered.
      for (const ns of byNamespace.keys())
        if (labelSelectorMatches(sel, c.namespaces[ns] ?? {})) list.push(ns);
      nsSelCache.set(key, list);
    }
    return list;
  };
  const peerCache = new Map<string, Uint32Array>();
  const ipBlockPods = (block: IPBlock): Uint32Array => {
    ips ??= pods.map((p) => parseIp(p.ip));
    const cidr = parseCidr(block.cidr);
    const except: Cidr[] = (block.except ?? []).map(parseCidr);
    const b = newBitset(n);
    ips.forEach((a, i) => {
      if (cidrContains(cidr, a) && !except.some((e) => cidrContains(e, a))) setBit(b, i);
    });
    return b;
  };
  const peerPods = (peer: NetworkPolicyPeer, policyNs: string): Uint32Array => {
    const key = `${policyNs}\u0000${JSON.stringify(peer)}`;
    const cached = peerCache.get(key);
    if (cached) return cached;
    let b: Uint32Array;
    if (peer.ipBlock) b = peer.podSelector || peer.namespaceSelector ? empty : ipBlockPods(peer.ipBlock);
    else if (!peer.namespaceSelector) b = peer.podSelector ? podsMatching(policyNs, peer.podSelector) : empty;
    else {
      b = newBitset(n);
      const podSel = peer.podSelector ?? {};
      for (const ns of namespacesMatching(peer.namespaceSelector)) orInto(b, 0, podsMatching(ns, podSel));
    }
    peerCache.set(key, b);
    return b;
  };
  const compileRule = (
    peers: NetworkPolicyPeer[] | undefined,
    ports: NetworkPolicyPort[] | undefined,
    ns: string,
  ): CompiledRule => {
    let peerSet: Uint32Array | null = null;
    if (peers && peers.length > 0) {
      peerSet = newBitset(n);
      for (const peer of peers) orInto(peerSet, 0, peerPods(peer, ns));
    }
    return { peers: peerSet, ports: ports && ports.length > 0 ? ports.map(compilePort) : null };
  };

  const policies: CompiledPolicy[] = c.policies.map((p) => {
    const ns = p.metadata.namespace;
    const types = effectivePolicyTypes(p);
    return {
      key: policyKey(p),
      ingress: types.ingress,
      egress: types.egress,
      selected: podsMatching(ns, p.spec.podSelector ?? {}),
      ingressRules: types.ingress ? (p.spec.ingress ?? []).map((r) => compileRule(r.from, r.ports, ns)) : [],
      egressRules: types.egress ? (p.spec.egress ?? []).map((r) => compileRule(r.to, r.ports, ns)) : [],
    };
  });
  return { pods, index, words: all.length, all, policies };
}

/** AND of two bitsets where null stands for "every pod". */
export function intersect(a: Uint32Array | null, b: Uint32Array | null): Uint32Array | null {
  if (a === null) return b;
  if (b === null) return a;
  return andBitsets(a, b);
}
