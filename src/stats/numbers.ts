/** How the statistics stage writes numbers in tables and sentences (compare, drift warnings, report). */

/** Four significant digits, no exponent for ordinary magnitudes. */
export function fmtNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e6 || a < 1e-3) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

/** A relative difference: +12.3%. */
export function fmtPercent(x: number): string {
  const v = x * 100;
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;
}

/**
 * A relative difference (ratio − 1) as fmtPercent writes it, but beyond a factor of 10 either way as
 * the factor (×12, ÷140): "-99.3%" would not tell 100 times less from 1,000 times less.
 */
export function fmtRelative(x: number): string {
  if (x >= 9) return `×${Number((1 + x).toPrecision(3))}`;
  if (x <= -0.9 && x > -1) return `÷${Number((1 / (1 + x)).toPrecision(3))}`;
  return fmtPercent(x);
}

export function fmtP(p: number | null): string {
  if (p === null) return 'n/a';
  if (p < 0.001) return '<0.001';
  return p.toFixed(3);
}
