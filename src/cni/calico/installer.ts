/**
 * Calico through the Tigera operator: apply the operator manifest of the pinned release (images moved to
 * the configured registry), then the generated Installation and APIServer; the operator creates
 * calico-system and rolls out calico-node. Uninstall runs that backwards, waiting for the operator to
 * tear its components down before the operator itself goes.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeCandidate, KubeClusterConfig } from '../../scenario/schema.js';
import { applyObjects, deleteObjects, planObjects, waitDeleted } from '../apply.js';
import { siblingOf } from '../artifacts.js';
import { rewriteImage } from '../../cluster/kube/images.js';
import { fetchCommand } from '../release-file.js';
import { componentVersions } from '../components.js';
import { assertSupported, hasFeature } from '../../scenario/cni-versions.js';
import { featureProblem } from '../../scenario/extensions.js';
import { EnvironmentError, InputError } from '../../util/errors.js';
import type {
  CniInstaller,
  InstallPlan,
  ManifestPlan,
  PlannedImage,
  PlanInputs,
  ProgressFn,
  WaitOptions,
  WorkloadRef,
} from '../installer.js';
import type { KubeConnection } from '../../cluster/kube/client.js';
import { addImagePullSecrets, collectImages, objectRef, parseManifest, rewriteImages } from '../manifest.js';
import { calicoApiServer, calicoInstallation, calicoServicesEndpoint } from './installation.js';
import { prepareCalico } from './prepare.js';
import { calicoImageRegistry, calicoManifests, calicoTag } from './release.js';
import { calicoSettings, calicoSettingsOf, type CalicoSettings } from './settings.js';
import { CALICO_FEATURES, CALICO_MATRIX } from './versions.js';

const READINESS: WorkloadRef[] = [
  { kind: 'Deployment', namespace: 'tigera-operator', name: 'tigera-operator' },
  { kind: 'DaemonSet', namespace: 'calico-system', name: 'calico-node' },
  { kind: 'Deployment', namespace: 'calico-system', name: 'calico-kube-controllers' },
  { kind: 'Deployment', namespace: 'calico-system', name: 'calico-typha' },
  { kind: 'DaemonSet', namespace: 'calico-system', name: 'csi-node-driver', optional: true },
];

/**
 * The images the operator deploys for the Installation cnibench generates, all tagged with the release
 * (tigera/operator config/calico_versions.yml), from `calicoImageRegistry(version)`/calico unless a
 * registry is set.
 */
const OPERATOR_DEPLOYED = [
  'node',
  'cni',
  'pod2daemon-flexvol',
  'typha',
  'kube-controllers',
  'csi',
  'node-driver-registrar',
];

export function planCalico(
  candidate: KubeCandidate,
  cluster: KubeClusterConfig,
  inputs: PlanInputs = {},
): InstallPlan {
  const s = calicoSettingsOf(candidate);
  const warnings: string[] = [];
  const registry = cluster.imageRegistry;
  const tag = calicoTag(candidate.version);
  /** Each manifest's images as published, before any move to the registry. */
  const sourceImages = new Map<string, string[]>();

  const manifests: ManifestPlan[] = calicoManifests(tag).map((f) => {
    const artifact = inputs.manifests?.[f.key.file];
    if (artifact?.text === undefined) {
      const origin = s.manifest ? siblingOf(s.manifest, f.key.file) : f.url;
      warnings.push(
        `${f.key.file} (${f.role}) for ${tag} is not cached; a run downloads it from ${origin} ` +
          `(offline: ${fetchCommand('calico', tag)} on a connected machine)`,
      );
      return { file: f.key.file, role: f.role, origin, cached: false, objects: [] };
    }
    let objects = parseManifest(artifact.text, artifact.location);
    sourceImages.set(f.key.file, [...new Set(collectImages(objects))]);
    if (registry) objects = rewriteImages(objects, registry);
    objects = addImagePullSecrets(objects, cluster.imagePullSecrets);
    return {
      file: f.key.file,
      role: f.role,
      origin: artifact.origin,
      location: artifact.location,
      cached: artifact.cached,
      objects,
    };
  });

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
  // Scenario validation refuses these already; a candidate built in code must not slip past either.
  assertSupported(CALICO_MATRIX, tag);
  if (s.dataplane === 'Nftables' && !hasFeature(CALICO_FEATURES.nftablesDataplane, tag))
    throw new InputError(
      `linuxDataplane Nftables needs Calico ${CALICO_FEATURES.nftablesDataplane.since} or later`,
    );
  if (s.clusterNetworkPolicy && !hasFeature(CALICO_FEATURES.clusterNetworkPolicy, tag))
    throw new InputError(
      `clusterNetworkPolicy needs Calico ${CALICO_FEATURES.clusterNetworkPolicy.since} or later`,
    );
  objects.push(
    calicoInstallation({
      settings: s,
      imageRegistry: registry,
      imagePullSecrets: cluster.imagePullSecrets,
      ipPoolName: hasFeature(CALICO_FEATURES.ipPoolName, tag),
    }),
  );
  if (s.apiServer) objects.push(calicoApiServer());

  const planned = (source: string, from: string): PlannedImage =>
    registry ? { image: rewriteImage(source, registry), from, source } : { image: source, from };
  const images: PlannedImage[] = [
    ...manifests.flatMap((m) => (sourceImages.get(m.file) ?? []).map((image) => planned(image, m.file))),
    ...[...OPERATOR_DEPLOYED, ...(s.apiServer ? ['apiserver'] : [])].map((name) =>
      planned(`${calicoImageRegistry(tag)}/calico/${name}:${tag}`, 'the Tigera operator'),
    ),
  ];

  return {
    candidate: candidate.name,
    cni: 'calico',
    version: candidate.version,
    manifests,
    objects,
    images,
    readiness: READINESS,
    imageRegistry: registry,
    warnings,
  };
}

