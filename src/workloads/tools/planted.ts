/**
 * The planted handicap of `cnibench run --planted P` (docs/statistics.md, "Planted-effect check"): the
 * second copy of the candidate is made P % worse on every primary figure of a pod path, by a known
 * mechanism sized from the unit's warm-up:
 *
 * - throughput (TCP and UDP): a rate cap (tbf) on the server pod's veth at (100 − P) % of the warm-up
 *   throughput, so the figure falls by P % (if the machine would otherwise deliver the warm-up figure);
 * - request/response round trip: a busy-wait of P % of the warm-up median round trip inside every
 *   round trip, so the figure rises by P %;
 * - connection rate: a busy-wait of T·P/(100 − P) per connection, T = 1 / warm-up rate, so the rate
 *   falls by P %.
 *
 * The baseline path is never handicapped: it is the environment check every figure is read against.
 * The warm-up figure is the median of every candidate's warm-up values of the unit (both copies, before
 * any handicap), so one odd warm-up run moves the handicap less.
 */
import { median } from 'simple-statistics';
import type { PlantedHandicapRecord } from '../../results/schema.js';
import type { WarmupValues } from './turns.js';

export interface PlantedHandicap {
  /** The candidate that carries the handicap (the second copy). */
  arm: string;
  /** P: how much worse, in % (1–90). */
  percent: number;
  /** Called as each handicap is put in place (results.json `planted.handicaps`). */
  onPlanted?: (record: PlantedRecord) => void;
}

/** One handicap as put in place (results.json `planted.handicaps`). */
type PlantedRecord = PlantedHandicapRecord;

function checkPercent(percent: number): void {
  if (!(percent > 0 && percent < 100))
    throw new Error(`a planted handicap must be between 0 and 100 % (got ${percent})`);
}

function checkWarmup(value: number, what: string): void {
  if (!(Number.isFinite(value) && value > 0))
    throw new Error(`cannot size the planted handicap: warm-up ${what} is ${value}`);
}

/** The rate cap, bit/s, that makes a throughput of `warmupGbps` Gbit/s P % lower. */
export function rateCapBitsPerSecond(warmupGbps: number, percent: number): number {
  checkPercent(percent);
  checkWarmup(warmupGbps, 'throughput');
  return Math.round(warmupGbps * 1e9 * (1 - percent / 100));
}

/** The busy-wait, µs, that makes a round trip of `warmupUs` µs P % longer. */
export function roundTripServiceUs(warmupUs: number, percent: number): number {
  checkPercent(percent);
  checkWarmup(warmupUs, 'round trip');
  return Math.round(warmupUs * (percent / 100) * 1000) / 1000;
}

/** The busy-wait per connection, µs, that makes a rate of `warmupPerSecond` connections/s P % lower. */
export function connectionServiceUs(warmupPerSecond: number, percent: number): number {
  checkPercent(percent);
  checkWarmup(warmupPerSecond, 'connection rate');
  return Math.round((1e6 / warmupPerSecond) * (percent / (100 - percent)) * 1000) / 1000;
}

/** The median of every candidate's warm-up values of figure `id`; throws when the unit had no warm-up. */
export function warmupFigure(warmups: WarmupValues, id: string): number {
  const values = [...warmups.values()].flatMap((turns) => turns.map((t) => t[id]));
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (finite.length === 0) {
    throw new Error(
      `cannot size the planted handicap of ${id}: the unit had no warm-up run (repetitions.warmup must be at least 1)`,
    );
  }
  return median(finite);
}
