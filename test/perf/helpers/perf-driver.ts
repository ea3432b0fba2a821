/**
 * A ClusterDriver over a LocalTopology that implements only what the performance workloads use
 * (exec, spawn, preparePerf), so these tests exercise the workloads through the same interface a
 * real driver offers without depending on the rest of the local driver. Everything it creates
 * carries a fresh run id and is removed by `destroy()`.
 */
import path from 'node:path';
import type {
  BackgroundProcess,
  ClusterDriver,
  DriverCapabilities,
  ExecOptions,
  ExecResult,
  PathKind,
  PerfTopology,
  PodHandle,
} from '../../../src/cluster/driver.js';
import { LocalTopology } from '../../../src/cluster/local/topology.js';
import { newRunId } from '../../../src/cluster/local/names.js';
import { perfExecTarget, preparePerfTopology } from '../../../src/cluster/local/perf.js';
import { PROJECT_ROOT } from '../../../src/util/version.js';

/** How the tests run the agent in a namespace: the built agent of this checkout. */
export const AGENT_COMMAND = [process.execPath, path.join(PROJECT_ROOT, 'dist', 'src', 'agent', 'main.js')];

export class PerfTestDriver implements ClusterDriver {
  readonly kind = 'local' as const;
  readonly topology: LocalTopology;

  constructor(opts: { nodes?: number; mode?: 'routed' | 'vxlan' } = {}) {
    this.topology = new LocalTopology({
      runId: newRunId(),
      nodes: opts.nodes ?? 2,
      mode: opts.mode ?? 'routed',
    });
  }

  async preflight(): Promise<void> {}
  capabilities(): DriverCapabilities {
    return { protocols: ['TCP', 'UDP'], paths: ['same-node', 'cross-node', 'baseline', 'service'] };
  }
  ensureLayout(): never {
    throw new Error('not used by the perf tests');
  }
  setPolicies(): never {
    throw new Error('not used by the perf tests');
  }
  probe(): never {
    throw new Error('not used by the perf tests');
  }

  /** Creates the nodes too, unless only the baseline (which needs none) is asked for. */
  async preparePerf(paths: PathKind[], signal?: AbortSignal): Promise<PerfTopology> {
    if (paths.some((p) => p !== 'baseline')) await this.topology.create(signal);
    return preparePerfTopology(this.topology, paths, signal);
  }

  exec(pod: PodHandle, argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.topology.exec(perfExecTarget(this.topology, pod), argv, opts);
  }

  async spawn(pod: PodHandle, argv: string[]): Promise<BackgroundProcess> {
    return this.topology.spawn(perfExecTarget(this.topology, pod), argv);
  }

  cleanup(): Promise<void> {
    return this.topology.destroy();
  }
}
