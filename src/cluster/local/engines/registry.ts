/**
 * The one registry of local policy engines: a new engine is a folder and a line here (and its name
 * in src/scenario/local-profile.ts, which this record's type keeps in step).
 */
import type { LocalPolicyEngineName } from '../../../scenario/local-profile.js';
import { ebpfEngine } from './ebpf/index.js';
import { nftablesEngine } from './nftables/index.js';
import type { LocalPolicyEngine } from './types.js';

const LOCAL_POLICY_ENGINE_REGISTRY: Record<LocalPolicyEngineName, LocalPolicyEngine> = {
  nftables: nftablesEngine,
  ebpf: ebpfEngine,
};

export function localPolicyEngineOf(name: LocalPolicyEngineName): LocalPolicyEngine {
  return LOCAL_POLICY_ENGINE_REGISTRY[name];
}
