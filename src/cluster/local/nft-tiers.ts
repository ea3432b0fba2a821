/**
 * The admin tier in a node's nft table, around the NetworkPolicy chains (semantics: src/netpol/tiers.ts):
 *
 *   forward:        ip saddr @local jump egress_tiers ; ip daddr @local jump ingress_tiers
 *   egress_tiers:   Admin rules in evaluation order (priority, then name; rules in order):
 *                   Accept → return (egress allowed), Deny → jump deny, Pass → goto egress_np;
 *                   then goto egress_np
 *   egress_np:      ip saddr @iso_eg goto egress   (the NetworkPolicy chain: return on allow, else deny)
 *                   Baseline rules: Accept → return, Deny → jump deny, Pass → return; end → return
 *   ingress_*:      the same for packets to local pods, with accept instead of return.
 *
 * `goto` replaces the current chain, so a `return` anywhere below egress_tiers goes straight back to
 * forward, which then checks ingress. Each pod's egress is checked on the node it lives on and its
 * ingress likewise, as for NetworkPolicy. Peers are resolved to addresses here: pods by selector, and
 * networks as IPv4 intervals (IPv6 ones cannot match the IPv4 pods); nodes and domainNames peers
 * match no pod, so a rule whose peers are only those is left out. Named ports resolve per destination
 * pod, whatever the container port's protocol.
 */
import type { TierPolicy, TierPort, TierRule, TierSelection } from '../../netpol/admin-tier.js';
import { labelSelectorMatches } from '../../netpol/selector.js';
import {
  cidrInterval,
  formatIpInterval,
  ipv4ToInt,
  mergeIntervals,
  portRules,
  type Interval,
  type NftPod,
  type PortMatch,
  type RulesetBuilder,
} from './nft-ruleset.js';

type Dir = 'ingress' | 'egress';

export interface TierChains {
  /** Rules for the forward chain, after the conntrack accept. */
  forward: string[];
  chains: Array<{ name: string; rules: string[] }>;
}

function selects(b: RulesetBuilder, s: TierSelection, pod: NftPod): boolean {
  if (!labelSelectorMatches(s.namespaceSelector, b.namespaceLabels(pod.namespace))) return false;
  return s.podSelector === undefined || labelSelectorMatches(s.podSelector, pod.labels);
}

/** Addresses a rule's peers cover (empty: the rule cannot match a pod). */
function peerIntervals(b: RulesetBuilder, rule: TierRule): Interval[] {
  const out: Interval[] = [];
  for (const peer of rule.peers) {
    if (peer.kind === 'networks') {
      for (const c of peer.cidrs) {
        const iv = cidrInterval(c);
        if (iv) out.push(iv);
      }
    } else if (peer.kind === 'pods') {
      for (const pod of b.input.pods) {
        const n = ipv4ToInt(pod.ip);
        if (n !== undefined && selects(b, peer.selection, pod)) out.push([n, n]);
      }
    }
  }
  return mergeIntervals(out);
}

const portMatches = (ports: TierPort[] | null): PortMatch[] | null =>
  ports === null ? null : ports.map((p) => (p.kind === 'named' ? { kind: 'named', name: p.name } : p));

/**
 * The rules of one tier for one direction on this node. `onAccept`/`onPass` are the verdicts of
 * those actions in this tier and direction.
 */
function tierRules(
  b: RulesetBuilder,
  policies: readonly TierPolicy[],
  localPods: NftPod[],
  dir: Dir,
  prefix: string,
  verdicts: { accept: string; pass: string },
): string[] {
  const out: string[] = [];
  policies.forEach((pol, pi) => {
    const rules = dir === 'ingress' ? pol.ingress : pol.egress;
    if (rules.length === 0) return;
    const subjects = localPods.filter((p) => selects(b, pol.subject, p));
    if (subjects.length === 0) return;
    const id = `${prefix}${pi}_${dir === 'ingress' ? 'in' : 'eg'}`;
    const selSet = b.addSet(`${id}_sel`, 'ipv4_addr', false, subjects.map((p) => p.ip).sort());
    const selfSide = dir === 'ingress' ? 'daddr' : 'saddr';
    const peerSide = dir === 'ingress' ? 'saddr' : 'daddr';
    for (const rule of rules) {
      const peers = peerIntervals(b, rule);
      if (peers.length === 0) continue;
      const rid = `${id}${rule.index}`;
      const peerSet = b.addSet(`${rid}_peer`, 'ipv4_addr', true, peers.map(formatIpInterval));
      // Named ports resolve at the destination: the subject for ingress, any pod for egress.
      const ports = b.ports(portMatches(rule.ports), dir === 'ingress' ? subjects : b.input.pods);
      const verdict =
        rule.effect === 'deny' ? 'jump deny' : rule.effect === 'accept' ? verdicts.accept : verdicts.pass;
      const comment = ` comment "${`${pol.kind} ${pol.name} ${dir} rule ${rule.index + 1} ${rule.action}`.replace(/["\\]/g, '')}"`;
      out.push(
        ...portRules(
          b,
          rid,
          [`ip ${selfSide} ${selSet}`, `ip ${peerSide} ${peerSet}`],
          ports,
          verdict,
          comment,
        ),
      );
    }
  });
  return out;
}

/** The admin-tier chains for this node, or undefined when the case has no admin-tier policy. */
export function tierChains(
  b: RulesetBuilder,
  localPods: NftPod[],
  iso: { isoEg: string; isoIn: string },
): TierChains | undefined {
  const set = b.input.adminTier;
  if (!set || set.admin.length + set.baseline.length === 0) return undefined;
  const local = b.addSet('local', 'ipv4_addr', false, localPods.map((p) => p.ip).sort());
  const chains: Array<{ name: string; rules: string[] }> = [];
  for (const dir of ['egress', 'ingress'] as const) {
    const allow = dir === 'egress' ? 'return' : 'accept';
    const np = `${dir}_np`;
    chains.push(
      {
        name: `${dir}_tiers`,
        rules: [
          ...tierRules(b, set.admin, localPods, dir, 'a', { accept: allow, pass: `goto ${np}` }),
          `goto ${np}`,
        ],
      },
      {
        name: np,
        rules: [
          dir === 'egress' ? `ip saddr ${iso.isoEg} goto egress` : `ip daddr ${iso.isoIn} goto ingress`,
          // Baseline Pass goes on to the default: allowed.
          ...tierRules(b, set.baseline, localPods, dir, 'b', { accept: allow, pass: allow }),
        ],
      },
    );
  }
  return { forward: [`ip saddr ${local} jump egress_tiers`, `ip daddr ${local} jump ingress_tiers`], chains };
}
