/**
 * A small seeded pseudo-random generator (mulberry32) so bootstrap confidence intervals are
 * reproducible: the same samples and seed always give the same interval, in reports and in tests.
 * Not for cryptography; 32-bit state is plenty for a few thousand resamples.
 */
export type Random = () => number;

/** Default seed of every bootstrap in cnibench (recorded in Summary.bootstrap). */
export const DEFAULT_SEED = 0x5eed;

/** Returns a generator of uniform numbers in [0, 1). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform integer in [0, n). */
export function randomIndex(rand: Random, n: number): number {
  return Math.floor(rand() * n);
}
