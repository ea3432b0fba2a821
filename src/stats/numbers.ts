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

export function fmtP(p: number | null): string {
  if (p === null) return 'n/a';
  if (p < 0.001) return '<0.001';
  return p.toFixed(3);
}
