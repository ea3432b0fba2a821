/**
 * The NetworkPolicy canary: whether the cluster enforces NetworkPolicy at all, measured once before
 * the NetworkPolicy cases. A cluster whose CNI ignores NetworkPolicy (flannel, kindnet) fails every
 * case that expects a denial, each only after its probe rounds: ~500 cases × two rounds, minutes of
 * probing that say nothing more than one probe pair does. So, on the pods of the first case that runs:
 *
 *   one NetworkPolicy alone (every other policy removed), `podSelector: {}` with policyTypes
 *   [Ingress] and no rule in the namespace of pod `dst` (deny all ingress there), must block one pair
 *   `blocked` (src → dst, src in another namespace) while the reverse pair `control` (dst → src,
 *   which no policy covers) still connects.
 *
 * Both probes are repeated until that holds or the convergence timeout ends, as the admin-tier canary
 * (canary.ts), whose probing it shares. When the deny is still not enforced after the full timeout
 * while the control connects, the cluster enforces no NetworkPolicy: the cases that expect a denial
 * are recorded as failed with the canary's evidence (`failReason`), not probed. Enforced, even slowly,
 * or inconclusive (the control did not connect either): every case runs as without the canary. The
 * model checks the canary before it is used (blocked denied, control allowed).
 */
import type { CaseLane } from '../../cluster/driver.js';
import { isAllowed } from '../../netpol/truth-table.js';
import type { NetworkPolicy, Probe, ResolvedCase, ResolvedPod } from '../../netpol/types.js';
import type { NetworkPolicyCanary } from '../../results/schema.js';
import { canaryRequest, runCanary, type CanaryOptions, type CanaryPlan } from './canary.js';

/** The canary policy's name. */
export const NETWORKPOLICY_CANARY = 'cnibench-np-canary';

export interface NetworkPolicyCanaryPlan {
  policies: NetworkPolicy[];
  /** The namespace whose ingress it denies. */
  namespace: string;
  probe: Omit<CanaryPlan, 'api' | 'objects' | 'policy'>;
}

const serves = (p: ResolvedPod, probe: Probe) =>
  p.ports.some((cp) => cp.port === probe.port && cp.protocol === probe.protocol);

function denyAllIngress(namespace: string): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: NETWORKPOLICY_CANARY, namespace },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  };
}

/**
 * A canary on the case's pods (real addresses): the first pair of pods in different namespaces
 * serving the probe port (TCP preferred) for which the model says the deny blocks it and leaves its
 * reverse open. Undefined when no pair qualifies.
 */
export function planNetworkPolicyCanary(c: ResolvedCase): NetworkPolicyCanaryPlan | undefined {
  const probe = c.probes.find((p) => p.protocol === 'TCP') ?? c.probes[0];
  if (!probe) return undefined;
  const serving = c.pods.filter((p) => serves(p, probe));
  for (const dst of serving) {
    for (const src of serving.filter((s) => s.namespace !== dst.namespace)) {
      const policies = [denyAllIngress(dst.namespace)];
      const world: ResolvedCase = {
        name: `${c.name} (NetworkPolicy canary)`,
        tags: [],
        namespaces: c.namespaces,
        pods: c.pods,
        policies,
        probes: [probe],
      };
      if (isAllowed(world, src.key, dst.key, probe) || !isAllowed(world, dst.key, src.key, probe)) continue;
      return {
        policies,
        namespace: dst.namespace,
        probe: { blocked: canaryRequest(src, dst, probe), control: canaryRequest(dst, src, probe) },
      };
    }
  }
  return undefined;
}

const policyText = (namespace: string) =>
  `NetworkPolicy "${NETWORKPOLICY_CANARY}" in namespace ${namespace} (podSelector {}, policyTypes [Ingress], no rule: deny all ingress)`;

/** Applies the canary alone on the case's pods (laid out by the caller) and probes until decided. */
export async function runNetworkPolicyCanary(
  lane: CaseLane,
  plan: NetworkPolicyCanaryPlan,
  caseName: string,
  pods: ResolvedPod[],
  opts: CanaryOptions,
): Promise<NetworkPolicyCanary> {
  // The admin-tier canary's probing, with a NetworkPolicy instead of an admin-tier object.
  const shim: CaseLane = {
    ensureLayout: (c, signal) => lane.ensureLayout(c, signal),
    setPolicies: (_policies, p, signal) => lane.setPolicies(plan.policies, p, signal),
    probe: (requests, o) => lane.probe(requests, o),
  };
  const r = await runCanary(
    shim,
    { api: 'v1alpha2', objects: {}, policy: policyText(plan.namespace), ...plan.probe },
    caseName,
    pods,
    opts,
  );
  const { api: _api, ...rest } = r;
  return { ...rest, namespace: plan.namespace };
}

/** A canary that could not run: no pair of the case's pods to probe (the cases run anyway). */
export function networkPolicyCanaryWithoutPair(caseName: string): NetworkPolicyCanary {
  return {
    case: caseName,
    policy: `NetworkPolicy "${NETWORKPOLICY_CANARY}" (deny all ingress)`,
    outcome: 'inconclusive',
    rounds: 0,
    durationMs: 0,
    detail:
      'no two pods of different namespaces serve the same probe port: nothing to probe, the cases run anyway',
  };
}

/** Why a case failed without being probed, naming the canary and what it saw. */
export function networkPolicyCanaryReason(c: NetworkPolicyCanary): string {
  const target = c.blocked ? `deny-all ingress to ${c.blocked.to}` : 'deny-all ingress';
  const pair = c.blocked
    ? `${c.blocked.from} → ${c.blocked.to} ${c.blocked.protocol}/${c.blocked.port}`
    : 'its pair';
  return `not run: the NetworkPolicy canary (${target}) was still allowed after ${(c.durationMs / 1000).toFixed(1)} s (${pair} still connected): this cluster enforces no NetworkPolicy`;
}
