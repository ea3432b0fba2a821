/**
 * The `kube` cluster driver: runs the harness's workloads on a real Kubernetes cluster through its
 * API (`@kubernetes/client-node` 2.x, through the access layer in client.ts). A thin class over its
 * parts, which share one KubeSession (session.ts): the case layout (case-layout.ts), NetworkPolicy
 * sync (policy-sync.ts), probe rounds (probe-round.ts: by default one exec per source pod into a
 * cnibench agent container), performance pods (perf-pods.ts) and commands in pods (pod-commands.ts).
 * Conformance cases run in lanes (lane.ts): lane 0 is the driver's own, more when the scenario sets
 * `conformanceLanes`. Every object lives in this run's namespaces (`<prefix>-<runid>-<logical>`,
 * `<prefix>-<runid>-l<k>-<logical>` for lane k), labelled for clean-up;
 * see docs/kube.md. Signals are the run's: the driver takes AbortSignals, and the run's interrupt
 * guard calls cleanup().
 */
import type {
  AdminTierUnsupported,
  BackgroundProcess,
  ClusterDriver,
  DriverCapabilities,
  ExecOptions,
  ExecResult,
  PathKind,
  PerfTopology,
  PodHandle,
  HeldFlowRequest,
  HeldFlows,
  ProbeOptions,
  ProbeRequest,
  ProbeResult,
} from '../driver.js';
import { PATH_KINDS } from '../driver.js';
import type { AdminTierPolicies, NetworkPolicy, ResolvedCase, ResolvedPod } from '../../netpol/types.js';
import type { KubeClusterConfig } from '../../scenario/schema.js';
import { adminTierCapabilities, adminTierRefusal, type AdminTierDetection } from './admin-policies.js';
import type { KubeConnection } from './client.js';
import { deleteManagedNamespaces } from './cleanup.js';
import type { HarnessImages } from './images.js';
import { KubeLane } from './lane.js';
import { newRunId, type NamespaceMap } from './naming.js';
import { PerfPods } from './perf-pods.js';
import { execIn, routeCommand, spawnIn } from './pod-commands.js';
import { runPreflight, type PreflightReport } from './preflight.js';
import { KubeSession, type KubeProgress } from './session.js';

export type { KubeProgress } from './session.js';

export interface KubeDriverOptions {
  /** Run id used in namespace names and labels; a fresh random one by default. */
  runId?: string;
  onProgress?: (p: KubeProgress) => void;
  /** Compiled agent entry point, bundled for agent containers (default: dist/src/agent/main.js). */
  agentEntry?: string;
  /** How long clean-up waits for namespaces to disappear (default 120 s). */
  cleanupTimeoutMs?: number;
}

export class KubeDriver implements ClusterDriver {
  readonly kind = 'kube' as const;
  readonly runId: string;
  private readonly session: KubeSession;
  /** Lane 0: the driver's own namespaces, policies and admin-tier objects (lane.ts). */
  private readonly lane0: KubeLane;
  /** Every lane, lane 0 first, once caseLanes() was asked for them. */
  private lanes?: KubeLane[];
  private readonly perfPods: PerfPods;
  private lastPreflight?: PreflightReport;
  /** Something may have been created since the last clean-up (set before the first write). */
  private dirty = false;

  constructor(
    readonly config: KubeClusterConfig,
    private readonly opts: KubeDriverOptions = {},
  ) {
    this.runId = opts.runId ?? newRunId();
    this.session = new KubeSession(config, this.runId, opts.onProgress, opts.agentEntry);
    this.lane0 = new KubeLane(this.session, () => (this.dirty = true));
    this.perfPods = new PerfPods(this.session);
  }

  /**
   * The scenario's `conformanceLanes` lanes (lane 0 is this driver's own). Lanes k ≥ 1 share the
   * connection, images and agent bundle; each has its own namespaces and objects. What the cluster
   * serves of the admin tier is lane 0's detection, read through capabilities().
   */
  caseLanes(): readonly KubeLane[] {
    this.lanes ??= [
      this.lane0,
      ...Array.from(
        { length: Math.max(0, this.config.conformanceLanes - 1) },
        (_, i) => new KubeLane(this.session.lane(i + 1), () => (this.dirty = true)),
      ),
    ];
    return this.lanes;
  }

  get namespaces(): NamespaceMap {
    return this.session.namespaces;
  }

  get images(): HarnessImages {
    return this.session.images;
  }

  /** The API server version seen by the last preflight. */
  get serverVersion(): string | undefined {
    return this.lastPreflight?.serverVersion;
  }

