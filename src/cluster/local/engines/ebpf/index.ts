/**
 * The eBPF engine, built the way Cilium's is: policy resolved in user space (resolve.ts) into an
 * ipcache and one policy map per endpoint; a tc program on each pod's veth per direction only looks
 * them up (c/policy.bpf.c); one long-lived writer programs the maps (writer.ts, c/writer.c).
 *
 * Updates change only the difference: only the endpoints a change touches are resolved again
 * (incremental.ts), compared with what is loaded, and only added, changed and removed entries are
 * written. What a packet sees meanwhile:
 *   1. ipcache entries for new addresses and CIDRs are added first (nothing refers to them yet);
 *   2. each endpoint whose entries change gets them in the generation of its map not in force, then
 *      the generation is switched in a single map update (c/writer.c): a packet checked at that
 *      endpoint sees the whole old policy or the whole new one, never a mix (endpoints switch one
 *      after another, so a packet crossing two endpoints may meet the new policy at one and the old
 *      at the other). An endpoint left with no entries keeps its (empty) map, which allows
 *      everything, as no map does: the next deny on it then needs no new map;
 *   3. ipcache entries whose identity changed (a relabelled pod, a pod whose enclosing CIDR changed)
 *      are switched, then stale ones removed. Between 2 and 3 such an address is still judged under
 *      its old identity by the new maps (its old identity's entries if any, else the endpoint's
 *      entries for unknown remotes).
 * Connections already let through stay up across a policy change (connection tracking), as with the
 * nftables engine and every CNI.
 *
 * It needs no BPF file system: the writer holds maps and programs by file descriptor and the veths
 * hold the attached programs, so nothing outlives the run's namespaces and the writer.
 */
import type { AdminTierSet } from '../../../../netpol/admin-tier.js';
import type { Labels, NetworkPolicy } from '../../../../netpol/types.js';
import type { NftPod } from '../../nft-ruleset.js';
import type { LocalTopology } from '../../topology.js';
import type { LocalPolicyEngine, PolicyDataplane } from '../types.js';
import { IdentityAllocator } from './identities.js';
import { IncrementalResolver } from './incremental.js';
import { BpfWriter } from './writer.js';

/** Figures of the last apply, for benchmarks and tests. */
interface EbpfApplyStats {
  resolveMs: number;
  writeMs: number;
  /** Map writes sent (policy entries, ipcache entries, swaps). */
  writes: number;
  policyEntries: number;
  /** Endpoint identities whose entries were resolved again (the others were kept). */
  recomputedIdentities: number;
  ipcacheEntries: number;
}

/** What the maps hold: the ipcache and each endpoint's policy entries (resolve.ts's key text). */
export interface LoadedMaps {
  ipcache: ReadonlyMap<string, number>;
  endpoints: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

/**
 * The writer commands that take the maps from `have` to `want`, changing only the difference, in
 * the order stated at the top of this file.
 */
export function updateLines(have: LoadedMaps, want: LoadedMaps): string[] {
  const lines: string[] = [];
  // Entry maps and ipcaches are never changed once made (incremental.ts): the same object is the same content.
  const sameIpcache = have.ipcache === want.ipcache;
  if (!sameIpcache)
    for (const [k, id] of want.ipcache) if (!have.ipcache.has(k)) lines.push(`ip+ ${k} ${id}`);
  const none: ReadonlyMap<string, number> = new Map();
  const change = (
    ep: string,
    old: ReadonlyMap<string, number> | undefined,
    entries: ReadonlyMap<string, number>,
  ) => {
    const ops: string[] = [];
    for (const [k, v] of entries) if (old?.get(k) !== v) ops.push(`p+ ${k} ${v}`);
    if (old) for (const k of old.keys()) if (!entries.has(k)) ops.push(`p- ${k}`);
    if (ops.length > 0) lines.push(`ep ${ep}`, ...ops, 'swap');
  };
  for (const [ep, entries] of want.endpoints) {
    const old = have.endpoints.get(ep);
    if (old !== entries) change(ep, old, entries);
  }
  // Emptied, not deleted: deleting a map from the map of maps waits for an RCU grace period.
  for (const [ep, old] of have.endpoints) if (!want.endpoints.has(ep)) change(ep, old, none);
  if (sameIpcache) return lines;
  for (const [k, id] of want.ipcache) {
    const had = have.ipcache.get(k);
    if (had !== undefined && had !== id) lines.push(`ip+ ${k} ${id}`);
  }
  for (const k of have.ipcache.keys()) if (!want.ipcache.has(k)) lines.push(`ip- ${k}`);
  return lines;
}

class EbpfPolicyDataplane implements PolicyDataplane {
  private writerPromise: Promise<BpfWriter> | undefined;
  private readonly resolver = new IncrementalResolver(new IdentityAllocator());
  private ipcache = new Map<string, number>();
  private endpoints = new Map<string, Map<string, number>>();
  private readonly attached = new Set<string>();
  lastApply: EbpfApplyStats | undefined;

