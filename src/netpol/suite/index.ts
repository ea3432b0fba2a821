/**
 * cnibench's built-in NetworkPolicy conformance suite: generated combinations plus hand-written
 * upstream-e2e, pathological, multi-policy and SCTP cases, all on the 3×3 layout (see layout.ts).
 * Deterministic: the same cases, names and order on every call, so results can be compared by name.
 */
import type { PolicyCase } from '../types.js';
import { generatedCases } from './generated.js';
import { multiPolicyCases } from './multi-policy.js';
import { pathologicalCases } from './pathological.js';
import { sctpCases } from './sctp.js';
import { upstreamCases } from './upstream-e2e.js';

export { filterByTags, type SuiteFilter } from './filter.js';
export { SUITE_TAGS, isSuiteTag, type SuiteTag } from './tags.js';
export { NAMESPACES, POD_NAMES, PORTS, podIp, podCidr, nsCidr } from './layout.js';

/** Every built-in case; a fresh copy each call, so callers may mutate what they get. */
export function builtinSuite(): PolicyCase[] {
  return [
    ...upstreamCases(),
    ...generatedCases(),
    ...pathologicalCases(),
    ...multiPolicyCases(),
    ...sctpCases(),
  ];
}

/** One built-in case by name, or undefined. */
export function builtinCase(name: string): PolicyCase | undefined {
  return builtinSuite().find((c) => c.name === name);
}
