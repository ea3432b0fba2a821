/**
 * A known added service time for the planted-effect check (`cnibench run --planted P`,
 * docs/statistics.md): the agent spins on the monotonic clock for a given number of microseconds
 * inside a timed round trip. A sleep cannot do this: timers have millisecond granularity and wake up
 * late by tens of microseconds, while the round trips it must lengthen by a few percent take 30 to
 * 300 µs. The spin reads the clock itself, so it needs no loop-count calibration that a CPU frequency
 * change would spoil; what it cannot prevent is the scheduler taking the CPU away in the middle, which
 * makes a wait longer, never shorter.
 */

/** Spins until `us` microseconds have passed (nothing for 0); returns the µs actually spent. */
export function busyWaitUs(us: number): number {
  if (!(us > 0)) return 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(us * 1000));
  let now = start;
  while (now < end) now = process.hrtime.bigint();
  return Number(now - start) / 1000;
}
