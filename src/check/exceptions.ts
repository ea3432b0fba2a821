/**
 * The exceptions of the standard's current test (Tests/kaas/scs-sonobuoy-config-v1.yaml, okToFail)
 * and what they mean for cnibench's own cases. The standard's supplement (scs-0219-w1) calls them
 * well-founded exceptions, not part of the normative text. docs/scs.md gives the reasoning at length:
 *
 * - `Feature:SCTPConnectivity` ("SCTPConnectivity is optional"): cnibench's SCTP cases form their own
 *   testcase id, scs-0219-networkpolicy-sctp, which never counts toward the MUST.
 * - The three ipBlock tests (cilium/cilium#9209: Cilium does not match ipBlock peers against pod
 *   addresses): the upstream suite has no other ipBlock test, so today's check asserts nothing about
 *   ipBlock peers covering pods. cnibench's ipBlock cases all cover pods (every probe is pod to pod),
 *   so the same exception applies to them, but only as narrowly as the behaviour it excuses: a
 *   mismatch is excepted when the dataplane did exactly what the case yields with every ipBlock peer
 *   matching no pod. Any other ipBlock mistake (an except clause ignored, traffic allowed that both
 *   readings deny) still fails.
 * - "should allow ingress access from updated namespace" (a flaky test, fixed in the test for
 *   Kubernetes 1.36): a fault of that test, not of CNIs. cnibench's case of the same behaviour
 *   re-probes until the dataplane matches within the convergence timeout, so it needs no exception.
 */
import { resolveWithAddresses } from '../netpol/resolve.js';
import { isAllowed } from '../netpol/truth-table.js';
import type { NetworkPolicy, NetworkPolicyPeer, PolicyCase, ResolvedCase } from '../netpol/types.js';
import type { CaseResult } from '../results/schema.js';

export const IPBLOCK_EXCEPTION = 'ipblock-pod-ip';

export interface StandingException {
  id: string;
  /** What it covers, in one sentence for the output. */
  text: string;
  /** The standard's test entry it follows. */
  source: string;
}

export const STANDING_EXCEPTIONS: readonly StandingException[] = [
  {
    id: 'sctp-optional',
    text: 'SCTP is optional: the SCTP cases are scs-0219-networkpolicy-sctp, which never counts toward kaas-networking-check',
    source: 'scs-sonobuoy-config-v1.yaml okToFail "Feature:SCTPConnectivity"',
  },
  {
    id: IPBLOCK_EXCEPTION,
    text: 'ipBlock peers covering pod addresses: a mismatch is excepted when the dataplane did what the case yields with ipBlock peers matching no pod (cilium/cilium#9209)',
    source:
      'scs-sonobuoy-config-v1.yaml okToFail: the three ipBlock tests ("egress access to server in CIDR block", "except clause", "IP overlapping both IPBlock.CIDR and IPBlock.Except")',
  },
];

export const IPBLOCK_REASON =
  'every mismatch is what the case yields with ipBlock peers matching no pod address (cilium/cilium#9209), which the standard’s test excepts';

/** A rule's peers with every ipBlock peer replaced by one that covers no pod. */
function blindPeers(peers: NetworkPolicyPeer[] | undefined): NetworkPolicyPeer[] | undefined {
  // 0.0.0.0/32 is an address no pod has: the peer stays (so the rule still isolates and still has
  // peers), but covers no pod, which is how a dataplane that ignores ipBlock for pods treats it.
  return peers?.map((p) => (p.ipBlock ? { ipBlock: { cidr: '0.0.0.0/32' } } : p));
}

function blindPolicy(p: NetworkPolicy): NetworkPolicy {
  return {
    ...p,
    spec: {
      ...p.spec,
      ...(p.spec.ingress
        ? { ingress: p.spec.ingress.map((r) => ({ ...r, ...(r.from ? { from: blindPeers(r.from) } : {}) })) }
        : {}),
      ...(p.spec.egress
        ? { egress: p.spec.egress.map((r) => ({ ...r, ...(r.to ? { to: blindPeers(r.to) } : {}) })) }
        : {}),
    },
  };
}

/** Whether any NetworkPolicy of the case has an ipBlock peer. */
export function hasIpBlock(c: Pick<PolicyCase, 'policies'>): boolean {
  return c.policies.some((p) =>
    [
      ...(p.spec.ingress ?? []).flatMap((r) => r.from ?? []),
      ...(p.spec.egress ?? []).flatMap((r) => r.to ?? []),
    ].some((peer) => peer.ipBlock !== undefined),
  );
}

/** The case as a dataplane sees it that never matches an ipBlock peer against a pod address. */
export function ipBlockBlind(c: ResolvedCase): ResolvedCase {
  return { ...c, policies: c.policies.map(blindPolicy) };
}

/**
 * Whether a failed case is covered by the ipBlock exception: it has ipBlock peers and every mismatch
 * of its last round is what the ipBlock-blind reading of the case yields.
 */
export function exceptedByIpBlock(c: PolicyCase, result: CaseResult): boolean {
  if (result.status !== 'fail' || result.mismatches.length === 0 || !hasIpBlock(c)) return false;
  const blind = ipBlockBlind(resolveWithAddresses(c, result.pods));
  return result.mismatches.every(
    (m) => isAllowed(blind, m.from, m.to, { port: m.port, protocol: m.protocol }) === m.observed,
  );
}
