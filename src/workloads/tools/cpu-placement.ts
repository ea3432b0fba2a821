/**
 * Which CPUs a candidate's perf processes are pinned to (drivers that can pin: the local cluster).
 *
 * - One candidate measures at a time (the default): its client on CPU 0, its server on CPU 1, so the
 *   two ends of a measurement never queue behind each other and the scheduler does not move them
 *   between runs; every candidate gets the same placement.
 * - Duet mode: all candidates measure at once, so each gets a CPU of its own, client and server
 *   together (candidate i on CPU (i + block) mod n). On a 2-core machine that is candidate A's pair on
 *   core 0 and candidate B's pair on core 1, swapped every block: a pair then shares one core, which
 *   costs throughput, but whatever else runs on the machine meets both candidates at the same moment.
 *
 * One CPU: nothing to separate, so no pinning.
 */
import os from 'node:os';
import type { ClusterDriver, CpuPlacement } from '../../cluster/driver.js';
import { isDuet, type Repetitions } from '../../scenario/schema.js';
import type { UnitTurnOptions, WarmupValues } from './turns.js';

export function cpuPlacement(
  index: number,
  duet: boolean,
  cpus: number,
  block = 0,
): CpuPlacement | undefined {
  if (!Number.isInteger(cpus) || cpus < 2) return undefined;
  if (!duet) return { client: '0', server: '1' };
  const cpu = String((index + block) % cpus);
  return { client: cpu, server: cpu };
}

/**
 * Duet mode, before each block: candidate i moves to CPU (i + block) mod n. Cores are not alike on a
 * shared machine (interrupts, other people's pinned jobs): with a fixed core per candidate an A/A run
 * on this machine showed one copy's connection rate 50–70 % below the other's, block after block — a
 * core effect the pairing cannot remove, because it is confounded with the candidate. Rotating makes it
 * a within-candidate effect that balances over the blocks.
 */
async function placeDuetBlock(
  drivers: readonly ClusterDriver[],
  block: number,
  signal?: AbortSignal,
): Promise<void> {
  const cpus = os.availableParallelism();
  await Promise.all(
    drivers.map((d, i) => d.placePerf?.(cpuPlacement(i, true, cpus, block), signal) ?? Promise.resolve()),
  );
}

/**
 * The turn options of a perf unit (throughput, latency): duet when the scenario asks for it, with the
 * CPUs rotated before each block, and the planted handicap when one is given.
 */
export function perfUnitTurns(
  drivers: readonly ClusterDriver[],
  repetitions: Repetitions,
  signal: AbortSignal | undefined,
  plant: ((warmups: WarmupValues) => Promise<void>) | undefined,
): UnitTurnOptions {
  return {
    duet: isDuet(repetitions),
    beforeDuetBlock: (_: string, block: number) => placeDuetBlock(drivers, block, signal),
    ...(plant ? { plant } : {}),
  };
}
