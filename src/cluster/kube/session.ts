/**
 * What one kube driver shares between its parts (layout, policies, performance pods, commands): the
 * run's one connection, its namespace names, the harness images, and the objects it has created so
 * far. The parts are plain functions over this state, so each stays small and testable.
 */
import type { Labels } from '../../netpol/types.js';
import type { KubeClusterConfig } from '../../scenario/schema.js';
import type { PodHandle } from '../driver.js';
import { buildAgentBundle, type AgentBundle } from './agent-bundle.js';
import { apiCall, connect, type KubeConnection } from './client.js';
import { resolveImages, type HarnessImages } from './images.js';
import { NamespaceMap } from './naming.js';

export interface KubeProgress {
  phase: 'preflight' | 'namespaces' | 'pods' | 'ready' | 'policies' | 'perf' | 'cleanup';
  message: string;
  done?: number;
  total?: number;
}

/** What the driver remembers about a pod it created. */
export interface PodRecord {
  handle: PodHandle;
  /** Containers by role: the probe container for conformance pods; iperf3/agent/netperf for perf pods. */
  containers: string[];
  /** Conformance pods in agent mode with a copy of agnhost for SCTP probes: its path. */
  agnhost?: string;
  hash: string;
  labels: Labels;
  /** Performance pods live for the whole run; conformance pods follow the case. */
  perf: boolean;
}

/** Parallel API writes (creation, deletion) per step: plenty for the API server, bounded for the client. */
export const API_CONCURRENCY = 16;

export class KubeSession {
  readonly namespaces: NamespaceMap;
  readonly images: HarnessImages;
  /** Pods by logical "ns/name" (performance pods: by real "ns/name"). */
  readonly pods = new Map<string, PodRecord>();
  /** Real namespace → the labels we set on it. */
  readonly nsLabels = new Map<string, Labels>();
  /** Real namespaces holding the agent ConfigMap. */
  readonly agentConfigMaps = new Set<string>();
  private conn?: KubeConnection;
  private agentBundle?: AgentBundle;

  /**
   * `parent`: the run's session, whose connection, images and agent bundle a conformance lane's
   * session shares (see lane()); `lane`: that lane's number (0: the run's own).
   */
  constructor(
    readonly config: KubeClusterConfig,
    readonly runId: string,
    private readonly onProgress?: (p: KubeProgress) => void,
    private readonly agentEntry?: string,
    private readonly parent?: KubeSession,
    lane = 0,
  ) {
    this.namespaces = new NamespaceMap(config.namespacePrefix, runId, lane);
    this.images = parent?.images ?? resolveImages(config);
  }

  /**
   * The session of conformance lane `k` (k ≥ 1): its own namespaces (`<prefix>-<runid>-l<k>-…`) and
   * pods, the run's connection, images and agent bundle.
   */
  lane(k: number): KubeSession {
    return new KubeSession(this.config, this.runId, this.onProgress, this.agentEntry, this, k);
  }

  progress(p: KubeProgress): void {
    const lane = this.namespaces.lane;
    this.onProgress?.(lane === 0 ? p : { ...p, message: `lane ${lane}: ${p.message}` });
  }

  /** The run's one connection to the cluster, opened on first use. */
  connection(): KubeConnection {
    if (this.parent) return this.parent.connection();
    this.conn ??= connect({ kubeconfig: this.config.kubeconfig, context: this.config.context });
    return this.conn;
  }

  /** Whether anything was ever sent to the cluster (nothing to clean up otherwise). */
  get connected(): boolean {
    return this.parent ? this.parent.connected : this.conn !== undefined;
  }

  /** One API call, its errors translated (status kept, connection failures as EnvironmentError). */
  api<T>(what: string, fn: (c: KubeConnection) => Promise<T>): Promise<T> {
    const c = this.connection();
    return apiCall(c, what, () => fn(c));
  }

  /** The agent bundle, built on first use. */
  bundle(): AgentBundle {
    if (this.parent) return this.parent.bundle();
    this.agentBundle ??= buildAgentBundle(this.agentEntry);
    return this.agentBundle;
  }

  /** The record of a pod of this run, by key or by real namespace and name. */
  pod(handle: Pick<PodHandle, 'key' | 'namespace' | 'name'>): PodRecord | undefined {
    return (
      this.pods.get(handle.key) ??
      [...this.pods.values()].find(
        (x) => x.handle.namespace === handle.namespace && x.handle.name === handle.name,
      )
    );
  }

  /** Forgets every object (after the run's namespaces were deleted). */
  forget(): void {
    this.pods.clear();
    this.nsLabels.clear();
    this.agentConfigMaps.clear();
  }
}
