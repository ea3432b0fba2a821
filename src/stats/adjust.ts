/**
 * Multiple-comparison control over the p-values of one comparison (every row and candidate of a
 * `cnibench compare`): Benjamini–Hochberg (false discovery rate ≤ alpha, the default) or Holm's
 * step-down method (family-wise error rate ≤ alpha). stdlib's `padjust` computes both.
 *
 * Why BH by default: a CNI comparison asks many questions at once, and when the candidates differ
 * they differ on many figures. Holm then spends alpha as if each call needed the whole family's
 * protection, and misses most real differences (docs/statistics.md, "Multiple-comparison control").
 * BH bounds the share of false calls among the calls; when nothing differs (an A/A run) every call
 * is false, and BH's bound is then the family-wise one: P(any call) ≤ alpha, as with Holm.
 */
import padjust from '@stdlib/stats-padjust';

export type AdjustMethod = 'holm' | 'bh';

export const ADJUST_METHODS: readonly AdjustMethod[] = ['holm', 'bh'];

export const ADJUST_LABELS: Record<AdjustMethod, string> = {
  holm: 'Holm',
  bh: 'Benjamini–Hochberg',
};

/**
 * Adjusted p-values in the order given. `null` (a test that could not run) stays null and does not
 * count as a comparison: it can never produce a discovery.
 */
export function adjustPValues(ps: ReadonlyArray<number | null>, method: AdjustMethod): Array<number | null> {
  const idx: number[] = [];
  const vals: number[] = [];
  ps.forEach((p, i) => {
    if (p !== null && Number.isFinite(p)) {
      idx.push(i);
      vals.push(Math.min(1, Math.max(0, p)));
    }
  });
  const out: Array<number | null> = ps.map(() => null);
  if (vals.length === 0) return out;
  const adjusted = padjust(vals, method);
  idx.forEach((i, k) => {
    out[i] = Math.min(1, adjusted[k] ?? 1);
  });
  return out;
}
