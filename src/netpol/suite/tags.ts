/**
 * The suite's tag vocabulary, in the spirit of cyclonus: each case is tagged by what it exercises so
 * a run can be narrowed (`--tag peer:ip-block`) or a driver can skip what it cannot do
 * (`protocol:sctp`). A test checks that every case uses only these tags.
 */
export const SUITE_TAGS = [
  'direction:ingress',
  'direction:egress',
  'direction:both',
  'target:all-pods',
  'target:pod-selector',
  'target:match-expressions',
  'target:empty-selector',
  'peer:all',
  'peer:pod-selector',
  'peer:namespace-selector',
  'peer:pod-and-namespace',
  'peer:ip-block',
  'peer:ip-block-except',
  'peer:none',
  'port:all',
  'port:numbered',
  'port:named',
  'port:range',
  'port:multiple',
  'protocol:tcp',
  'protocol:udp',
  'protocol:sctp',
  'multi-policy',
  'policy-types',
  'pathological',
  'upstream-e2e',
  // The admin tier: one group tag per API version, then what a case exercises.
  'cluster-network-policy',
  'admin-network-policy',
  'upstream-conformance',
  'tier:admin',
  'tier:baseline',
  'with-network-policy',
  'action:accept',
  'action:deny',
  'action:pass',
  'priority',
  'admin-peer:namespaces',
  'admin-peer:pods',
  'admin-peer:networks',
  'admin-peer:nodes',
  'admin-peer:domain-names',
  // Multi-step cases (policy-change.ts): the group, its admin-tier subgroups, and what a step changes.
  'policy-change',
  'cluster-network-policy-change',
  'admin-network-policy-change',
  'change:create-policy',
  'change:update-policy',
  'change:delete-policy',
  'change:pod-labels',
  'change:namespace-labels',
  'change:allow-to-deny',
  'change:deny-to-allow',
] as const;

/** The group tag of each admin-tier API version's cases. */
export const ADMIN_TIER_GROUP_TAGS = {
  'cluster-network-policy': 'v1alpha2',
  'admin-network-policy': 'v1alpha1',
} as const;

/** Whether a case (by its tags) belongs to the admin tier rather than to NetworkPolicy alone. */
export function isAdminTierCase(tags: readonly string[]): boolean {
  return tags.some((t) => t in ADMIN_TIER_GROUP_TAGS);
}
