/** Errors raised by the statistics stage. */
import { EnvironmentError } from '../util/errors.js';

/**
 * A sample is NaN or ±Infinity: the measuring tool failed (crashed mid-run, printed something we
 * mis-parsed, divided by a zero duration). It is an environment problem (exit 3), never a number to
 * average, so the message names the measurement and the sample's index.
 */
export class InvalidSampleError extends EnvironmentError {
  constructor(
    readonly measurement: string,
    readonly index: number,
    readonly value: number,
  ) {
    super(
      `measurement "${measurement}": sample #${index} is ${String(value)}, not a finite number — ` +
        'the measuring tool failed or its output was not understood; rerun it or check the tool',
    );
  }
}

/** Throws InvalidSampleError on the first non-finite sample; also rejects an empty sample list. */
export function assertFiniteSamples(samples: readonly number[], measurement: string): void {
  if (samples.length === 0)
    throw new EnvironmentError(`measurement "${measurement}": no samples to summarize`);
  samples.forEach((s, i) => {
    if (typeof s !== 'number' || !Number.isFinite(s)) throw new InvalidSampleError(measurement, i, s);
  });
}
