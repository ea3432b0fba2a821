/**
 * The feature matrix: NetworkPolicy features and the admin tier from MEASURED conformance (per suite
 * tag; skipped and unsupported cases are "not measured", never failures, except that an admin tier
 * the cluster itself does not enforce is measured as not supported) and declared capabilities from
 * the facts file, each with its source. The features criterion scores both halves.
 */
import type { CandidateResult, CaseResult } from '../results/schema.js';
import { adminTierCell } from './admin-tier.js';
import { ESTABLISHED_ON_DENY, establishedOnDenyCell } from './established-on-deny.js';
import { type FactsLookup, knownFact } from './facts.js';
import { isNetworkPolicyCase, tallyCases } from './tally.js';
import type { FeatureCell, FeatureMatrix } from './types.js';

export { tallyCases, isNetworkPolicyCase } from './tally.js';

export interface MeasuredFeature {
  id: string;
  title: string;
  /** A case counts for the feature when it carries any of these tags. */
  tags: string[];
  /** network-policy: only NetworkPolicy cases count; admin-tier: the admin-tier groups (see admin-tier.ts). */
  scope?: 'network-policy' | 'admin-tier';
}

export const MEASURED_FEATURES: readonly MeasuredFeature[] = [
  { id: 'np.ingress', title: 'NetworkPolicy ingress', tags: ['direction:ingress'] },
  { id: 'np.egress', title: 'NetworkPolicy egress', tags: ['direction:egress'] },
  {
    id: 'np.ipBlock',
    title: 'ipBlock peers (incl. except)',
    tags: ['peer:ip-block', 'peer:ip-block-except'],
  },
  { id: 'np.endPort', title: 'Port ranges (endPort)', tags: ['port:range'] },
  { id: 'np.namedPorts', title: 'Named ports', tags: ['port:named'] },
  { id: 'np.sctp', title: 'SCTP', tags: ['protocol:sctp'] },
  {
    id: 'admin.tier',
    title:
      'Admin tier: ClusterNetworkPolicy (v1alpha2) or AdminNetworkPolicy/BaselineAdminNetworkPolicy (v1alpha1)',
    tags: ['cluster-network-policy', 'admin-network-policy'],
    scope: 'admin-tier',
  },
];

export const DECLARED_CAPABILITIES: ReadonlyArray<{ id: string; title: string }> = [
  { id: 'clusterWidePolicy', title: 'Cluster-wide policy' },
  { id: 'l7Policy', title: 'L7 policy' },
  { id: 'dnsPolicy', title: 'DNS-based policy' },
  { id: 'transparentEncryption', title: 'Transparent encryption' },
  { id: 'ebpfDataplane', title: 'eBPF dataplane' },
  { id: 'kubeProxyReplacement', title: 'kube-proxy replacement' },
  { id: 'bgp', title: 'BGP' },
  { id: 'dualStack', title: 'Dual-stack' },
  { id: 'observabilityUi', title: 'Observability UI' },
  { id: 'multiCluster', title: 'Multi-cluster' },
  { id: 'windowsNodes', title: 'Windows nodes' },
  { id: 'adminNetworkPolicy', title: 'AdminNetworkPolicy' },
  { id: 'clusterNetworkPolicy', title: 'ClusterNetworkPolicy' },
];

/** Every tag seen in the candidates' conformance cases (those `keep` accepts), sorted, for per-tag tables and heat maps. */
export function allTags(
  candidates: readonly CandidateResult[],
  keep: (c: CaseResult) => boolean = () => true,
): string[] {
  const tags = new Set<string>();
  for (const c of candidates)
    for (const r of c.conformance?.caseResults ?? []) if (keep(r)) for (const t of r.tags) tags.add(t);
  return [...tags].sort();
}

export function measuredCell(candidate: CandidateResult, f: MeasuredFeature): FeatureCell {
  const cases = candidate.conformance?.caseResults;
  if (!cases)
    return { feature: f.id, origin: 'measured', status: 'not-measured', detail: 'conformance not run' };
  if (f.scope === 'admin-tier') return adminTierCell(candidate, f.id);
  // NetworkPolicy features count NetworkPolicy cases only: the admin tier has its own row.
  const t = tallyCases(cases, (c) => isNetworkPolicyCase(c) && c.tags.some((tag) => f.tags.includes(tag)));
  const run = t.passed + t.failed;
  const skipped = t.skipped > 0 ? ` (${t.skipped} skipped)` : '';
  if (run === 0) {
    return { feature: f.id, origin: 'measured', status: 'not-measured', detail: `no case run${skipped}` };
  }
  const passRate = t.passed / run;
  return {
    feature: f.id,
    origin: 'measured',
    status: passRate === 1 ? 'supported' : passRate === 0 ? 'unsupported' : 'partial',
    detail: `${t.passed}/${run} passed${skipped}`,
    passRate,
  };
}

function declaredCell(lookup: FactsLookup, id: string): FeatureCell {
  if (lookup.kind === 'not-applicable') {
    return { feature: id, origin: 'declared', status: 'not-applicable', detail: lookup.reason };
  }
  if (lookup.kind === 'missing') {
    return { feature: id, origin: 'declared', status: 'unknown', detail: `no facts for "${lookup.key}"` };
  }
  const fact = lookup.project.capabilities[id];
  const known = knownFact(fact);
  if (!known) {
    return {
      feature: id,
      origin: 'declared',
      status: 'unknown',
      detail: fact?.note ?? 'not sourced',
      asOf: fact?.asOf,
    };
  }
  const v = known.value;
  const status =
    v === true ? 'supported' : v === false ? 'unsupported' : v === 'partial' ? 'partial' : 'unknown';
  return {
    feature: id,
    origin: 'declared',
    status,
    detail: known.note ?? String(v),
    source: known.source ?? undefined,
    asOf: known.asOf,
  };
}

export function featureMatrix(
  candidates: ReadonlyArray<{ result: CandidateResult; lookup: FactsLookup }>,
): FeatureMatrix {
  return {
    features: [
      ...MEASURED_FEATURES.map((f) => ({ id: f.id, title: f.title, origin: 'measured' as const })),
      { ...ESTABLISHED_ON_DENY, origin: 'measured' as const },
      ...DECLARED_CAPABILITIES.map((f) => ({ id: f.id, title: f.title, origin: 'declared' as const })),
    ],
    candidates: candidates.map(({ result, lookup }) => ({
      name: result.name,
      cells: [
        ...MEASURED_FEATURES.map((f) => measuredCell(result, f)),
        establishedOnDenyCell(result),
        ...DECLARED_CAPABILITIES.map((f) => declaredCell(lookup, f.id)),
      ],
    })),
  };
}
