/**
 * Sensitivity of the decision to the weights. Totals are linear in the normalised weights p
 * (Σp = 1): T_k = Σ_c p_c S_kc. The winner w stays ahead of challenger j while
 * d = Σ_c p_c Δ_c > 0 with Δ_c = S_wc − S_jc. Moving mass m from criterion a to b changes d by
 * −m (Δ_a − Δ_b), and its L1 cost is 2m. The cheapest way to remove d is therefore to move mass
 * into the single criterion with the smallest Δ (the sink, unbounded) from the criteria with the
 * largest Δ first (each limited by its weight): a fractional knapsack, solved exactly by greedy.
 * The minimum over challengers is the smallest weight change that makes the winner tie (any more
 * and it loses).
 */
import type { SensitivityResult, WeightShift } from './types.js';

const EPS = 1e-12;

export interface SensitivityInput {
  /** Criteria compared (every candidate below has a score for each). */
  criteria: string[];
  weights: Record<string, number>;
  /** candidate → criterion → score (0–100). */
  scores: Map<string, Record<string, number>>;
  winner: string;
}

/** A candidate's score on a compared criterion; the input promises one for each. */
function scoreOf(candidate: string, scores: Record<string, number>, criterion: string): number {
  const s = scores[criterion];
  if (s === undefined)
    throw new Error(`candidate ${candidate} has no score for compared criterion ${criterion}`);
  return s;
}

export function minimalWeightShift(input: SensitivityInput): { shift: WeightShift | null; note: string } {
  const { criteria, weights, scores, winner } = input;
  const weightOf = (c: string): number => weights[c] ?? 0;
  const total = criteria.reduce((s, c) => s + weightOf(c), 0);
  if (total <= 0) return { shift: null, note: 'no positive weight among the compared criteria' };
  const ws = scores.get(winner);
  if (!ws) throw new Error(`winner ${winner} has no scores`);
  let best: WeightShift | null = null;
  for (const [challenger, cs] of scores) {
    if (challenger === winner) continue;
    const rows = criteria.map((c) => ({
      criterion: c,
      p: weightOf(c) / total,
      delta: scoreOf(winner, ws, c) - scoreOf(challenger, cs, c),
    }));
    let d = rows.reduce((s, r) => s + r.p * r.delta, 0);
    // total > 0, so there is at least one criterion.
    const sink = rows.reduce((a, b) => (b.delta < a.delta ? b : a));
    // A challenger that is nowhere better can at most tie (all weight on equal criteria): no change.
    if (sink.delta >= 0) continue;
    const sources = rows
      .filter((r) => r !== sink && r.p > 0 && r.delta > sink.delta)
      .sort((a, b) => b.delta - a.delta);
    const from: Array<{ criterion: string; amount: number }> = [];
    let moved = 0;
    for (const a of sources) {
      if (d <= EPS) break;
      const rate = a.delta - sink.delta;
      const take = Math.min(a.p, d / rate);
      from.push({ criterion: a.criterion, amount: take * total });
      moved += take;
      d -= take * rate;
    }
    if (d > 1e-9) continue; // this challenger cannot catch up by any reweighting
    if (best === null || moved < best.share) {
      best = { from, to: sink.criterion, amount: moved * total, share: moved, newWinner: challenger };
    }
  }
  if (best === null) {
    return {
      shift: null,
      note: 'robust: no reweighting of the compared criteria changes who leads (the leader scores at least as high on every criterion as each challenger)',
    };
  }
  return {
    shift: best,
    note: 'exact minimal weight mass moved (L1 distance of the normalised weights = 2 × share) at which a challenger ties the leader',
  };
}

export function perCriterionRankings(
  criteria: string[],
  scores: Map<string, Record<string, number | null>>,
): SensitivityResult['perCriterion'] {
  return criteria.map((criterion) => ({
    criterion,
    ranking: [...scores]
      .map(([name, s]) => ({ name, score: s[criterion] }))
      .filter((x): x is { name: string; score: number } => x.score !== null && x.score !== undefined)
      .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name)),
  }));
}
