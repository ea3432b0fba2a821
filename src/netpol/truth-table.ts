/**
 * Whole-case reachability: for every probe and every ordered pair of pods (self pairs included),
 * whether the traffic is allowed. Built from the bitsets of compile.ts:
 *   egress[s]  = destinations the egress rules selecting s admit (valid where s is egress-isolated)
 *   ingress[d] = sources the ingress rules selecting d admit (valid where d is ingress-isolated)
 *   allowed(s, d) = (s not egress-isolated or d ∈ egress[s]) and (d not ingress-isolated or s ∈ ingress[d])
 */
import { InputError } from '../util/errors.js';
import { andBitsets, forEachBit, hasBit, newBitset, orInto, setBit, wordAt } from './bitset.js';
import { compileModel, intersect, type CompiledModel, type CompiledRule } from './compile.js';
import { hasAdminTier, normalizeAdminTier } from './admin-tier.js';
import { trafficAllowed } from './matcher.js';
import { evaluateTiered, tieredReachability, type PairTie } from './tiers.js';
import type { Probe, ReachabilityGrid, ResolvedCase, TruthTable } from './types.js';

/** Reachability for one probe as a dense bit matrix: row s holds the destinations s may reach. */
export interface ReachabilityMatrix {
  probe: Probe;
  keys: string[];
  words: number;
  rows: Uint32Array;
}

/** Destination pods whose ports admit the probe under this rule; null = every pod; undefined = none. */
function ruleDestinations(
  rule: CompiledRule,
  probe: Probe,
  namedPods: (name: string) => Uint32Array,
  n: number,
): Uint32Array | null | undefined {
  if (rule.ports === null) return null;
  let named: Uint32Array | undefined;
  for (const p of rule.ports) {
    if (p.protocol !== probe.protocol) continue;
    if (p.kind === 'range') {
      if (probe.port >= p.from && probe.port <= p.to) return null;
    } else {
      named ??= newBitset(n);
      orInto(named, 0, namedPods(p.name));
    }
  }
  return named;
}

/**
 * Computes the NetworkPolicy-only reachability of one probe. Pass a compiled model to reuse it across
 * probes. Cases with admin-tier policies go through computeTruthTable (the tiers need tiers.ts).
 */
export function computeReachability(
  c: ResolvedCase,
  probe: Probe,
  model: CompiledModel = compileModel(c),
): ReachabilityMatrix {
  if (hasAdminTier(c))
    throw new Error(
      `case "${c.name}" has admin-tier policies: computeReachability models NetworkPolicy only`,
    );
  const { pods, words: W, all } = model;
  const n = pods.length;
  // Pods whose container port `name` (with the probe's protocol) is the probe's port.
  const namedCache = new Map<string, Uint32Array>();
  const namedPods = (name: string): Uint32Array => {
    const cached = namedCache.get(name);
    if (cached) return cached;
    const b = newBitset(n);
    pods.forEach((p, i) => {
      if (p.ports.some((cp) => cp.name === name && cp.protocol === probe.protocol && cp.port === probe.port))
        setBit(b, i);
    });
    namedCache.set(name, b);
    return b;
  };

  const egressIsolated = new Uint8Array(n);
  const ingressIsolated = new Uint8Array(n);
  const egress = new Uint32Array(n * W);
  const ingress = new Uint32Array(n * W);
  for (const pol of model.policies) {
    if (pol.egress) {
      forEachBit(pol.selected, (s) => (egressIsolated[s] = 1));
      for (const rule of pol.egressRules) {
        const dsts = ruleDestinations(rule, probe, namedPods, n);
        if (dsts === undefined) continue;
        // Egress: the port is resolved at the destination, which is also the peer.
        const allowed = intersect(rule.peers, dsts) ?? all;
        forEachBit(pol.selected, (s) => orInto(egress, s * W, allowed));
      }
    }
    if (pol.ingress) {
      forEachBit(pol.selected, (d) => (ingressIsolated[d] = 1));
      for (const rule of pol.ingressRules) {
        const dsts = ruleDestinations(rule, probe, namedPods, n);
        if (dsts === undefined) continue;
        // pol.selected is a bitset, never null (= every pod), so the intersection is one too.
        const targets = dsts === null ? pol.selected : andBitsets(pol.selected, dsts);
        const sources = rule.peers ?? all;
        forEachBit(targets, (d) => orInto(ingress, d * W, sources));
      }
    }
  }

  // Ingress-open destinations as a mask, so each row starts from (egress ∧ open) and only
  // ingress-isolated destinations need a per-pair look-up.
  const open = newBitset(n);
  const isolatedDsts: number[] = [];
  for (let d = 0; d < n; d++) {
    if (ingressIsolated[d]) isolatedDsts.push(d);
    else setBit(open, d);
  }
  const rows = new Uint32Array(n * W);
  for (let s = 0; s < n; s++) {
    const off = s * W;
    const sw = s >>> 5;
    const sbit = 1 << (s & 31);
    const egressLimited = egressIsolated[s] === 1;
    for (let w = 0; w < W; w++)
      rows[off + w] = (egressLimited ? wordAt(egress, off + w) : wordAt(all, w)) & wordAt(open, w);
    for (const d of isolatedDsts) {
      if ((wordAt(ingress, d * W + sw) & sbit) === 0) continue;
      if (egressLimited && !hasBit(egress, d, off)) continue;
      setBit(rows, off * 32 + d);
    }
  }
  return { probe, keys: pods.map((p) => p.key), words: W, rows };
}

