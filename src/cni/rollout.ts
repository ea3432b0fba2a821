/**
 * Readiness of a freshly installed CNI: its DaemonSets rolled out on every node, its Deployments
 * available, and every node Ready (a node stays NotReady until a CNI config is in place). Polls the
 * API, reports what is still pending through the progress callback, and fails with the pending list.
 */
import type { V1DaemonSet, V1Deployment, V1Node } from '@kubernetes/client-node';
import { EnvironmentError } from '../util/errors.js';
import { sleep } from '../util/sleep.js';
import { apiCall, isNotFound, translateError, type KubeConnection } from '../cluster/kube/client.js';
import type { WaitOptions, WorkloadRef } from './installer.js';

interface WorkloadStatus {
  ref: WorkloadRef;
  ready: boolean;
  /** "2/3 ready", "missing", ... */
  detail: string;
}

export function daemonSetReady(ds: V1DaemonSet): { ready: boolean; detail: string } {
  const st = ds.status;
  const desired = st?.desiredNumberScheduled ?? 0;
  const updated = st?.updatedNumberScheduled ?? 0;
  const available = st?.numberAvailable ?? 0;
  const observed = (st?.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0);
  const ready = observed && desired > 0 && updated === desired && available === desired;
  return { ready, detail: `${available}/${desired} available, ${updated} updated` };
}

export function deploymentReady(d: V1Deployment): { ready: boolean; detail: string } {
  const want = d.spec?.replicas ?? 1;
  const st = d.status;
  const readyReplicas = st?.readyReplicas ?? 0;
  const updated = st?.updatedReplicas ?? 0;
  const observed = (st?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
  const ready = observed && readyReplicas >= want && updated >= want;
  return { ready, detail: `${readyReplicas}/${want} ready` };
}

function nodeReady(n: V1Node): boolean {
  return n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

async function workloadStatus(ref: WorkloadRef, kube: KubeConnection): Promise<WorkloadStatus> {
  try {
    if (ref.kind === 'DaemonSet') {
      const ds = await kube.apps.readNamespacedDaemonSet({ name: ref.name, namespace: ref.namespace });
      return { ref, ...daemonSetReady(ds) };
    }
    const d = await kube.apps.readNamespacedDeployment({ name: ref.name, namespace: ref.namespace });
    return { ref, ...deploymentReady(d) };
  } catch (err) {
    if (isNotFound(err)) return { ref, ready: ref.optional === true, detail: 'missing' };
    throw translateError(kube, `read ${ref.kind} ${ref.namespace}/${ref.name}`, err);
  }
}

export async function waitForRollout(
  refs: WorkloadRef[],
  kube: KubeConnection,
  opts: WaitOptions,
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  const pollMs = opts.pollMs ?? 2000;
  for (;;) {
    const statuses = await Promise.all(refs.map((r) => workloadStatus(r, kube)));
    const nodes = (await apiCall(kube, 'list nodes', () => kube.core.listNode())).items;
    const notReadyNodes = nodes.filter((n) => !nodeReady(n)).map((n) => n.metadata?.name ?? '?');
    const pending = statuses
      .filter((s) => !s.ready)
      .map((s) => `${s.ref.kind} ${s.ref.namespace}/${s.ref.name} (${s.detail})`);
    if (nodes.length === 0) pending.push('no nodes registered');
    if (notReadyNodes.length > 0) pending.push(`nodes not Ready: ${notReadyNodes.join(', ')}`);
    const total = refs.length + 1;
    const done =
      statuses.filter((s) => s.ready).length + (nodes.length > 0 && notReadyNodes.length === 0 ? 1 : 0);
    opts.progress?.({
      phase: 'wait',
      message: pending.length === 0 ? 'ready' : `waiting for ${pending.join('; ')}`,
      done,
      total,
    });
    if (pending.length === 0) return;
    if (Date.now() >= deadline) {
      throw new EnvironmentError(
        `the CNI was not ready within ${seconds(opts.timeoutMs)}; still waiting for ${pending.join('; ')}`,
      );
    }
    await sleep(Math.min(pollMs, Math.max(0, deadline - Date.now())), opts.signal);
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
