/**
 * cnibench's built-in conformance suite: NetworkPolicy (generated combinations plus hand-written
 * upstream-e2e, pathological, multi-policy and SCTP cases, and the multi-step policy-change group,
 * all on the 3×3 layout, see layout.ts),
 * then the admin tier (groups cluster-network-policy for v1alpha2 and admin-network-policy for
 * v1alpha1, on network-policy-api's conformance layout, see admin-layout.ts). The admin tier comes
 * last so a driver switches layouts once. Deterministic: the same cases, names and order on every
 * call, so results can be compared by name.
 */
import type { AdminTierApi, PolicyCase } from '../types.js';
import { renderAll } from './admin-draft.js';
import { generatedAdminDrafts } from './admin-generated.js';
import { upstreamAdminDrafts } from './admin-upstream.js';
import { generatedCases } from './generated.js';
import { multiPolicyCases } from './multi-policy.js';
import { pathologicalCases } from './pathological.js';
import { policyChangeCases } from './policy-change.js';
import { sctpCases } from './sctp.js';
import { upstreamCases } from './upstream-e2e.js';

export { filterByTags, type SuiteFilter } from './filter.js';
export { ADMIN_TIER_GROUP_TAGS, SUITE_TAGS, isAdminTierCase } from './tags.js';
export { NAMESPACES, POD_NAMES, podIp } from './layout.js';

/** Every built-in case; a fresh copy each call, so callers may mutate what they get. */
export function builtinSuite(): PolicyCase[] {
  return [
    ...upstreamCases(),
    ...generatedCases(),
    ...pathologicalCases(),
    ...multiPolicyCases(),
    ...sctpCases(),
    ...policyChangeCases(),
    ...adminTierSuite('v1alpha2'),
    ...adminTierSuite('v1alpha1'),
  ];
}

/** The admin-tier cases of one API version: the upstream conformance transcription, then the generated ones. */
export function adminTierSuite(api: AdminTierApi): PolicyCase[] {
  return renderAll([...upstreamAdminDrafts(), ...generatedAdminDrafts()], api);
}
