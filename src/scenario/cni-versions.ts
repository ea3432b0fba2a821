/**
 * The declared support matrix: which Calico and Cilium releases a scenario may name, what each minor
 * changes for cnibench, and from which release a feature exists. The installers decide everything
 * version-dependent from here (the manifest set, Helm values, image blocks), scenario validation refuses
 * versions outside it (exit 2, naming the range), and `cnibench cni versions` prints it.
 *
 * Every entry was read from the projects' release artifacts: Calico's `manifests/` at each tag
 * (projectcalico/calico), the Tigera operator's CRDs, and the packaged Cilium charts (cilium/charts).
 */
import { InputError } from '../util/errors.js';

export type MatrixCni = 'calico' | 'cilium';

/** [major, minor, patch] of "v3.29.1" or "1.16.5" ([0,0,0] for anything else). */
function versionParts(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

/** a − b by major, minor, patch: negative when a is older. */
export function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

const versionAtLeast = (version: string, since: string): boolean => compareVersions(version, since) >= 0;

/** One minor release line the installers support. */
interface SupportedMinor {
  /** "v3.32" or "1.20". */
  minor: string;
  /** Newest patch release of the line when the matrix was last reviewed, with its date. */
  newest: string;
  newestDate: string;
  /** What this minor changes for cnibench, relative to the previous one. */
  changes: string[];
}

/** A version-dependent capability: present from `since` (a release, patch included) on. */
export interface Feature {
  since: string;
  /** What it is, in the terms of the project's artifacts. */
  what: string;
  /** Last release that has it, when a later one removed it. */
  until?: string;
}

export interface CniMatrix {
  cni: MatrixCni;
  project: string;
  /** Where `newest` and the dates were read. */
  source: string;
  asOf: string;
  minors: SupportedMinor[];
}

const CALICO_MATRIX: CniMatrix = {
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

const CILIUM_MATRIX: CniMatrix = {
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

export const CILIUM_FEATURES = {
  ciliumSecretsNamespace: { since: '1.17.0', what: 'the chart creates Namespace cilium-secrets' },
  clusterNetworkPolicy: {
    since: '1.20.0',
    what: 'ClusterNetworkPolicy: value k8sClusterNetworkPolicy.enabled, CRD from network-policy-api v0.2.0',
  },
} as const satisfies Record<string, Feature>;

export function matrixFor(cni: MatrixCni): CniMatrix {
  return cni === 'calico' ? CALICO_MATRIX : CILIUM_MATRIX;
}

const minorOf = (version: string) => {
  const [a, b] = versionParts(version);
  return `${a}.${b}`;
};

/** "v3.28 to v3.32": the range a matrix covers. */
export function supportedRange(m: CniMatrix): string {
  return `${m.minors[0]?.minor ?? '?'} to ${m.minors.at(-1)?.minor ?? '?'}`;
}

/** The minor line of `version`, or undefined when it is outside the matrix. */
function supportedMinor(cni: MatrixCni, version: string): SupportedMinor | undefined {
  return matrixFor(cni).minors.find((m) => minorOf(m.minor.concat('.0')) === minorOf(version));
}

/** Why `version` cannot be used, or undefined when it is in the matrix. */
export function unsupportedVersion(cni: MatrixCni, version: string): string | undefined {
  if (supportedMinor(cni, version)) return undefined;
  const m = matrixFor(cni);
  return `${cni} ${version} is outside the supported range: cnibench supports ${m.project} ${supportedRange(m)} (newest ${m.minors.at(-1)?.newest ?? '?'}); \`cnibench cni versions\` lists what each version changes`;
}

/** Refuses (exit 2) a version outside the matrix. */
export function assertSupported(cni: MatrixCni, version: string): void {
  const why = unsupportedVersion(cni, version);
  if (why) throw new InputError(why);
}

/** Whether `version` has the feature. */
export function hasFeature(f: Feature, version: string): boolean {
  return (
    versionAtLeast(version, f.since) && (f.until === undefined || compareVersions(version, f.until) <= 0)
  );
}

/** The newest supported release of a CNI (what a candidate without a version gets). */
export function newestSupported(cni: MatrixCni): string {
  return matrixFor(cni).minors.at(-1)?.newest ?? '';
}
