/**
 * The feature-matrix row "established connections on a new deny: cut or kept" (docs/policy-change.md):
 * what happened to the TCP connections and UDP flows held open across the multi-step cases' changes
 * that turned an allow into a deny. A behaviour, not a verdict (upstream leaves it to the
 * implementation), so the row is shown and never scored.
 */
import type { CandidateResult, HeldFlowOutcome } from '../results/schema.js';
import type { FeatureCell } from './types.js';

export const ESTABLISHED_ON_DENY = {
  id: 'behaviour.establishedOnDeny',
  title: 'established connections on a new deny: cut or kept',
} as const;

/** "kept (12/12)", "cut (3/3)", "mixed: 2 kept, 1 cut": one protocol's judged flows. */
function describe(flows: HeldFlowOutcome[]): string | undefined {
  const kept = flows.filter((f) => f.outcome === 'kept').length;
  const cut = flows.filter((f) => f.outcome === 'cut').length;
  const n = kept + cut;
  if (n === 0) return undefined;
  if (kept === n) return `kept (${kept}/${n})`;
  if (cut === n) return `cut (${cut}/${n})`;
  return `mixed: ${kept} kept, ${cut} cut`;
}

export function establishedOnDenyCell(candidate: CandidateResult): FeatureCell {
  const id = ESTABLISHED_ON_DENY.id;
  const steps = (candidate.conformance?.caseResults ?? []).flatMap((c) => c.steps ?? []);
  const flows = steps.flatMap((s) => s.heldFlows ?? []);
  const parts = (['TCP', 'UDP'] as const)
    .map((p) => {
      const d = describe(flows.filter((f) => f.protocol === p));
      return d ? `${p} ${d}` : undefined;
    })
    .filter((x): x is string => x !== undefined);
  if (parts.length > 0)
    return { feature: id, origin: 'measured', status: 'observed', detail: parts.join(', ') };
  const why = steps.find((s) => s.heldFlowsNotMeasured !== undefined)?.heldFlowsNotMeasured;
  const detail =
    why ?? (steps.length === 0 ? 'no multi-step case run' : 'no flow was established before a new deny');
  return { feature: id, origin: 'measured', status: 'not-measured', detail };
}
