/**
 * How long a failing case keeps waiting for the dataplane. A case waits up to the convergence timeout
 * for a probe round to match the model. When one case has mismatched for that whole time, a dataplane
 * that shows the same kind of mismatch in a later case is most likely not slow but not enforcing that
 * kind at all (a CNI that ignores policies would otherwise cost the full timeout per case: 16 minutes
 * for the check's suite). A later case whose every mismatch is of a kind that already timed out waits
 * only as long as the slowest case that did converge needed, twice over, and at least a tenth of the
 * timeout (1 s at the default 10 s).
 *
 * A kind is what the dataplane got wrong: the protocol and the expected/observed verdicts ("TCP:
 * expected deny, observed allow"). Mismatches of any other kind keep the full timeout.
 */
import type { Mismatch } from '../../results/schema.js';

export const kindOf = (m: Pick<Mismatch, 'protocol' | 'expected' | 'observed'>): string =>
  `${m.protocol}: expected ${m.expected ? 'allow' : 'deny'}, observed ${m.observed ? 'allow' : 'deny'}`;

export class ConvergenceBudget {
  private readonly timedOut = new Set<string>();
  private slowestMatchMs = 0;

  constructor(readonly timeoutMs: number) {}

  /** A case matched the model this long after its policies were applied. */
  matched(latencyMs: number): void {
    this.slowestMatchMs = Math.max(this.slowestMatchMs, latencyMs);
  }

  /** A case still mismatched after the full convergence timeout: its kinds are known not to converge. */
  timedOutWith(mismatches: readonly Mismatch[]): void {
    for (const m of mismatches) this.timedOut.add(kindOf(m));
  }

  /** The kinds that have timed out so far. */
  knownKinds(): string[] {
    return [...this.timedOut];
  }

  /** How long after applying its policies a case with this round's mismatches may keep probing. */
  limitFor(mismatches: readonly Mismatch[]): number {
    if (mismatches.length === 0 || !mismatches.every((m) => this.timedOut.has(kindOf(m))))
      return this.timeoutMs;
    return Math.min(this.timeoutMs, Math.max(this.timeoutMs / 10, 2 * this.slowestMatchMs));
  }
}
