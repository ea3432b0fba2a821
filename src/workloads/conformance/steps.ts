/**
 * Running a multi-step case (docs/policy-change.md) on one lane: step 0 is laid out and programmed
 * like a static case; then each step's changes go to the cluster while the pods keep running —
 * labels through ensureLayout (which relabels pods and namespaces in place), policies and admin-tier
 * objects through setPolicies — and the lane is probed until it agrees with the model's table for
 * the state after the step. The time from the change's first call to that round is the step's time
 * to enforce.
 *
 * Where a step turns allowed pairs into denied ones, one TCP connection and one UDP flow over such
 * pairs are held open across it (ClusterDriver.holdFlows, the agent's `hold` mode), and held for
 * `heldFlowWindowMs` after the change was enforced, to record whether the established flow was cut
 * or kept (held-flows.ts). That is a behaviour, reported, never a failure.
 */
import type { CaseLane, HeldFlowRequest, HeldFlows } from '../../cluster/driver.js';
import { rebaseAdminNetworks } from '../../netpol/rebase-networks.js';
import { resolveCase } from '../../netpol/resolve.js';
import { changedPairs } from '../../netpol/step-diff.js';
import { caseStates, stepKind } from '../../netpol/steps.js';
import { computeTruthTable } from '../../netpol/truth-table.js';
import type {
  AdminTierPolicies,
  PolicyCase,
  Probe,
  ResolvedCase,
  ResolvedPod,
  TruthTable,
} from '../../netpol/types.js';
import type { Mismatch, StepResult } from '../../results/schema.js';
import { sleep } from '../../util/sleep.js';
import { classifyHeldFlow } from './held-flows.js';
import { probeRequests, probeUntilMatch, type ProbeLoopOptions } from './probe-loop.js';
import { messageOf } from '../../util/errors.js';

export interface StepsOptions extends ProbeLoopOptions {
  includeSelf?: boolean;
  /** Throughput runs on the same nodes meanwhile (recorded on each step). */
  underLoad?: boolean;
  /** Hold flows across new denials; default true. */
  holdFlows?: boolean;
  /** How long held flows stay open after a change was enforced; default 1000 ms. */
  heldFlowWindowMs?: number;
  /** The agent's send interval on held flows; default 50 ms (the agent's own default). */
  heldFlowIntervalMs?: number;
}

export interface StepsRun {
  steps: StepResult[];
  pods: ResolvedPod[];
  /** The model's table and the mismatches of the first failing step (or the last step). */
  truth: TruthTable;
  mismatches: Mismatch[];
  probes: number;
}

/** The admin-tier objects of a state, to hand to the driver (undefined when none). */
function adminTierOf(c: ResolvedCase): AdminTierPolicies | undefined {
  const t: AdminTierPolicies = {
    ...(c.clusterNetworkPolicies?.length ? { clusterNetworkPolicies: c.clusterNetworkPolicies } : {}),
    ...(c.adminNetworkPolicies?.length ? { adminNetworkPolicies: c.adminNetworkPolicies } : {}),
    ...(c.baselineAdminNetworkPolicy ? { baselineAdminNetworkPolicy: c.baselineAdminNetworkPolicy } : {}),
  };
  return Object.keys(t).length > 0 ? t : undefined;
}

/** The state on the cluster's pods: their real IPs, admin-tier CIDRs moved to them. */
function onPods(resolved: ResolvedCase, pods: ResolvedPod[]): ResolvedCase {
  const tier = adminTierOf(resolved);
  const byKey = new Map(pods.map((p) => [p.key, p]));
  const real = resolved.pods.map((p) => ({ ...p, ip: byKey.get(p.key)?.ip ?? p.ip }));
  return { ...resolved, pods: real, ...(tier ? rebaseAdminNetworks(tier, resolved.pods, real) : {}) };
}

/** At most one TCP and one UDP pair the step turns from allowed to denied: the flows to hold. */
function flowsToHold(before: TruthTable, after: TruthTable, pods: ResolvedPod[]): HeldFlowRequest[] {
  const ip = new Map(pods.map((p) => [p.key, p.ip]));
  const out: HeldFlowRequest[] = [];
  for (const protocol of ['TCP', 'UDP'] as const) {
    // Pod-to-self traffic never leaves the pod: no dataplane can police it (run.ts).
    const pair = changedPairs(before, after).find((p) => p.protocol === protocol && p.from !== p.to);
    const toIp = pair ? ip.get(pair.to) : undefined;
    if (pair && toIp) out.push({ from: pair.from, to: pair.to, toIp, port: pair.port, protocol });
  }
  return out;
}

