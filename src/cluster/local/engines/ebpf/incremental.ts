/**
 * Policy resolution that redoes only what a change touches, the way Cilium's agent regenerates only
 * the endpoints a policy change selects. The result always equals resolvePolicy on the same input
 * (test/cluster/local/engines/ebpf-incremental.test.ts checks it on random change sequences).
 *
 * What an endpoint's entries depend on (resolve.ts): its identity (namespace, namespace labels,
 * labels, ports), the policies of its namespace that select it, the admin tier, and the identities
 * that exist (peers resolve to them). So entries are kept per identity and
 *   - the identities (ipcache included) are rebuilt only when the pods, the namespaces or the listed
 *     CIDRs changed, and all entries are dropped when the set of identities changed (a new identity
 *     may match any peer of any policy: not bounded here);
 *   - all entries are dropped when the admin tier changed (its subjects and peers reach anywhere);
 *   - otherwise, of the policies added, removed or changed, the old and new versions' subject
 *     selectors name the identities whose entries are redone.
 * Finding those policies costs no pass over the whole set beyond comparing references: a caller
 * passes the same objects again (they are frozen when first seen), so only the run between the
 * common head and tail of the old and new lists is looked at, as a multiset of contents (reordering
 * or passing an equal new object is no change). Adding one policy to 1,000 is then a reference
 * compare per policy and one JSON.stringify, cheap even before the JIT has compiled this code, which
 * is the case in a sweep that makes a few dozen updates.
 * Entry maps are never changed once made, so the dataplane can tell an unchanged endpoint by
 * reference and send nothing for it.
 */
import { labelSelectorMatches } from '../../../../netpol/selector.js';
import type { NetworkPolicy } from '../../../../netpol/types.js';
import {
  PeerResolver,
  buildUniverse,
  mergePrefixes,
  policyPrefixes,
  tierPrefixes,
  type IdentityAllocator,
  type Prefix,
  type Universe,
} from './identities.js';
import { endpointEntries, type DesiredMaps, type ResolveInput } from './resolve.js';

/** What the last resolution redid, for benchmarks and tests. */
export interface IncrementalStats {
  universeRebuilt: boolean;
  /** Identities whose entries were computed (not taken from the previous resolution). */
  recomputed: number;
  identities: number;
}

/** A policy as first seen: frozen, so the same object always has this content. */
interface SeenPolicy {
  text: string;
  prefixes: Prefix[];
}

/** Freezes a value and everything it holds (objects shared with others are frozen too). */
function deepFreeze(x: unknown): void {
  if (typeof x !== 'object' || x === null || Object.isFrozen(x)) return;
  Object.freeze(x);
  for (const v of Object.values(x)) deepFreeze(v);
}

export class IncrementalResolver {
  private universeKey: string | undefined;
  /** The listed CIDRs the universe was built with (the same array while they do not change). */
  private prefixes: Prefix[] | undefined;
  private tierPrefixText: string | undefined;
  private universe: Universe | undefined;
  private identitySetKey: string | undefined;
  private tierKey: string | undefined;
  /** A copy of the last list resolved. */
  private last: readonly NetworkPolicy[] = [];
  /** Policies of a namespace, by namespace; a namespace is dropped when one of its policies changes. */
  private byNamespace: Map<string, NetworkPolicy[]> | undefined;
  /**
   * Policy objects already seen. They are frozen when first seen (a caller that changes one in place
   * gets a TypeError rather than stale maps), so the same object needs no second look.
   */
  private readonly seen = new WeakMap<NetworkPolicy, SeenPolicy>();
  private readonly byIdentity = new Map<number, Map<string, number>>();
  lastStats: IncrementalStats | undefined;

  constructor(private readonly alloc: IdentityAllocator) {}

  private seenOf(policy: NetworkPolicy): SeenPolicy {
    let seen = this.seen.get(policy);
    if (!seen) {
      deepFreeze(policy);
      seen = { text: JSON.stringify(policy), prefixes: policyPrefixes(policy) };
      this.seen.set(policy, seen);
    }
    return seen;
  }

