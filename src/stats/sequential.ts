/**
 * Group-sequential boundaries: sampling goes on block by block until a comparison is decided, and
 * looking at the data after every block must not inflate the false-positive rate. The type I error
 * is spent over the looks with the Lan–DeMets O'Brien–Fleming-like spending function
 * α(t) = 2 − 2Φ(z₁₋α/₂ / √t), t = blocks so far / the design's maximum blocks, and each look's
 * boundary is found by recursive numerical integration of the joint distribution of the z statistics
 * (Armitage–McPherson–Rowe; Jennison & Turnbull, "Group Sequential Methods", 2000, ch. 19), so the
 * boundaries account for the correlation between looks instead of a Bonferroni split.
 *
 * The boundaries are turned into nominal two-sided levels ν_k: at look k a test rejects when its
 * own p-value is below ν_k. With few blocks the tests are t tests; using the z boundaries' nominal
 * levels for t tests is the usual approximation (Jennison & Turnbull §3.8), but with 3 to 20 blocks
 * it lets through 10–22% more false positives than the level (measured with seeded simulations over
 * designs from 3–6 to 8–16 blocks, at levels 0.05 and 0.01). So a sequential design spends
 * T_APPROXIMATION_FACTOR × the level; the seeded simulation in test/stats/sequential.test.ts checks
 * that the A/A error under the stopping rule stays at or below the level.
 *
 * A fixed design (one look) has ν = α: the plain test. docs/statistics.md, "Sequential sampling".
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/** The looks of a design: after every block from `minBlocks` to `maxBlocks`. */
export interface SequentialDesign {
  /** First look (the scenario's `count`). */
  minBlocks: number;
  /** The planned maximum (`adaptive.maxSamples`); information fraction t = blocks / maxBlocks. */
  maxBlocks: number;
}

/** O'Brien–Fleming-like spending: the type I error spent by information fraction t at level a. */
function obfSpending(t: number, a: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return a;
  return 2 - 2 * normalCdf(normalQuantile(1 - a / 2, 0, 1) / Math.sqrt(t), 0, 1);
}

/** Upper tail P(Z > x). */
function upper(x: number): number {
  return 1 - normalCdf(x, 0, 1);
}

const GRID = 81; // odd, for Simpson's rule

/** Share of the level a sequential design spends, for the t approximation's excess (see above). */
const T_APPROXIMATION_FACTOR = 0.75;
const NO_BOUNDARY = 40; // a z boundary nothing crosses (no error spent at that look)

/** Simpson grid over [−b, b]: points and weights. */
function simpson(b: number): { x: number[]; w: number[] } {
  const h = (2 * b) / (GRID - 1);
  const x: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < GRID; i++) {
    x.push(-b + i * h);
    w.push(((i === 0 || i === GRID - 1 ? 1 : i % 2 === 1 ? 4 : 2) * h) / 3);
  }
  return { x, w };
}

