/**
 * The eBPF engine's incremental resolution against the full one, pure user space: seeded random
 * sequences of changes (policies added, removed, replaced, reordered, refused change in place; pods added,
 * removed, relabelled, re-ported; namespace labels; admin tier set and cleared), and after every step
 * the incremental maps must equal resolvePolicy's on the same input, and the writer commands from
 * the previously loaded maps must lead exactly to them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { updateLines, type LoadedMaps } from '../../../../src/cluster/local/engines/ebpf/index.js';
import { IncrementalResolver } from '../../../../src/cluster/local/engines/ebpf/incremental.js';
import {
  IdentityAllocator,
  resolvePolicy,
  type BpfPod,
} from '../../../../src/cluster/local/engines/ebpf/resolve.js';
import type { AdminTierSet, TierPeer, TierPolicy, TierRule } from '../../../../src/netpol/admin-tier.js';
import type {
  Labels,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from '../../../../src/netpol/types.js';
import { seededRandom, type Random } from '../../../../src/stats/prng.js';

const NAMESPACES = ['a', 'b', 'c'];
const APPS = ['web', 'db', 'cache'];
const CIDRS = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '10.1.2.3/32', '192.168.0.0/16', '0.0.0.0/0'];

const pick = <T>(r: Random, xs: readonly T[]): T => {
  const x = xs[Math.floor(r() * xs.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
};

function selector(r: Random, key: string, values: readonly string[]): LabelSelector {
  const k = r();
  if (k < 0.25) return {};
  if (k < 0.75) return { matchLabels: { [key]: pick(r, values) } };
  return { matchExpressions: [{ key, operator: r() < 0.5 ? 'In' : 'NotIn', values: [pick(r, values)] }] };
}

function ports(r: Random): NetworkPolicyPort[] | undefined {
  const k = r();
  if (k < 0.3) return undefined;
  if (k < 0.5) return [{ protocol: 'TCP', port: 'http' }];
  if (k < 0.7) return [{ protocol: 'TCP', port: 80, endPort: 90 }];
  return [{ protocol: r() < 0.5 ? 'TCP' : 'UDP', port: pick(r, [53, 80, 443]) }];
}

function peer(r: Random): NetworkPolicyPeer {
  const k = r();
  if (k < 0.3) return { podSelector: selector(r, 'app', APPS) };
  if (k < 0.55)
    return { namespaceSelector: selector(r, 'team', ['x', 'y']), podSelector: selector(r, 'app', APPS) };
  const cidr = pick(r, CIDRS);
  return { ipBlock: { cidr, ...(r() < 0.4 ? { except: [pick(r, CIDRS)] } : {}) } };
}

function randomPolicy(r: Random, name: string): NetworkPolicy {
  const rules = () => Array.from({ length: Math.floor(r() * 3) }, () => r());
  const types: Array<'Ingress' | 'Egress'> =
    r() < 0.6 ? ['Ingress'] : r() < 0.5 ? ['Egress'] : ['Ingress', 'Egress'];
  return {
    metadata: { name, namespace: pick(r, NAMESPACES) },
    spec: {
      podSelector: selector(r, 'app', APPS),
      policyTypes: types,
      ingress: rules().map(() => ({ from: r() < 0.2 ? [] : [peer(r)], ports: ports(r) })),
      egress: rules().map(() => ({ to: r() < 0.2 ? [] : [peer(r)], ports: ports(r) })),
    },
  };
}

function tierRule(r: Random, index: number): TierRule {
  const effect = pick(r, ['accept', 'deny', 'pass'] as const);
  const peers: TierPeer[] =
    r() < 0.5
      ? [{ kind: 'pods', selection: { namespaceSelector: selector(r, 'team', ['x', 'y']) } }]
      : [{ kind: 'networks', cidrs: [pick(r, CIDRS)] }];
  return {
    index,
    effect,
    action: effect,
    peers,
    ports:
      r() < 0.5
        ? null
        : [
            r() < 0.5
              ? { kind: 'named', name: 'http' }
              : { kind: 'range', protocol: 'TCP', from: 80, to: 80 },
          ],
  };
}

function randomTier(r: Random): AdminTierSet {
  const pol = (tier: 'Admin' | 'Baseline', i: number): TierPolicy => ({
    kind: 'ClusterNetworkPolicy',
    name: `t${i}`,
    tier,
    priority: tier === 'Admin' ? i : null,
    subject: { namespaceSelector: selector(r, 'team', ['x', 'y']), podSelector: selector(r, 'app', APPS) },
    ingress: r() < 0.7 ? [tierRule(r, 0)] : [],
    egress: r() < 0.5 ? [tierRule(r, 0)] : [],
  });
  return {
    api: 'v1alpha2',
    admin: r() < 0.8 ? [pol('Admin', 1)] : [],
    baseline: r() < 0.5 ? [pol('Baseline', 2)] : [],
  };
}

function randomPod(r: Random, n: number): BpfPod {
  const labels: Labels = { app: pick(r, APPS) };
  if (r() < 0.3) labels['tier'] = 'front';
  return {
    key: `p${n}`,
    namespace: pick(r, NAMESPACES),
    labels,
    // Pod addresses inside and outside the listed CIDRs.
    ip: r() < 0.7 ? `10.1.2.${n + 1}` : `10.9.0.${n + 1}`,
    ports: r() < 0.5 ? [{ name: 'http', protocol: 'TCP', port: pick(r, [80, 8080]) }] : [],
  };
}

/** Applies writer commands to plain maps, as the writer applies them to BPF maps. */
function replay(
  state: { ipcache: Map<string, number>; endpoints: Map<string, Map<string, number>> },
  lines: string[],
) {
  let ep: Map<string, number> | undefined;
  let epName = '';
  for (const line of lines) {
    const [op = '', ...rest] = line.split(' ');
    const last = rest.at(-1) ?? '';
    const key = rest.slice(0, -1).join(' ');
    if (op === 'ip+') state.ipcache.set(key, Number(last));
    else if (op === 'ip-') state.ipcache.delete(rest.join(' '));
    else if (op === 'ep') {
      epName = rest.join(' ');
      ep = new Map(state.endpoints.get(epName) ?? []);
    } else if (op === 'p+') ep?.set(key, Number(last));
    else if (op === 'p-') ep?.delete(rest.join(' '));
    // An endpoint whose map is empty allows everything, as one with no map: the same state.
    else if (op === 'swap' && ep) {
      if (ep.size > 0) state.endpoints.set(epName, ep);
      else state.endpoints.delete(epName);
    } else if (op === 'epdel') state.endpoints.delete(rest.join(' '));
    else throw new Error(`unknown writer command ${line}`);
  }
}

