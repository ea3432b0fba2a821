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
import type { LabelSelector, NetworkPolicy } from '../../../../netpol/types.js';
import {
  PeerResolver,
  buildUniverse,
  listedPrefixes,
  type IdentityAllocator,
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

interface SeenPolicy {
  text: string;
  namespace: string;
  podSelector: LabelSelector;
}

export class IncrementalResolver {
  private universeKey: string | undefined;
  private universe: Universe | undefined;
  private identitySetKey: string | undefined;
  private tierKey: string | undefined;
  /**
   * "namespace/name#occurrence" → the policy's JSON text and subject at the last resolution; the
   * subject is a copy, so a policy object changed in place still shows what it selected before.
   */
  private policyText = new Map<string, SeenPolicy>();
  private readonly byIdentity = new Map<number, Map<string, number>>();
  lastStats: IncrementalStats | undefined;

  constructor(private readonly alloc: IdentityAllocator) {}

  resolve(input: ResolveInput): DesiredMaps {
    const prefixes = listedPrefixes(input.policies, input.adminTier);
    const universeKey = JSON.stringify([
      prefixes.map((p) => p.text),
      input.pods.map((p) => [p.key, p.namespace, p.labels, p.ip, p.ports]),
      input.namespaces,
    ]);
    let u = this.universe;
    const universeRebuilt = u === undefined || universeKey !== this.universeKey;
    if (u === undefined || universeRebuilt) {
      u = buildUniverse(input.pods, input.namespaces, prefixes, this.alloc);
      this.universe = u;
      this.universeKey = universeKey;
      const identitySetKey = [...u.identities.keys()].sort((a, b) => a - b).join(',');
      if (identitySetKey !== this.identitySetKey) this.byIdentity.clear();
      this.identitySetKey = identitySetKey;
    }
    const tierKey = JSON.stringify(input.adminTier ?? null);
    if (tierKey !== this.tierKey) this.byIdentity.clear();
    this.tierKey = tierKey;

    // Policies by namespace/name (an occurrence number keeps duplicates apart) and content.
    const texts = new Map<string, SeenPolicy>();
    const changed: SeenPolicy[] = [];
    const byNamespace = new Map<string, NetworkPolicy[]>();
    for (const policy of input.policies) {
      const base = `${policy.metadata.namespace}/${policy.metadata.name}`;
      let key = `${base}#0`;
      for (let k = 1; texts.has(key); k++) key = `${base}#${k}`;
      const text = JSON.stringify(policy);
      const old = this.policyText.get(key);
      if (old?.text === text) texts.set(key, old);
      else {
        const seen = {
          text,
          namespace: policy.metadata.namespace,
          podSelector: JSON.parse(JSON.stringify(policy.spec.podSelector ?? {})) as LabelSelector,
        };
        texts.set(key, seen);
        changed.push(seen);
        if (old) changed.push(old);
      }
      let l = byNamespace.get(policy.metadata.namespace);
      if (!l) byNamespace.set(policy.metadata.namespace, (l = []));
      l.push(policy);
    }
    for (const [key, old] of this.policyText) if (!texts.has(key)) changed.push(old);
    this.policyText = texts;

    for (const id of [...this.byIdentity.keys()]) {
      const pod = u.identities.get(id)?.pod;
      const touched =
        pod === undefined ||
        changed.some((p) => p.namespace === pod.namespace && labelSelectorMatches(p.podSelector, pod.labels));
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
