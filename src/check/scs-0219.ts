/**
 * The SCS KaaS networking standard (scs-0219-v1) as `cnibench check scs-0219` checks it: its testcase
 * ids, what each requires, and which conformance cases each runs. `kaas-networking-check` is the
 * standard's own testcase (Tests/scs-compatible-kaas.yaml); the finer ids split it by the standard's
 * sections (docs/scs.md):
 *
 *   scs-0219-networkpolicy       MUST: "fully supports NetworkPolicy resources in networking.k8s.io/v1",
 *                                every NetworkPolicy case of the suite over TCP and UDP;
 *   scs-0219-admin-policy        SHOULD: AdminNetworkPolicy/BaselineAdminNetworkPolicy, or their
 *                                successor ClusterNetworkPolicy, whichever the cluster serves;
 *   scs-0219-networkpolicy-sctp  optional: the same NetworkPolicy cases over SCTP, which the
 *                                standard's test excepts ("SCTPConnectivity is optional").
 *
 * kaas-networking-check runs all three and its verdict is the MUST's.
 */
import { ADMIN_TIER_GROUP_TAGS } from '../netpol/suite/index.js';
import { conformanceWorkloadSchema } from '../scenario/schema.js';
import type { ConformanceWorkload } from '../workloads/conformance/select.js';

export const STANDARD = 'scs-0219-v1';
/** The standard's own testcase, which this check can replace in scs-compatible-kaas.yaml. */
export const AGGREGATE_ID = 'kaas-networking-check';

export const GROUP_IDS = [
  'scs-0219-networkpolicy',
  'scs-0219-admin-policy',
  'scs-0219-networkpolicy-sctp',
] as const;
export type GroupId = (typeof GROUP_IDS)[number];

/** Every testcase id the check answers, in the order its verdict lines are printed. */
export const TESTCASE_IDS = [...GROUP_IDS, AGGREGATE_ID] as const;
export type TestcaseId = (typeof TESTCASE_IDS)[number];

export type Requirement = 'MUST' | 'SHOULD' | 'optional';

export const REQUIREMENT: Record<GroupId, Requirement> = {
  'scs-0219-networkpolicy': 'MUST',
  'scs-0219-admin-policy': 'SHOULD',
  'scs-0219-networkpolicy-sctp': 'optional',
};

export const GROUP_TITLE: Record<GroupId, string> = {
  'scs-0219-networkpolicy': 'NetworkPolicy (networking.k8s.io/v1) over TCP and UDP',
  'scs-0219-admin-policy':
    'admin tier: ClusterNetworkPolicy or AdminNetworkPolicy/BaselineAdminNetworkPolicy (policy.networking.k8s.io)',
  'scs-0219-networkpolicy-sctp': 'NetworkPolicy over SCTP',
};

export function isTestcaseId(id: string): id is TestcaseId {
  return (TESTCASE_IDS as readonly string[]).includes(id);
}

/** How the command line narrowed the suite (empty and 0: the whole suite, the default). */
export interface SuiteNarrowing {
  tags: string[];
  excludeTags: string[];
  /** At most this many cases per conformance workload (0: all). */
  maxCases: number;
}

export interface CheckGroup {
  id: GroupId;
  requirement: Requirement;
  /** The conformance workloads it runs: one for NetworkPolicy, one per API version for the admin tier. */
  workloads: ConformanceWorkload[];
}

export interface WorkloadTiming {
  /** Seconds per probe (default 1, as in a scenario). */
  probeTimeout?: number;
  /** Seconds a case may take to match the model after its policies are applied (default 10). */
  convergenceTimeout?: number;
}

const ADMIN_GROUP_TAGS = Object.keys(ADMIN_TIER_GROUP_TAGS);

/** The groups the requested ids need, in the order they run: the MUST first, the optional SCTP last. */
export function groupsFor(
  requested: readonly TestcaseId[],
  narrowing: SuiteNarrowing,
  timing: WorkloadTiming = {},
): CheckGroup[] {
  const all = requested.length === 0 || requested.includes(AGGREGATE_ID);
  const wanted = GROUP_IDS.filter((g) => all || requested.includes(g));
  const workload = (tags: string[], excludeTags: string[], protocols: Array<'TCP' | 'UDP' | 'SCTP'>) =>
    conformanceWorkloadSchema.parse({
      kind: 'conformance',
      ...(tags.length > 0 ? { tags } : {}),
      excludeTags,
      protocols,
      maxCases: narrowing.maxCases,
      ...timing,
    });
  // The policy-change group (multi-step cases) is no part of scs-0219: the SCS Sonobuoy configuration
  // excepts the upstream tests that change state at run time, and the standard asks for none.
  const networkPolicyOnly = [...ADMIN_GROUP_TAGS, 'policy-change', ...narrowing.excludeTags];
  return wanted.map((id): CheckGroup => {
    switch (id) {
      case 'scs-0219-networkpolicy':
        return {
          id,
          requirement: REQUIREMENT[id],
          workloads: [workload(narrowing.tags, networkPolicyOnly, ['TCP', 'UDP'])],
        };
      case 'scs-0219-networkpolicy-sctp':
        return {
          id,
          requirement: REQUIREMENT[id],
          workloads: [workload(narrowing.tags, networkPolicyOnly, ['SCTP'])],
        };
      case 'scs-0219-admin-policy':
        // SCTP is optional for the admin tier too: its SCTP probes are left out, as for NetworkPolicy.
        return {
          id,
          requirement: REQUIREMENT[id],
          workloads: ADMIN_GROUP_TAGS.map((g) =>
            workload([g, ...narrowing.tags], narrowing.excludeTags, ['TCP', 'UDP']),
          ),
        };
    }
  });
}
