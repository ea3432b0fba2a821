/**
 * The admin-tier canary: whether the cluster enforces an admin-tier API version, measured before that
 * version's cases rather than assumed from the CNI's release. A cluster can serve the CRD and accept
 * the objects without enforcing them (Cilium 1.20 with the CRD installed but
 * `k8sClusterNetworkPolicy.enabled` off); its cases would then all fail, which says nothing about
 * what the suite tests. So, on the pods of the first case of that version:
 *
 *   one Admin-tier policy alone (every NetworkPolicy and admin-tier object removed), priority 0,
 *   whose single ingress Deny rule covers one pair `blocked` on one port, must block that pair while
 *   the reverse pair `control`, which it does not cover, still connects.
 *
 * Both probes are repeated until that holds or the convergence timeout ends: two probes a round and
 * one policy update, so it costs next to nothing on a cluster that enforces the tier. The model
 * checks the canary before it is used (blocked denied, control allowed), so a canary that cannot say
 * what it claims is never run. Every driver runs it: it lives in the workload, not in a driver.
 */
import type { CaseLane, ProbeRequest, ProbeResult } from '../../cluster/driver.js';
import { isAllowed } from '../../netpol/truth-table.js';
import {
  NAMESPACE_NAME_LABEL,
  type AdminTierApi,
  type AdminTierPolicies,
  type AdminTierPeer,
  type Probe,
  type ResolvedCase,
  type ResolvedPod,
} from '../../netpol/types.js';
import type { AdminTierCanary, CanaryProbe } from '../../results/schema.js';
import { sleep } from '../../util/sleep.js';
import { observedAllowed } from './compare.js';

/** The canary policy's name (the kube driver gives it the run's prefix, as every admin-tier object). */
export const CANARY_POLICY = 'cnibench-canary';

export interface CanaryPlan {
  api: AdminTierApi;
  objects: AdminTierPolicies;
  /** How the policy is named in results and reasons. */
  policy: string;
  blocked: ProbeRequest;
  control: ProbeRequest;
}

export interface CanaryOptions {
  probeTimeoutMs: number;
  convergenceTimeoutMs: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
}

/** The namespace and labels of one pod, as an admin-tier pods selection. */
function podSelection(p: ResolvedPod): AdminTierPeer {
  return {
    pods: {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } },
      podSelector: { matchLabels: { ...p.labels } },
    },
  };
}

/** The canary's objects: the Deny covers ingress at `dst` from `src` on `probe`. */
function canaryObjects(
  api: AdminTierApi,
  src: ResolvedPod,
  dst: ResolvedPod,
  probe: Probe,
): AdminTierPolicies {
  const from = [podSelection(src)];
  const subject = podSelection(dst);
  if (api === 'v1alpha2') {
    const proto = probe.protocol === 'TCP' ? 'tcp' : probe.protocol === 'UDP' ? 'udp' : 'sctp';
    return {
      clusterNetworkPolicies: [
        {
          apiVersion: 'policy.networking.k8s.io/v1alpha2',
          kind: 'ClusterNetworkPolicy',
          metadata: { name: CANARY_POLICY },
          spec: {
            tier: 'Admin',
            priority: 0,
            subject,
            ingress: [
              {
                name: 'canary-deny',
                action: 'Deny',
                from,
                protocols: [{ [proto]: { destinationPort: { number: probe.port } } }],
              },
            ],
          },
        },
      ],
    };
  }
  return {
    adminNetworkPolicies: [
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        kind: 'AdminNetworkPolicy',
        metadata: { name: CANARY_POLICY },
        spec: {
          priority: 0,
          subject,
          ingress: [
            {
              name: 'canary-deny',
              action: 'Deny',
              from,
              ports: [{ portNumber: { protocol: probe.protocol, port: probe.port } }],
            },
          ],
        },
      },
    ],
  };
}

const POLICY_TEXT: Record<AdminTierApi, string> = {
  v1alpha2: `ClusterNetworkPolicy "${CANARY_POLICY}" (Admin tier, priority 0): one ingress Deny rule`,
  v1alpha1: `AdminNetworkPolicy "${CANARY_POLICY}" (priority 0): one ingress Deny rule`,
};

const serves = (p: ResolvedPod, probe: Probe) =>
  p.ports.some((cp) => cp.port === probe.port && cp.protocol === probe.protocol);

/**
 * A canary on the case's pods (with their real addresses): the first pair, pods of different
 * namespaces first, for which the model says the Deny blocks it and leaves its reverse open. TCP is
 * preferred when the case probes it. Undefined when no pair qualifies (fewer than two pods serving the
 * probe port).
 */
