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
import { bootstrapMedianCi, DEFAULT_RESAMPLES } from '../stats/bootstrap.js';
import { meanCiHalfWidth } from '../stats/ci.js';
import { medianOf } from '../stats/quantile.js';

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

/**
 * Half-width of the 95% CI as a percentage of the median (Infinity when it cannot be computed): the
 * t-based CI of the mean or the bootstrap CI of the median, both from the statistics stage.
 */
export function ciHalfWidthPercent(
  samples: readonly number[],
  opts: Pick<SamplingOptions, 'ciMethod' | 'bootstrapResamples'> = {},
): number {
  if (samples.length < 2) return Infinity;
  const med = medianOf(samples);
  if (med === 0) return Infinity;
  let half: number;
  if ((opts.ciMethod ?? 't-mean') === 't-mean') {
    half = meanCiHalfWidth(samples);
  } else {
    const [lo, hi] = bootstrapMedianCi(samples, { resamples: opts.bootstrapResamples ?? DEFAULT_RESAMPLES });
    half = (hi - lo) / 2;
  }
  return (half / Math.abs(med)) * 100;
}
