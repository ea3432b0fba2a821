/**
 * What the orchestrator holds for the candidate under evaluation: its cluster driver, how to run the
 * pod agent there, and how to end the evaluation. Made by local-candidate.ts and kube-candidate.ts.
 */
import type { ClusterDriver } from '../cluster/driver.js';
import type { Progress } from '../context/progress.js';

export interface CandidateCluster {
  driver: ClusterDriver;
  agentCommand: string[];
  /** Normal end of the candidate's evaluation (uninstall on real clusters). */
  finish(progress: Progress): Promise<void>;
  /**
   * Removes everything made for the candidate; safe to call twice and after finish. Every call waits
   * for the one clean-up: on Ctrl-C the interrupt guard and the orchestrator's own `finally` both
   * close the cluster, and the guard exits the process once its call returns, so a second call must
   * not return before the namespaces are gone.
   */
  close(): Promise<void>;
}

/** A driver and how to end its evaluation; closing twice cleans up once, and both calls wait for it. */
export function candidateCluster(
  driver: ClusterDriver,
  agentCommand: string[],
  finish: (progress: Progress) => Promise<void>,
): CandidateCluster {
  return { driver, agentCommand, finish, close: once(() => driver.cleanup()) };
}

/** `fn` run at most once; every call returns the promise of that one run. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= fn());
}
