/**
 * Applying and deleting arbitrary objects through KubernetesObjectApi with server-side apply (what
 * `kubectl apply --server-side` does; client-side apply cannot carry the operator's large CRDs in an
 * annotation). CRDs go first and must be Established before custom resources of their kinds are sent.
 */
import { PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/serializer.js';
import { getSerializationType } from '@kubernetes/client-node/dist/util.js';
import { EnvironmentError } from '../util/errors.js';
import { apiStatus, isNotFound, type KubeClients } from './kube-clients.js';
import { objectRef } from './manifest.js';
import type { ProgressFn } from './installer.js';
import { sleep } from '../util/sleep.js';

export const FIELD_MANAGER = 'cnibench';

/**
 * client-node serialises known kinds through its typed models, which expect camel-case property names
 * and silently drop `x-kubernetes-*` and `$ref` from plain JSON (CRD schemas lose
 * x-kubernetes-preserve-unknown-fields). Deserialising first maps the JSON names onto the model.
 */
export function toClientModel(o: KubernetesObject): KubernetesObject {
  return ObjectSerializer.deserialize(o, getSerializationType(o.apiVersion, o.kind)) as KubernetesObject;
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

export async function applyObjects(
  objects: KubernetesObject[],
  kube: KubeClients,
  opts: ApplyOptions = {},
): Promise<void> {
  const ordered = applyOrder(objects);
  const crds = ordered.filter((o) => o.kind === 'CustomResourceDefinition');
  let done = 0;
  for (const o of ordered) {
    if (o.kind !== 'CustomResourceDefinition' && crds.length > 0 && done === crds.length) {
      await waitCrdsEstablished(crds, kube, opts.crdTimeoutMs ?? 60_000, opts.pollMs ?? 500);
    }
    try {
      await kube.objects.patch(
        toClientModel(o),
        undefined,
        undefined,
        FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
    } catch (err) {
      throw new EnvironmentError(`cannot apply ${objectRef(o)}: ${describeApiError(err)}`);
    }
    done++;
    opts.progress?.({ phase: 'apply', message: objectRef(o), done, total: ordered.length });
  }
  if (crds.length > 0 && done === crds.length)
    await waitCrdsEstablished(crds, kube, opts.crdTimeoutMs ?? 60_000, opts.pollMs ?? 500);
}

async function waitCrdsEstablished(
  crds: KubernetesObject[],
  kube: KubeClients,
  timeoutMs: number,
  pollMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  for (const crd of crds) {
    for (;;) {
      const live = (await kube.objects.read({
        apiVersion: crd.apiVersion!,
        kind: crd.kind!,
        metadata: { name: crd.metadata!.name! },
      })) as { status?: { conditions?: { type: string; status: string }[] } };
      if (live.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline)
        throw new EnvironmentError(
          `CustomResourceDefinition ${crd.metadata!.name} was not Established within ${timeoutMs / 1000}s`,
        );
      await sleep(pollMs);
    }
  }
}

/** Deletes objects in reverse apply order; objects already gone (or whose kind is gone) are fine. */
export async function deleteObjects(
  objects: KubernetesObject[],
  kube: KubeClients,
  progress?: ProgressFn,
): Promise<void> {
  const ordered = applyOrder(objects).reverse();
  let done = 0;
  for (const o of ordered) {
    try {
      await kube.objects.delete(header(o), undefined, undefined, undefined, undefined, 'Background');
    } catch (err) {
      if (!isGone(err)) throw new EnvironmentError(`cannot delete ${objectRef(o)}: ${describeApiError(err)}`);
    }
    done++;
    progress?.({ phase: 'uninstall', message: `deleted ${objectRef(o)}`, done, total: ordered.length });
  }
}

/** Waits until every object is gone (finalizers done), or throws after the timeout. */
export async function waitDeleted(
  objects: KubernetesObject[],
  kube: KubeClients,
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

export async function exists(o: KubernetesObject, kube: KubeClients): Promise<boolean> {
  try {
    await kube.objects.read(header(o));
    return true;
  } catch (err) {
    if (isGone(err)) return false;
    throw new EnvironmentError(`cannot read ${objectRef(o)}: ${describeApiError(err)}`);
  }
}

function header(o: KubernetesObject) {
  return {
    apiVersion: o.apiVersion!,
    kind: o.kind!,
    metadata: {
      name: o.metadata!.name!,
      ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
    },
  };
}

/** 404, or a kind the server no longer serves (its CRD was deleted first). */
function isGone(err: unknown): boolean {
  if (isNotFound(err)) return true;
  return (
    err instanceof Error &&
    /Unrecognized API version and kind|Failed to fetch resource metadata.*404/.test(err.message)
  );
}

export function describeApiError(err: unknown): string {
  const code = apiStatus(err);
  if (code !== undefined && typeof err === 'object' && err !== null && 'body' in err) {
    const body = (err as { body: unknown }).body;
    let msg = typeof body === 'string' ? body : JSON.stringify(body);
    try {
      const parsed =
        typeof body === 'string'
          ? (JSON.parse(body) as { message?: string })
          : (body as { message?: string });
      if (parsed?.message) msg = parsed.message;
    } catch {
      // body was not JSON; keep it as text
    }
    return `HTTP ${code}: ${msg}`;
  }
  return err instanceof Error ? err.message : String(err);
}

export { sleep };
