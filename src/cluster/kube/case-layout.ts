/**
 * A conformance case's namespaces and pods on the cluster. Pods are kept between cases when their
 * spec is unchanged (only their labels are patched), replaced when it changed, and deleted when the
 * case no longer has them; namespaces are created once and relabelled.
 */
import type { ResolvedCase, ResolvedPod } from '../../netpol/types.js';
import { InputError } from '../../util/errors.js';
import { conformancePodManifest, namespaceManifest, probeSite } from './manifests.js';
import { SPEC_HASH_ANNOTATION } from './naming.js';
import {
  deletePodAndWait,
  ensureAgentConfigMap,
  ensureNamespace,
  JSON_MERGE,
  labelPatch,
  waitReady,
} from './objects.js';
import { mapLimit } from '../../util/map-limit.js';
import { API_CONCURRENCY, type KubeSession } from './session.js';

export async function ensureCaseLayout(
  s: KubeSession,
  c: ResolvedCase,
  signal?: AbortSignal,
): Promise<ResolvedPod[]> {
  const agentMode = s.config.probeMode === 'agent';
  const ctx = {
    ns: s.namespaces,
    images: s.images,
    imagePullSecrets: s.config.imagePullSecrets,
    ...(agentMode ? { agent: { items: s.bundle().items } } : {}),
    sctp: c.probes.some((p) => p.protocol === 'SCTP'),
  };
  const nsManifests = Object.entries(c.namespaces).map(([logical, labels]) =>
    namespaceManifest(logical, labels, s.namespaces),
  );
  for (const p of c.pods) {
    if (!(p.namespace in c.namespaces))
      throw new InputError(`case ${c.name}: pod ${p.key} is in undeclared namespace ${p.namespace}`);
  }
  s.progress({ phase: 'namespaces', message: `${nsManifests.length} namespace(s) for case ${c.name}` });
  await mapLimit(nsManifests, API_CONCURRENCY, async (m) => {
    await ensureNamespace(s, m);
    if (agentMode) await ensureAgentConfigMap(s, m.metadata.name);
  });

  const desired = new Map(c.pods.map((p) => [p.key, { pod: p, manifest: conformancePodManifest(p, ctx) }]));
  // Pods of earlier cases that this case does not have.
  const stale = [...s.pods.entries()].filter(([key, r]) => !r.perf && !desired.has(key));
  const timeoutMs = s.config.readyTimeout * 1000;
  let done = 0;
  const total = stale.length + desired.size;
  const step = (what: string) => s.progress({ phase: 'pods', message: what, done: ++done, total });
  await mapLimit(stale, API_CONCURRENCY, async ([key, r]) => {
    await deletePodAndWait(s, r.handle.namespace, r.handle.name, timeoutMs);
    s.pods.delete(key);
    step(`deleted ${key}`);
  });
  await mapLimit([...desired.entries()], API_CONCURRENCY, async ([key, { pod, manifest }]) => {
    const ns = s.namespaces.real(pod.namespace);
    const hash = manifest.metadata.annotations?.[SPEC_HASH_ANNOTATION] ?? '';
    const labels = manifest.metadata.labels ?? {};
    const known = s.pods.get(key);
    if (known && known.hash === hash) {
      const patch = labelPatch(known.labels, labels);
      if (patch) {
        await s.api(`relabel pod ${ns}/${pod.name}`, (k) =>
          k.core.patchNamespacedPod(
            { name: pod.name, namespace: ns, body: { metadata: { labels: patch } } },
            JSON_MERGE,
          ),
        );
        known.labels = labels;
      }
      step(`reused ${key}`);
      return;
    }
    if (known) await deletePodAndWait(s, ns, pod.name, timeoutMs);
    signal?.throwIfAborted();
    await s.api(`create pod ${ns}/${pod.name}`, (k) =>
      k.core.createNamespacedPod({ namespace: ns, body: manifest }),
    );
    const site = probeSite(manifest);
    s.pods.set(key, {
      handle: { namespace: ns, name: pod.name, key, node: '', ip: '' },
      containers: [site.container],
      ...(site.agnhost ? { agnhost: site.agnhost } : {}),
      hash,
      labels,
      perf: false,
    });
    step(`created ${key}`);
  });
  const toWait = new Map<string, string[]>();
  for (const p of c.pods) {
    const r = s.pods.get(p.key);
    if (!r || r.handle.ip) continue;
    toWait.set(r.handle.namespace, [...(toWait.get(r.handle.namespace) ?? []), r.handle.name]);
  }
  const ready = await waitReady(s, toWait, signal);
  for (const [nsName, v1] of ready) {
    const [ns = '', name = ''] = nsName.split('/');
    const r = s.pods.get(`${s.namespaces.logical(ns) ?? ns}/${name}`);
    if (r) {
      r.handle.ip = v1.status?.podIP ?? '';
      r.handle.node = v1.spec?.nodeName ?? '';
    }
  }
  return c.pods.map((p) => ({ ...p, labels: { ...p.labels }, ip: s.pods.get(p.key)?.handle.ip ?? '' }));
}
