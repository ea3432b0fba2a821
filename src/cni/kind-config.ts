/**
 * A kind cluster configuration (kind.x-k8s.io/v1alpha4) ready for a CNI candidate: the default CNI
 * (kindnet) disabled so the candidate is the only dataplane, the pod subnet the candidate expects,
 * kube-proxy in the mode it needs (none when the CNI replaces it) and N workers; what a candidate needs
 * comes from its installer (CniInstaller.clusterNeeds).
 */
import type { Scenario } from '../scenario/schema.js';
import { InputError } from '../util/errors.js';
import { itemAt } from '../util/arrays.js';
import { isKubeCandidate, type KubeCandidate } from '../scenario/schema.js';
import { installerFor } from './registry.js';

export type KubeProxyMode = 'iptables' | 'ipvs' | 'nftables' | 'none';
export const KUBE_PROXY_MODES: KubeProxyMode[] = ['iptables', 'ipvs', 'nftables', 'none'];

/** kind's own default; Cilium (ipam.mode kubernetes) takes node pod CIDRs from it. */
const KIND_DEFAULT_POD_SUBNET = '10.244.0.0/16';

export interface KindConfigOptions {
  workers: number;
  /** Cluster name; kind's context becomes kind-<name>. */
  name?: string;
  podSubnet?: string;
  serviceSubnet?: string;
  kubeProxyMode?: KubeProxyMode;
}

export function kindConfig(opts: KindConfigOptions): Record<string, unknown> {
  if (!Number.isInteger(opts.workers) || opts.workers < 0 || opts.workers > 50) {
    throw new InputError(`--workers: expected a whole number from 0 to 50, got ${opts.workers}`);
  }
  const networking: Record<string, unknown> = {
    disableDefaultCNI: true,
    kubeProxyMode: opts.kubeProxyMode ?? 'iptables',
    podSubnet: opts.podSubnet ?? KIND_DEFAULT_POD_SUBNET,
  };
  if (opts.serviceSubnet) networking.serviceSubnet = opts.serviceSubnet;
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: opts.name ?? 'cnibench',
    networking,
    nodes: [{ role: 'control-plane' }, ...Array.from({ length: opts.workers }, () => ({ role: 'worker' }))],
  };
}

/** The pod subnet a candidate allocates from. */
function podSubnetFor(c: KubeCandidate): string {
  return installerFor(c.cni).clusterNeeds(c).podSubnet ?? KIND_DEFAULT_POD_SUBNET;
}

function kubeProxyModeFor(c: KubeCandidate): KubeProxyMode {
  return installerFor(c.cni).clusterNeeds(c).withoutKubeProxy ? 'none' : 'iptables';
}

/**
 * Pod subnet and kube-proxy mode for a scenario's candidates (or the one named). One kind cluster
 * serves all candidates in turn, so they must agree; otherwise the user picks a candidate.
 */
export function kindSettingsForScenario(
  s: Scenario,
  candidateName?: string,
): { podSubnet: string; kubeProxyMode: KubeProxyMode } {
  const all = s.candidates.filter(isKubeCandidate);
  const chosen = candidateName ? all.filter((c) => c.name === candidateName) : all;
  if (candidateName && chosen.length === 0) {
    throw new InputError(
      `--candidate: no real-cluster candidate named "${candidateName}" (have: ${all.map((c) => c.name).join(', ') || 'none'})`,
    );
  }
  if (chosen.length === 0)
    throw new InputError('the scenario has no real-cluster candidate to size a kind cluster for');
  const subnets = [...new Set(chosen.map(podSubnetFor))];
  const modes = [...new Set(chosen.map(kubeProxyModeFor))];
  if (subnets.length > 1) {
    throw new InputError(
      `the candidates expect different pod subnets (${chosen.map((c) => `${c.name}: ${podSubnetFor(c)}`).join(', ')}); ` +
        'give their pod CIDR settings the same value, or choose one with --candidate',
    );
  }
  if (modes.length > 1) {
    throw new InputError(
      `the candidates need different kube-proxy modes (${chosen.map((c) => `${c.name}: ${kubeProxyModeFor(c)}`).join(', ')}); choose one with --candidate or --kube-proxy-mode`,
    );
  }
  // chosen is not empty, so each list has exactly one value.
  return { podSubnet: itemAt(subnets, 0), kubeProxyMode: itemAt(modes, 0) };
}
