/**
 * Counting conformance case results: by tag, or by any predicate. Skipped cases (not run by choice)
 * and unsupported ones (the cluster or harness cannot enforce what the case needs) are counted apart
 * from passes and failures, so neither is ever scored as a failure.
 */
import { isAdminTierCase } from '../netpol/suite/tags.js';
import type { CaseResult } from '../results/schema.js';

export interface TagTally {
  passed: number;
  failed: number;
  skipped: number;
  unsupported: number;
}

export function tallyCases(cases: readonly CaseResult[], keep: (c: CaseResult) => boolean): TagTally {
  const t: TagTally = { passed: 0, failed: 0, skipped: 0, unsupported: 0 };
  for (const c of cases) {
    if (!keep(c)) continue;
    if (c.status === 'pass') t.passed++;
    else if (c.status === 'fail') t.failed++;
    else if (c.status === 'unsupported') t.unsupported++;
    else t.skipped++;
  }
  return t;
}

/** A NetworkPolicy-only case (not one of the admin-tier groups). */
export function isNetworkPolicyCase(c: CaseResult): boolean {
  return !isAdminTierCase(c.tags);
}