/** The operator's custom resources; deleting them makes the operator remove calico-system. */
const isOperatorResource = (o: KubernetesObject) => o.apiVersion === 'operator.tigera.io/v1';

export const calicoInstaller: CniInstaller = {
  name: 'calico',
  title: 'Calico',
  // The operator's node agent; canal (Calico policy on flannel) names its DaemonSet differently.
  detection: { daemonSet: /^calico-node$/, container: 'calico-node' },
  settings: calicoSettings,
  versionExample: 'v3.32.1',
  matrix: CALICO_MATRIX,
  features: CALICO_FEATURES,
  checkSettings: (settings, version) => {
    const s = settings as CalicoSettings;
    return [
      ...(s.dataplane === 'Nftables'
        ? featureProblem('calico', 'dataplane', CALICO_FEATURES.nftablesDataplane, version)
        : []),
      ...(s.clusterNetworkPolicy
        ? featureProblem('calico', 'clusterNetworkPolicy', CALICO_FEATURES.clusterNetworkPolicy, version)
        : []),
    ];
  },
  releaseFiles: calicoManifests,
  prepare: prepareCalico,
  plan: planCalico,
  describeUninstall(plan) {
    const own = plan.objects.map(objectRef);
    const crs = plan.objects.filter(isOperatorResource).map(objectRef);
    const manifestObjects = plan.manifests.reduce((n, m) => n + m.objects.length, 0);
    const third = plan.manifests.map((m) => m.file).join(', ');
    return [
      `delete ${crs.join(' and ')}; wait until the operator has removed calico-system (calico-node gone)`,
      `delete ${[...own.filter((o) => !crs.includes(o)), `the ${manifestObjects || 'applied'} objects of ${third}`].join(', ')} in reverse apply order`,
      'delete namespace calico-system if the operator left it',
    ];
  },
  // Uninstall waits for calico-node to go, then removes calico-system if the operator left it.
  permissions: (_plan, need) => [
    need('DaemonSet', ['get'], 'calico-system', 'wait until the operator removed calico-node', 'apps/v1'),
    need('Namespace', ['delete'], undefined, 'remove calico-system after the operator'),
  ],
  permissionNamespace: () => 'tigera-operator',
  clusterNeeds: (candidate) => ({ podSubnet: calicoSettingsOf(candidate).podCidr, withoutKubeProxy: false }),

  async install(plan: InstallPlan, kube: KubeConnection, progress?: ProgressFn) {
    const missing = plan.manifests.filter((m) => m.objects.length === 0).map((m) => m.file);
    if (missing.length > 0) {
      throw new EnvironmentError(
        `cannot install Calico without ${missing.join(' and ')} (not cached, not downloaded)`,
      );
    }
    // One batch: every CRD first, Established before the first Installation or APIServer is sent.
    await applyObjects(planObjects(plan), kube, { progress });
  },

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
      [...plan.objects.filter((o) => !isOperatorResource(o)), ...plan.manifests.flatMap((m) => m.objects)],
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
