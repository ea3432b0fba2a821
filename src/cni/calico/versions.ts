/**
 * The Calico releases cnibench supports, what each minor changes for cnibench, and from which release a
 * feature exists. The installer decides everything version-dependent from here, scenario validation
 * refuses versions outside it (exit 2, naming the range), and `cnibench cni versions` prints it.
 *
 * Every entry was read from the project's release artifacts: Calico's `manifests/` at each tag (projectcalico/calico) and the Tigera operator's CRDs.
 */
import type { CniMatrix, Feature } from '../../scenario/cni-versions.js';

export const CALICO_MATRIX: CniMatrix = {
  cni: 'calico',
  project: 'Calico (Tigera operator)',
  source: 'https://github.com/projectcalico/calico/tags',
  asOf: '2026-11-30',
  minors: [
    {
      minor: 'v3.28',
      newest: 'v3.28.5',
      newestDate: '2025-06-11',
      changes: ['oldest supported: its Installation CRD is the first with ipPools[].name (v3.27 has none)'],
    },
    {
      minor: 'v3.29',
      newest: 'v3.29.7',
      newestDate: '2025-11-19',
      changes: [
        'linuxDataplane: Nftables',
        'the operator manifest carries the AdminNetworkPolicy CRD (policy.networking.k8s.io/v1alpha1)',
      ],
    },
    {
      minor: 'v3.30',
      newest: 'v3.30.7',
      newestDate: '2026-03-18',
      changes: [
        'the CRDs move out of tigera-operator.yaml into operator-crds.yaml, applied (and Established) first',
        'tigera-operator.yaml adds ClusterRole and RoleBinding tigera-operator-secrets',
        'BaselineAdminNetworkPolicy CRD; Goldmane and Whisker (flow logs, UI) exist but cnibench does not create them',
      ],
    },
    {
      minor: 'v3.31',
      newest: 'v3.31.7',
      newestDate: '2026-08-20',
      changes: ['no change to what cnibench applies (operator v1.40)'],
    },
    {
      minor: 'v3.32',
      newest: 'v3.32.1',
      newestDate: '2026-06-24',
      changes: [
        'ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2, network-policy-api v0.2.0 standard CRD) in operator-crds.yaml',
        'the AdminNetworkPolicy and BaselineAdminNetworkPolicy CRDs are gone',
      ],
    },
  ],
};

export const CALICO_FEATURES = {
  ipPoolName: { since: 'v3.28.0', what: 'Installation spec.calicoNetwork.ipPools[].name' },
  nftablesDataplane: { since: 'v3.29.0', what: 'Installation spec.calicoNetwork.linuxDataplane: Nftables' },
  separateCrdManifest: {
    since: 'v3.30.0',
    what: 'CRDs in manifests/operator-crds.yaml, none in tigera-operator.yaml',
  },
  clusterNetworkPolicy: {
    since: 'v3.32.0',
    what: 'ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2), CRD in operator-crds.yaml',
  },
} as const satisfies Record<string, Feature>;
