/**
 * The run's own objects on the cluster: namespaces (relabelled as cases change), the agent's
 * ConfigMap in each of them, and pods created, deleted and awaited. Used by the case layout and by
 * the performance pods.
 */
import { setHeaderOptions, PatchStrategy, type V1Namespace, type V1Pod } from '@kubernetes/client-node';
import type { Labels } from '../../netpol/types.js';
import { EnvironmentError } from '../../util/errors.js';
import { httpStatus, translateError } from './client.js';
import { AGENT_CONFIGMAP, configMapManifest, type Named } from './manifests.js';
import type { KubeSession } from './session.js';
import { waitForPodsReady, type WaitProgress } from './wait.js';

export const JSON_MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Labels patch turning `from` into `to`: changed keys set, removed keys nulled (JSON merge patch). */
export function labelPatch(from: Labels, to: Labels): Record<string, string | null> | undefined {
  const patch: Record<string, string | null> = {};
  for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
  for (const [k, v] of Object.entries(to)) if (from[k] !== v) patch[k] = v;
  return Object.keys(patch).length ? patch : undefined;
}

/** Creates the namespace or brings its labels to `manifest`'s (case labels change between cases). */
export async function ensureNamespace(s: KubeSession, manifest: Named<V1Namespace>): Promise<void> {
  const name = manifest.metadata.name;
  const want = manifest.metadata.labels ?? {};
  const target = { ...want, 'kubernetes.io/metadata.name': name };
  if (!s.nsLabels.has(name)) {
    try {
      await s.api(`create namespace ${name}`, (c) => c.core.createNamespace({ body: manifest }));
      s.nsLabels.set(name, target);
      return;
    } catch (err) {
      if (httpStatus(err) !== 409) throw err;
      const cur = await s.api(`read namespace ${name}`, (c) => c.core.readNamespace({ name }));
      s.nsLabels.set(name, cur.metadata?.labels ?? {});
    }
  }
  const patch = labelPatch(s.nsLabels.get(name) ?? {}, target);
  if (patch) {
    await s.api(`relabel namespace ${name}`, (c) =>
      c.core.patchNamespace({ name, body: { metadata: { labels: patch } } }, JSON_MERGE),
    );
  }
  s.nsLabels.set(name, target);
}

/** Creates the agent's ConfigMap in a namespace of this run (pods mount it from their own namespace). */
export async function ensureAgentConfigMap(s: KubeSession, ns: string): Promise<void> {
  if (s.agentConfigMaps.has(ns)) return;
  const body = configMapManifest(AGENT_CONFIGMAP, ns, s.runId, s.bundle().data);
  await s
    .api(`create configmap ${ns}/${AGENT_CONFIGMAP}`, (c) =>
      c.core.createNamespacedConfigMap({ namespace: ns, body }),
    )
    .catch((err: unknown) => {
      if (httpStatus(err) !== 409) throw err;
    });
  s.agentConfigMaps.add(ns);
}

/** Deletes a pod at once (grace 0) and waits until the API server no longer has it. */
export async function deletePodAndWait(
  s: KubeSession,
  namespace: string,
  name: string,
  timeoutMs: number,
): Promise<void> {
  try {
    await s.api(`delete pod ${namespace}/${name}`, (c) =>
      c.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }),
    );
  } catch (err) {
    if (httpStatus(err) !== 404) throw err;
  }
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await s.connection().core.readNamespacedPod({ name, namespace });
    } catch (err) {
      if (httpStatus(err) === 404) return;
      throw translateError(s.connection(), `read pod ${namespace}/${name}`, err);
    }
    if (Date.now() > deadline)
      throw new EnvironmentError(
        `pod ${namespace}/${name} still exists ${timeoutMs / 1000} s after deletion`,
      );
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits until the named pods (real namespace → names) are Ready, reporting progress. */
export async function waitReady(
  s: KubeSession,
  wanted: Map<string, string[]>,
  signal?: AbortSignal,
): Promise<Map<string, V1Pod>> {
  const total = [...wanted.values()].reduce((n, v) => n + v.length, 0);
  s.progress({ phase: 'ready', message: `waiting for ${total} pod(s) to be ready`, done: 0, total });
  return waitForPodsReady(s.connection(), wanted, {
    timeoutMs: s.config.readyTimeout * 1000,
    labelSelector: `cnibench.io/run-id=${s.runId}`,
    signal,
    onProgress: (p: WaitProgress) =>
      s.progress({
        phase: 'ready',
        message: p.pending.length
          ? `${p.ready}/${p.total} ready; waiting for ${p.pending.slice(0, 5).join(', ')}`
          : `${p.total} ready`,
        done: p.ready,
        total: p.total,
      }),
  });
}