  /** The run's one connection to the cluster; the CNI installers of this candidate use it too. */
  connection(): KubeConnection {
    return this.session.connection();
  }

  capabilities(): DriverCapabilities {
    // The admin tier: the API versions detectAdminTier() found served (admin-policies.ts).
    const admin = adminTierCapabilities(this.lane0.adminTier.detection);
    return { protocols: ['TCP', 'UDP', 'SCTP'], paths: [...PATH_KINDS], ...admin };
  }

  /** Reads which admin-tier API the cluster serves (after the CNI is installed: it may bring the CRDs). */
  detectAdminTier(): Promise<AdminTierDetection> {
    return this.lane0.adminTier.detect();
  }

  adminTierRefusal(objects: AdminTierPolicies): AdminTierUnsupported | undefined {
    return adminTierRefusal(this.lane0.adminTier.detection, objects, this.namespaces);
  }

  async preflight(): Promise<void> {
    const c = this.connection();
    this.session.progress({ phase: 'preflight', message: `checking ${c.server} (context ${c.context})` });
    this.lastPreflight = await runPreflight(c, this.namespaces.real('x'));
    this.session.progress({
      phase: 'preflight',
      message: `API server ${this.lastPreflight.serverVersion} at ${c.server}: ${this.lastPreflight.checked} permissions granted`,
    });
  }

  ensureLayout(c: ResolvedCase, signal?: AbortSignal): Promise<ResolvedPod[]> {
    return this.lane0.ensureLayout(c, signal);
  }

  /** The PodHandle of a case pod (logical "ns/name"), once ensureLayout created it. */
  podHandle(key: string): PodHandle | undefined {
    const r = this.session.pods.get(key);
    return r ? { ...r.handle } : undefined;
  }

  setPolicies(
    policies: NetworkPolicy[],
    pods: ResolvedPod[],
    signal?: AbortSignal,
    adminTier?: AdminTierPolicies,
  ): Promise<void> {
    return this.lane0.setPolicies(policies, pods, signal, adminTier);
  }

  /** One probe round in lane 0 (lane.ts). */
  probe(requests: ProbeRequest[], opts: ProbeOptions): Promise<ProbeResult[]> {
    return this.lane0.probe(requests, opts);
  }

  holdFlows(flows: HeldFlowRequest[], signal?: AbortSignal): Promise<HeldFlows> {
    return this.lane0.holdFlows(flows, signal);
  }

  async preparePerf(paths: PathKind[], signal?: AbortSignal): Promise<PerfTopology> {
    this.dirty = true;
    return { pairs: await this.perfPods.prepare(paths, signal) };
  }

  /** Which container runs `argv` in `pod`, and the command line there (see pod-commands.ts). */
  route(pod: PodHandle, argv: string[]): { container: string; argv: string[] } {
    return routeCommand(this.session, pod, argv);
  }

  exec(pod: PodHandle, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const { container, argv: cmd } = this.route(pod, argv);
    return execIn(this.session, pod, container, cmd, opts);
  }

  spawn(pod: PodHandle, argv: string[]): Promise<BackgroundProcess> {
    return spawnIn(this.session, pod, argv);
  }

  /** Deletes this run's namespaces (and with them everything in them); a no-op when nothing was created. */
  async cleanup(): Promise<void> {
    const s = this.session;
    if (!this.dirty || !s.connected) return;
    // Cluster-scoped admin-tier objects first (every lane's; lane 0 last, as it also deletes whatever
    // the cluster lists with the run's label); a failure there must not keep the namespaces.
    const lanes = this.lanes ?? [this.lane0];
    const removeAll = async () => {
      const names: string[] = [];
      for (const lane of [...lanes].reverse()) names.push(...(await lane.adminTier.removeAll()));
      return [...new Set(names)];
    };
    const admin = await removeAll().then(
      (names) => ({ names, err: undefined }),
      (err: unknown) => ({ names: [], err: err instanceof Error ? err : new Error(String(err)) }),
    );
    if (admin.names.length) s.progress({ phase: 'cleanup', message: `deleted ${admin.names.join(', ')}` });
    s.progress({ phase: 'cleanup', message: `deleting the namespaces of run ${this.runId}` });
    const report = await deleteManagedNamespaces(s.connection(), {
      runId: this.runId,
      timeoutMs: this.opts.cleanupTimeoutMs,
      onProgress: (m) => s.progress({ phase: 'cleanup', message: m }),
    });
    for (const lane of lanes) lane.forget();
    this.dirty = false;
    this.perfPods.forget();
    s.progress({ phase: 'cleanup', message: `deleted ${report.namespaces.length} namespace(s)` });
    if (admin.err) throw admin.err;
  }
}