export async function runSteps(
  lane: CaseLane,
  c: PolicyCase,
  probes: Probe[],
  opts: StepsOptions,
): Promise<StepsRun> {
  const states = caseStates(c).map((s) => resolveCase({ ...s, probes }));
  const results: StepResult[] = [];
  let pods: ResolvedPod[] = [];
  let prevTruth: TruthTable | undefined;
  let failed: { truth: TruthTable; mismatches: Mismatch[] } | undefined;
  let lastTruth: TruthTable | undefined;
  let probeCount = 0;
  for (const [n, resolved] of states.entries()) {
    if (opts.signal?.aborted) throw opts.signal.reason;
    const step = n === 0 ? undefined : c.steps?.[n - 1];
    const labels = step?.actions.some(
      (a) =>
        'setPodLabels' in a ||
        'removePodLabels' in a ||
        'setNamespaceLabels' in a ||
        'removeNamespaceLabels' in a,
    );
    // The table for the state after the step, on the pods as they are (relabelling keeps them).
    const expected = n === 0 ? undefined : computeTruthTable(onPods(resolved, pods));
    const newDenials = prevTruth && expected ? changedPairs(prevTruth, expected).length : 0;
    let held: HeldFlows | undefined;
    let heldWhy: string | undefined;
    if (prevTruth && expected && newDenials > 0 && opts.holdFlows !== false) {
      const heldPlan = flowsToHold(prevTruth, expected, pods);
      if (!lane.holdFlows) heldWhy = 'this driver cannot hold flows';
      else if (heldPlan.length > 0) {
        try {
          // Resolves once the flows are established; a few answers more before the change.
          held = await lane.holdFlows(heldPlan, opts.signal);
          await sleep(4 * (opts.heldFlowIntervalMs ?? 50), opts.signal);
        } catch (err) {
          if (opts.signal?.aborted) throw err;
          heldWhy = messageOf(err);
        }
      }
    }
    // Step 0 times the programming as a static case does (from setPolicies); a step from the first
    // call that changes anything: ensureLayout when it relabels, else setPolicies.
    let start = labels ? performance.now() : 0;
    pods = await lane.ensureLayout(resolved, opts.signal);
    const real = onPods(resolved, pods);
    const truth = computeTruthTable(real);
    const requests = probeRequests(pods, real.probes, opts.includeSelf ?? false);
    if (!labels) start = performance.now();
    await lane.setPolicies(real.policies, pods, opts.signal, adminTierOf(real));
    let loop;
    try {
      loop = await probeUntilMatch(lane, truth, requests, start, opts);
      if (held && loop.latencyMs !== null) await sleep(opts.heldFlowWindowMs ?? 1000, opts.signal);
    } catch (err) {
      await held?.stop().catch(() => undefined);
      throw err;
    }
    const stopAt = performance.now();
    const reports = held ? await held.stop() : [];
    probeCount += requests.length;
    const enforcedAt = loop.latencyMs === null ? undefined : loop.at;
    results.push({
      step: n,
      ...(step?.name !== undefined ? { name: step.name } : {}),
      kind: step ? stepKind(step) : 'initial',
      status: loop.latencyMs === null ? 'fail' : 'pass',
      timeToEnforceMs: loop.latencyMs,
      underLoad: opts.underLoad ?? false,
      mismatches: loop.mismatches,
      probes: requests.length,
      ...(n > 0 ? { newDenials } : {}),
      ...(reports.length > 0 && enforcedAt !== undefined
        ? {
            heldFlows: reports.map((r) =>
              classifyHeldFlow(r, { changeAt: start, enforcedAt, stopAt }, opts.heldFlowIntervalMs ?? 50),
            ),
          }
        : {}),
      ...(heldWhy !== undefined
        ? { heldFlowsNotMeasured: heldWhy }
        : reports.length > 0 && enforcedAt === undefined
          ? { heldFlowsNotMeasured: 'the change was never enforced' }
          : {}),
    });
    if (loop.latencyMs === null && !failed) failed = { truth, mismatches: loop.mismatches };
    prevTruth = truth;
    lastTruth = truth;
    // A step that never matched leaves the cluster in an unknown state: the later steps would only
    // repeat its failure.
    if (loop.latencyMs === null) break;
  }
  return {
    steps: results,
    pods,
    truth: failed?.truth ?? lastTruth ?? { name: c.name, probes: [] },
    mismatches: failed?.mismatches ?? [],
    probes: probeCount,
  };
}
