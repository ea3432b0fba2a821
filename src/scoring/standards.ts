/**
 * Standards fit against the SCS KaaS networking standard (scs-0219-v1): NetworkPolicy support is a
 * MUST, judged from MEASURED NetworkPolicy conformance; the admin tier
 * (AdminNetworkPolicy/BaselineAdminNetworkPolicy or ClusterNetworkPolicy) is a SHOULD, judged from
 * MEASURED admin-tier conformance (scoring/admin-tier.ts); a managed Ingress controller is a SHOULD
 * judged from declared facts.
 */
import type { CandidateResult } from '../results/schema.js';
import { adminTierStandardsCheck } from './admin-tier.js';
import { type FactsLookup, knownFact } from './facts.js';
import { isNetworkPolicyCase, tallyCases } from './tally.js';
import type { StandardsCheck, StandardsFit } from './types.js';

const SCS_0219_URL =
  'https://github.com/SovereignCloudStack/standards/blob/main/Standards/scs-0219-v1-kaas-networking.md';

function networkPolicyCheck(c: CandidateResult): StandardsCheck {
  const base = {
    id: 'scs-0219.networkpolicy',
    requirement: 'MUST' as const,
    text: 'full support of networking.k8s.io/v1 NetworkPolicy',
  };
  const conf = c.conformance;
  if (!conf) return { ...base, status: 'unknown', evidence: 'conformance not measured' };
  // NetworkPolicy cases only: the admin tier is judged by its own (SHOULD) check.
  const t = tallyCases(conf.caseResults, isNetworkPolicyCase);
  const run = t.passed + t.failed;
  const skipped = t.skipped > 0 ? `; ${t.skipped} skipped (not measured)` : '';
  if (run === 0)
    return { ...base, status: 'unknown', evidence: `no NetworkPolicy conformance case run${skipped}` };
  if (t.failed === 0)
    return { ...base, status: 'met', evidence: `all ${run} NetworkPolicy cases run passed${skipped}` };
  return {
    ...base,
    status: 'not-met',
    evidence: `${t.failed} of ${run} NetworkPolicy cases failed${skipped}`,
  };
}

function declaredCheck(lookup: FactsLookup, id: string, key: string, text: string): StandardsCheck {
  const base = { id, requirement: 'SHOULD' as const, text };
  if (lookup.kind === 'not-applicable') return { ...base, status: 'not-applicable', evidence: lookup.reason };
  if (lookup.kind === 'missing')
    return { ...base, status: 'unknown', evidence: `no facts for "${lookup.key}"` };
  const fact = lookup.project.capabilities[key];
  const known = knownFact(fact);
  if (!known) return { ...base, status: 'unknown', evidence: fact?.note ?? 'not sourced' };
  return {
    ...base,
    status: known.value === true ? 'met' : 'not-met',
    evidence: `declared ${known.value === true ? 'yes' : 'no'} (as of ${known.asOf})${known.note ? `: ${known.note}` : ''}`,
    source: known.source ?? undefined,
  };
}

export function standardsFit(
  candidates: ReadonlyArray<{ result: CandidateResult; lookup: FactsLookup }>,
): StandardsFit {
  return {
    standard: 'scs-0219-v1',
    title: 'SCS KaaS Networking Standard',
    url: SCS_0219_URL,
    candidates: candidates.map(({ result, lookup }) => ({
      name: result.name,
      checks: [
        networkPolicyCheck(result),
        adminTierStandardsCheck(result),
        declaredCheck(
          lookup,
          'scs-0219.ingress',
          'ingressController',
          'option for a managed networking.k8s.io/v1 Ingress controller with a default IngressClass',
        ),
      ],
    })),
  };
}
