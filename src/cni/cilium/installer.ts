/**
 * Cilium through its official Helm chart at a pinned version: `helm upgrade --install` with generated
 * values (plus the IPsec key Secret when IPsec is asked for), then wait for the agent DaemonSet, Envoy
 * and the operator. Uninstall is `helm uninstall` and removal of what cnibench created itself.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { apiCall } from '../../cluster/kube/client.js';
import { assertSupported, hasFeature } from '../../scenario/cni-versions.js';
import { featureProblem } from '../../scenario/extensions.js';
import type { KubeCandidate, KubeClusterConfig } from '../../scenario/schema.js';
import { EnvironmentError } from '../../util/errors.js';
import { applyObjects, deleteObjects, planObjects, waitDeleted } from '../apply.js';
import { componentVersions } from '../components.js';
import { isPublicImage } from '../images.js';
import type {
  CniInstaller,
  HelmRelease,
  InstallPlan,
  ManifestPlan,
  PlannedImage,
  PlanInputs,
  PermissionNeed,
  ProgressFn,
  WaitOptions,
  WorkloadRef,
} from '../installer.js';
import type { Permission } from '../../cluster/kube/permissions.js';
import type { KubeConnection } from '../../cluster/kube/client.js';
import { objectRef, parseManifest } from '../manifest.js';
import { fetchCommand } from '../release-file.js';
import {
  checkHelm,
  HELM_VERBS,
  helmInstallArgs,
  helmUninstallArgs,
  runHelm,
  shellQuote,
  withValuesFile,
} from '../helm.js';
import { CILIUM_HELM_REPO, ciliumChartVersion, ciliumFiles, clusterNetworkPolicyCrd } from './release.js';
import { prepareCilium } from './prepare.js';
import { ciliumSettings, ciliumSettingsOf, type CiliumSettings } from './settings.js';
import { CHART_OPERATOR_REPLICAS, ciliumValues, getPath, imageBlocks, mergeValues } from './values.js';
import { CILIUM_FEATURES, CILIUM_MATRIX } from './versions.js';

const IPSEC_SECRET = 'cilium-ipsec-keys';
/** Shown instead of the key wherever a plan is printed. */
export const IPSEC_KEY_PLACEHOLDER = '<generated at install time>';

/** An image value block of the chart: repository, tag and the digest the chart pins. */
interface ChartImage {
  repository?: unknown;
  tag?: unknown;
  digest?: unknown;
  genericDigest?: unknown;
  useDigest?: unknown;
}

/**
 * The images the chart deploys for these settings, as they will be pulled: from the chart's own
 * values (when it is cached) with cnibench's values merged over them. Without the chart, the agent and
 * operator tags follow the version and the rest is named by block.
 */
function plannedImages(
  version: string,
  values: Record<string, unknown>,
  chartValues: Record<string, unknown> | undefined,
  settings: CiliumSettings,
): PlannedImage[] {
  const blocks: { path: string; from: string; suffix?: string }[] = [
    { path: 'image', from: 'DaemonSet cilium' },
    { path: 'envoy.image', from: 'DaemonSet cilium-envoy' },
    // The chart appends "-generic" for clusters outside AWS, Azure and Alibaba Cloud.
    { path: 'operator.image', from: 'Deployment cilium-operator', suffix: '-generic' },
    ...(settings.hubble
      ? [
          { path: 'hubble.relay.image', from: 'Deployment hubble-relay' },
          { path: 'hubble.ui.backend.image', from: 'Deployment hubble-ui' },
          { path: 'hubble.ui.frontend.image', from: 'Deployment hubble-ui' },
        ]
      : []),
  ];
  const merged = chartValues ? mergeValues(chartValues, values) : values;
  return blocks.map((b) => {
    const img = (getPath(merged, b.path) ?? {}) as ChartImage;
    const repo =
      typeof img.repository === 'string' && img.repository !== ''
        ? `${img.repository}${b.suffix ?? ''}`
        : undefined;
    if (!chartValues) {
      const known = b.path === 'image' || b.path === 'operator.image';
      const base =
        repo ?? (b.path === 'image' ? 'quay.io/cilium/cilium' : `quay.io/cilium/operator${b.suffix ?? ''}`);
      return known
        ? {
            image: `${base}:v${ciliumChartVersion(version)}`,
            from: `${b.from} (digest pinned by the chart; cache it to see it)`,
          }
        : {
            image: `${b.path} of chart ${ciliumChartVersion(version)}`,
            from: `${b.from} (tag pinned by the chart; cnibench cni fetch cilium caches it)`,
          };
    }
    const digest = b.path === 'operator.image' ? img.genericDigest : img.digest;
    const pinned = img.useDigest === true && typeof digest === 'string' && digest !== '' ? `@${digest}` : '';
    // YAML reads an unquoted tag such as 1.16 as a number.
    const tag = typeof img.tag === 'string' || typeof img.tag === 'number' ? String(img.tag) : '?';
    return { image: `${repo ?? '?'}:${tag}${pinned}`, from: b.from };
  });
}

