/**
 * The report's policy-change section (docs/policy-change.md): time to enforce per step kind, per
 * candidate, next to the programming latency of the static cases, with the throughput that ran
 * meanwhile; and what happened to established flows on a new deny (also a feature-matrix row).
 */
import type { CandidateResult, StepResult } from '../results/schema.js';
import { medianOf } from '../stats/quantile.js';
import { quantileSorted } from '../stats/quantile.js';
import type { Block, Cell } from './blocks.js';
import { num } from './format.js';
import { labelOf, type ReportModel } from './model.js';

const steps = (c: CandidateResult): StepResult[] =>
  (c.conformance?.caseResults ?? []).flatMap((r) => (r.steps ?? []).filter((s) => s.step > 0));

/** "38 ms (p90 61, n 12)" of the times, or "n/a". */
function timing(xs: number[]): string {
  if (xs.length === 0) return 'n/a';
  const sorted = [...xs].sort((a, b) => a - b);
  return `${num(medianOf(sorted))} ms (p90 ${num(quantileSorted(sorted, 0.9))}, n ${xs.length})`;
}

export function policyChangeBlocks(m: ReportModel): Block[] {
  const cands = m.candidates.filter((c) => steps(c).length > 0);
  if (cands.length === 0) return [];
  const kinds = [...new Set(cands.flatMap((c) => steps(c).map((s) => s.kind)))].sort();
  const rows: Cell[][] = kinds.map((k) => [
    k,
    ...cands.map((c) =>
      timing(
        steps(c)
          .filter((s) => s.kind === k && s.timeToEnforceMs !== null)
          .map((s) => s.timeToEnforceMs ?? 0),
      ),
    ),
  ]);
  const staticLatency = (c: CandidateResult) =>
    (c.conformance?.caseResults ?? [])
      .filter((r) => r.steps === undefined && r.programmingLatencyMs !== null)
      .map((r) => r.programmingLatencyMs ?? 0);
  rows.push(['programming latency, static cases (no load)', ...cands.map((c) => timing(staticLatency(c)))]);
  const loadRow = cands.map((c) => {
    const l = c.conformance?.load;
    if (!l) return 'none';
    const g = l.gbps;
    return g.length > 0
      ? `${l.tool} on the ${l.path} path: median ${num(medianOf([...g].sort((a, b) => a - b)))} Gbit/s over ${g.length} runs${l.error ? ` (stopped: ${l.error})` : ''}`
      : `${l.tool}: no run finished${l.error ? ` (${l.error})` : ''}`;
  });
  const flowRow = cands.map((c) => {
    const flows = steps(c).flatMap((s) => s.heldFlows ?? []);
    const count = (p: string, o: string) => flows.filter((f) => f.protocol === p && f.outcome === o).length;
    return (['TCP', 'UDP'] as const)
      .map(
        (p) =>
          `${p}: ${count(p, 'kept')} kept, ${count(p, 'cut')} cut, ${count(p, 'not-established')} not established`,
      )
      .join('; ');
  });
  return [
    { kind: 'heading', level: 2, text: 'Policy change under live traffic', id: 'policy-change' },
    {
      kind: 'p',
      text: 'Multi-step cases (the policy-change group): after each step, the time from the change (the first API call, or the local dataplane call) until a probe round agrees with the model for the new state, by what the step changes; median, 90th percentile and number of steps. Steps marked under load ran with the throughput below on the same nodes. The last row is the programming latency of the static cases for comparison.',
    },
    { kind: 'table', headers: ['Step kind', ...cands.map((c) => labelOf(m, c.name))], rows },
    {
      kind: 'table',
      headers: ['', ...cands.map((c) => labelOf(m, c.name))],
      rows: [
        ['throughput during the steps', ...loadRow],
        ['established flows on a new deny', ...flowRow],
      ],
    },
  ];
}
