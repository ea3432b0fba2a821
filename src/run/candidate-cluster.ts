/**
 * The cluster a candidate is evaluated on. Locally each candidate gets a fresh embedded cluster in its
 * profile's style (routed or VXLAN); on a real cluster the candidate's CNI is installed first and
 * (when the scenario asks) uninstalled after.
 */
import path from 'node:path';
import type { ClusterDriver, PathKind, PerfTopology } from '../cluster/driver.js';
import { LocalDriver } from '../cluster/local/driver.js';
import type { Candidate, Scenario } from '../scenario/schema.js';
import type { ResultsStore } from '../results/store.js';
import { shortRunId } from '../results/store.js';
import { PROJECT_ROOT } from '../util/version.js';
import type { Progress } from './progress.js';
import { openKubeCandidate } from './kube-candidate.js';
import { claimRun, sweepDeadRuns } from './run-registry.js';

export interface CandidateCluster {
  driver: ClusterDriver;
  agentCommand: string[];
  /** The client/server pairs of these paths (made on first use, then reused by the driver). */
  perf(paths: PathKind[], signal?: AbortSignal): Promise<PerfTopology>;
  /** Normal end of the candidate's evaluation (uninstall on real clusters). */
  finish(progress: Progress): Promise<void>;
  /** Removes everything made for the candidate; safe to call twice and after finish. */
  close(): Promise<void>;
}

/** The Kubernetes-safe, netns-safe id of a run's objects. */
export function objectRunId(runId: string): string {
  return `cnb-${shortRunId(runId)}`;
}

export async function openCandidateCluster(
  s: Scenario,
  c: Candidate,
  store: ResultsStore,
  progress: Progress,
  signal: AbortSignal,
): Promise<CandidateCluster> {
  if (s.cluster.kind === 'kube') return openKubeCandidate(s, s.cluster, c, store, progress, signal);
  if (c.cni !== 'local-routed' && c.cni !== 'local-vxlan') {
    throw new Error(`${c.cni} cannot run on the local cluster`);
  }
  const swept = await sweepDeadRuns();
  if (swept.length > 0) progress.info(`removed what crashed runs left behind: ${swept.join(', ')}`);
  const agentPath = path.join(PROJECT_ROOT, 'dist', 'src', 'agent', 'main.js');
  const driver = new LocalDriver({
    runId: objectRunId(store.data.runId),
    mode: c.cni === 'local-vxlan' ? 'vxlan' : 'routed',
    nodes: s.cluster.nodes,
    podCidr: s.cluster.podCidr,
    mtu: c.settings.mtu,
    agentPath,
  });
  await driver.preflight();
  const release = claimRun(driver.runId);
  const cluster = candidateCluster(driver, [process.execPath, agentPath], async () => {});
  return {
    ...cluster,
    async close() {
      await cluster.close();
      release();
    },
  };
}

/**
 * A driver and how to end its evaluation. Perf pods are asked of the driver by every workload: drivers
 * create them once and reuse them (and they survive the conformance workload's layout changes).
 */
export function candidateCluster(
  driver: ClusterDriver,
  agentCommand: string[],
  finish: (progress: Progress) => Promise<void>,
): CandidateCluster {
  let closed = false;
  return {
    driver,
    agentCommand,
    perf: (paths, signal) => driver.preparePerf(paths, signal),
    finish,
    async close() {
      if (closed) return;
      closed = true;
      await driver.cleanup();
    },
  };
}