const sorted = (m: ReadonlyMap<string, unknown>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
const endpointsOf = (m: ReadonlyMap<string, ReadonlyMap<string, number>>) =>
  [...m.entries()].map(([k, v]) => [k, sorted(v)] as const).sort(([a], [b]) => (a < b ? -1 : 1));

function runSequence(seed: number, steps: number): { recomputed: number; full: number } {
  const r = seededRandom(seed);
  const alloc = new IdentityAllocator();
  const inc = new IncrementalResolver(alloc);
  let policies: NetworkPolicy[] = Array.from({ length: 6 }, (_, i) => randomPolicy(r, `np${i}`));
  let pods: BpfPod[] = Array.from({ length: 8 }, (_, i) => randomPod(r, i));
  const namespaces: Record<string, Labels> = { a: { team: 'x' }, b: { team: 'y' }, c: {} };
  let adminTier: AdminTierSet | undefined;
  let nextPolicy = 6;
  let nextPod = 8;
  let loaded: LoadedMaps = { ipcache: new Map(), endpoints: new Map() };
  const replayed = { ipcache: new Map<string, number>(), endpoints: new Map<string, Map<string, number>>() };
  let recomputed = 0;
  let full = 0;
  for (let step = 0; step < steps; step++) {
    const k = r();
    if (k < 0.2) policies = [...policies, randomPolicy(r, `np${nextPolicy++}`)];
    else if (k < 0.32 && policies.length > 0)
      policies = policies.filter((_, i) => i !== Math.floor(r() * policies.length));
    else if (k < 0.44 && policies.length > 0) {
      // Same namespace/name, new content.
      const i = Math.floor(r() * policies.length);
      const old = policies[i];
      if (old)
        policies = policies.map((p, j) =>
          j === i ? { ...randomPolicy(r, old.metadata.name), metadata: old.metadata } : p,
        );
    } else if (k < 0.5 && policies.length > 0) {
      // Policies handed over are frozen: changing one in place fails loudly instead of leaving stale maps.
      const p = pick(r, policies);
      assert.throws(() => (p.spec.podSelector = selector(r, 'app', APPS)), TypeError);
    } else if (k < 0.54) policies = [...policies].reverse();
    else if (k < 0.62)
      pods = [...pods, randomPod(r, nextPod++ % 200)].filter(
        (p, i, all) => all.findIndex((q) => q.ip === p.ip) === i,
      );
    else if (k < 0.68 && pods.length > 1) pods = pods.filter((_, i) => i !== Math.floor(r() * pods.length));
    else if (k < 0.78 && pods.length > 0) {
      const i = Math.floor(r() * pods.length);
      pods = pods.map((p, j) => (j === i ? { ...p, labels: { app: pick(r, APPS) } } : p));
    } else if (k < 0.82 && pods.length > 0) {
      const i = Math.floor(r() * pods.length);
      pods = pods.map((p, j) =>
        j === i ? { ...p, ports: [{ name: 'http', protocol: 'TCP', port: 8080 }] } : p,
      );
    } else if (k < 0.86) namespaces[pick(r, NAMESPACES)] = r() < 0.5 ? { team: pick(r, ['x', 'y']) } : {};
    else if (k < 0.92) adminTier = r() < 0.6 ? randomTier(r) : undefined;
    // else: nothing changed at all

    const input = { policies, pods, namespaces: { ...namespaces }, adminTier };
    const got = inc.resolve(input);
    const want = resolvePolicy(input, alloc);
    assert.deepEqual(sorted(got.ipcache), sorted(want.ipcache), `seed ${seed} step ${step}: ipcache`);
    assert.deepEqual(
      endpointsOf(got.endpoints),
      endpointsOf(want.endpoints),
      `seed ${seed} step ${step}: endpoints`,
    );
    replay(replayed, updateLines(loaded, got));
    assert.deepEqual(
      sorted(replayed.ipcache),
      sorted(want.ipcache),
      `seed ${seed} step ${step}: replayed ipcache`,
    );
    assert.deepEqual(
      endpointsOf(replayed.endpoints),
      endpointsOf(want.endpoints),
      `seed ${seed} step ${step}: replayed endpoints`,
    );
    loaded = got;
    recomputed += inc.lastStats?.recomputed ?? 0;
    full += inc.lastStats?.identities ?? 0;
  }
  return { recomputed, full };
}

describe('eBPF incremental resolution', () => {
  test('equals the full resolution after every step of random change sequences', () => {
    let recomputed = 0;
    let full = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const s = runSequence(seed, 120);
      recomputed += s.recomputed;
      full += s.full;
    }
    // Not a speed figure: shows the sequences exercised the kept-entries path, not only full rebuilds.
    assert.ok(recomputed < full, `recomputed ${recomputed} of ${full} identity resolutions`);
  });

  test('one added policy redoes only the identities it selects', () => {
    const alloc = new IdentityAllocator();
    const inc = new IncrementalResolver(alloc);
    const pods: BpfPod[] = APPS.map((app, i) => ({
      key: `a/${app}`,
      namespace: 'a',
      labels: { app },
      ip: `10.0.0.${i + 1}`,
      ports: [],
    }));
    const base: NetworkPolicy[] = ['web', 'cache'].map((app) => ({
      metadata: { name: `allow-${app}`, namespace: 'a' },
      spec: { podSelector: { matchLabels: { app } }, ingress: [{ from: [{ podSelector: {} }] }] },
    }));
    const namespaces = { a: {} };
    inc.resolve({ policies: base, pods, namespaces });
    assert.equal(inc.lastStats?.recomputed, 3);
    const deny: NetworkPolicy = {
      metadata: { name: 'deny-db', namespace: 'a' },
      spec: { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] },
    };
    const before = inc.resolve({ policies: base, pods, namespaces });
    const after = inc.resolve({ policies: [...base, deny], pods, namespaces });
    assert.deepEqual(inc.lastStats, { universeRebuilt: false, recomputed: 1, identities: 3 });
    // Only the db endpoint's entries are new objects, so only it is written.
    const lines = updateLines(before, after);
    assert.deepEqual(
      lines.filter((l) => l.startsWith('ep ')),
      ['ep 10.0.0.2'],
    );
  });
});
