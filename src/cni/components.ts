/**
 * The running components of a CNI and the versions their image tags say, read for provenance ("what
 * actually ran"). Installers read their own components through here; detection (detect.ts) reads the
 * node agent's image the same way.
 */
import type { V1DaemonSet, V1Deployment } from '@kubernetes/client-node';
import { imageVersion } from './images.js';
import { isNotFound, translateError, type KubeConnection } from '../cluster/kube/client.js';
import type { InstalledComponent, WorkloadRef } from './installer.js';

/** The image of the named container (others in the pod are helpers), else of the first. */
export function mainImage(spec: V1DaemonSet | V1Deployment, preferred: string): string {
  const containers = spec.spec?.template?.spec?.containers ?? [];
  const c = containers.find((x) => x.name === preferred) ?? containers[0];
  return c?.image ?? '';
}

/** Image and version of each workload that exists, for provenance ("what actually ran"). */
export async function componentVersions(
  cni: string,
  refs: (WorkloadRef & { container?: string })[],
  kube: KubeConnection,
): Promise<InstalledComponent[]> {
  const out: InstalledComponent[] = [];
  for (const ref of refs) {
    try {
      const obj =
        ref.kind === 'DaemonSet'
          ? await kube.apps.readNamespacedDaemonSet({ name: ref.name, namespace: ref.namespace })
          : await kube.apps.readNamespacedDeployment({ name: ref.name, namespace: ref.namespace });
      const image = mainImage(obj, ref.container ?? ref.name);
      out.push({
        cni,
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
        image,
        version: imageVersion(image),
      });
    } catch (err) {
      if (isNotFound(err)) continue;
      throw translateError(kube, `read ${ref.kind} ${ref.namespace}/${ref.name}`, err);
    }
  }
  return out;
}

/** The `installedVersions` record of a results file: "namespace/name" → image tag. */
export function installedVersionsRecord(components: InstalledComponent[]): Record<string, string> {
  return Object.fromEntries(components.map((c) => [`${c.namespace}/${c.name}`, c.version]));
}
