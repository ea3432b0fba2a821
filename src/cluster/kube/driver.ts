/**
 * The `kube` cluster driver: runs the harness's workloads on a real Kubernetes cluster through its
 * API (`@kubernetes/client-node` 2.x, through the access layer in client.ts). A thin class over its
 * parts, which share one KubeSession (session.ts): the case layout (case-layout.ts), NetworkPolicy
 * sync (policy-sync.ts), probe rounds (probe-round.ts: by default one exec per source pod into a
 * cnibench agent container), performance pods (perf-pods.ts) and commands in pods (pod-commands.ts).
 * Every object lives in this run's namespaces (`<prefix>-<runid>-<logical>`), labelled for clean-up;
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
  ProbeOptions,
  ProbeRequest,
  ProbeResult,
} from '../driver.js';
import { PATH_KINDS } from '../driver.js';
import { hasAdminTier } from '../../netpol/admin-tier.js';
import type { AdminTierPolicies, NetworkPolicy, ResolvedCase, ResolvedPod } from '../../netpol/types.js';
import type { KubeClusterConfig } from '../../scenario/schema.js';
import {
  adminTierCapabilities,
  adminTierRefusal,
  KubeAdminTierObjects,
  type AdminTierDetection,
} from './admin-policies.js';
import { ensureCaseLayout } from './case-layout.js';
import type { KubeConnection } from './client.js';
import { deleteManagedNamespaces } from './cleanup.js';
import type { HarnessImages } from './images.js';
import { newRunId, type NamespaceMap } from './naming.js';
import { PerfPods } from './perf-pods.js';
import { AGENT_COMMAND, execIn, routeCommand, spawnIn } from './pod-commands.js';
import { NetworkPolicySync } from './policy-sync.js';
import { runPreflight, type PreflightReport } from './preflight.js';
import { runProbeRound, type ProbeSource } from './probe-round.js';
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
  private readonly networkPolicies: NetworkPolicySync;
  private readonly perfPods: PerfPods;
  private lastPreflight?: PreflightReport;
  /** Something may have been created since the last clean-up (set before the first write). */
  private dirty = false;
  private readonly adminTier: KubeAdminTierObjects;

  constructor(
    readonly config: KubeClusterConfig,
    private readonly opts: KubeDriverOptions = {},
  ) {
    this.runId = opts.runId ?? newRunId();
    this.session = new KubeSession(config, this.runId, opts.onProgress, opts.agentEntry);
    this.networkPolicies = new NetworkPolicySync(this.session);
    this.perfPods = new PerfPods(this.session);
    this.adminTier = new KubeAdminTierObjects(() => this.connection(), this.namespaces);
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
    const admin = adminTierCapabilities(this.adminTier.detection);
    return { protocols: ['TCP', 'UDP', 'SCTP'], paths: [...PATH_KINDS], ...admin };
  }

  /** Reads which admin-tier API the cluster serves (after the CNI is installed: it may bring the CRDs). */
  detectAdminTier(): Promise<AdminTierDetection> {
    return this.adminTier.detect();
  }

  adminTierRefusal(objects: AdminTierPolicies): AdminTierUnsupported | undefined {
    return adminTierRefusal(this.adminTier.detection, objects, this.namespaces);
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
    this.dirty = true;
    return ensureCaseLayout(this.session, c, signal);
  }

  /** The PodHandle of a case pod (logical "ns/name"), once ensureLayout created it. */
  podHandle(key: string): PodHandle | undefined {
    const r = this.session.pods.get(key);
    return r ? { ...r.handle } : undefined;
  }

  async setPolicies(
    policies: NetworkPolicy[],
    _pods: ResolvedPod[],
    signal?: AbortSignal,
    adminTier?: AdminTierPolicies,
  ): Promise<void> {
    this.dirty = true;
    if (hasAdminTier(adminTier ?? {}) || this.adminTier.size > 0)
      await this.adminTier.set(adminTier ?? {}, signal);
    await this.networkPolicies.sync(policies, signal);
  }

  /**
   * One probe round (see probe-round.ts): one exec per source pod in agent mode, one per probe in
   * agnhost mode. The scenario's probeConcurrency caps the execs in flight.
   */
  probe(requests: ProbeRequest[], opts: ProbeOptions): Promise<ProbeResult[]> {
    const s = this.session;
    return runProbeRound(
      requests,
      {
        mode: this.config.probeMode,
        execConcurrency: Math.max(1, Math.min(opts.concurrency, this.config.probeConcurrency)),
        agentCommand: AGENT_COMMAND,
        source: (key): ProbeSource => {
          const r = s.pods.get(key);
          if (!r) throw new Error(`probe from ${key}: no such pod in the current layout`);
          return {
            pod: r.handle,
            container: r.containers[0] ?? '',
            ...(r.agnhost ? { agnhost: r.agnhost } : {}),
          };
        },
        // Cluster-wide failures (unreachable, credentials) come back as EnvironmentError and stop the round.
        exec: (src, argv, o) => execIn(s, src.pod, src.container, argv, o, `exec a probe in ${src.pod.key}`),
      },
      opts,
    );
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
    // Cluster-scoped admin-tier objects first; a failure there must not keep the namespaces.
    const admin = await this.adminTier.removeAll().then(
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
    s.forget();
    this.dirty = false;
    this.networkPolicies.forget();
    this.perfPods.forget();
    s.progress({ phase: 'cleanup', message: `deleted ${report.namespaces.length} namespace(s)` });
    if (admin.err) throw admin.err;
  }
}
