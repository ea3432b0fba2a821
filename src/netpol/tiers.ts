/**
 * Policy evaluation through the tiers, as network-policy-api defines it (ClusterNetworkPolicy
 * v1alpha2 `spec.tier` and the v1alpha1 AdminNetworkPolicy / BaselineAdminNetworkPolicy docs):
 *
 *   1. Admin tier: policies selecting the subject pod, by ascending priority; in each, the rules of
 *      this direction in list order. The first rule whose peer and port match decides: Accept
 *      (v1alpha1 Allow) allows and Deny denies, with no further evaluation; Pass skips the rest of
 *      the Admin tier.
 *   2. NetworkPolicy: if NetworkPolicies isolate the subject for this direction, they decide (allow
 *      iff a rule allows), as networking.k8s.io/v1 defines it.
 *   3. Baseline tier: like the Admin tier (Pass there goes on to the default).
 *   4. Default: allowed.
 *
 * Ingress is decided at the destination and egress at the source, each through all tiers; traffic
 * flows only when both allow. Equal priorities within a tier: upstream leaves the choice to the
 * implementation when two such policies both match with different actions. The model then follows
 * the policy whose name sorts first (as the local dataplane does) and reports a TierTie, so callers
 * can warn instead of silently picking. Peers of kind nodes and domainNames never match a pod: node
 * IPs are not pod IPs, and DNS names are not judged here; rules that had such a peer are reported.
 */
import { cidrContains } from './cidr.js';
import { evaluateDirection, type Direction, type DirectionVerdict } from './matcher.js';
import { labelSelectorMatches } from './selector.js';
import {
  normalizeAdminTier,
  tierPolicyLabel,
  type AdminTierSet,
  type TierName,
  type TierPeer,
  type TierPolicy,
  type TierPort,
  type TierRule,
  type TierSelection,
} from './admin-tier.js';
import type { Labels, Probe, ResolvedCase, ResolvedPod } from './types.js';

/** The rule that decided a tier (or passed out of it). */
export interface TierMatch {
  tier: TierName;
  policy: string;
  kind: TierPolicy['kind'];
  priority: number | null;
  direction: Direction;
  /** 0-based index in spec.ingress / spec.egress. */
  ruleIndex: number;
  ruleName?: string;
  /** The action as written: Accept, Allow, Deny or Pass. */
  action: string;
  effect: TierRule['effect'];
  /** Index into from/to of the peer that matched. */
  peerIndex: number;
  /** Index into protocols/ports; undefined when the rule has none (every port). */
  portIndex?: number;
}

/** Two policies of equal priority in one tier that both match with different actions. */
export interface TierTie {
  tier: TierName;
  priority: number | null;
  direction: Direction;
  /** The one the model followed (name sorts first), then the other. */
  chosen: TierMatch;
  other: TierMatch;
}

/** A rule that could have matched only through a nodes or domainNames peer. */
interface UnjudgedPeer {
  tier: TierName;
  policy: string;
  ruleIndex: number;
  peerIndex: number;
  peerKind: 'nodes' | 'domainNames';
}

export interface TierOutcome {
  /** Policies of this tier that select the subject and have rules for this direction. */
  selectedBy: string[];
  /** The first matching rule, if any. */
  match?: TierMatch;
  ties: TierTie[];
  unjudged: UnjudgedPeer[];
}

type DecidedBy = 'admin' | 'network-policy' | 'baseline' | 'default';

export interface TieredVerdict {
  direction: Direction;
  /** The pod whose policies are evaluated: the source for egress, the destination for ingress. */
  subject: string;
  peer: string;
  admin: TierOutcome;
  /** The NetworkPolicy tier's own verdict (evaluated only when the Admin tier did not decide). */
  networkPolicy?: DirectionVerdict;
  baseline?: TierOutcome;
  decidedBy: DecidedBy;
  allowed: boolean;
}