/** Converts a matrix into the allowed[src][dst] grid of the TruthTable type. */
function matrixToGrid(m: ReachabilityMatrix): ReachabilityGrid {
  const grid: ReachabilityGrid = {};
  m.keys.forEach((src, s) => {
    const row: Record<string, boolean> = {};
    m.keys.forEach((dst, d) => (row[dst] = hasBit(m.rows, d, s * m.words)));
    grid[src] = row;
  });
  return grid;
}

/**
 * The truth table and the admin-tier ties behind it (policies of equal priority that disagree on
 * some pair: upstream leaves those pairs to the implementation; see tiers.ts).
 */
export function computeTruthTableWithTies(c: ResolvedCase): { table: TruthTable; ties: PairTie[] } {
  if (!hasAdminTier(c)) return { table: computeTruthTable(c), ties: [] };
  // The admin tier is evaluated pair by pair (tiers.ts): suite and case-file sizes are small, and
  // one direct evaluator is easier to trust than a second bitset formulation of the tiers.
  const { allowed, ties } = tieredReachability(c);
  const keys = c.pods.map((p) => p.key);
  const n = keys.length;
  const probes = c.probes.map((probe, i) => {
    const grid: ReachabilityGrid = {};
    const cells = allowed[i];
    keys.forEach((s, si) => {
      const row: Record<string, boolean> = {};
      keys.forEach((d, di) => (row[d] = cells?.[si * n + di] === 1));
      grid[s] = row;
    });
    return { port: probe.port, protocol: probe.protocol, allowed: grid };
  });
  return { table: { name: c.name, probes }, ties };
}

/** Every probe × every ordered pair (self pairs included), keyed "ns/pod". */
export function computeTruthTable(c: ResolvedCase): TruthTable {
  if (hasAdminTier(c)) return computeTruthTableWithTies(c).table;
  const model = compileModel(c);
  return {
    name: c.name,
    probes: c.probes.map((probe) => ({
      port: probe.port,
      protocol: probe.protocol,
      allowed: matrixToGrid(computeReachability(c, probe, model)),
    })),
  };
}

/** One pair, evaluated directly (no precomputation); throws InputError for an unknown pod key. */
export function isAllowed(c: ResolvedCase, fromKey: string, toKey: string, probe: Probe): boolean {
  const find = (key: string) => {
    const pod = c.pods.find((p) => p.key === key);
    if (!pod) throw new InputError(`case "${c.name}": no pod "${key}" (expected "namespace/name")`);
    return pod;
  };
  const src = find(fromKey);
  const dst = find(toKey);
  if (!hasAdminTier(c)) return trafficAllowed(c, src, dst, probe);
  const set = normalizeAdminTier(c);
  return (
    evaluateTiered(c, set, 'egress', src, dst, probe).allowed &&
    evaluateTiered(c, set, 'ingress', src, dst, probe).allowed
  );
}
