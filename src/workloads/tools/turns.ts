/**
 * Wrappers around a unit's `turn` function (what block sampling calls to measure one candidate's turn),
 * so that the two ways a run can change *how* turns are measured stay out of the sampler itself:
 *
 * - **duet** (Bulej et al., "Duet Benchmarking", ICPE 2020): when the sampler asks for the first turn
 *   of a block, every candidate's turn of that block starts at once, each on its own CPU (the driver's
 *   CPU placement), and the sampler's later calls for the same block get the turns already running.
 *   What disturbs the machine during the block then disturbs every candidate alike and cancels in
 *   their ratio, instead of landing on whichever candidate's turn it hit.
 * - **planted** (`run --planted P`): the first measured turn of a unit waits until the handicap is in
 *   place, sized from the unit's warm-up (every candidate's warm-up values of the unit are handed over).
 *
 * Both only need the sampler to ask, block by block, for every candidate's turn with the same phase and
 * block number — which is what block sampling is.
 */
import type { BlockSamplingOptions, TurnValues } from '../sampling.js';

export type Turn = BlockSamplingOptions['turn'];
type Phase = Parameters<Turn>[1];

/**
 * Starts every candidate's turn of a block together when the first one is asked for, after
 * `beforeBlock` (duet mode swaps the candidates' CPUs there).
 */
export function duetTurns(
  arms: readonly string[],
  turn: Turn,
  beforeBlock?: (phase: Phase, block: number) => Promise<void>,
): Turn {
  const running = new Map<string, Map<string, Promise<TurnValues>>>();
  return (arm, phase, block) => {
    const key = `${phase}#${block}`;
    let batch = running.get(key);
    if (!batch) {
      const ready = beforeBlock ? beforeBlock(phase, block) : Promise.resolve();
      batch = new Map(
        arms.map((a) => {
          const p = ready.then(() => turn(a, phase, block));
          // A failed turn the sampler never asks for (it stopped at an earlier failure) is not unhandled.
          p.catch(() => undefined);
          return [a, p] as const;
        }),
      );
      running.set(key, batch);
    }
    const mine = batch.get(arm);
    if (!mine) return turn(arm, phase, block);
    batch.delete(arm);
    if (batch.size === 0) running.delete(key);
    return mine;
  };
}

/** Every candidate's warm-up values of a unit, in the order measured. */
export type WarmupValues = ReadonlyMap<string, readonly TurnValues[]>;

/**
 * Records the warm-up turns' values and, before the first measured turn, awaits `install(warmups)`
 * once; a failure of `install` fails that turn (and so the unit).
 */
export function plantedTurns(turn: Turn, install: (warmups: WarmupValues) => Promise<void>): Turn {
  const warmups = new Map<string, TurnValues[]>();
  let installed: Promise<void> | undefined;
  return async (arm, phase: Phase, block) => {
    if (phase === 'sample') {
      installed ??= install(warmups);
      await installed;
    }
    const values = await turn(arm, phase, block);
    if (phase === 'warmup') warmups.set(arm, [...(warmups.get(arm) ?? []), values]);
    return values;
  };
}

export interface UnitTurnOptions {
  duet: boolean;
  /** Duet mode: called before each block's turns start (the CPU swap). */
  beforeDuetBlock?: (phase: Phase, block: number) => Promise<void>;
  /** The planted handicap's installation, from the unit's warm-up values. */
  plant?: (warmups: WarmupValues) => Promise<void>;
}

/** A unit's turn function as the sampler gets it: duet when asked, the planted handicap when given. */
export function unitTurn(arms: readonly string[], turn: Turn, opts: UnitTurnOptions): Turn {
  const measured = opts.duet && arms.length > 1 ? duetTurns(arms, turn, opts.beforeDuetBlock) : turn;
  return opts.plant ? plantedTurns(measured, opts.plant) : measured;
}

/** Block-sampling options with their turn function wrapped by unitTurn. */
export function withUnitTurns<O extends Pick<BlockSamplingOptions, 'arms' | 'turn'>>(
  options: O,
  wrap: UnitTurnOptions,
): O {
  return { ...options, turn: unitTurn(options.arms, options.turn, wrap) };
}
