/**
 * Applying and deleting arbitrary objects through KubernetesObjectApi with server-side apply (what
 * `kubectl apply --server-side` does; client-side apply cannot carry the operator's large CRDs in an
 * annotation). Server-side apply is strict: a field the server's schema does not declare is refused, not
 * dropped. Every CRD of the batch goes first and must be Established before any object of its kind.
 */
import { dumpYaml, loadYaml, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { EnvironmentError } from '../util/errors.js';
import {
  apiCall,
  isKindNotServed,
  isNotFound,
  translateError,
  type KubeConnection,
} from '../cluster/kube/client.js';
import { crdKinds, objectRef } from './manifest.js';
import type { InstallPlan, ProgressFn } from './installer.js';
import { sleep } from '../util/sleep.js';

const FIELD_MANAGER = 'cnibench';

/**
 * The body KubernetesObjectApi sends. It serialises every built-in kind through client-node's typed
 * models, which name some fields differently from the wire (`_from` for NetworkPolicy's `from`; camel-
 * case for a CRD schema's `x-kubernetes-preserve-unknown-fields`), so plain JSON would lose those fields
 * (kubernetes-client/javascript#2825, #2483). The public `loadYaml` turns wire JSON into the typed model
 * (since client-node 1.4.0 it deserialises exactly as the request serialiser expects); JSON is YAML.
 */
export function toClientModel(o: KubernetesObject): KubernetesObject {
  const model = loadYaml<KubernetesObject>(JSON.stringify(o));
  // A field the models do not know (newer than this client-node) would be dropped without a word.
  const lost = droppedFields(o, parseYaml(dumpYaml(model)) as unknown);
  if (lost.length > 0) {
    throw new EnvironmentError(
      `cannot send ${objectRef(o)} unchanged: @kubernetes/client-node's model of ${o.kind ?? '?'} has no field ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ` (and ${lost.length - 5} more)` : ''}; a newer cnibench (client-node) is needed for this manifest`,
    );
  }
  return model;
}

/** Paths present (non-null) in `sent` but missing from `kept`. */
function droppedFields(sent: unknown, kept: unknown, path = ''): string[] {
  if (Array.isArray(sent)) {
    const k = Array.isArray(kept) ? kept : [];
    return sent.flatMap((v, i) => droppedFields(v, k[i], `${path}[${i}]`));
  }
  if (typeof sent !== 'object' || sent === null) return [];
  const k = typeof kept === 'object' && kept !== null ? (kept as Record<string, unknown>) : {};
  return Object.entries(sent).flatMap(([key, v]) => {
    if (v === null || v === undefined) return [];
    const at = path ? `${path}.${key}` : key;
    return key in k ? droppedFields(v, k[key], at) : [at];
  });
}

/** Order that lets every object find what it depends on: CRDs, namespaces, RBAC and config, then the rest. */
const KIND_ORDER = [
  'CustomResourceDefinition',
  'Namespace',
  'PodSecurityPolicy',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
];

export function applyOrder(objects: KubernetesObject[]): KubernetesObject[] {
  const rank = (o: KubernetesObject) => {
    const i = KIND_ORDER.indexOf(o.kind ?? '');
    return i === -1 ? KIND_ORDER.length : i;
  };
  return objects
    .map((o, i) => ({ o, i }))
    .sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i)
    .map((x) => x.o);
}

export interface ApplyOptions {
  progress?: ProgressFn;
  /** How long to wait for new CRDs to be Established. */
  crdTimeoutMs?: number;
  pollMs?: number;
}

/** Server-side applies one object (field manager cnibench, forced), failing with the server's answer. */
export async function applyObject(o: KubernetesObject, kube: KubeConnection): Promise<void> {
  await apiCall(kube, `apply ${objectRef(o)}`, () =>
    kube.objects.patch(
      toClientModel(o),
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    ),
  );
}

/** Everything a plan applies, third-party manifests and generated objects, in the order listed. */
export function planObjects(plan: Pick<InstallPlan, 'manifests' | 'objects'>): KubernetesObject[] {
  return [...plan.manifests.flatMap((m) => m.objects), ...plan.objects];
}

/** One step of an apply: send an object, or wait until the CRDs sent so far are Established. */
export type ApplyStep = { apply: KubernetesObject } | { waitFor: KubernetesObject[] };

