/**
 * A SYNTHETIC machine with this machine's noise, for checking the statistical method on seeded data
 * (CI: test/stats/method.test.ts; figures: bench/stats-method.bench.ts). Nothing here is a
 * measurement. Each turn's value is
 *
 *   truth × exp(block effect + slow drift(time) + run noise)
 *
 * with a per-run coefficient of variation about 13% (block effect sd 0.10: load from other jobs
 * lasting seconds, longer than a block's two turns; run noise sd 0.07; drift a slow sine of amplitude
 * 0.05 over ~40 turns), like iperf3 on 2 busy cores. Runs go through the
 * real scheduler (workloads/sampling.ts `collectBlocks`, with the sequential stopping rule) and the
 * real `compareRuns`; the old analysis (unpaired Welch/Mann–Whitney on 6 blocks, bench/legacy) is
 * reconstructed beside it for the comparison.
 */
import type { Measurement } from '../../src/results/schema.js';
import type { Repetitions } from '../../src/scenario/schema.js';
import { compareRuns, type CompareReport } from '../../src/compare/results-compare.js';
import type { AdjustMethod } from '../../src/stats/adjust.js';
import { seededRandom } from '../../src/stats/prng.js';
import { collectBlocks } from '../../src/workloads/sampling.js';
import { syntheticMeasurement, syntheticResults } from '../stats/fixtures.js';

export interface MachineNoise {
  blockSd: number;
  runSd: number;
  driftAmplitude: number;
  /** Turns per drift period. */
  driftPeriod: number;
}

/** Per-run CV ≈ 13%: √(0.10² + 0.07² + 0.05²/2) ≈ 0.127. */
export const THIS_MACHINE: MachineNoise = {
  blockSd: 0.1,
  runSd: 0.07,
  driftAmplitude: 0.05,
  driftPeriod: 40,
};

/** A seeded standard normal generator (Box–Muller on the project's PRNG). */
export function normals(seed: number): () => number {
  const rnd = seededRandom(seed);
  return () => {
    let u = 0;
    while (u === 0) u = rnd();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
  };
}

export interface SyntheticRunOptions {
  /** Figures (one unit each); half throughput-like (higher is better), half latency-like. */
  figures: number;
  /** Only throughput-like figures (faster: their CI is t-based, a latency's is bootstrapped). */
  ratesOnly?: boolean;
  /** The candidate's true relative difference on every figure (0: A/A). */
  effect: number;
  reps: Repetitions;
  seed: number;
  noise?: MachineNoise;
  alpha?: number;
  margin?: number;
  /** Multiple-comparison control of the compare (default: compare's own default). */
  adjust?: AdjustMethod;
}

export interface SyntheticRun {
  /** Per figure: both candidates' measurements. */
  measurements: { a: Measurement[]; b: Measurement[] };
  report: CompareReport;
}

/** One synthetic run of two candidates through the real scheduler and compare. */
export async function syntheticRun(o: SyntheticRunOptions): Promise<SyntheticRun> {
  const noise = o.noise ?? THIS_MACHINE;
  const z = normals(o.seed);
  const phase = z() * 10;
  let turns = 0;
  const a: Measurement[] = [];
  const b: Measurement[] = [];
  for (let f = 0; f < o.figures; f++) {
    const higherIsBetter = o.ratesOnly === true || f % 2 === 0;
    const id = `synthetic/figure=${f}/cross-node`;
    const blockEffect = new Map<number, number>();
    const series = await collectBlocks({
      unit: id,
      arms: ['a', 'b'],
      reps: o.reps,
      seed: o.seed + f,
      decision: { alpha: o.alpha ?? 0.05, margin: o.margin ?? 0.05, familySize: o.figures },
      figures: [{ id, statistic: higherIsBetter ? 'mean' : 'median', adaptive: true }],
      turn: (arm, _phase, block) => {
        let be = blockEffect.get(block);
        if (be === undefined) {
          be = noise.blockSd * z();
          blockEffect.set(block, be);
        }
        const drift = noise.driftAmplitude * Math.sin(phase + (2 * Math.PI * turns++) / noise.driftPeriod);
        const truth = arm === 'b' ? 1 + (higherIsBetter ? o.effect : -o.effect) : 1;
        const value = (higherIsBetter ? 10 : 40) * truth * Math.exp(be + drift + noise.runSd * z());
        return Promise.resolve({ [id]: value });
      },
    });
    for (const [arm, out] of [
      ['a', a],
      ['b', b],
    ] as const) {
      const s = series.get(arm)?.get(id);
      if (!s) throw new Error(`no series ${arm} ${id}`);
      out.push({
        ...syntheticMeasurement({
          workload: higherIsBetter ? 'throughput' : 'latency',
          path: 'cross-node',
          metric: higherIsBetter ? 'throughput' : 'rtt',
          unit: higherIsBetter ? 'Gbit/s' : 'us',
          higherIsBetter,
          samples: s.samples,
          parameters: { figure: String(f) },
        }),
        id,
        schedule: s.schedule,
        ...(s.adaptive ? { adaptive: s.adaptive } : {}),
      });
    }
  }
  const results = syntheticResults('synthetic', [
    { name: 'a', measurements: a },
    { name: 'b', measurements: b },
  ]);
  results.schemaVersion = 3;
  const report = compareRuns([{ source: 'synthetic', results }], {
    alpha: o.alpha ?? 0.05,
    margin: o.margin ?? 0.05,
    ...(o.adjust ? { adjust: o.adjust } : {}),
  });
  return { measurements: { a, b }, report };
}

/** Figures whose verdict points the planted way (b is better by construction when effect > 0). */
export function rightSign(report: CompareReport): { right: number; wrong: number; figures: number } {
  let right = 0;
  let wrong = 0;
  let figures = 0;
  for (const row of report.rows) {
    const f = row.figures.find((x) => x.candidate === 'b');
    if (!f?.verdict) continue;
    figures++;
    if (f.verdict === 'better') right++;
    if (f.verdict === 'worse') wrong++;
  }
  return { right, wrong, figures };
}
