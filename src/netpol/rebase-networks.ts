/**
 * Admin-tier `networks` peers (CIDRs) moved from the addresses the model assigns to the addresses the
 * cluster really gave the pods. Upstream's inline-CIDR conformance tests read the pods' real IPs and
 * write them into the policy; cnibench's cases are written against the model's addresses
 * (10.244.<namespace>.<pod>, see resolve.ts), which the local cluster honours and a real cluster does
 * not. So, before a case is applied, every CIDR is made to cover on the cluster exactly the case pods
 * it covers in the model:
 *
 * - a CIDR that already covers the same pods by their real addresses as by their model ones is kept
 *   as written (0.0.0.0/0 always; everything when the addresses are the model's, as locally);
 * - otherwise it is replaced by the real address of each pod it covers in the model (/32 or /128);
 * - a CIDR covering no case pod in the model, but some by their real addresses, is dropped; a peer
 *   left with no CIDR gets one address no case pod has (from 192.0.2.0/24, TEST-NET-1, RFC 5737), so it
 *   still matches none, as in the model.
 *
 * Only the pods' verdicts are preserved: what the CIDR meant for addresses outside the case (nodes,
 * the internet) is not, and no probe depends on it. NetworkPolicy ipBlocks are not rewritten (the
 * model is evaluated on the real addresses, see docs/admin-tier.md).
 */
import { canonicalIp, cidrContains, parseIp } from './cidr.js';
import type {
  AdminNetworkPolicy,
  AdminTierPeer,
  AdminTierPolicies,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  ResolvedPod,
} from './types.js';

/** One pod's model and real address. */
interface AddressPair {
  model: string;
  real: string;
}

/** An address no pod has, for a peer that must match none: the first free one of TEST-NET-1. */
function unusedAddress(pairs: readonly AddressPair[]): string {
  const taken = new Set(pairs.flatMap((p) => [p.model, p.real]));
  for (let i = 1; i < 255; i++) {
    const ip = `192.0.2.${i}`;
    if (!taken.has(ip)) return `${ip}/32`;
  }
  throw new Error('no free address in 192.0.2.0/24 to stand for an empty networks peer');
}

const hostCidr = (ip: string): string => `${canonicalIp(ip)}/${parseIp(ip).family === 4 ? 32 : 128}`;

function rebaseCidrs(cidrs: readonly string[], pairs: readonly AddressPair[]): string[] {
  const out: string[] = [];
  const add = (c: string) => {
    if (!out.includes(c)) out.push(c);
  };
  for (const cidr of cidrs) {
    const inModel = pairs.filter((p) => cidrContains(cidr, p.model));
    const inReal = pairs.filter((p) => cidrContains(cidr, p.real));
    const same = inModel.length === inReal.length && inModel.every((p) => inReal.includes(p));
    if (same) add(cidr);
    else for (const p of inModel) add(hostCidr(p.real));
  }
  return out.length > 0 ? out : [unusedAddress(pairs)];
}

function rebasePeer(peer: AdminTierPeer, pairs: readonly AddressPair[]): AdminTierPeer {
  return peer.networks ? { ...peer, networks: rebaseCidrs(peer.networks, pairs) } : peer;
}

/** A policy with every egress `networks` peer rebased (only egress rules may have them). */
function rebasePolicy<P extends ClusterNetworkPolicy | AdminNetworkPolicy | BaselineAdminNetworkPolicy>(
  p: P,
  pairs: readonly AddressPair[],
): P {
  const egress = p.spec.egress;
  if (!egress?.some((r) => r.to.some((peer) => peer.networks))) return p;
  return {
    ...p,
    spec: {
      ...p.spec,
      egress: egress.map((r) => ({ ...r, to: r.to.map((peer) => rebasePeer(peer, pairs)) })),
    },
  };
}

/**
 * The admin-tier objects with their `networks` peers moved from the pods' model addresses
 * (`model`, as resolveCase assigns them) to their real ones (`real`, as the driver returned them);
 * pods are matched by key. Objects without networks peers come back unchanged (the same objects).
 */
export function rebaseAdminNetworks(
  tier: AdminTierPolicies,
  model: readonly ResolvedPod[],
  real: readonly ResolvedPod[],
): AdminTierPolicies {
  const realIp = new Map(real.map((p) => [p.key, p.ip]));
  const pairs: AddressPair[] = model.flatMap((p) => {
    const ip = realIp.get(p.key);
    return ip ? [{ model: p.ip, real: ip }] : [];
  });
  return {
    ...(tier.clusterNetworkPolicies
      ? { clusterNetworkPolicies: tier.clusterNetworkPolicies.map((p) => rebasePolicy(p, pairs)) }
      : {}),
    ...(tier.adminNetworkPolicies
      ? { adminNetworkPolicies: tier.adminNetworkPolicies.map((p) => rebasePolicy(p, pairs)) }
      : {}),
    ...(tier.baselineAdminNetworkPolicy
      ? { baselineAdminNetworkPolicy: rebasePolicy(tier.baselineAdminNetworkPolicy, pairs) }
      : {}),
  };
}
