/**
 * A local policy engine: what enforces NetworkPolicy and the admin tier in the embedded cluster. The
 * driver talks to every engine through PolicyDataplane only, so workloads (conformance, policy
 * scale, multi-step cases) run unchanged on each.
 */
import type { AdminTierSet } from '../../../netpol/admin-tier.js';
import type { Labels, NetworkPolicy } from '../../../netpol/types.js';
import type { LocalPolicyEngineName } from '../../../scenario/local-profile.js';
import type { NftPod } from '../nft-ruleset.js';
import type { LocalTopology } from '../topology.js';

interface PolicyEngineCapabilities {
  /** Needs the kernel to load BPF programs (CAP_BPF/CAP_SYS_ADMIN, a verifier that accepts them). */
  needsBpf: boolean;
  /** What the engine relies on, for `plan` and reports. */
  requires: string[];
  /** Where the verdict is taken. */
  enforcement: string;
  /** What memoryBytes() counts. */
  memory: string;
}

export interface PolicyDataplane {
  /** Makes the dataplane enforce exactly these policies (and admin tier) for these pods. */
  apply(
    policies: NetworkPolicy[],
    pods: NftPod[],
    namespaces: Record<string, Labels>,
    signal?: AbortSignal,
    adminTier?: AdminTierSet,
  ): Promise<void>;
  /** Called when pods were added to the topology (an engine that hooks pods hooks them now). */
  podsChanged(signal?: AbortSignal): Promise<void>;
  /** Kernel memory the loaded rules or maps take, in bytes, when the engine can tell. */
  memoryBytes(): Promise<number | undefined>;
  close(): Promise<void>;
}

export interface LocalPolicyEngine {
  name: LocalPolicyEngineName;
  capabilities: PolicyEngineCapabilities;
  /** Throws EnvironmentError (exit 3, one line) when the engine cannot run on this machine. */
  preflight(): Promise<void>;
  create(topology: LocalTopology): PolicyDataplane;
}
