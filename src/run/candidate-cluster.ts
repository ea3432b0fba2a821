/**
 * The cluster a candidate is evaluated on: locally a fresh embedded cluster per candidate (all of a
 * run's exist at once when the candidates are interleaved); on a real cluster the candidate's CNI is
 * installed first and (when the scenario asks) uninstalled after.
 */
import type { Candidate, Scenario } from '../scenario/schema.js';
import type { ResultsStore } from '../results/store.js';
import type { CandidateCluster } from './cluster-handle.js';
import { openKubeCandidate } from './kube-candidate.js';
import { openLocalCandidate } from './local-candidate.js';
import type { Progress } from '../context/progress.js';

export type { CandidateCluster } from './cluster-handle.js';

export async function openCandidateCluster(
  s: Scenario,
  c: Candidate,
  store: ResultsStore,
  progress: Progress,
  signal: AbortSignal,
): Promise<CandidateCluster> {
  return s.cluster.kind === 'kube'
    ? openKubeCandidate(s.cluster, c, store, progress, signal)
    : openLocalCandidate(s.cluster, c, s.candidates.indexOf(c), store, progress);
}