export function planCilium(
  candidate: KubeCandidate,
  cluster: KubeClusterConfig,
  inputs: PlanInputs = {},
): InstallPlan {
  const s = ciliumSettingsOf(candidate);
  assertSupported(CILIUM_MATRIX, candidate.version);
  const { values, warnings } = ciliumValues({
    settings: s,
    version: ciliumChartVersion(candidate.version),
    nodeCount: inputs.nodeCount,
    uninstallAfter: candidate.uninstallAfter,
    imageRegistry: cluster.imageRegistry,
    imagePullSecrets: cluster.imagePullSecrets,
    apiServer: inputs.apiServer,
  });
  if (cluster.imageRegistry) {
    for (const img of imageBlocks(ciliumChartVersion(candidate.version))) {
      const repo = getPath(values, `${img.path}.repository`);
      if (typeof repo === 'string' && isPublicImage(repo)) {
        warnings.push(
          `settings.values sets ${img.path}.repository to ${repo}, outside cluster.imageRegistry`,
        );
      }
    }
  }
  if (inputs.nodeCount === undefined)
    warnings.push(
      `cilium-operator runs ${CHART_OPERATOR_REPLICAS} replicas, one per node; a run on a cluster with fewer nodes sets operator.replicas to the node count`,
    );

  let chart: Pick<HelmRelease, 'chart' | 'repo' | 'version'>;
  if (inputs.chart) chart = { chart: inputs.chart.location };
  else if (s.chart) chart = { chart: s.chart };
  else chart = { chart: 'cilium', repo: CILIUM_HELM_REPO, version: ciliumChartVersion(candidate.version) };

  const manifests: ManifestPlan[] = [];
  if (s.clusterNetworkPolicy) {
    const file = clusterNetworkPolicyCrd();
    const artifact = inputs.manifests?.[file.key.file];
    manifests.push(
      artifact?.text !== undefined
        ? {
            file: file.key.file,
            role: file.role,
            origin: artifact.origin,
            location: artifact.location,
            cached: artifact.cached,
            objects: parseManifest(artifact.text, artifact.location),
          }
        : { file: file.key.file, role: file.role, origin: file.url, cached: false, objects: [] },
    );
    if (artifact?.text === undefined)
      warnings.push(
        `${file.key.file} is not cached; a run downloads it from ${file.url} (offline: ${fetchCommand('cilium', candidate.version)})`,
      );
  }

  const objects: KubernetesObject[] = [];
  if (s.encryption === 'ipsec') {
    objects.push({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: IPSEC_SECRET, namespace: 'kube-system' },
      type: 'Opaque',
      stringData: { keys: inputs.ipsecKey ?? IPSEC_KEY_PLACEHOLDER },
    } as KubernetesObject);
  }

  const readiness: WorkloadRef[] = [
    { kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium' },
    // Standalone Envoy is the default for new installs from 1.16 on; older charts embed it in the agent.
    { kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium-envoy', optional: true },
    { kind: 'Deployment', namespace: 'kube-system', name: 'cilium-operator' },
  ];
  if (s.hubble) readiness.push({ kind: 'Deployment', namespace: 'kube-system', name: 'hubble-relay' });

  return {
    candidate: candidate.name,
    cni: 'cilium',
    version: candidate.version,
    manifests,
    objects,
    images: plannedImages(candidate.version, values, inputs.chartValues, s),
    helm: {
      release: 'cilium',
      namespace: 'kube-system',
      ...chart,
      values,
      kubeconfig: cluster.kubeconfig,
      context: cluster.context,
    },
    readiness,
    imageRegistry: cluster.imageRegistry,
    warnings,
  };
}

export const ciliumInstaller: CniInstaller = {
  name: 'cilium',
  title: 'Cilium',
  // The agent DaemonSet of the Helm chart; cilium-envoy and the operator are helpers.
  detection: { daemonSet: /^cilium$/, container: 'cilium-agent' },
  settings: ciliumSettings,
  versionExample: '1.20.0',
  matrix: CILIUM_MATRIX,
  features: CILIUM_FEATURES,
  checkSettings: (settings, version) => {
    const s = settings as CiliumSettings;
    return [
      ...(s.routingMode === 'native' && !s.ipv4NativeRoutingCidr
        ? [
            {
              path: [],
              message:
                'routingMode: native needs ipv4NativeRoutingCidr (the CIDR reachable without masquerading, usually the pod CIDR)',
            },
          ]
        : []),
      ...(s.clusterNetworkPolicy
        ? featureProblem('cilium', 'clusterNetworkPolicy', CILIUM_FEATURES.clusterNetworkPolicy, version)
        : []),
    ];
  },
  releaseFiles: ciliumFiles,
  prepare: prepareCilium,
  plan: planCilium,
  describeUninstall(plan, timeoutMs) {
    const own = plan.objects.map(objectRef);
    return [
      plan.helm
        ? ['helm', ...helmUninstallArgs(plan.helm, timeoutMs)].map(shellQuote).join(' ')
        : 'helm uninstall',
      ...(own.length + plan.manifests.length > 0
        ? [`delete ${[...own, ...plan.manifests.map((m) => `the objects of ${m.file}`)].join(', ')}`]
        : []),
      'delete every cilium.io CRD (cilium-operator creates them at run time; helm leaves them) and so their objects',
    ];
  },
  permissions: (plan, need) => [
    ...chartPermissions(plan, need),
    // cilium-operator creates the cilium.io CRDs at run time; helm does not remove them.
    need(
      'CustomResourceDefinition',
      ['list', 'get', 'delete'],
      undefined,
      'remove the cilium.io CRDs cilium-operator created',
      'apiextensions.k8s.io/v1',
    ),
  ],
  permissionNamespace: (plan) => plan.helm?.namespace ?? 'kube-system',
  clusterNeeds: (candidate) => ({ withoutKubeProxy: ciliumSettingsOf(candidate).kubeProxyReplacement }),

  async install(plan: InstallPlan, kube: KubeConnection, progress?: ProgressFn) {
    const helm = releaseOf(plan);
    // Before anything is applied, so a missing or too old helm leaves the cluster untouched.
    await checkHelm();
    if (
      plan.objects.some(
        (o) => (o as { stringData?: { keys?: string } }).stringData?.keys === IPSEC_KEY_PLACEHOLDER,
      )
    ) {
      throw new Error('install needs a plan built with a generated IPsec key (prepareInputs with download)');
    }
    const missing = plan.manifests.filter((m) => m.objects.length === 0).map((m) => m.file);
    if (missing.length > 0) throw new EnvironmentError(`cannot install Cilium without ${missing.join(', ')}`);
    await applyObjects(planObjects(plan), kube, { progress });
    progress?.({
      phase: 'helm',
      message: `helm upgrade --install ${helm.release} (${helm.chart}${helm.version ? ` ${helm.version}` : ''})`,
    });
    await withValuesFile(helm.values, (file) => runHelm(helmInstallArgs(helm, file)));
  },

  installedVersions: (kube) =>
    componentVersions(
      'cilium',
      [
        { kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium', container: 'cilium-agent' },
        { kind: 'DaemonSet', namespace: 'kube-system', name: 'cilium-envoy' },
        { kind: 'Deployment', namespace: 'kube-system', name: 'cilium-operator' },
      ],
      kube,
    ),

  async uninstall(plan: InstallPlan, kube: KubeConnection, opts: WaitOptions) {
    const helm = releaseOf(plan);
    await checkHelm();
    opts.progress?.({ phase: 'uninstall', message: `helm uninstall ${helm.release}` });
    // helm waits itself (up to the same timeout); its own process gets a minute more to report.
    await runHelm(helmUninstallArgs(helm, opts.timeoutMs), { timeoutMs: opts.timeoutMs + 60_000 });
    await deleteObjects(planObjects(plan), kube, opts.progress);
    // The operator creates the cilium.io CRDs at run time and helm does not remove them: without this
    // the next candidate would run on a cluster still carrying Cilium's CRDs and their objects.
    const leftovers = await ciliumCrds(kube);
    await deleteObjects(leftovers, kube, opts.progress);
    await waitDeleted(leftovers, kube, opts.timeoutMs, opts.pollMs, opts.progress);
  },
};

/**
 * The kinds the Cilium chart renders at each supported version with the values cnibench writes
 * (`helm template` of the real charts 1.16.5, 1.17.18, 1.18.12, 1.19.6 and 1.20.0 with helm v4.1.4):
 * in kube-system service accounts, secrets (certificates), config maps, services, the agent and Envoy
 * DaemonSets, the operator (and Hubble) Deployments, a Role and RoleBinding; cluster roles and bindings;
 * from 1.17 also Namespace cilium-secrets with Roles and RoleBindings in it. Helm keeps its release
 * records as Secrets in the release namespace.
 */
function chartPermissions(plan: InstallPlan, need: PermissionNeed): Permission[] {
  const ns = plan.helm?.namespace ?? 'kube-system';
  const why = 'rendered by the Cilium chart (helm)';
  const kinds = [
    'ServiceAccount',
    'Secret',
    'ConfigMap',
    'Service',
    'DaemonSet',
    'Deployment',
    'Role',
    'RoleBinding',
    'ClusterRole',
    'ClusterRoleBinding',
  ];
  const perms = kinds.map((k) => need(k, HELM_VERBS, ns, why));
  if (hasFeature(CILIUM_FEATURES.ciliumSecretsNamespace, plan.version)) {
    perms.push(
      need('Namespace', HELM_VERBS, ns, why),
      need('Role', HELM_VERBS, 'cilium-secrets', why),
      need('RoleBinding', HELM_VERBS, 'cilium-secrets', why),
    );
  }
  return perms;
}

function releaseOf(plan: InstallPlan): HelmRelease {
  if (!plan.helm) throw new Error(`plan for ${plan.candidate} has no Helm release`);
  return plan.helm;
}

/** Every CRD of the cilium.io group on the cluster (created by cilium-operator at run time). */
async function ciliumCrds(kube: KubeConnection): Promise<KubernetesObject[]> {
  const list = await apiCall(kube, 'list CustomResourceDefinitions', () =>
    kube.objects.list('apiextensions.k8s.io/v1', 'CustomResourceDefinition'),
  );
  return list.items
    .filter((crd) => (crd as { spec?: { group?: string } }).spec?.group === CILIUM_CRD_GROUP)
    .map((crd) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: crd.metadata?.name ?? '' },
    }));
}

const CILIUM_CRD_GROUP = 'cilium.io';
