/**
 * One figure, one candidate against the baseline candidate: the single comparison that enters the
 * multiple-comparison family (docs/statistics.md). Shared by the sequential stopping rule
 * (workloads/sampling.ts) and `cnibench compare`, so that sampling stops on exactly the test the
 * verdict is later read from.
 *
 * - design `paired` (interleaved blocks): paired t on per-block differences, looked at after every
 *   block from the design's first look; p-values are sequential (stats/sequential.ts).
 * - design `unpaired` (separate runs): Welch's t, one look.
 *
 * The relative difference is exp(mean log ratio) − 1 (geometric-mean ratio) and its CI is the
 * (1 − 2α) interval at the final look's nominal level — at a fixed design exactly the 90% CI that
 * matches TOST at α = 0.05 — so "equivalent" is "the interval lies inside ±margin".
 */
import {
  MIN_BLOCKS,
  blockDifferences,
  ciOf,
  detectable,
  blocksFor,
  marginBounds,
  pairedEstimate,
  relative,
  scaleOf,
  testsOf,
  welchEstimate,
  type Estimate,
  type PlacedSeries,
  type Scale,
} from './paired.js';
import { nominalLevels, sequentialP, type SequentialDesign } from './sequential.js';
import { mean } from 'simple-statistics';

/**
 * `better`/`worse`: the difference is significant (adjusted p < alpha);
 * `equivalent`: the difference lies inside ±margin (both one-sided tests reject, adjusted);
 * `inconclusive`: neither could be shown.
 */
export type Verdict = 'better' | 'worse' | 'equivalent' | 'inconclusive';

/** Default smallest relative difference that matters (the equivalence margin): 5%. */
export const DEFAULT_MARGIN = 0.05;

export type Design = 'paired' | 'unpaired';

export interface FigureComparisonOptions {
  higherIsBetter: boolean;
  alpha: number;
  /** Equivalence margin, fraction. */
  margin: number;
  design: Design;
  /**
   * Sequential design of the paired looks; absent: one look (fixed number of blocks). `final`: the
   * sampling ended for a reason that is not the data (time budget, planned maximum), so the last look
   * spends the rest of the level.
   */
  sequential?: SequentialDesign & { final?: boolean };
  /** Level the minimum detectable effect is stated at (default alpha). */
  mdeLevel?: number;
}

export interface FigureComparison {
  design: Design;
  /** 'paired-t' on per-block differences or 'welch-t' between runs. */
  test: 'paired-t' | 'welch-t';
  scale: Scale;
  /** Blocks paired (paired) or the smaller sample size (unpaired). */
  n: number;
  /** candidate / baseline − 1: the geometric-mean ratio (log scale) or mean difference / baseline mean. */
  relativeDifference: number | null;
  /** (1 − 2α) CI of relativeDifference at the final look's sequential level; null when not estimable. */
  relativeDifferenceCi: [number, number] | null;
  /** Confidence level of that interval. */
  ciLevel: number;
  /** Nominal two-sided p of the final look. */
  pNominal: number | null;
  /** Two-sided p valid under the sequential looks (= pNominal with one look). */
  p: number | null;
  /** TOST p (larger one-sided p), valid under the sequential looks. */
  pEquivalence: number | null;
  /** After multiple-comparison control (equal to p for a lone comparison). */
  pAdjusted: number | null;
  pEquivalenceAdjusted: number | null;
  alpha: number;
  margin: number;
  /** Looks made (blocks at each look): first and last. */
  looks: { first: number; last: number } | null;
  /** Smallest relative difference detectable with 80% power at the run's noise and mdeLevel. */
  minimumDetectableEffect: number | null;
  /** Blocks a difference of the margin's size would need (80% power, mdeLevel). */
  blocksForMargin: number | null;
  mdeLevel: number;
  verdict: Verdict;
  note?: string;
  /** The strongest look and the final estimate point different ways: never better/worse. */
  signFlip?: boolean;
}

/** The verdict from (adjusted) p-values, direction from the estimate the test is about. */
export function decide(
  c: Pick<FigureComparison, 'alpha' | 'relativeDifference' | 'signFlip'>,
  higherIsBetter: boolean,
  pAdjusted: number | null,
  pEquivalenceAdjusted: number | null,
): Verdict {
  if (pEquivalenceAdjusted !== null && pEquivalenceAdjusted < c.alpha) return 'equivalent';
  if (
    pAdjusted !== null &&
    pAdjusted < c.alpha &&
    !c.signFlip &&
    c.relativeDifference !== null &&
    c.relativeDifference !== 0
  ) {
    return c.relativeDifference > 0 === higherIsBetter ? 'better' : 'worse';
  }
  return 'inconclusive';
}

/** Per-look (prefix) estimates of a paired series of block differences. */
function pairedLooks(d: readonly number[], first: number): (Estimate | null)[] {
  const out: (Estimate | null)[] = [];
  for (let n = first; n <= d.length; n++) out.push(pairedEstimate(d.slice(0, n)));
  return out;
}

/**
 * Compares a candidate's figure with the baseline's. Samples must be finite and non-negative (the
 * caller checks and names the file). Fewer than MIN_BLOCKS pairs give no test and no verdict.
 */
