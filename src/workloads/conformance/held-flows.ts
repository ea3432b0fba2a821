/**
 * Judging a held flow (docs/policy-change.md): was the established connection cut or kept by a change
 * that denies it? The agent reports every answer's time on its own clock since the flow started, and
 * how long the flow was held; the harness knows, on its clock, when it started the change, when the
 * probes first agreed with the model (enforced) and when it stopped the flow. The two are aligned at
 * the end (the stop), so no clocks need agree; the stop's own delay (an exec on a real cluster) only
 * moves answers earlier, towards "cut", and a kept flow answers all through the window after
 * enforcement, far more than that delay.
 */
import type { HeldFlowReport } from '../../cluster/driver.js';
import type { HeldFlowOutcome } from '../../results/schema.js';

export interface HeldTimes {
  /** performance.now() when the change's first call started. */
  changeAt: number;
  /** performance.now() when a probe round first matched the model after the change. */
  enforcedAt: number;
  /** performance.now() when the harness stopped the flows. */
  stopAt: number;
}

/**
 * `kept` when answers came after enforcement (plus three send intervals, for answers in flight),
 * `cut` when none did, `not-established` when none came before the change.
 */
export function classifyHeldFlow(r: HeldFlowReport, t: HeldTimes, intervalMs: number): HeldFlowOutcome {
  const toHarness = (agentMs: number) => t.stopAt - (r.durationMs - agentMs);
  const times = r.answersAtMs.map(toHarness);
  const answersBefore = times.filter((x) => x < t.changeAt).length;
  const answersAfter = times.filter((x) => x > t.enforcedAt + 3 * intervalMs).length;
  const outcome = answersBefore === 0 ? 'not-established' : answersAfter > 0 ? 'kept' : 'cut';
  return {
    from: r.from,
    to: r.to,
    port: r.port,
    protocol: r.protocol,
    outcome,
    answersBefore,
    answersAfter,
    ...(r.error !== undefined ? { error: r.error } : {}),
  };
}
