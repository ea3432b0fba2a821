/**
 * What the orchestrator holds for the candidate under evaluation: its cluster driver, how to run the
 * pod agent there, and how to end the evaluation. Made by local-candidate.ts and kube-candidate.ts.
 */
import type { ClusterDriver } from '../cluster/driver.js';
import type { Progress } from './progress.js';

export interface CandidateCluster {
  driver: ClusterDriver;
  agentCommand: string[];
  /** Normal end of the candidate's evaluation (uninstall on real clusters). */
  finish(progress: Progress): Promise<void>;
  /** Removes everything made for the candidate; safe to call twice and after finish. */
  close(): Promise<void>;
}

/** A driver and how to end its evaluation; closing twice cleans up once. */
export function candidateCluster(
  driver: ClusterDriver,
  agentCommand: string[],
  finish: (progress: Progress) => Promise<void>,
): CandidateCluster {
  let closed = false;
  return {
    driver,
    agentCommand,
    finish,
    async close() {
      if (closed) return;
      closed = true;
      await driver.cleanup();
    },
  };
}
