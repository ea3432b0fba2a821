/**
 * A local reference profile: a fresh embedded cluster in the profile's style (routed or VXLAN) for the
 * candidate, claimed in the run registry so a crash is cleaned by the next run.
 */
import path from 'node:path';
import { LocalDriver } from '../cluster/local/driver.js';
import { isLocalCandidate, type Candidate, type LocalClusterConfig } from '../scenario/schema.js';
import { shortRunId, type ResultsStore } from '../results/store.js';
import { PROJECT_ROOT } from '../util/version.js';
import { localPolicyEngine, localRoutingMode } from '../scenario/local-profile.js';
import { candidateCluster, once, type CandidateCluster } from './cluster-handle.js';
import type { Progress } from '../context/progress.js';
import { claimRun, sweepDeadRuns } from './run-registry.js';

/** The netns-safe id of a run's objects: cnb- and the 6 hex digits of the run id. */
function objectRunId(runId: string): string {
  return `cnb-${shortRunId(runId)}`;
}

/**
 * The object id of one candidate's cluster: the run's id and the candidate's index in the scenario
 * (`cnb-a1b2c30`, `cnb-a1b2c31`…), so every candidate's cluster can exist at once (interleaving) and
 * `cnibench cleanup --run-id` still finds them all by the run's prefix.
 */
export function candidateObjectId(runId: string, index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= 36) {
    throw new Error(`the local cluster runs at most 36 candidates (candidate index ${index})`);
  }
  return `${objectRunId(runId)}${index.toString(36)}`;
}

export async function openLocalCandidate(
  cluster: LocalClusterConfig,
  c: Candidate,
  index: number,
  store: ResultsStore,
  progress: Progress,
): Promise<CandidateCluster> {
  if (!isLocalCandidate(c)) {
    throw new Error(`${c.cni} cannot run on the local cluster`);
  }
  const swept = await sweepDeadRuns();
  if (swept.length > 0) progress.info(`removed what crashed runs left behind: ${swept.join(', ')}`);
  const agentPath = path.join(PROJECT_ROOT, 'dist', 'src', 'agent', 'main.js');
  const driver = new LocalDriver({
    runId: candidateObjectId(store.data.runId, index),
    mode: localRoutingMode(c.cni),
    engine: localPolicyEngine(c.cni, c.settings),
    nodes: cluster.nodes,
    podCidr: cluster.podCidr,
    mtu: c.settings.mtu,
    agentPath,
  });
  await driver.preflight();
  const release = claimRun(driver.runId);
  const handle = candidateCluster(driver, [process.execPath, agentPath], async () => {});
  return {
    ...handle,
    close: once(async () => {
      await handle.close();
      release();
    }),
  };
}
