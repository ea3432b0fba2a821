/**
 * Which CPUs a candidate's perf processes are pinned to (drivers that can pin: the local cluster).
 *
 * - One candidate measures at a time (the default): its client on CPU 0, its server on CPU 1, so the
 *   two ends of a measurement never queue behind each other and the scheduler does not move them
 *   between runs; every candidate gets the same placement.
 * - Duet mode: all candidates measure at once, so each gets a CPU of its own, client and server
 *   together (candidate i on CPU i mod n). On a 2-core machine that is candidate A's pair on core 0
 *   and candidate B's pair on core 1: a pair then shares one core, which costs throughput, but
 *   whatever else runs on the machine meets both candidates at the same moment.
 *
 * One CPU: nothing to separate, so no pinning.
 */
import type { CpuPlacement } from '../../cluster/driver.js';

export function cpuPlacement(index: number, duet: boolean, cpus: number): CpuPlacement | undefined {
  if (!Number.isInteger(cpus) || cpus < 2) return undefined;
  if (!duet) return { client: '0', server: '1' };
  const cpu = String(index % cpus);
  return { client: cpu, server: cpu };
}