  /** Every version, old and new, of the policies whose content is not in both lists (see the top). */
  private changedPolicies(list: readonly NetworkPolicy[]): NetworkPolicy[] {
    const prev = this.last;
    const both = Math.min(prev.length, list.length);
    let head = 0;
    while (head < both && list[head] === prev[head]) head++;
    let tail = 0;
    while (tail < both - head && list[list.length - 1 - tail] === prev[prev.length - 1 - tail]) tail++;
    const added = list.slice(head, list.length - tail);
    const removed = prev.slice(head, prev.length - tail);
    const count = new Map<string, number>();
    for (const p of added) {
      const t = this.seenOf(p).text;
      count.set(t, (count.get(t) ?? 0) + 1);
    }
    for (const p of removed) {
      const t = this.seenOf(p).text;
      count.set(t, (count.get(t) ?? 0) - 1);
    }
    return [...added, ...removed].filter((p) => count.get(this.seenOf(p).text) !== 0);
  }

  /** The policies of `namespace` in `list`, kept across resolutions until one of them changes. */
  private policiesIn(list: readonly NetworkPolicy[], namespace: string): NetworkPolicy[] {
    if (!this.byNamespace) {
      this.byNamespace = new Map();
      for (const p of list) {
        let l = this.byNamespace.get(p.metadata.namespace);
        if (!l) this.byNamespace.set(p.metadata.namespace, (l = []));
        l.push(p);
      }
    }
    let l = this.byNamespace.get(namespace);
    if (!l) this.byNamespace.set(namespace, (l = list.filter((p) => p.metadata.namespace === namespace)));
    return l;
  }

  resolve(input: ResolveInput): DesiredMaps {
    const list = input.policies;
    const changed = this.changedPolicies(list);
    this.last = list.slice();
    // Many namespaces touched (a first resolution, a new set): regroup in one pass when needed.
    if (changed.length > 16) this.byNamespace = undefined;
    else for (const p of changed) this.byNamespace?.delete(p.metadata.namespace);

    // The listed CIDRs change only with a changed policy that lists some, or with the admin tier.
    const tierListed = tierPrefixes(input.adminTier);
    const tierText = tierListed.map((p) => p.text).join(',');
    let prefixes = this.prefixes;
    if (
      prefixes === undefined ||
      tierText !== this.tierPrefixText ||
      changed.some((p) => this.seenOf(p).prefixes.length > 0)
    ) {
      const merged = mergePrefixes([...list.map((p) => this.seenOf(p).prefixes), tierListed]);
      const same =
        prefixes !== undefined &&
        merged.length === prefixes.length &&
        merged.every((p, i) => p.text === prefixes?.[i]?.text);
      if (!same) prefixes = merged;
    }
    this.tierPrefixText = tierText;
    const universeKey = JSON.stringify([
      input.pods.map((p) => [p.key, p.namespace, p.labels, p.ip, p.ports]),
      input.namespaces,
    ]);
    let u = this.universe;
    const universeRebuilt = u === undefined || universeKey !== this.universeKey || prefixes !== this.prefixes;
    if (u === undefined || prefixes === undefined || universeRebuilt) {
      prefixes ??= [];
      u = buildUniverse(input.pods, input.namespaces, prefixes, this.alloc);
      this.prefixes = prefixes;
      this.universe = u;
      this.universeKey = universeKey;
      const identitySetKey = [...u.identities.keys()].sort((a, b) => a - b).join(',');
      if (identitySetKey !== this.identitySetKey) this.byIdentity.clear();
      this.identitySetKey = identitySetKey;
    }
    const tierKey = JSON.stringify(input.adminTier ?? null);
    if (tierKey !== this.tierKey) this.byIdentity.clear();
    this.tierKey = tierKey;

    for (const id of [...this.byIdentity.keys()]) {
      const pod = u.identities.get(id)?.pod;
      const touched =
        pod === undefined ||
        changed.some(
          (p) =>
            p.metadata.namespace === pod.namespace &&
            labelSelectorMatches(p.spec.podSelector ?? {}, pod.labels),
        );
      if (touched) this.byIdentity.delete(id);
    }

    const peers = new PeerResolver(u);
    let recomputed = 0;
    const endpoints = new Map<string, Map<string, number>>();
    for (const { pod, id } of u.pods) {
      let entries = this.byIdentity.get(id);
      if (!entries) {
        // Any member stands for its identity; the first met is as good as the one resolvePolicy uses.
        entries = endpointEntries(pod, this.policiesIn(list, pod.namespace), input.adminTier, u, peers);
        this.byIdentity.set(id, entries);
        recomputed++;
      }
      if (entries.size > 0) endpoints.set(pod.ip, entries);
    }
    this.lastStats = { universeRebuilt, recomputed, identities: u.podIds.length };
    return { ipcache: u.ipcache, endpoints, identities: u.describe };
  }
}
