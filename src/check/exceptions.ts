/**
 * The exceptions of the standard's current test (Tests/kaas/scs-sonobuoy-config-v1.yaml, okToFail)
 * and what they mean for cnibench's own cases. The standard's supplement (scs-0219-w1) calls them
 * well-founded exceptions, not part of the normative text. docs/scs.md lists the mapping:
 *
 * - `Feature:SCTPConnectivity` ("SCTPConnectivity is optional"): cnibench's SCTP cases form their own
 *   testcase id, scs-0219-networkpolicy-sctp, which never counts toward the MUST.
 * - The three ipBlock e2e tests (cilium/cilium#9209: Cilium does not match ipBlock peers against pod
 *   addresses) map to the three upstream-e2e cases that transcribe them (SONOBUOY_OK_TO_FAIL). How
 *   the check applies them is a choice (`--ipblock-exception`, IpBlockMode):
 *   - `sonobuoy` (default), as the Sonobuoy entry: those three cases are excepted whole, as okToFail
 *     excepts the whole tests. cnibench's other ipBlock cases have no test in the standard's run, which
 *     so asserts nothing about ipBlock peers covering pods; they are excepted only as narrowly as the
 *     behaviour the entry excuses: when the dataplane did exactly what the case yields with every
 *     ipBlock peer matching no pod. Any other ipBlock mistake (an except clause ignored, traffic
 *     allowed that both readings deny) still fails.
 *   - `narrow`, stricter than the Sonobuoy entry: the three transcribed cases too are excepted only
 *     for that behaviour.
 *   - `none`: no ipBlock exception; an ipBlock peer must cover pods like any other peer.
 * - "should allow ingress access from updated namespace" (a flaky test, fixed in the test for
 *   Kubernetes 1.36) maps to the multi-step case that transcribes it; `sonobuoy` excepts it whole,
 *   `narrow` and `none` do not except it.
 */
import { resolveWithAddresses } from '../netpol/resolve.js';
import { isAllowed } from '../netpol/truth-table.js';
import type { NetworkPolicy, NetworkPolicyPeer, PolicyCase, ResolvedCase } from '../netpol/types.js';
import type { CaseResult, ExceptedCase } from '../results/schema.js';

const IPBLOCK_EXCEPTION = 'ipblock-pod-ip';
const SONOBUOY_IPBLOCK_EXCEPTION = 'sonobuoy-ipblock-tests';

export const IPBLOCK_MODES = ['sonobuoy', 'narrow', 'none'] as const;
export type IpBlockMode = (typeof IPBLOCK_MODES)[number];

/** One okToFail entry of scs-sonobuoy-config-v1.yaml that names a NetworkPolicy e2e test. */
export interface SonobuoyException {
  /** The e2e test's name, as the entry's regex matches it. */
  test: string;
  reason: string;
  /** The built-in cases that transcribe the test (src/netpol/suite/upstream-e2e.ts). */
  cases: string[];
  /** Why no case maps, when none does. */
  note?: string;
}

export const SONOBUOY_OK_TO_FAIL: readonly SonobuoyException[] = [
  {
    test: 'should allow egress access to server in CIDR block',
    reason: 'cilium/cilium#9209',
    cases: ['upstream-egress-to-cidr'],
  },
  {
    test: 'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed',
    reason: 'cilium/cilium#9209',
    cases: ['upstream-cidr-and-except-overlap-allowed'],
  },
  {
    test: 'should enforce except clause while egress access to server in CIDR block',
    reason: 'cilium/cilium#9209',
    cases: ['upstream-egress-cidr-except'],
  },
  {
    test: 'should allow ingress access from updated namespace',
    reason: 'flaky test, fixed in Kubernetes 1.36 (kubernetes/kubernetes#136715)',
    cases: ['change-upstream-updated-namespace'],
  },
];

export interface StandingException {
  id: string;
  /** What it covers, in one sentence for the output. */
  text: string;
  /** The standard's test entry it follows. */
  source: string;
}

const SCTP_EXCEPTION: StandingException = {
  id: 'sctp-optional',
  text: 'SCTP is optional: the SCTP cases are scs-0219-networkpolicy-sctp, which never counts toward kaas-networking-check',
  source: 'scs-sonobuoy-config-v1.yaml okToFail "Feature:SCTPConnectivity"',
};
const IPBLOCK_SOURCE =
  'scs-sonobuoy-config-v1.yaml okToFail: the three ipBlock tests ("egress access to server in CIDR block", "except clause", "IP overlapping both IPBlock.CIDR and IPBlock.Except")';
const mappedCases = new Map(SONOBUOY_OK_TO_FAIL.flatMap((x) => x.cases.map((c) => [c, x] as const)));

/** The exceptions a check applies in this mode (recorded with its results). */
export function standingExceptions(mode: IpBlockMode): StandingException[] {
  const out = [SCTP_EXCEPTION];
  if (mode === 'sonobuoy')
    out.push({
      id: SONOBUOY_IPBLOCK_EXCEPTION,
      text: `the cases transcribing the e2e tests the Sonobuoy entry excepts (${[...mappedCases.keys()].join(', ')}) are excepted whole, as the entry excepts the tests`,
      source: IPBLOCK_SOURCE,
    });
  if (mode !== 'none')
    out.push({
      id: IPBLOCK_EXCEPTION,
      text: `ipBlock peers covering pod addresses${mode === 'sonobuoy' ? ' (every other ipBlock case)' : ''}: a mismatch is excepted when the dataplane did what the case yields with ipBlock peers matching no pod (cilium/cilium#9209)`,
      source: IPBLOCK_SOURCE,
    });
  return out;
}

const IPBLOCK_REASON =
  'every mismatch is what the case yields with ipBlock peers matching no pod address (cilium/cilium#9209), which the standard’s test excepts';

/** The exception that covers a failed case in this mode, or undefined when it counts. */
export function exceptionFor(
  c: PolicyCase,
  result: CaseResult,
  mode: IpBlockMode,
): Omit<ExceptedCase, 'case'> | undefined {
  if (result.status !== 'fail' || mode === 'none') return undefined;
  const entry = mappedCases.get(c.name);
  if (mode === 'sonobuoy' && entry !== undefined)
    return {
      exception: SONOBUOY_IPBLOCK_EXCEPTION,
      reason: `transcribes the e2e test "${entry.test}", which scs-sonobuoy-config-v1.yaml excepts (okToFail: ${entry.reason})`,
    };
  return exceptedByIpBlock(c, result) ? { exception: IPBLOCK_EXCEPTION, reason: IPBLOCK_REASON } : undefined;
}

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
function hasIpBlock(c: Pick<PolicyCase, 'policies'>): boolean {
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
