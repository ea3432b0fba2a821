/** Number and label formatting shared by the renderers. */
import type { Measurement } from '../results/schema.js';

/** Three significant digits, no exponent for everyday magnitudes. */
export function num(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs >= 10 ** digits) return Math.round(x).toString();
  return Number(x.toPrecision(digits)).toString();
}

export function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function score(x: number | null | undefined): string {
  return x === null || x === undefined ? 'n/a' : x.toFixed(1);
}

/** A score with its 95 % interval, when the interval is wider than the score's last digit. */
export function scoreWithInterval(
  x: number | null,
  iv: { lo: number; hi: number } | null | undefined,
): string {
  if (x === null || !iv || iv.hi - iv.lo < 0.05) return score(x);
  return `${score(x)} [${score(iv.lo)}, ${score(iv.hi)}]`;
}

export function params(p: Measurement['parameters']): string {
  const entries = Object.entries(p).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '—' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

export function ci(m: Measurement, which: 'ci95' | 'ci95Median' = 'ci95Median'): string {
  if (m.summary.ciDefined === false || m.summary.n < 2) return 'n/a';
  const [lo, hi] = m.summary[which];
  return `[${num(lo)}, ${num(hi)}]`;
}
