/**
 * The Cilium releases cnibench supports, what each minor changes for cnibench, and from which release a
 * feature exists. The installer decides everything version-dependent from here, scenario validation
 * refuses versions outside it (exit 2, naming the range), and `cnibench cni versions` prints it.
 *
 * Every entry was read from the project's release artifacts: the packaged Cilium charts (cilium/charts).
 */
import type { CniMatrix, Feature } from '../../scenario/cni-versions.js';

export const CILIUM_MATRIX: CniMatrix = {
  cni: 'cilium',
  project: 'Cilium (Helm chart)',
  source: 'https://github.com/cilium/charts',
  asOf: '2026-11-30',
  minors: [
    {
      minor: '1.16',
      newest: '1.16.19',
      newestDate: '2026-01-13',
      changes: [
        'oldest supported: standalone cilium-envoy DaemonSet by default; kubeProxyReplacement is a documented but commented-out value',
      ],
    },
    {
      minor: '1.17',
      newest: '1.17.18',
      newestDate: '2026-07-16',
      changes: ['the chart creates Namespace cilium-secrets with Roles and RoleBindings in it'],
    },
    {
      minor: '1.18',
      newest: '1.18.12',
      newestDate: '2026-07-16',
      changes: [
        'image block preflight.envoy.image',
        'kubeProxyReplacement becomes a value of its own (from 1.18.5)',
      ],
    },
    {
      minor: '1.19',
      newest: '1.19.6',
      newestDate: '2026-07-16',
      changes: [
        'image block standaloneDnsProxy.image (no default image)',
        'image block encryption.ztunnel.image (from 1.19.2)',
      ],
    },
    {
      minor: '1.20',
      newest: '1.20.0',
      newestDate: '2026-07-29',
      changes: [
        'ClusterNetworkPolicy: value k8sClusterNetworkPolicy.enabled (default false) plus the network-policy-api v0.2.0 CRD, installed by cnibench',
        'encryption.ztunnel.image moves to quay.io/cilium/ztunnel',
      ],
    },
  ],
};

export const CILIUM_FEATURES = {
  ciliumSecretsNamespace: { since: '1.17.0', what: 'the chart creates Namespace cilium-secrets' },
  clusterNetworkPolicy: {
    since: '1.20.0',
    what: 'ClusterNetworkPolicy: value k8sClusterNetworkPolicy.enabled, CRD from network-policy-api v0.2.0',
  },
} as const satisfies Record<string, Feature>;
