/**
 * How long a failing case keeps waiting for the dataplane. A case probes round after round for up to
 * the convergence timeout until a round matches the model. When one case has mismatched for that
 * whole time, a later case that shows the same kind of mismatch meets a dataplane that most likely
 * does not enforce that kind at all, not a slow one: a CNI that ignores policies would otherwise cost
 * the full timeout per case (16 minutes for the check's suite). Such a case ends after its second
 * round (one retry) when both show only mismatches of kinds that already timed out.
 *
 * A kind is what the dataplane got wrong: the protocol and the expected and observed verdicts ("TCP:
 * expected deny, observed allow"). A mismatch of any other kind keeps the full timeout. A case can
 * only be cut short after a case of the same kind failed in full, so a MUST that passes is never
 * decided by a shortened wait; what a shortened case reports is marked (`convergenceCutShort`).
 */
import type { Mismatch } from '../../results/schema.js';

export const kindOf = (m: Pick<Mismatch, 'protocol' | 'expected' | 'observed'>): string =>
  `${m.protocol}: expected ${m.expected ? 'allow' : 'deny'}, observed ${m.observed ? 'allow' : 'deny'}`;

/** Rounds a case whose mismatches are all of known kinds probes before it fails. */
const ROUNDS_FOR_KNOWN_KINDS = 2;

export class ConvergenceBudget {
  private readonly timedOut = new Set<string>();

  /** A case still mismatched after the full convergence timeout: its kinds are known not to converge. */
  timedOutWith(mismatches: readonly Mismatch[]): void {
    for (const m of mismatches) this.timedOut.add(kindOf(m));
  }

  /** The kinds that have timed out so far. */
  knownKinds(): string[] {
    return [...this.timedOut];
  }

  /** Whether a case that has probed `rounds` rounds, the last with these mismatches, stops now. */
  stopsEarly(mismatches: readonly Mismatch[], rounds: number): boolean {
    return (
      rounds >= ROUNDS_FOR_KNOWN_KINDS &&
      mismatches.length > 0 &&
      mismatches.every((m) => this.timedOut.has(kindOf(m)))
    );
  }
}
