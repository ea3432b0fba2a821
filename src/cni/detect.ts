/**
 * Which CNI a cluster already runs, recognised by its node agent DaemonSet, and which version its image
 * tag says. A run must not lay a second CNI over a working one (pods would end up split across two
 * dataplanes), so installing over a different CNI needs the candidate's `force: true`.
 *
 * The CNIs cnibench installs say how they are recognised themselves (`CniInstaller.detection`, in their
 * own folder, through the registry); the list below holds only CNIs cnibench recognises but does not
 * install, which have no folder.
 */
import type { V1DaemonSet } from '@kubernetes/client-node';
import { EnvironmentError } from '../util/errors.js';
import { imageVersion } from './images.js';
import { apiCall, type KubeConnection } from '../cluster/kube/client.js';
import type { KubeCandidate } from '../scenario/schema.js';
import { mainImage } from './components.js';
import type { CniDetection, InstalledComponent } from './installer.js';
import { installers } from './registry.js';

interface Signature extends CniDetection {
  cni: string;
  title: string;
}

/** Recognised, never installed by cnibench: named on a cluster that runs them (`check`, `detect`). */
const DETECTED_ONLY: Signature[] = [
  { cni: 'flannel', title: 'Flannel', daemonSet: /^kube-flannel-ds(-.+)?$/, container: 'kube-flannel' },
  { cni: 'weave', title: 'Weave Net', daemonSet: /^weave-net$/, container: 'weave' },
  { cni: 'kindnet', title: 'kindnet', daemonSet: /^kindnet$/, container: 'kindnet-cni' },
  { cni: 'canal', title: 'Canal', daemonSet: /^canal$/, container: 'calico-node' },
  { cni: 'antrea', title: 'Antrea', daemonSet: /^antrea-agent$/, container: 'antrea-agent' },
  { cni: 'kube-router', title: 'kube-router', daemonSet: /^kube-router$/, container: 'kube-router' },
];

/** The registered CNIs' detections first (read at call time: a CNI registered at start-up counts). */
function signatures(): Signature[] {
  return [...installers().map((i) => ({ cni: i.name, title: i.title, ...i.detection })), ...DETECTED_ONLY];
}

export type DetectedCni = InstalledComponent;

/** How a detected CNI is written ("Calico", "Flannel"); an unknown name stays as it is. */
export function detectedTitle(cni: string): string {
  return signatures().find((s) => s.cni === cni)?.title ?? cni;
}

/** Every known CNI node agent found in any namespace. */
export async function detectCnis(kube: KubeConnection): Promise<DetectedCni[]> {
  const list: V1DaemonSet[] = (
    await apiCall(kube, 'list DaemonSets in all namespaces (to detect the installed CNI)', () =>
      kube.apps.listDaemonSetForAllNamespaces(),
    )
  ).items;
  const known = signatures();
  const found: DetectedCni[] = [];
  for (const ds of list) {
    const name = ds.metadata?.name ?? '';
    const sig = known.find((s) => s.daemonSet.test(name));
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