function phi(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/**
 * Two-sided z boundaries c_k of looks at information n_k (blocks), spending `level` with the
 * O'Brien–Fleming-like function over t_k = n_k / maxBlocks.
 */
function zBoundaries(
  looks: readonly number[],
  maxBlocks: number,
  level: number,
  spendRestAtLast = false,
): number[] {
  const out: number[] = [];
  // Sub-density of S = Z·√n on the continuation region of the previous look (grid points x, weights w).
  let dens: { x: number[]; w: number[]; f: number[] } | null = null;
  let prevN = 0;
  let spent = 0;
  for (const [k, n] of looks.entries()) {
    const total = spendRestAtLast && k === looks.length - 1 ? level : obfSpending(n / maxBlocks, level);
    const inc = Math.max(0, total - spent);
    const sd = Math.sqrt(n);
    let c: number;
    if (!dens) {
      c = inc <= 1e-15 ? NO_BOUNDARY : normalQuantile(1 - inc / 2, 0, 1);
    } else {
      const d = dens;
      const step = Math.sqrt(n - prevN);
      const exitAt = (z: number): number => {
        const b = z * sd;
        let p = 0;
        for (let j = 0; j < d.x.length; j++) {
          const u = d.x[j] ?? 0;
          p += (d.w[j] ?? 0) * (d.f[j] ?? 0) * (upper((b - u) / step) + upper((b + u) / step));
        }
        return p;
      };
      if (inc <= 1e-15) c = NO_BOUNDARY;
      else {
        let lo = 0;
        let hi = NO_BOUNDARY;
        for (let it = 0; it < 40; it++) {
          const mid = (lo + hi) / 2;
          if (exitAt(mid) > inc) lo = mid;
          else hi = mid;
        }
        c = hi;
      }
    }
    out.push(c);
    // The continuation sub-density at this look, for the next one.
    const b = Math.min(c, 12) * sd;
    const g = simpson(b);
    const f = g.x.map((s) => {
      if (!dens) return phi(s / sd) / sd;
      const step = Math.sqrt(n - prevN);
      let v = 0;
      for (let j = 0; j < dens.x.length; j++) {
        v += (dens.w[j] ?? 0) * (dens.f[j] ?? 0) * (phi((s - (dens.x[j] ?? 0)) / step) / step);
      }
      return v;
    });
    // Spent so far = 1 − mass still inside (more exact than summing targets when a boundary is capped).
    let inside = 0;
    for (let i = 0; i < g.x.length; i++) inside += (g.w[i] ?? 0) * (f[i] ?? 0);
    spent = Math.max(spent, 1 - inside);
    dens = { ...g, f };
    prevN = n;
  }
  return out;
}

const cache = new Map<string, number[]>();

/**
 * Nominal two-sided levels ν_k of the looks `first`, first+1, …, `last` (one look per block): a test at
 * look k rejects when p < ν_k. Lan–DeMets boundaries depend only on the looks up to their own, so
 * the levels of a design are computed once up to its maximum and any run stopped earlier reads a
 * prefix. Looks beyond the planned maximum make that the new maximum.
 */
export function nominalLevels(
  first: number,
  last: number,
  maxBlocks: number,
  level: number,
  final = false,
): number[] {
  if (last < first) return [];
  const max = Math.max(maxBlocks, last);
  if (first === last && (last === max || final)) return [level];
  if (final && last < max) {
    // Sampling ended before the planned maximum for a reason that is not the data (the time budget):
    // the earlier looks keep the boundaries they were tested at, and the last one spends what is left.
    const key = `${level}|${first}|${max}|final${last}`;
    let v = cache.get(key);
    if (!v) {
      const looks: number[] = [];
      for (let n = first; n <= last; n++) looks.push(n);
      v = zBoundaries(looks, max, level * T_APPROXIMATION_FACTOR, true).map((c) =>
        c >= NO_BOUNDARY ? 0 : 2 * upper(c),
      );
      cache.set(key, v);
    }
    return v;
  }
  const key = `${level}|${first}|${max}`;
  let v = cache.get(key);
  if (!v) {
    const looks: number[] = [];
    for (let n = first; n <= max; n++) looks.push(n);
    v = zBoundaries(looks, max, level * T_APPROXIMATION_FACTOR).map((c) =>
      c >= NO_BOUNDARY ? 0 : 2 * upper(c),
    );
    if (cache.size > 20_000) cache.clear();
    cache.set(key, v);
  }
  return v.slice(0, last - first + 1);
}

/** Levels the sequential p-value is resolved on: 1e-5 … 1, 200 steps per decade on a log scale. */
function levelGrid(): number[] {
  const out: number[] = [];
  for (let e = -5 * 40; e <= 0; e++) out.push(10 ** (e / 40));
  return out;
}
const LEVELS = levelGrid();

/**
 * The sequential p-value of two-sided nominal p-values p_k observed at looks n_k: the smallest level
 * (on a grid with steps of 6%, rounded up, so it never understates) at which some look crosses its
 * boundary. Valid under any stopping rule: P(p ≤ a) = P(some look crosses at level a) ≤ a. With one
 * look it is the nominal p itself.
 */
export function sequentialP(
  first: number,
  maxBlocks: number,
  p: readonly (number | null)[],
  final = false,
): number | null {
  if (p.length === 0 || p.every((x) => x === null)) return null;
  const last = first + p.length - 1;
  if (p.length === 1 && (last >= maxBlocks || final)) return p[0] ?? null;
  const crosses = (a: number) =>
    nominalLevels(first, last, maxBlocks, a, final).some((nu, k) => {
      const pk = p[k];
      return pk !== null && pk !== undefined && pk <= nu;
    });
  // Binary search over the grid (crossing is monotone in the level).
  let lo = -1;
  let hi = LEVELS.length - 1;
  if (!crosses(LEVELS[hi] ?? 1)) return 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (crosses(LEVELS[mid] ?? 1)) hi = mid;
    else lo = mid;
  }
  return LEVELS[hi] ?? 1;
}
