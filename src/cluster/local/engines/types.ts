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
  /**
   * Makes the dataplane enforce exactly these policies (and admin tier) for these pods. Policies are
   * taken as values that do not change afterwards (as objects from an API server): an engine may
   * freeze them and know them again by reference (the eBPF engine does).
   */
  apply(
    policies: NetworkPolicy[],
    pods: NftPod[],
    namespaces: Record<string, Labels>,
    signal?: AbortSignal,
    adminTier?: AdminTierSet,
  ): Promise<void>;
  /** Called when pods were added to the topology (an engine that hooks pods hooks them now). */
  podsChanged(signal?: AbortSignal): Promise<void>;
  /**
   * The engine's own account of its loaded policy state, in bytes, when it can tell; what it counts
   * (capabilities.memory) differs by engine, so it does not compare engines (the sweep's
   * `policy-state` figure; docs/results.md).
   */
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
