/**
 * NetworkPolicies → one nftables table per node (pure: text in, text out; nft-apply.ts loads it).
 *
 * Like a CNI agent, the harness knows every pod, so selectors are resolved to IP sets here and the
 * kernel only matches addresses and ports. Per node, only pods living on that node are checked:
 *   - egress for packets whose source is a local pod, ingress for packets whose destination is one
 *     (each pod lives on exactly one node, so every direction is checked exactly once; same-node
 *     traffic gets both checks on the same node);
 *   - the forward chain: established/related traffic passes, then `ip saddr @iso_eg jump egress`,
 *     then `ip daddr @iso_in jump ingress`; the egress chain `return`s when a rule admits the packet
 *     (so the ingress check still runs), the ingress chain `accept`s; both end in `deny`, which
 *     rejects TCP with a reset and anything else with ICMP admin-prohibited, so a denied probe fails
 *     at once instead of waiting for its timeout.
 * Rule count grows with policy rules, not with pods: each policy has a set of its selected local
 * pods, each rule a peer set (intervals: pod IPs and ipBlocks minus their excepts), a numeric port
 * set (`inet_proto . inet_service` intervals) and a named-port set (`ipv4_addr . inet_proto .
 * inet_service`, named ports resolved per destination pod).
 *
 * Semantics follow src/netpol/matcher.ts (the model): absent/empty policyTypes = Ingress, plus
 * Egress when spec.egress is non-empty; an absent or empty from/to admits every peer; absent or
 * empty ports admit every port; a peer with both ipBlock and a selector, or with neither, matches
 * nothing; ipBlocks are IPv4 intervals (IPv6 ones never match IPv4 pods; IPv6 pods are not policed).
 */
import { effectivePolicyTypes } from '../../netpol/matcher.js';
import { tierChains } from './nft-tiers.js';
import {
  formatIpInterval,
  ipv4ToInt,
  npPortMatches,
  portRules,
  RulesetBuilder,
  type NftPod,
  type NodeRulesetInput,
} from './nft-ruleset.js';

export {
  cidrInterval,
  mergeIntervals,
  subtractIntervals,
  type NftPod,
  type NodeRulesetInput,
} from './nft-ruleset.js';

/** The node's whole table as nft script text (`table inet NAME { ... }`). Deterministic. */
export function compileNodeRuleset(input: NodeRulesetInput): string {
  const b = new RulesetBuilder(input);
  const local = (pods: NftPod[]) =>
    pods.filter((p) => p.node === input.node && ipv4ToInt(p.ip) !== undefined);
  const isoIn = new Set<string>();
  const isoEg = new Set<string>();
  const ingressRules: string[] = [];
  const egressRules: string[] = [];

  input.policies.forEach((pol, pi) => {
    const types = effectivePolicyTypes(pol);
    const selectedAll = b.selected(pol);
    const sel = local(selectedAll);
    if (sel.length === 0) return;
    const ns = pol.metadata.namespace;
    const id = `p${pi}`;
    const comment = ` comment "${`${ns}/${pol.metadata.name}`.replace(/["\\]/g, '')}"`;
    const selIps = sel.map((p) => p.ip).sort();

    if (types.ingress) {
      for (const ip of selIps) isoIn.add(ip);
      const selSet = b.addSet(`${id}_in_sel`, 'ipv4_addr', false, selIps);
      (pol.spec.ingress ?? []).forEach((rule, ri) => {
        const rid = `${id}_in${ri}`;
        const peers = b.peerIntervals(rule.from, ns);
        if (peers && peers.length === 0) return;
        const ports = b.ports(npPortMatches(rule.ports), sel);
        const match = [`ip daddr ${selSet}`];
        if (peers)
          match.push(`ip saddr ${b.addSet(`${rid}_peer`, 'ipv4_addr', true, peers.map(formatIpInterval))}`);
        ingressRules.push(...portRules(b, rid, match, ports, 'accept', comment));
      });
    }
    if (types.egress) {
      for (const ip of selIps) isoEg.add(ip);
      const selSet = b.addSet(`${id}_eg_sel`, 'ipv4_addr', false, selIps);
      (pol.spec.egress ?? []).forEach((rule, ri) => {
        const rid = `${id}_eg${ri}`;
        const peers = b.peerIntervals(rule.to, ns);
        if (peers && peers.length === 0) return;
        // Egress named ports resolve at the destination, which may be any pod of the cluster.
        const ports = b.ports(npPortMatches(rule.ports), input.pods);
        const match = [`ip saddr ${selSet}`];
        if (peers)
          match.push(`ip daddr ${b.addSet(`${rid}_peer`, 'ipv4_addr', true, peers.map(formatIpInterval))}`);
        egressRules.push(...portRules(b, rid, match, ports, 'return', comment));
      });
    }
  });

  const isoInSet = b.addSet('iso_in', 'ipv4_addr', false, [...isoIn].sort());
  const isoEgSet = b.addSet('iso_eg', 'ipv4_addr', false, [...isoEg].sort());
  const chain = (name: string, body: string[], header?: string) =>
    [`\tchain ${name} {`, ...(header ? [`\t\t${header}`] : []), ...body.map((r) => `\t\t${r}`), '\t}'].join(
      '\n',
    );
  // With an admin tier, every local pod's traffic goes through the tier chains, which hand over to
  // the NetworkPolicy chains below (see nft-tiers.ts); without one, only isolated pods are checked.
  const tiers = tierChains(b, local(input.pods), { isoEg: isoEgSet, isoIn: isoInSet });
  const forward = tiers
    ? ['ct state established,related accept', ...tiers.forward]
    : [
        'ct state established,related accept',
        `ip saddr ${isoEgSet} jump egress`,
        `ip daddr ${isoInSet} jump ingress`,
      ];
  return [
    `table inet ${input.table} {`,
    ...b.sets,
    chain('forward', forward, 'type filter hook forward priority filter; policy accept;'),
    ...(tiers ? tiers.chains.map((c) => chain(c.name, c.rules)) : []),
    chain('egress', [...egressRules, 'jump deny']),
    chain('ingress', [...ingressRules, 'jump deny']),
    chain('deny', ['meta l4proto tcp reject with tcp reset', 'reject with icmpx admin-prohibited']),
    '}',
  ].join('\n');
}

/**
 * One atomic nft transaction that replaces the table: creating it first makes the delete valid when
 * it does not exist yet, and nft applies the whole script or nothing.
 */
export function replaceTableScript(table: string, ruleset: string): string {
  return `table inet ${table}\ndelete table inet ${table}\n${ruleset}\n`;
}

export function deleteTableScript(table: string): string {
  return `table inet ${table}\ndelete table inet ${table}\n`;
}
