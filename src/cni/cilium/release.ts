/**
 * The files a Cilium release is installed from: its packaged Helm chart and, for ClusterNetworkPolicy
 * (1.20+), the network-policy-api v0.2.0 CRD, which the chart does not ship.
 */
import { hasFeature } from '../../scenario/cni-versions.js';
import { CILIUM_FEATURES } from './versions.js';
import type { ReleaseFile } from '../release-file.js';

export const CILIUM_HELM_REPO = 'https://helm.cilium.io/';

/** Chart versions carry no "v" (1.16.5); scenarios may write one. */
export const ciliumChartVersion = (version: string): string => version.replace(/^v/, '');

const ciliumChartFile = (version: string) => `cilium-${ciliumChartVersion(version)}.tgz`;

/** The packaged chart in the official repository (what `helm pull cilium/cilium --version V` downloads). */
export function ciliumChart(version: string): ReleaseFile {
  return {
    key: { cni: 'cilium', version: ciliumChartVersion(version), file: ciliumChartFile(version) },
    url: `${CILIUM_HELM_REPO}${ciliumChartFile(version)}`,
    role: 'the Cilium Helm chart',
    text: false,
  };
}

/** The ClusterNetworkPolicy CRD Cilium 1.20 enforces: network-policy-api v0.2.0, standard channel. */
const NETWORK_POLICY_API_VERSION = 'v0.2.0';
const CNP_CRD_FILE = 'policy.networking.k8s.io_clusternetworkpolicies.yaml';

export function clusterNetworkPolicyCrd(): ReleaseFile {
  return {
    key: { cni: 'network-policy-api', version: NETWORK_POLICY_API_VERSION, file: CNP_CRD_FILE },
    url: `https://raw.githubusercontent.com/kubernetes-sigs/network-policy-api/${NETWORK_POLICY_API_VERSION}/config/crd/standard/${CNP_CRD_FILE}`,
    role: 'the ClusterNetworkPolicy CRD (network-policy-api v0.2.0, standard channel)',
    text: true,
  };
}

/** Every file a Cilium version can need (the CRD only where the version enforces ClusterNetworkPolicy). */
export function ciliumFiles(version: string): ReleaseFile[] {
  return hasFeature(CILIUM_FEATURES.clusterNetworkPolicy, version)
    ? [ciliumChart(version), clusterNetworkPolicyCrd()]
    : [ciliumChart(version)];
}
