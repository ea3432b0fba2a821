/**
 * The repetition loop every performance measurement goes through: warm-up runs first (kept, but
 * apart), then measured runs — a fixed number, or adaptively until the 95% confidence interval is
 * tight enough relative to the median.
 *
 * Adaptive rule: after at least `minSamples` measured runs, stop as soon as the half-width of the 95%
 * CI is ≤ targetCiPercent % of the median, or when maxSamples runs were taken (then `reached` is
 * false). The CI is t-based on the mean by default — conservative at the small n a benchmark can
 * afford, where a bootstrap of the median sees only a handful of distinct values — or a percentile
 * bootstrap of the median (deterministic seed, so a rerun on the same samples decides the same).
 * With adaptive sampling `repetitions.count` is not used: maxSamples is the cap.
 */
import type { Repetitions } from '../scenario/schema.js';

export type SamplePhase = 'warmup' | 'sample';

export interface SamplingOptions {
  /** How the adaptive CI is computed. Default 't-mean'. */
  ciMethod?: 't-mean' | 'bootstrap-median';
  /** Measured runs taken before the adaptive rule may stop; default 3 (capped at maxSamples). */
  minSamples?: number;
  /** Bootstrap resamples; default 2000. */
  bootstrapResamples?: number;
  signal?: AbortSignal;
  /** Called after every run (progress reporting). */
  onSample?: (phase: SamplePhase, index: number, value: number) => void;
}

export interface SamplingResult {
  samples: number[];
  warmup: number[];
  adaptive?: {
    targetCiPercent: number;
    maxSamples: number;
    reached: boolean;
    /** Half-width of the 95% CI when the loop stopped, as % of the median. */
    ciPercent: number;
  };
}

/**
 * Runs `takeOne` for warm-up and measured runs. `takeOne` gets the phase and index so callers that
 * record side figures of the same run (UDP loss next to UDP throughput) can file them alike.
 */
export async function collectSamples(
  takeOne: (phase: SamplePhase, index: number) => Promise<number>,
  reps: Repetitions,
  opts: SamplingOptions = {},
): Promise<SamplingResult> {
  const warmup: number[] = [];
  const samples: number[] = [];
  const check = () => {
    if (opts.signal?.aborted)
      throw opts.signal.reason instanceof Error ? opts.signal.reason : new Error('aborted');
  };
  const take = async (phase: SamplePhase, index: number) => {
    check();
    const v = await takeOne(phase, index);
    if (!Number.isFinite(v)) throw new Error(`${phase} run ${index + 1} produced a non-finite value (${v})`);
    opts.onSample?.(phase, index, v);
    return v;
  };

  for (let i = 0; i < reps.warmup; i++) warmup.push(await take('warmup', i));

  if (!reps.adaptive) {
    for (let i = 0; i < reps.count; i++) samples.push(await take('sample', i));
    return { samples, warmup };
  }

  const { targetCiPercent, maxSamples } = reps.adaptive;
  const minSamples = Math.min(maxSamples, Math.max(2, opts.minSamples ?? 3));
  let ciPercent = Infinity;
  while (samples.length < maxSamples) {
    samples.push(await take('sample', samples.length));
    if (samples.length < minSamples) continue;
    ciPercent = ciHalfWidthPercent(samples, opts);
    if (ciPercent <= targetCiPercent) break;
  }
  if (samples.length >= 2 && !Number.isFinite(ciPercent)) ciPercent = ciHalfWidthPercent(samples, opts);
  return {
    samples,
    warmup,
    adaptive: { targetCiPercent, maxSamples, reached: ciPercent <= targetCiPercent, ciPercent },
  };
}

/** Half-width of the 95% CI as a percentage of the median (Infinity when it cannot be computed). */
export function ciHalfWidthPercent(
  samples: readonly number[],
  opts: Pick<SamplingOptions, 'ciMethod' | 'bootstrapResamples'> = {},
): number {
  if (samples.length < 2) return Infinity;
  const med = median(samples);
  if (med === 0) return Infinity;
  const half =
    (opts.ciMethod ?? 't-mean') === 't-mean'
      ? tHalfWidth(samples)
      : bootstrapMedianHalfWidth(samples, opts.bootstrapResamples ?? 2000);
  return (half / Math.abs(med)) * 100;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Two-sided 97.5% quantile of Student's t for df = 1..30 (beyond: the normal value is within 2%). */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (df < 1) return Infinity;
  if (df <= 30) return T975[df - 1];
  if (df <= 60) return 2.042 - ((df - 30) / 30) * (2.042 - 2.0);
  if (df <= 120) return 2.0 - ((df - 60) / 60) * (2.0 - 1.98);
  return 1.96;
}

function tHalfWidth(xs: readonly number[]): number {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return tQuantile975(n - 1) * Math.sqrt(variance / n);
}

/** Percentile bootstrap of the median with a fixed-seed PRNG (mulberry32). */
function bootstrapMedianHalfWidth(xs: readonly number[], resamples: number): number {
  let seed = 0x9e3779b9;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = xs.length;
  const meds = new Float64Array(resamples);
  const buf = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) buf[i] = xs[Math.floor(rand() * n)];
    meds[r] = median(buf);
  }
  meds.sort();
  const lo = meds[Math.floor(0.025 * (resamples - 1))];
  const hi = meds[Math.ceil(0.975 * (resamples - 1))];
  return (hi - lo) / 2;
}