export function compareFigure(
  baseline: PlacedSeries,
  candidate: PlacedSeries,
  opts: FigureComparisonOptions,
): FigureComparison {
  const { alpha, margin, design, higherIsBetter } = opts;
  const mdeLevel = opts.mdeLevel ?? alpha;
  const scale = scaleOf(baseline.samples, candidate.samples);
  const base: Omit<FigureComparison, 'verdict'> = {
    design,
    test: design === 'paired' ? 'paired-t' : 'welch-t',
    scale,
    n: 0,
    relativeDifference: null,
    relativeDifferenceCi: null,
    ciLevel: 1 - 2 * alpha,
    pNominal: null,
    p: null,
    pEquivalence: null,
    pAdjusted: null,
    pEquivalenceAdjusted: null,
    alpha,
    margin,
    looks: null,
    minimumDetectableEffect: null,
    blocksForMargin: null,
    mdeLevel,
  };
  let looks: (Estimate | null)[];
  let first: number;
  let baseMean: number;
  let sdPerBlock: number | null = null;
  if (design === 'paired') {
    const diffs = blockDifferences(baseline, candidate, scale);
    const d = diffs.map((x) => x.d);
    baseMean = diffs.length ? mean(diffs.map((x) => x.base)) : 0;
    const seq = opts.sequential;
    first = seq ? Math.max(MIN_BLOCKS, Math.min(seq.minBlocks, d.length)) : d.length;
    looks = d.length >= MIN_BLOCKS ? pairedLooks(d, first) : [];
    base.n = d.length;
    const last = looks.at(-1);
    if (last) sdPerBlock = last.se * Math.sqrt(last.n);
  } else {
    const a = baseline.samples.map((x) => (scale === 'log' ? Math.log(x) : x));
    const b = candidate.samples.map((x) => (scale === 'log' ? Math.log(x) : x));
    baseMean = a.length ? mean(a) : 0;
    first = Math.min(a.length, b.length);
    looks = [welchEstimate(a, b)];
    base.n = first;
  }
  const final = looks.at(-1) ?? null;
  if (!final) {
    return {
      ...base,
      verdict: 'inconclusive',
      note: `fewer than ${MIN_BLOCKS} ${design === 'paired' ? 'blocks with both candidates' : 'samples a side'}: no test`,
    };
  }
  const maxBlocks =
    design === 'paired' ? Math.max(opts.sequential?.maxBlocks ?? 0, first + looks.length - 1) : first;
  const lastSpends = opts.sequential?.final === true;
  const [lower, upper] = marginBounds(margin, scale, baseMean);
  const tests = looks.map((e) => testsOf(e, lower, upper));
  const lastTests = tests.at(-1);
  const p = sequentialP(
    first,
    maxBlocks,
    tests.map((t) => t.p),
    lastSpends,
  );
  // TOST at level a ⇔ each one-sided test at a ⇔ two-sided boundaries at 2a: seqP over 2·max(p).
  const eqSeq = sequentialP(
    first,
    maxBlocks,
    tests.map((t) => (t.pEquivalence === null ? null : Math.min(1, 2 * t.pEquivalence))),
    lastSpends,
  );
  const pEquivalence = eqSeq === null ? null : eqSeq / 2;
  const lastLook = first + looks.length - 1;
  // Repeated CI at the final look: two-sided level 1 − ν(2α), the interval TOST at α reads.
  const nu2 =
    nominalLevels(first, lastLook, maxBlocks, Math.min(0.999, 2 * alpha), lastSpends).at(-1) ?? 2 * alpha;
  const ciLevel = 1 - nu2;
  const ci = final.se > 0 ? ciOf(final, ciLevel) : null;
  const rel = relative(final.estimate, scale, baseMean);
  const relCi = ci ? ([relative(ci[0], scale, baseMean), relative(ci[1], scale, baseMean)] as const) : null;
  const mdeNu = nominalLevels(first, lastLook, maxBlocks, mdeLevel, lastSpends).at(-1) ?? mdeLevel;
  const mdeRaw = final.se > 0 ? detectable(final.se, final.df, Math.max(mdeNu, 1e-12)) : null;
  const mde = mdeRaw === null ? null : relative(mdeRaw, scale, baseMean);
  const marginEffect = scale === 'log' ? Math.log(1 + margin) : margin * Math.abs(baseMean);
  const sd = design === 'paired' ? sdPerBlock : final.se * Math.sqrt(final.n / 2);
  const need = sd !== null && margin > 0 ? blocksFor(marginEffect, sd, mdeLevel) : null;
  const out: Omit<FigureComparison, 'verdict'> = {
    ...base,
    relativeDifference: rel,
    relativeDifferenceCi: relCi && relCi[0] !== null && relCi[1] !== null ? [relCi[0], relCi[1]] : null,
    ciLevel,
    pNominal: lastTests?.p ?? null,
    p,
    pEquivalence,
    pAdjusted: p,
    pEquivalenceAdjusted: pEquivalence,
    looks: { first, last: lastLook },
    minimumDetectableEffect: mde,
    blocksForMargin: need,
  };
  let note =
    final.se > 0
      ? undefined
      : 'no variation between blocks: the noise cannot be estimated, so there is no test';
  // The look with the strongest evidence must point the way the final estimate does; else the
  // significance and the direction shown could disagree, and no direction is claimed.
  let strongest = -1;
  tests.forEach((t, k) => {
    if (t.p !== null && (strongest < 0 || t.p < (tests[strongest]?.p ?? 1))) strongest = k;
  });
  const signFlip = strongest >= 0 && Math.sign(looks[strongest]?.estimate ?? 0) !== Math.sign(final.estimate);
  let verdict = decide(out, higherIsBetter, p, pEquivalence);
  if (signFlip && (verdict === 'better' || verdict === 'worse')) {
    verdict = 'inconclusive';
    note = 'the difference changed sign after the look that was significant: no direction is claimed';
  }
  return { ...out, verdict, ...(note ? { note } : {}), ...(signFlip ? { signFlip } : {}) };
}
