/**
 * Calico through the Tigera operator: apply the operator manifest of the pinned release (images moved to
 * the configured registry), then the generated Installation and APIServer; the operator creates
 * calico-system and rolls out calico-node. Uninstall runs that backwards, waiting for the operator to
 * tear its components down before the operator itself goes.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClusterConfig } from '../../scenario/schema.js';
import { applyObjects, deleteObjects, waitDeleted } from '../apply.js';
import { componentVersions } from '../detect.js';
import type {
  CniInstaller,
  InstallPlan,
  KubeCandidate,
  PlanInputs,
  ProgressFn,
  WaitOptions,
  WorkloadRef,
} from '../installer.js';
import type { KubeConnection } from '../../cluster/kube/client.js';
import { addImagePullSecrets, parseManifest, rewriteImages } from '../manifest.js';
import { waitForRollout } from '../rollout.js';
import { calicoApiServer, calicoInstallation, calicoServicesEndpoint } from './installation.js';
import { calicoManifestUrl, calicoTag, versionAtLeast } from './release.js';

type CalicoCandidate = Extract<KubeCandidate, { cni: 'calico' }>;

const READINESS: WorkloadRef[] = [
  { kind: 'Deployment', namespace: 'tigera-operator', name: 'tigera-operator' },
  { kind: 'DaemonSet', namespace: 'calico-system', name: 'calico-node' },
  { kind: 'Deployment', namespace: 'calico-system', name: 'calico-kube-controllers' },
  { kind: 'Deployment', namespace: 'calico-system', name: 'calico-typha' },
  { kind: 'DaemonSet', namespace: 'calico-system', name: 'csi-node-driver', optional: true },
];

export function planCalico(
  candidate: CalicoCandidate,
  cluster: KubeClusterConfig,
  inputs: PlanInputs = {},
): InstallPlan {
  const s = candidate.settings;
  const warnings: string[] = [];
  const registry = cluster.imageRegistry;

  let manifest: InstallPlan['manifest'];
  if (inputs.manifest?.text !== undefined) {
    let objects = parseManifest(inputs.manifest.text, inputs.manifest.location);
    if (registry) objects = rewriteImages(objects, registry);
    objects = addImagePullSecrets(objects, cluster.imagePullSecrets);
    manifest = {
      origin: inputs.manifest.origin,
      location: inputs.manifest.location,
      cached: inputs.manifest.cached,
      objects,
    };
  } else {
    manifest = { origin: s.manifest ?? calicoManifestUrl(candidate.version), cached: false, objects: [] };
    warnings.push(
      `the operator manifest for ${calicoTag(candidate.version)} is not cached; a run downloads it from ${manifest.origin} ` +
        `(offline: cnibench cni fetch calico --version ${calicoTag(candidate.version)} on a connected machine)`,
    );
  }

  const objects: KubernetesObject[] = [];
  if (s.dataplane === 'BPF') {
    if (inputs.apiServer) objects.push(calicoServicesEndpoint(inputs.apiServer));
    else
      warnings.push(
        'the eBPF dataplane needs the API server address (ConfigMap tigera-operator/kubernetes-services-endpoint); ' +
          'a run reads it from the cluster, a dry run cannot',
      );
    warnings.push(
      'the eBPF dataplane replaces kube-proxy only when kube-proxy is disabled on the cluster (kind: kubeProxyMode none)',
    );
  }
  if (s.dataplane === 'Nftables' && !versionAtLeast(candidate.version, 3, 29)) {
    warnings.push(`linuxDataplane Nftables needs Calico v3.29 or later; ${candidate.version} will reject it`);
  }
  objects.push(
    calicoInstallation({ settings: s, imageRegistry: registry, imagePullSecrets: cluster.imagePullSecrets }),
  );
  if (s.apiServer) objects.push(calicoApiServer());

  return {
    candidate: candidate.name,
    cni: 'calico',
    version: candidate.version,
    manifest,
    objects,
    readiness: READINESS,
    imageRegistry: registry,
    warnings,
  };
}

/** The operator's custom resources; deleting them makes the operator remove calico-system. */
const isOperatorResource = (o: KubernetesObject) => o.apiVersion === 'operator.tigera.io/v1';

export const calicoInstaller: CniInstaller = {
  cni: 'calico',
  plan: (candidate, cluster, inputs) => planCalico(candidate as CalicoCandidate, cluster, inputs),

  async install(plan: InstallPlan, kube: KubeConnection, progress?: ProgressFn) {
    if (!plan.manifest || plan.manifest.objects.length === 0) {
      throw new Error('install needs a plan built with the operator manifest (prepareInputs with download)');
    }
    await applyObjects(plan.manifest.objects, kube, { progress });
    await applyObjects(plan.objects, kube, { progress });
  },

  waitReady: (plan, kube, opts) => waitForRollout(plan.readiness, kube, opts),

  installedVersions: (kube) =>
    componentVersions(
      'calico',
      [
        { kind: 'DaemonSet', namespace: 'calico-system', name: 'calico-node' },
        { kind: 'Deployment', namespace: 'tigera-operator', name: 'tigera-operator' },
        { kind: 'Deployment', namespace: 'calico-system', name: 'calico-kube-controllers' },
        { kind: 'Deployment', namespace: 'calico-system', name: 'calico-typha' },
      ],
      kube,
    ),

  async uninstall(plan: InstallPlan, kube: KubeConnection, opts: WaitOptions) {
    const crs = plan.objects.filter(isOperatorResource);
    await deleteObjects(crs, kube, opts.progress);
    // The Installation's finalizer is removed by the operator once it has torn down calico-node and the
    // rest of calico-system; the operator must stay until then, so wait for both before deleting it.
    await waitDeleted(crs, kube, opts.timeoutMs, opts.pollMs, opts.progress);
    await waitDeleted([CALICO_NODE], kube, opts.timeoutMs, opts.pollMs, opts.progress);
    await deleteObjects(
      [...plan.objects.filter((o) => !isOperatorResource(o)), ...(plan.manifest?.objects ?? [])],
      kube,
      opts.progress,
    );
    // Operator versions differ in whether they remove the namespace itself; make sure it goes.
    await deleteObjects([CALICO_SYSTEM], kube, opts.progress);
  },
};

const CALICO_NODE = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'calico-node', namespace: 'calico-system' },
} as KubernetesObject;
const CALICO_SYSTEM = {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: 'calico-system' },
} as KubernetesObject;
