/**
 * A third CNI for the "add a CNI" recipe (docs/architecture.md): "flatnet", a made-up CNI installed from
 * one release manifest and its settings. Everything it needs is in this folder; the one registration
 * line is in cli.ts. It is built from the same helpers Calico's and Cilium's installers use (release
 * files through the cache, server-side apply, the rollout check of its `readiness`), so `plan`, `install --dry-run` and the
 * permission check treat it as they treat them.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { z } from 'zod';
import { rewriteImage } from '../../../src/cluster/kube/images.js';
import { applyObjects, deleteObjects, planObjects } from '../../../src/cni/apply.js';
import { componentVersions } from '../../../src/cni/components.js';
import type { CniInstaller, InstallPlan, WorkloadRef } from '../../../src/cni/installer.js';
import { objectRef } from '../../../src/cni/manifest.js';
import type { ReleaseFile } from '../../../src/cni/release-file.js';
import { assertSupported } from '../../../src/scenario/cni-versions.js';
import { featureProblem } from '../../../src/scenario/extensions.js';
import type { KubeCandidate } from '../../../src/scenario/schema.js';

const settings = z.strictObject({
  podCidr: z.string().default('10.96.0.0/12'),
  /** Needs flatnet 0.3 (see FEATURES). */
  encryption: z.boolean().default(false),
});
type FlatnetSettings = z.infer<typeof settings>;
const settingsOf = (c: KubeCandidate): FlatnetSettings => settings.parse(c.settings);

const MATRIX = {
  cni: 'flatnet',
  project: 'flatnet (test CNI)',
  source: 'test/cni/fake-cni',
  asOf: '2026-12-04',
  minors: [
    { minor: '0.2', newest: '0.2.4', newestDate: '2026-10-01', changes: ['oldest supported'] },
    { minor: '0.3', newest: '0.3.1', newestDate: '2026-11-20', changes: ['WireGuard between nodes'] },
  ],
};
const FEATURES = { encryption: { since: '0.3.0', what: 'WireGuard between nodes' } };

const releaseFile = (version: string): ReleaseFile => ({
  key: { cni: 'flatnet', version, file: 'flatnet.yaml' },
  url: `https://example.invalid/flatnet/${version}/flatnet.yaml`,
  role: 'the flatnet DaemonSet',
  text: true,
});

const READINESS: WorkloadRef[] = [{ kind: 'DaemonSet', namespace: 'kube-system', name: 'flatnet' }];

function agent(image: string, s: FlatnetSettings): KubernetesObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'flatnet', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'flatnet' } },
      template: {
        metadata: { labels: { app: 'flatnet' } },
        spec: {
          hostNetwork: true,
          containers: [
            {
              name: 'flatnet',
              image,
              args: [`--pod-cidr=${s.podCidr}`, ...(s.encryption ? ['--wireguard'] : [])],
            },
          ],
        },
      },
    },
  } as KubernetesObject;
}

export const flatnetInstaller: CniInstaller = {
  name: 'flatnet',
  title: 'Flatnet',
  detection: { daemonSet: /^flatnet$/, container: 'flatnet' },
  settings,
  versionExample: '0.3.1',
  matrix: MATRIX,
  features: FEATURES,
  checkSettings: (s, version) =>
    (s as FlatnetSettings).encryption
      ? featureProblem('flatnet', 'encryption', FEATURES.encryption, version)
      : [],
  releaseFiles: (version) => [releaseFile(version)],
  prepare: async (candidate, env) => {
    const manifest = await env.resolve(releaseFile(candidate.version));
    return { manifests: manifest ? { [manifest.file]: manifest } : {} };
  },
  plan(candidate, cluster, inputs = {}): InstallPlan {
    assertSupported(MATRIX, candidate.version);
    const s = settingsOf(candidate);
    const file = releaseFile(candidate.version);
    const cached = inputs.manifests?.[file.key.file];
    const image = rewriteImage(`example.invalid/flatnet/agent:${candidate.version}`, cluster.imageRegistry);
    return {
      candidate: candidate.name,
      cni: 'flatnet',
      version: candidate.version,
      manifests: [
        {
          file: file.key.file,
          role: file.role,
          origin: cached?.origin ?? file.url,
          cached: cached?.cached ?? false,
          objects: [],
        },
      ],
      objects: [agent(image, s)],
      images: [{ image, from: 'DaemonSet kube-system/flatnet' }],
      readiness: READINESS,
      imageRegistry: cluster.imageRegistry,
      warnings: cached ? [] : [`${file.key.file} is not cached; a run downloads it from ${file.url}`],
    };
  },
  describeUninstall: (plan) => [`delete ${plan.objects.map(objectRef).join(', ')}`],
  permissions: () => [],
  permissionNamespace: () => 'kube-system',
  clusterNeeds: (candidate) => ({ podSubnet: settingsOf(candidate).podCidr, withoutKubeProxy: false }),
  install: (plan, kube, progress) => applyObjects(planObjects(plan), kube, { progress }),
  installedVersions: (kube) => componentVersions('flatnet', READINESS, kube),
  uninstall: (plan, kube, opts) => deleteObjects(planObjects(plan), kube, opts.progress),
};