/** Whether a subject or pods-peer selection covers the pod. */
function selectionMatches(s: TierSelection, pod: ResolvedPod, namespaces: Record<string, Labels>): boolean {
  if (!labelSelectorMatches(s.namespaceSelector, namespaces[pod.namespace] ?? {})) return false;
  return s.podSelector === undefined || labelSelectorMatches(s.podSelector, pod.labels);
}

/** Whether a peer covers the pod at the other end of the traffic. */
function tierPeerMatches(p: TierPeer, pod: ResolvedPod, namespaces: Record<string, Labels>): boolean {
  switch (p.kind) {
    case 'pods':
      return selectionMatches(p.selection, pod, namespaces);
    case 'networks':
      return p.cidrs.some((c) => cidrContains(c, pod.ip));
    default:
      return false;
  }
}

/** Index of the first port entry admitting the probe towards dst; undefined = no ports (all); -1 = none. */
function tierPortIndex(ports: TierPort[] | null, probe: Probe, dst: ResolvedPod): number | undefined {
  if (ports === null) return undefined;
  return ports.findIndex((p) =>
    p.kind === 'range'
      ? p.protocol === probe.protocol && probe.port >= p.from && probe.port <= p.to
      : dst.ports.some(
          (cp) => cp.name === p.name && cp.protocol === probe.protocol && cp.port === probe.port,
        ),
  );
}

function firstMatch(
  pol: TierPolicy,
  direction: Direction,
  other: ResolvedPod,
  dst: ResolvedPod,
  probe: Probe,
  namespaces: Record<string, Labels>,
  unjudged: UnjudgedPeer[],
): TierMatch | undefined {
  for (const rule of direction === 'ingress' ? pol.ingress : pol.egress) {
    const portIndex = tierPortIndex(rule.ports, probe, dst);
    if (portIndex === -1) continue;
    const peerIndex = rule.peers.findIndex((p) => tierPeerMatches(p, other, namespaces));
    if (peerIndex === -1) {
      rule.peers.forEach((p, i) => {
        if (p.kind === 'nodes' || p.kind === 'domainNames')
          unjudged.push({
            tier: pol.tier,
            policy: tierPolicyLabel(pol),
            ruleIndex: rule.index,
            peerIndex: i,
            peerKind: p.kind,
          });
      });
      continue;
    }
    return {
      tier: pol.tier,
      policy: tierPolicyLabel(pol),
      kind: pol.kind,
      priority: pol.priority,
      direction,
      ruleIndex: rule.index,
      ...(rule.name !== undefined ? { ruleName: rule.name } : {}),
      action: rule.action,
      effect: rule.effect,
      peerIndex,
      ...(portIndex !== undefined ? { portIndex } : {}),
    };
  }
  return undefined;
}

/** One tier for one direction: the first matching rule in priority order, and any ties at its priority. */
function evaluateTier(
  policies: readonly TierPolicy[],
  direction: Direction,
  subject: ResolvedPod,
  other: ResolvedPod,
  dst: ResolvedPod,
  probe: Probe,
  namespaces: Record<string, Labels>,
): TierOutcome {
  const out: TierOutcome = { selectedBy: [], ties: [], unjudged: [] };
  for (const pol of policies) {
    const rules = direction === 'ingress' ? pol.ingress : pol.egress;
    if (rules.length === 0 || !selectionMatches(pol.subject, subject, namespaces)) continue;
    if (out.match !== undefined && pol.priority !== out.match.priority) {
      // Later priorities are never reached; keep listing who selects the subject.
      out.selectedBy.push(tierPolicyLabel(pol));
      continue;
    }
    out.selectedBy.push(tierPolicyLabel(pol));
    const m = firstMatch(pol, direction, other, dst, probe, namespaces, out.match ? [] : out.unjudged);
    if (m === undefined) continue;
    if (out.match === undefined) out.match = m;
    else if (m.effect !== out.match.effect)
      out.ties.push({ tier: pol.tier, priority: pol.priority, direction, chosen: out.match, other: m });
  }
  return out;
}

