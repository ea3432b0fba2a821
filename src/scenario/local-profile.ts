/**
 * The two axes of a local reference profile: how pods are routed between nodes (the candidate's
 * `cni`: local-routed, local-vxlan) and which policy engine enforces policy (settings.policyEngine).
 * The names live here, below the cluster layer, so the scenario schema can list them; each name's
 * implementation is one line of src/cluster/local/engines/registry.ts, which the type checker keeps
 * in step with this list.
 */
export const LOCAL_POLICY_ENGINES = ['nftables', 'ebpf'] as const;
export type LocalPolicyEngineName = (typeof LOCAL_POLICY_ENGINES)[number];

export type LocalRoutingMode = 'routed' | 'vxlan';

/**
 * A profile's engine when the scenario names none: routed pairs with nftables (like Calico's default
 * dataplane), VXLAN with eBPF (like Cilium's).
 */
const DEFAULT_POLICY_ENGINE: Record<LocalRoutingMode, LocalPolicyEngineName> = {
  routed: 'nftables',
  vxlan: 'ebpf',
};

export function localRoutingMode(cni: 'local-routed' | 'local-vxlan'): LocalRoutingMode {
  return cni === 'local-vxlan' ? 'vxlan' : 'routed';
}

export function localPolicyEngine(
  cni: 'local-routed' | 'local-vxlan',
  settings: { policyEngine?: LocalPolicyEngineName },
): LocalPolicyEngineName {
  return settings.policyEngine ?? DEFAULT_POLICY_ENGINE[localRoutingMode(cni)];
}

/** How reports name a local profile (never as a real CNI). */
export function localProfileName(mode: LocalRoutingMode, engine: LocalPolicyEngineName): string {
  return `local reference profile (${mode}, ${engine})`;
}