  constructor(private readonly topo: LocalTopology) {}

  private writer(): Promise<BpfWriter> {
    this.writerPromise ??= BpfWriter.start((argv) => this.topo.dataplaneCommand(argv));
    return this.writerPromise;
  }

  async podsChanged(signal?: AbortSignal): Promise<void> {
    const w = await this.writer();
    const present = new Set<string>();
    for (const pod of this.topo.pods()) {
      present.add(pod.hostIf);
      if (this.attached.has(pod.hostIf)) continue;
      signal?.throwIfAborted();
      await w.attach(`/run/netns/${this.topo.nodeNetns(pod.node)}`, pod.hostIf);
      this.attached.add(pod.hostIf);
    }
    for (const h of this.attached) if (!present.has(h)) this.attached.delete(h);
  }

  async apply(
    policies: NetworkPolicy[],
    pods: NftPod[],
    namespaces: Record<string, Labels>,
    signal?: AbortSignal,
    adminTier?: AdminTierSet,
  ): Promise<void> {
    await this.podsChanged(signal);
    const w = await this.writer();
    const t0 = performance.now();
    const desired = this.resolver.resolve({ policies, adminTier, pods, namespaces });
    const t1 = performance.now();
    const lines = updateLines({ ipcache: this.ipcache, endpoints: this.endpoints }, desired);
    signal?.throwIfAborted();
    try {
      w.send(lines.join('\n'));
      await w.sync();
    } catch (e) {
      // What is loaded is now unknown: the next apply rewrites every endpoint from scratch.
      for (const ep of this.endpoints.keys()) w.send(`epdel ${ep}`);
      this.endpoints = new Map();
      this.ipcache = new Map();
      throw e;
    }
    this.ipcache = desired.ipcache;
    this.endpoints = desired.endpoints;
    let policyEntries = 0;
    for (const m of desired.endpoints.values()) policyEntries += m.size;
    this.lastApply = {
      resolveMs: t1 - t0,
      writeMs: performance.now() - t1,
      writes: lines.length,
      policyEntries,
      recomputedIdentities: this.resolver.lastStats?.recomputed ?? 0,
      ipcacheEntries: desired.ipcache.size,
    };
  }

  async memoryBytes(): Promise<number | undefined> {
    return (await this.writer()).policyMemoryBytes();
  }

  async close(): Promise<void> {
    const p = this.writerPromise;
    this.writerPromise = undefined;
    this.attached.clear();
    this.ipcache = new Map();
    this.endpoints = new Map();
    if (p) (await p.catch(() => undefined))?.close();
  }
}

export const ebpfEngine: LocalPolicyEngine = {
  name: 'ebpf',
  capabilities: {
    needsBpf: true,
    requires: [
      'BPF (CAP_BPF and CAP_NET_ADMIN, tc clsact)',
      'the BPF object built by scripts/setup.sh local',
    ],
    enforcement: "tc programs on each pod's veth (both directions) looking up per-endpoint policy maps",
    memory:
      'kernel memory of the ipcache and every endpoint policy map (both generations of its entries), as the kernel charges it',
  },
  async preflight() {
    (await BpfWriter.start()).close();
  },
  create: (topology) => new EbpfPolicyDataplane(topology),
};
