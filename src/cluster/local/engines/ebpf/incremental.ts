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
 *   - otherwise, of the policies added, removed or changed (by namespace/name and content), the old
 *     and new versions' subject selectors name the identities whose entries are redone.
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
  /** "namespace/name": kept, so the per-update lookups hash a string whose hash is already known. */
  name: string;
  /** The key of its first occurrence, "namespace/name#0". */
  key0: string;
  policy: NetworkPolicy;
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
  /** "namespace/name#occurrence" → the policy there at the last resolution. */
  private policyAt = new Map<string, SeenPolicy>();
  /**
   * Policy objects already seen. They are frozen when first seen (a caller that changes one in place
   * gets a TypeError rather than stale maps), so the same object needs no second look: an update
   * that passes the same N objects plus one new one costs a lookup per policy and one stringify.
   */
  private readonly seen = new WeakMap<NetworkPolicy, SeenPolicy>();
  private readonly byIdentity = new Map<number, Map<string, number>>();
  lastStats: IncrementalStats | undefined;

  constructor(private readonly alloc: IdentityAllocator) {}

  resolve(input: ResolveInput): DesiredMaps {
    // Policies by namespace/name (an occurrence number keeps duplicates apart) and content.
    const at = new Map<string, SeenPolicy>();
    const changed: NetworkPolicy[] = [];
    const byNamespace = new Map<string, NetworkPolicy[]>();
    for (const policy of input.policies) {
      let seen = this.seen.get(policy);
      if (!seen) {
        deepFreeze(policy);
        const name = `${policy.metadata.namespace}/${policy.metadata.name}`;
        seen = {
          text: JSON.stringify(policy),
          name,
          key0: `${name}#0`,
          policy,
          prefixes: policyPrefixes(policy),
        };
        this.seen.set(policy, seen);
      }
      let key = seen.key0;
      for (let k = 1; at.has(key); k++) key = `${seen.name}#${k}`;
      at.set(key, seen);
      const old = this.policyAt.get(key);
      if (old !== seen && old?.text !== seen.text) {
        changed.push(policy);
        if (old) changed.push(old.policy);
      }
      let l = byNamespace.get(policy.metadata.namespace);
      if (!l) byNamespace.set(policy.metadata.namespace, (l = []));
      l.push(policy);
    }
    for (const [key, old] of this.policyAt) if (!at.has(key)) changed.push(old.policy);
    this.policyAt = at;

    // The listed CIDRs change only with a changed policy that lists some, or with the admin tier.
    const tierListed = tierPrefixes(input.adminTier);
    const tierText = tierListed.map((p) => p.text).join(',');
    let prefixes = this.prefixes;
    if (
      prefixes === undefined ||
      tierText !== this.tierPrefixText ||
      changed.some((p) => (this.seen.get(p)?.prefixes.length ?? 1) > 0)
    ) {
      const merged = mergePrefixes([...[...at.values()].map((x) => x.prefixes), tierListed]);
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
        entries = endpointEntries(pod, byNamespace.get(pod.namespace) ?? [], input.adminTier, u, peers);
        this.byIdentity.set(id, entries);
        recomputed++;
      }
      if (entries.size > 0) endpoints.set(pod.ip, entries);
    }
    this.lastStats = { universeRebuilt, recomputed, identities: u.podIds.length };
    return { ipcache: u.ipcache, endpoints, identities: u.describe };
  }
}
