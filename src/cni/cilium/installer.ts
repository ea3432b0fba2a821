/**
 * Cilium through its official Helm chart at a pinned version: `helm upgrade --install` with generated
 * values (plus the IPsec key Secret when IPsec is asked for), then wait for the agent DaemonSet, Envoy
 * and the operator. Uninstall is `helm uninstall` and removal of what cnibench created itself.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeClusterConfig } from '../../scenario/schema.js';
import { applyObjects, deleteObjects } from '../apply.js';
import { componentVersions } from '../detect.js';
import { isPublicImage } from '../images.js';
import type {
  CniInstaller,
  HelmRelease,
  InstallPlan,
  KubeCandidate,
  PlanInputs,
  ProgressFn,
  WaitOptions,
  WorkloadRef,
} from '../installer.js';
import type { KubeConnection } from '../../cluster/kube/client.js';
import { waitForRollout } from '../rollout.js';
import {
  CILIUM_HELM_REPO,
  findHelm,
  helmInstallArgs,
  helmUninstallArgs,
  runHelm,
  withValuesFile,
} from './helm.js';
import { ciliumChartVersion } from './release.js';
import { CILIUM_IMAGES, ciliumValues, getPath } from './values.js';

type CiliumCandidate = Extract<KubeCandidate, { cni: 'cilium' }>;

export const IPSEC_SECRET = 'cilium-ipsec-keys';
/** Shown instead of the key wherever a plan is printed. */
export const IPSEC_KEY_PLACEHOLDER = '<generated at install time>';

export function planCilium(
  candidate: CiliumCandidate,
  cluster: KubeClusterConfig,
  inputs: PlanInputs = {},
): InstallPlan {
  const s = candidate.settings;
  const { values, warnings } = ciliumValues({
    settings: s,
    uninstallAfter: candidate.uninstallAfter,
    imageRegistry: cluster.imageRegistry,
    imagePullSecrets: cluster.imagePullSecrets,
    apiServer: inputs.apiServer,
  });
  if (cluster.imageRegistry) {
    for (const img of CILIUM_IMAGES) {
      const repo = getPath(values, `${img.path}.repository`);
      if (typeof repo === 'string' && isPublicImage(repo)) {
        warnings.push(
          `settings.values sets ${img.path}.repository to ${repo}, outside cluster.imageRegistry`,
        );
      }
    }
  }

  let chart: Pick<HelmRelease, 'chart' | 'repo' | 'version'>;
  if (inputs.chart) chart = { chart: inputs.chart.location };
  else if (s.chart) chart = { chart: s.chart };
  else chart = { chart: 'cilium', repo: CILIUM_HELM_REPO, version: ciliumChartVersion(candidate.version) };

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
    objects,
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
  cni: 'cilium',
  plan: (candidate, cluster, inputs) => planCilium(candidate as CiliumCandidate, cluster, inputs),

  async install(plan: InstallPlan, kube: KubeConnection, progress?: ProgressFn) {
    const helm = plan.helm!;
    findHelm(); // before anything is applied, so a missing helm leaves the cluster untouched
    if (
      plan.objects.some(
        (o) => (o as { stringData?: { keys?: string } }).stringData?.keys === IPSEC_KEY_PLACEHOLDER,
      )
    ) {
      throw new Error('install needs a plan built with a generated IPsec key (prepareInputs with download)');
    }
    await applyObjects(plan.objects, kube, { progress });
    progress?.({
      phase: 'helm',
      message: `helm upgrade --install ${helm.release} (${helm.chart}${helm.version ? ` ${helm.version}` : ''})`,
    });
    await withValuesFile(helm.values, (file) => runHelm(helmInstallArgs(helm, file)));
  },

  waitReady: (plan, kube, opts) => waitForRollout(plan.readiness, kube, opts),

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
    opts.progress?.({ phase: 'uninstall', message: `helm uninstall ${plan.helm!.release}` });
    await runHelm(helmUninstallArgs(plan.helm!), { timeoutMs: opts.timeoutMs });
    await deleteObjects(plan.objects, kube, opts.progress);
  },
};
