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

export interface CandidateCluster {
  driver: ClusterDriver;
  agentCommand: string[];
  /** Perf pods for these paths, made on first use and reused by later workloads. */
  perf(paths: PathKind[]): Promise<PerfTopology>;
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
  return withPerfCache(driver, [process.execPath, agentPath], async () => {});
}

/** Wraps a driver so perf pods are prepared once, for the union of the paths asked so far. */
export function withPerfCache(
  driver: ClusterDriver,
  agentCommand: string[],
  finish: (progress: Progress) => Promise<void>,
): CandidateCluster {
  let prepared: PerfTopology | null = null;
  let closed = false;
  return {
    driver,
    agentCommand,
    async perf(paths) {
      const missing = paths.filter((p) => !prepared?.pairs.some((x) => x.path === p));
      if (missing.length > 0) {
        const wanted = [...new Set([...(prepared?.pairs.map((x) => x.path) ?? []), ...paths])];
        prepared = await driver.preparePerf(wanted);
      }
      return prepared!;
    },
    finish,
    async close() {
      if (closed) return;
      closed = true;
      await driver.cleanup();
    },
  };
}
