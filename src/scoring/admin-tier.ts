/**
 * The admin tier as measured: per API version (v1alpha2 ClusterNetworkPolicy, group
 * cluster-network-policy; v1alpha1 AdminNetworkPolicy/BaselineAdminNetworkPolicy, group
 * admin-network-policy), how its conformance cases went. One reading of those results serves the
 * feature matrix, the SCS-0219 SHOULD check and the report, so they cannot disagree:
 *   - supported: the cases of some API version ran and all passed;
 *   - partial / not met: they ran and some failed;
 *   - not supported: every admin-tier case was unsupported because the cluster does not enforce it;
 *   - not measured: no case ran, or only because the harness cannot apply the API on this cluster.
 */
import { ADMIN_TIER_GROUP_TAGS } from '../netpol/suite/tags.js';
import type { AdminTierApi } from '../netpol/types.js';
import type { CandidateResult, CaseResult } from '../results/schema.js';
import { tallyCases, type TagTally } from './tally.js';
import type { FeatureCell, StandardsCheck } from './types.js';

export const ADMIN_TIER_API_TITLE: Record<AdminTierApi, string> = {
  v1alpha2: 'ClusterNetworkPolicy v1alpha2',
  v1alpha1: 'AdminNetworkPolicy/BaselineAdminNetworkPolicy v1alpha1',
};

export interface AdminTierApiResult {
  api: AdminTierApi;
  /** The suite group tag of this API version. */
  group: string;
  tally: TagTally;
  /** When no case of this API version ran because it is unsupported: by whom, and why. */
  unsupported?: { by: 'driver' | 'cluster'; reason: string };
}

const GROUPS = Object.entries(ADMIN_TIER_GROUP_TAGS) as Array<[string, AdminTierApi]>;

/** One entry per API version the candidate has admin-tier cases for (v1alpha2 first). */
export function adminTierResults(candidate: CandidateResult): AdminTierApiResult[] {
  return adminTierResultsOf(candidate.conformance?.caseResults ?? []);
}

/** adminTierResults of these case results (a compliance check reads its own admin-tier cases). */
function adminTierResultsOf(cases: readonly CaseResult[]): AdminTierApiResult[] {
  const out: AdminTierApiResult[] = [];
  for (const [group, api] of GROUPS) {
    const mine = cases.filter((c) => c.tags.includes(group));
    if (mine.length === 0) continue;
    const tally = tallyCases(mine, () => true);
    const first = mine.find((c) => c.status === 'unsupported');
    const unsupported =
      tally.passed + tally.failed === 0 && first
        ? { by: first.unsupportedBy ?? 'driver', reason: first.unsupportedReason ?? 'unsupported' }
        : undefined;
    out.push({ api, group, tally, ...(unsupported ? { unsupported } : {}) });
  }
  return out;
}

type AdminTierVerdict = 'supported' | 'failing' | 'unsupported' | 'not-measured';

export interface AdminTierReading {
  verdict: AdminTierVerdict;
  /** Best pass rate over the API versions that ran; 0 when the cluster enforces none; undefined when not measured. */
  passRate?: number;
  /** One phrase per API version, e.g. "ClusterNetworkPolicy v1alpha2: 104/104 passed". */
  evidence: string;
}

function phrase(r: AdminTierApiResult): string {
  const t = r.tally;
  const run = t.passed + t.failed;
  const title = ADMIN_TIER_API_TITLE[r.api];
  if (r.unsupported)
    return `${title}: ${r.unsupported.by === 'cluster' ? 'not enforced by the cluster' : 'not measured'} (${r.unsupported.reason})`;
  if (run === 0) return `${title}: no case run${t.skipped > 0 ? ` (${t.skipped} skipped)` : ''}`;
  const extra = [
    t.skipped > 0 ? `${t.skipped} skipped` : '',
    t.unsupported > 0 ? `${t.unsupported} unsupported` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${title}: ${t.passed}/${run} passed${extra ? ` (${extra})` : ''}`;
}

export function readAdminTier(candidate: CandidateResult): AdminTierReading {
  return readAdminTierOf(candidate.conformance?.caseResults ?? []);
}

/** readAdminTier of these case results. */
export function readAdminTierOf(cases: readonly CaseResult[]): AdminTierReading {
  const results = adminTierResultsOf(cases);
  if (results.length === 0) return { verdict: 'not-measured', evidence: 'admin-tier conformance not run' };
  const evidence = results.map(phrase).join('; ');
  const ran = results.filter((r) => r.tally.passed + r.tally.failed > 0);
  if (ran.length > 0) {
    const rates = ran.map((r) => r.tally.passed / (r.tally.passed + r.tally.failed));
    const passRate = Math.max(...rates);
    return { verdict: passRate === 1 ? 'supported' : 'failing', passRate, evidence };
  }
  if (results.every((r) => r.unsupported?.by === 'cluster'))
    return { verdict: 'unsupported', passRate: 0, evidence };
  return { verdict: 'not-measured', evidence };
}

export function adminTierCell(candidate: CandidateResult, feature: string): FeatureCell {
  const r = readAdminTier(candidate);
  const base = { feature, origin: 'measured' as const, detail: r.evidence };
  switch (r.verdict) {
    case 'supported':
      return { ...base, status: 'supported', passRate: 1 };
    case 'failing':
      return {
        ...base,
        status: (r.passRate ?? 0) === 0 ? 'unsupported' : 'partial',
        passRate: r.passRate ?? 0,
      };
    case 'unsupported':
      return { ...base, status: 'unsupported', passRate: 0 };
    default:
      return { ...base, status: 'not-measured' };
  }
}

/** SCS-0219 SHOULD: the admin tier supported (either API version) and its conformance passed. */
export function adminTierStandardsCheck(candidate: CandidateResult): StandardsCheck {
  const r = readAdminTier(candidate);
  const base = {
    id: 'scs-0219.adminnetworkpolicy',
    requirement: 'SHOULD' as const,
    text: 'supports AdminNetworkPolicy and BaselineAdminNetworkPolicy, or their successor ClusterNetworkPolicy (policy.networking.k8s.io); measured by the admin-tier conformance cases',
  };
  const status = r.verdict === 'supported' ? 'met' : r.verdict === 'not-measured' ? 'unknown' : 'not-met';
  return { ...base, status, evidence: r.evidence };
}