/** Evaluates one direction through every tier. */
export function evaluateTiered(
  c: ResolvedCase,
  set: AdminTierSet,
  direction: Direction,
  src: ResolvedPod,
  dst: ResolvedPod,
  probe: Probe,
): TieredVerdict {
  const subject = direction === 'ingress' ? dst : src;
  const other = direction === 'ingress' ? src : dst;
  const base = { direction, subject: subject.key, peer: other.key };
  const admin = evaluateTier(set.admin, direction, subject, other, dst, probe, c.namespaces);
  if (admin.match && admin.match.effect !== 'pass')
    return { ...base, admin, decidedBy: 'admin', allowed: admin.match.effect === 'accept' };
  const networkPolicy = evaluateDirection(c, direction, src, dst, probe);
  if (networkPolicy.isolated)
    return { ...base, admin, networkPolicy, decidedBy: 'network-policy', allowed: networkPolicy.allowed };
  const baseline = evaluateTier(set.baseline, direction, subject, other, dst, probe, c.namespaces);
  if (baseline.match && baseline.match.effect !== 'pass')
    return {
      ...base,
      admin,
      networkPolicy,
      baseline,
      decidedBy: 'baseline',
      allowed: baseline.match.effect === 'accept',
    };
  return { ...base, admin, networkPolicy, baseline, decidedBy: 'default', allowed: true };
}

/** Ties seen in a verdict (both tiers). */
export function verdictTies(v: TieredVerdict): TierTie[] {
  return [...v.admin.ties, ...(v.baseline?.ties ?? [])];
}

export interface PairTie extends TierTie {
  from: string;
  to: string;
  probe: Probe;
}

export interface TieredReachability {
  /** allowed[probe index][src index * n + dst index]. */
  allowed: Uint8Array[];
  ties: PairTie[];
}

/** Every ordered pair (self pairs included) × every probe, through the tiers. */
export function tieredReachability(
  c: ResolvedCase,
  set: AdminTierSet = normalizeAdminTier(c),
): TieredReachability {
  const n = c.pods.length;
  const ties: PairTie[] = [];
  const allowed = c.probes.map((probe) => {
    const row = new Uint8Array(n * n);
    c.pods.forEach((src, s) => {
      c.pods.forEach((dst, d) => {
        const eg = evaluateTiered(c, set, 'egress', src, dst, probe);
        const ing = evaluateTiered(c, set, 'ingress', src, dst, probe);
        for (const t of [...verdictTies(eg), ...verdictTies(ing)])
          ties.push({ ...t, from: src.key, to: dst.key, probe });
        row[s * n + d] = eg.allowed && ing.allowed ? 1 : 0;
      });
    });
    return row;
  });
  return { allowed, ties };
}

/**
 * One line per pair of tied policies (not per probe): the first example pair and how many probed
 * pairs the tie decides, e.g. for `cnibench netpol expect` to print on stderr.
 */
export function formatTies(ties: readonly PairTie[]): string[] {
  const groups = new Map<string, { first: PairTie; count: number }>();
  for (const t of ties) {
    const key = `${t.tier}\u0000${t.chosen.policy}\u0000${t.other.policy}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { first: t, count: 1 });
  }
  return [...groups.values()].map(({ first: t, count }) => {
    const rule = (m: TierMatch) => `${m.policy} ${m.direction} rule ${m.ruleIndex + 1} (${m.action})`;
    return (
      `${t.tier} tier: ${t.chosen.policy} and ${t.other.policy} have the same priority (${t.priority ?? '—'}) and disagree ` +
      `on ${count} probed pair${count === 1 ? '' : 's'} (e.g. ${t.from} -> ${t.to} ${t.probe.port}/${t.probe.protocol}: ` +
      `${rule(t.chosen)} vs ${rule(t.other)}). Upstream leaves the outcome to the implementation; ` +
      `the table follows ${t.chosen.policy} (first by name). Give them different priorities to make the result defined.`
    );
  });
}