/** The probe of a canary pair: `from` to `to` on the probe's port and protocol. */
export function canaryRequest(from: ResolvedPod, to: ResolvedPod, probe: Probe): ProbeRequest {
  return { from: from.key, to: to.key, toIp: to.ip, port: probe.port, protocol: probe.protocol };
}

export function planCanary(api: AdminTierApi, c: ResolvedCase): CanaryPlan | undefined {
  const probe = c.probes.find((p) => p.protocol === 'TCP') ?? c.probes[0];
  if (!probe) return undefined;
  const serving = c.pods.filter((p) => serves(p, probe));
  const pairs = serving.flatMap((src) => serving.filter((dst) => dst !== src).map((dst) => ({ src, dst })));
  pairs.sort(
    (a, b) => Number(a.src.namespace === a.dst.namespace) - Number(b.src.namespace === b.dst.namespace),
  );
  for (const { src, dst } of pairs) {
    const objects = canaryObjects(api, src, dst, probe);
    const world: ResolvedCase = {
      name: `${c.name} (canary)`,
      tags: [],
      namespaces: c.namespaces,
      pods: c.pods,
      policies: [],
      ...objects,
      probes: [probe],
    };
    if (isAllowed(world, src.key, dst.key, probe) || !isAllowed(world, dst.key, src.key, probe)) continue;
    return {
      api,
      objects,
      policy: POLICY_TEXT[api],
      blocked: canaryRequest(src, dst, probe),
      control: canaryRequest(dst, src, probe),
    };
  }
  return undefined;
}

const probeOf = (r: ProbeRequest): CanaryProbe => ({
  from: r.from,
  to: r.to,
  port: r.port,
  protocol: r.protocol,
});

const describeProbe = (r: CanaryProbe) => `${r.from} → ${r.to} ${r.protocol}/${r.port}`;

function describeResult(r: ProbeResult | undefined): string {
  if (!r) return 'not probed';
  if (observedAllowed(r)) return 'connected';
  if (r.connected && r.answeredBy !== undefined) return `answered by ${r.answeredBy}`;
  return r.error ?? 'not connected';
}

/**
 * Applies the canary alone on the case's pods (laid out by the caller) and probes until it is
 * decided; see the file comment. The policies it applied stay until the next setPolicies.
 */
export async function runCanary(
  driver: CaseLane,
  plan: CanaryPlan,
  caseName: string,
  pods: ResolvedPod[],
  opts: CanaryOptions,
): Promise<AdminTierCanary> {
  const base = {
    api: plan.api,
    case: caseName,
    policy: plan.policy,
    blocked: probeOf(plan.blocked),
    control: probeOf(plan.control),
  };
  const start = performance.now();
  await driver.setPolicies([], pods, opts.signal, plan.objects);
  for (let rounds = 1; ; rounds++) {
    opts.signal?.throwIfAborted();
    const last = await driver.probe([plan.blocked, plan.control], {
      timeoutMs: opts.probeTimeoutMs,
      concurrency: 2,
      signal: opts.signal,
    });
    const blocked = last[0] !== undefined && !observedAllowed(last[0]);
    const control = last[1] !== undefined && observedAllowed(last[1]);
    const elapsed = performance.now() - start;
    const seen = `${describeProbe(base.blocked)}: ${describeResult(last[0])}; ${describeProbe(base.control)}: ${describeResult(last[1])}`;
    const durationMs = Math.round(elapsed);
    if (blocked && control) return { ...base, outcome: 'enforced', rounds, durationMs, detail: seen };
    if (elapsed >= opts.convergenceTimeoutMs) {
      return {
        ...base,
        outcome: blocked ? 'inconclusive' : 'not-enforced',
        rounds,
        durationMs,
        detail: blocked
          ? `${seen} (the control pair did not connect either: the pod network, not the Deny, may be what blocks)`
          : `${seen} (still connected ${(opts.convergenceTimeoutMs / 1000).toFixed(1)} s after the Deny was applied)`,
      };
    }
    await sleep(opts.pollIntervalMs ?? 100, opts.signal);
  }
}

/** A canary that could not run: no pair of the case's pods to probe. */
export function canaryWithoutPair(api: AdminTierApi, caseName: string): AdminTierCanary {
  return {
    api,
    case: caseName,
    policy: POLICY_TEXT[api],
    outcome: 'inconclusive',
    rounds: 0,
    durationMs: 0,
    detail: 'no two pods of the case serve the same probe port: nothing to probe, the cases run anyway',
  };
}

/** The unsupported-case reason a failed canary gives (names the canary and what it saw). */
export function canaryReason(c: AdminTierCanary): string {
  const pair = c.blocked ? describeProbe(c.blocked) : 'its pair';
  return `not enforced by the cluster: the canary ${c.policy} did not block ${pair}, still connected ${(c.durationMs / 1000).toFixed(1)} s after it was applied`;
}
