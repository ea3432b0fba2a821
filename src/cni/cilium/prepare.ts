/**
 * What a Cilium plan needs from outside: a local or cached chart and its default values (helm fetches
 * repository charts itself, so nothing is downloaded for it), the ClusterNetworkPolicy CRD when asked
 * for, and on a real install the node count, the API server address (kube-proxy replacement) and a
 * generated IPsec key.
 */
import { randomBytes } from 'node:crypto';
import { hasFeature } from '../../scenario/cni-versions.js';
import { apiServerEndpoint, nodeCount } from '../cluster-facts.js';
import type { KubeCandidate } from '../../scenario/schema.js';
import type { Artifact, PlanInputs, PrepareEnv } from '../installer.js';
import { readChartValues } from './chart.js';
import { ciliumChart, clusterNetworkPolicyCrd } from './release.js';
import { ciliumSettingsOf } from './settings.js';
import { CILIUM_FEATURES } from './versions.js';

export async function prepareCilium(candidate: KubeCandidate, env: PrepareEnv): Promise<PlanInputs> {
  const s = ciliumSettingsOf(candidate);
  const inputs: PlanInputs = {};
  inputs.chart = await env.resolve(ciliumChart(candidate.version), { explicit: s.chart, download: false });
  if (inputs.chart) inputs.chartValues = await readChartValues(inputs.chart.location);
  const manifests: Record<string, Artifact> = {};
  if (s.clusterNetworkPolicy && hasFeature(CILIUM_FEATURES.clusterNetworkPolicy, candidate.version)) {
    const file = clusterNetworkPolicyCrd();
    const crd = await env.resolve(file);
    if (crd) manifests[file.key.file] = crd;
  }
  inputs.manifests = manifests;
  if (env.kube) {
    inputs.nodeCount = await nodeCount(env.kube);
    if (s.kubeProxyReplacement) inputs.apiServer = await apiServerEndpoint(env.kube);
  }
  if (env.online && s.encryption === 'ipsec') {
    // Key format from the Cilium IPsec guide: SPI, algorithm, 160-bit key, ICV length.
    inputs.ipsecKey = `3+ rfc4106(gcm(aes)) ${randomBytes(20).toString('hex')} 128`;
  }
  return inputs;
}
