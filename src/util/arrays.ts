/**
 * Indexed reads for code that computed its index within bounds. Under noUncheckedIndexedAccess an
 * index read may be undefined; these say what the caller knows, and fail loudly (a bug in cnibench,
 * not bad input) when it is wrong, instead of letting undefined flow on.
 */

/** xs[i]; a RangeError when i is outside the list. */
export function itemAt<T>(xs: ArrayLike<T>, i: number): T {
  const v = xs[i];
  if (v === undefined) throw new RangeError(`index ${i} outside a list of ${xs.length}`);
  return v;
}

/** xs[i mod length], for cycling through a non-empty constant list. */
export function cycle<T>(xs: readonly T[], i: number): T {
  return itemAt(xs, i % xs.length);
}

/** A uniformly chosen element of a non-empty list, for a random source in [0, 1). */
export function pick<T>(random: () => number, xs: readonly T[]): T {
  return itemAt(xs, Math.floor(random() * xs.length));
}