/**
 * The steps that apply `objects`: dependency order (every CRD first), and before the first object of a
 * kind one of these CRDs defines, a wait until all of them are Established (until then the server does
 * not serve the kind). Both the install and the printed plan follow these steps.
 */
export function applySteps(objects: KubernetesObject[]): ApplyStep[] {
  const ordered = applyOrder(objects);
  const crds = ordered.filter((o) => o.kind === 'CustomResourceDefinition');
  const definedBy = crdKinds(crds);
  const steps: ApplyStep[] = [];
  let waited = false;
  for (const o of ordered) {
    if (!waited && definedBy.has(`${o.apiVersion}|${o.kind}`)) {
      steps.push({ waitFor: crds });
      waited = true;
    }
    steps.push({ apply: o });
  }
  return steps;
}

/** Applies the objects following applySteps. */
export async function applyObjects(
  objects: KubernetesObject[],
  kube: KubeConnection,
  opts: ApplyOptions = {},
): Promise<void> {
  const steps = applySteps(objects);
  const total = objects.length;
  let done = 0;
  for (const step of steps) {
    if ('waitFor' in step) {
      opts.progress?.({
        phase: 'apply',
        message: `waiting for ${step.waitFor.length} CRD(s) to be Established`,
      });
      await waitCrdsEstablished(step.waitFor, kube, opts.crdTimeoutMs ?? 60_000, opts.pollMs ?? 500);
      continue;
    }
    await applyObject(step.apply, kube);
    done++;
    opts.progress?.({ phase: 'apply', message: objectRef(step.apply), done, total });
  }
}

/** Waits until every CRD reports Established=True (the server then serves its kinds). */
export async function waitCrdsEstablished(
  crds: KubernetesObject[],
  kube: KubeConnection,
  timeoutMs: number,
  pollMs = 500,
) {
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    for (;;) {
      const live = (await apiCall(kube, `read CustomResourceDefinition ${name}`, () =>
        kube.objects.read({
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name },
        }),
      )) as { status?: { conditions?: { type: string; status: string }[] } };
      if (live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline)
        throw new EnvironmentError(
          `CustomResourceDefinition ${name} was not Established within ${timeoutMs / 1000}s`,
        );
      await sleep(pollMs);
    }
  }
}

/** Deletes objects in reverse apply order; objects already gone (or whose kind is gone) are fine. */
export async function deleteObjects(
  objects: KubernetesObject[],
  kube: KubeConnection,
  progress?: ProgressFn,
): Promise<void> {
  const ordered = applyOrder(objects).reverse();
  let done = 0;
  for (const o of ordered) {
    try {
      await kube.objects.delete(header(o), undefined, undefined, undefined, undefined, 'Background');
    } catch (err) {
      if (!isGone(err)) throw translateError(kube, `delete ${objectRef(o)}`, err);
    }
    done++;
    progress?.({ phase: 'uninstall', message: `deleted ${objectRef(o)}`, done, total: ordered.length });
  }
}

/** Waits until every object is gone (finalizers done), or throws after the timeout. */
export async function waitDeleted(
  objects: KubernetesObject[],
  kube: KubeConnection,
  timeoutMs: number,
  pollMs = 1000,
  progress?: ProgressFn,
) {
  const deadline = Date.now() + timeoutMs;
  let pending = objects;
  while (pending.length > 0) {
    const still: KubernetesObject[] = [];
    for (const o of pending) if (await exists(o, kube)) still.push(o);
    pending = still;
    if (pending.length === 0) return;
    progress?.({ phase: 'uninstall', message: `waiting for ${pending.map(objectRef).join(', ')} to go` });
    if (Date.now() > deadline) {
      throw new EnvironmentError(
        `still present after ${timeoutMs / 1000}s: ${pending.map(objectRef).join(', ')}`,
      );
    }
    await sleep(pollMs);
  }
}

async function exists(o: KubernetesObject, kube: KubeConnection): Promise<boolean> {
  try {
    await kube.objects.read(header(o));
    return true;
  } catch (err) {
    if (isGone(err)) return false;
    throw translateError(kube, `read ${objectRef(o)}`, err);
  }
}

function header(o: KubernetesObject) {
  return {
    apiVersion: o.apiVersion ?? '',
    kind: o.kind ?? '',
    metadata: {
      name: o.metadata?.name ?? '',
      ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
    },
  };
}

/** 404, or a kind the server no longer serves (its CRD was deleted first). */
function isGone(err: unknown): boolean {
  return isNotFound(err) || isKindNotServed(err);
}
