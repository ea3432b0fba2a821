/**
 * Which CNI a cluster already runs, recognised by its node agent DaemonSet, and which version its image
 * tag says. A run must not lay a second CNI over a working one (pods would end up split across two
 * dataplanes), so installing over a different CNI needs the candidate's `force: true`.
 */
import type { V1DaemonSet, V1Deployment } from '@kubernetes/client-node';
import { EnvironmentError } from '../util/errors.js';
import { imageVersion } from './images.js';
import { apiCall, isNotFound, translateError, type KubeConnection } from '../cluster/kube/client.js';
import type { KubeCandidate } from '../scenario/schema.js';
import type { InstalledComponent, WorkloadRef } from './installer.js';

interface Signature {
  cni: string;
  /** DaemonSet names this CNI's node agent uses. */
  name: RegExp;
  /** The agent container (others in the pod are helpers). */
  container: string;
}

const SIGNATURES: Signature[] = [
  { cni: 'calico', name: /^calico-node$/, container: 'calico-node' },
  { cni: 'cilium', name: /^cilium$/, container: 'cilium-agent' },
  { cni: 'flannel', name: /^kube-flannel-ds(-.+)?$/, container: 'kube-flannel' },
  { cni: 'weave', name: /^weave-net$/, container: 'weave' },
  { cni: 'kindnet', name: /^kindnet$/, container: 'kindnet-cni' },
  { cni: 'canal', name: /^canal$/, container: 'calico-node' },
  { cni: 'antrea', name: /^antrea-agent$/, container: 'antrea-agent' },
  { cni: 'kube-router', name: /^kube-router$/, container: 'kube-router' },
];

export type DetectedCni = InstalledComponent;

function mainImage(spec: V1DaemonSet | V1Deployment, preferred: string): string {
  const containers = spec.spec?.template?.spec?.containers ?? [];
  const c = containers.find((x) => x.name === preferred) ?? containers[0];
  return c?.image ?? '';
}

/** Every known CNI node agent found in any namespace. */
export async function detectCnis(kube: KubeConnection): Promise<DetectedCni[]> {
  const list: V1DaemonSet[] = (
    await apiCall(kube, 'list DaemonSets in all namespaces (to detect the installed CNI)', () =>
      kube.apps.listDaemonSetForAllNamespaces(),
    )
  ).items;
  const found: DetectedCni[] = [];
  for (const ds of list) {
    const name = ds.metadata?.name ?? '';
    const sig = SIGNATURES.find((s) => s.name.test(name));
    if (!sig) continue;
    const image = mainImage(ds, sig.container);
    found.push({
      cni: sig.cni,
      kind: 'DaemonSet',
      namespace: ds.metadata?.namespace ?? '',
      name,
      image,
      version: imageVersion(image),
    });
  }
  return found.sort((a, b) => a.cni.localeCompare(b.cni) || a.namespace.localeCompare(b.namespace));
}

/** Refuses to install over a different CNI unless the candidate says `force: true`. */
export function assertNoConflictingCni(detected: DetectedCni[], candidate: KubeCandidate): void {
  const others = detected.filter((d) => d.cni !== candidate.cni);
  if (others.length === 0 || candidate.force) return;
  const list = others.map((d) => `${d.cni} ${d.version} (DaemonSet ${d.namespace}/${d.name})`).join(', ');
  throw new EnvironmentError(
    `the cluster already runs ${list}; installing ${candidate.cni} over it would leave two dataplanes. ` +
      `Use a cluster without a CNI (kind: networking.disableDefaultCNI), uninstall it first, or set force: true on candidate "${candidate.name}".`,
  );
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
