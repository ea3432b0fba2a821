/**
 * Standards fit against the SCS KaaS networking standard (scs-0219-v1, draft): NetworkPolicy support
 * is a MUST and is judged from MEASURED conformance; AdminNetworkPolicy/BaselineAdminNetworkPolicy
 * and a managed Ingress controller are SHOULDs, judged from declared facts.
 */
import type { CandidateResult } from '../results/schema.js';
import { isKnown, type FactsLookup } from './facts.js';
import type { StandardsCheck, StandardsFit } from './types.js';

export const SCS_0219_URL =
  'https://github.com/SovereignCloudStack/standards/blob/main/Standards/scs-0219-v1-kaas-networking.md';

function networkPolicyCheck(c: CandidateResult): StandardsCheck {
  const base = {
    id: 'scs-0219.networkpolicy',
    requirement: 'MUST' as const,
    text: 'full support of networking.k8s.io/v1 NetworkPolicy',
  };
  const conf = c.conformance;
  if (!conf) return { ...base, status: 'unknown', evidence: 'conformance not measured' };
  const run = conf.passed + conf.failed;
  const skipped = conf.skipped > 0 ? `; ${conf.skipped} skipped (not measured)` : '';
  if (run === 0) return { ...base, status: 'unknown', evidence: `no conformance case run${skipped}` };
  if (conf.failed === 0) return { ...base, status: 'met', evidence: `all ${run} cases run passed${skipped}` };
  return { ...base, status: 'not-met', evidence: `${conf.failed} of ${run} cases failed${skipped}` };
}

function declaredCheck(lookup: FactsLookup, id: string, key: string, text: string): StandardsCheck {
  const base = { id, requirement: 'SHOULD' as const, text };
  if (lookup.kind === 'not-applicable') return { ...base, status: 'not-applicable', evidence: lookup.reason };
  if (lookup.kind === 'missing')
    return { ...base, status: 'unknown', evidence: `no facts for "${lookup.key}"` };
  const fact = lookup.project.capabilities[key];
  if (!isKnown(fact)) return { ...base, status: 'unknown', evidence: fact?.note ?? 'not sourced' };
  return {
    ...base,
    status: fact.value === true ? 'met' : 'not-met',
    evidence: `declared ${fact.value === true ? 'yes' : 'no'} (as of ${fact.asOf})${fact.note ? `: ${fact.note}` : ''}`,
    source: fact.source ?? undefined,
  };
}

export function standardsFit(
  candidates: ReadonlyArray<{ result: CandidateResult; lookup: FactsLookup }>,
): StandardsFit {
  return {
    standard: 'scs-0219-v1',
    title: 'SCS KaaS Networking Standard (draft)',
    url: SCS_0219_URL,
    candidates: candidates.map(({ result, lookup }) => ({
      name: result.name,
      checks: [
        networkPolicyCheck(result),
        declaredCheck(
          lookup,
          'scs-0219.adminnetworkpolicy',
          'adminNetworkPolicy',
          'supports (or works on) AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io)',
        ),
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
