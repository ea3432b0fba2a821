/**
 * The `kube` cluster driver: runs the harness's workloads on a real Kubernetes cluster through its
 * API (`@kubernetes/client-node` 2.x, through the access layer in client.ts). Conformance pods are agnhost porters probed through the exec API,
 * by default in batches from a cnibench agent container in each pod (probe-round.ts); performance
 * pods carry iperf3 and the agent (Node.js, code from a ConfigMap) pinned to chosen nodes. Every
 * object lives in this run's namespaces (`<prefix>-<runid>-<logical>`), labelled for clean-up; see
 * docs/kube.md.
 */
import { randomBytes } from 'node:crypto';
import { setHeaderOptions, PatchStrategy, type V1Node, type V1Pod } from '@kubernetes/client-node';
import type {
  AdminTierUnsupported,
  BackgroundProcess,
  ClusterDriver,
  DriverCapabilities,
  ExecOptions,
  ExecResult,
  PathKind,
  PerfPair,
  PerfTopology,
  PodHandle,
  ProbeOptions,
  ProbeRequest,
  ProbeResult,
} from '../driver.js';
import { PATH_KINDS } from '../driver.js';
import { hasAdminTier } from '../../netpol/admin-tier.js';
import type {
  AdminTierPolicies,
  Labels,
  NetworkPolicy,
  ResolvedCase,
  ResolvedPod,
} from '../../netpol/types.js';
import type { KubeClusterConfig } from '../../scenario/schema.js';
import { EnvironmentError, InputError } from '../../util/errors.js';
import {
  adminTierCapabilities,
  adminTierRefusal,
  KubeAdminTierObjects,
  type AdminTierDetection,
} from './admin-policies.js';
import { AGENT_BUNDLE_FILE, buildAgentBundle, type AgentBundle } from './agent-bundle.js';
import { apiCall, connect, httpStatus, translateError, type KubeConnection } from './client.js';
import { deleteManagedNamespaces, installSignalCleanup, type SignalHost } from './cleanup.js';
import { execInPod, ExecError } from './exec.js';
import { resolveImages, type HarnessImages } from './images.js';
import {
  AGENT_CONFIGMAP,
  AGENT_DIR,
  conformancePodManifest,
  configMapManifest,
  namespaceManifest,
  perfPodManifest,
  perfServiceManifest,
  probeSite,
  type Manifest,
} from './manifests.js';
import { NamespaceMap, newRunId, SPEC_HASH_ANNOTATION } from './naming.js';
import { toClientNetworkPolicy, toClusterPolicy } from './policies.js';
import { runPreflight, type PreflightReport } from './preflight.js';
import { mapLimit } from './probe.js';
import { runProbeRound, type ProbeSource } from './probe-round.js';
import { waitForPodsReady, type WaitProgress } from './wait.js';

export interface KubeProgress {
  phase: 'preflight' | 'namespaces' | 'pods' | 'ready' | 'policies' | 'perf' | 'cleanup';
  message: string;
  done?: number;
  total?: number;
}

export interface KubeDriverOptions {
  /** Run id used in namespace names and labels; a fresh random one by default. */
  runId?: string;
  onProgress?: (p: KubeProgress) => void;
  /** Where SIGINT/SIGTERM come from (default: the process); `false` installs no handlers. */
  signals?: SignalHost | false;
  /** Compiled agent entry point, bundled for agent containers (default: dist/src/agent/main.js). */
  agentEntry?: string;
  /** How long clean-up waits for namespaces to disappear (default 120 s). */
  cleanupTimeoutMs?: number;
}

/** What the driver remembers about a pod it created. */
interface PodRecord {
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

const JSON_MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
/** Parallel API writes (creation, deletion) per step: plenty for the API server, bounded for the client. */
const API_CONCURRENCY = 16;

/** Labels patch turning `from` into `to`: changed keys set, removed keys nulled (JSON merge patch). */
function labelPatch(from: Labels, to: Labels): Record<string, string | null> | undefined {
  const patch: Record<string, string | null> = {};
  for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
  for (const [k, v] of Object.entries(to)) if (from[k] !== v) patch[k] = v;
  return Object.keys(patch).length ? patch : undefined;
}

/** `p`'s value, or undefined if it takes longer than `ms` (the timer never outlives the race). */
async function raceTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export class KubeDriver implements ClusterDriver {
  readonly kind = 'kube' as const;
  readonly runId: string;
  readonly namespaces: NamespaceMap;
  readonly images: HarnessImages;
  private conn?: KubeConnection;
  private readonly pods = new Map<string, PodRecord>(); // logical "ns/name" (perf pods: real) → record
  private readonly nsLabels = new Map<string, Labels>(); // real namespace → labels we set
  private readonly policies = new Map<string, string>(); // "realNs/name" → JSON of what we applied
  private perfPairs = new Map<PathKind, PerfPair>();
  private agentBundle?: AgentBundle;
  private readonly agentConfigMaps = new Set<string>(); // real namespaces holding the agent ConfigMap
  private removeSignalHandlers?: () => void;
  private cleanedUp = false;
  private lastPreflight?: PreflightReport;
  private readonly adminTier: KubeAdminTierObjects;

  constructor(
    readonly config: KubeClusterConfig,
    private readonly opts: KubeDriverOptions = {},
  ) {
    this.runId = opts.runId ?? newRunId();
    this.namespaces = new NamespaceMap(config.namespacePrefix, this.runId);
    this.images = resolveImages(config);
    this.adminTier = new KubeAdminTierObjects(() => this.connection(), this.namespaces);
  }

  /** The API server version seen by the last preflight. */
  get serverVersion(): string | undefined {
    return this.lastPreflight?.serverVersion;
  }

  private progress(p: KubeProgress): void {
    this.opts.onProgress?.(p);
  }

  /** The run's one connection to the cluster; the CNI installers of this candidate use it too. */
  connection(): KubeConnection {
    this.conn ??= connect({ kubeconfig: this.config.kubeconfig, context: this.config.context });
    return this.conn;
  }

  private api<T>(what: string, fn: (c: KubeConnection) => Promise<T>): Promise<T> {
    const c = this.connection();
    return apiCall(c, what, () => fn(c));
  }

  /** Clean-up on SIGINT/SIGTERM from the first object created until cleanup() ran. */
  private armSignals(): void {
    if (this.removeSignalHandlers || this.opts.signals === false) return;
    this.cleanedUp = false;
    this.removeSignalHandlers = installSignalCleanup(() => this.cleanup(), this.opts.signals || undefined);
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
    this.progress({ phase: 'preflight', message: `checking ${c.server} (context ${c.context})` });
    this.lastPreflight = await runPreflight(c, this.namespaces.real('x'));
    this.progress({
      phase: 'preflight',
      message: `API server ${this.lastPreflight.serverVersion} at ${c.server}: ${this.lastPreflight.checked} permissions granted`,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Namespaces and pods

  /** Creates the namespace or brings its labels to `manifest`'s (case labels change between cases). */
  private async ensureNamespace(manifest: Manifest): Promise<void> {
    const name = manifest.metadata.name;
    const want = manifest.metadata.labels ?? {};
    const had = this.nsLabels.get(name);
    if (had === undefined) {
      try {
        await this.api(`create namespace ${name}`, (c) => c.core.createNamespace({ body: manifest }));
        this.nsLabels.set(name, { ...want, 'kubernetes.io/metadata.name': name });
        return;
      } catch (err) {
        if (httpStatus(err) !== 409) throw err;
        const cur = await this.api(`read namespace ${name}`, (c) => c.core.readNamespace({ name }));
        this.nsLabels.set(name, cur.metadata?.labels ?? {});
      }
    }
    const current = this.nsLabels.get(name) ?? {};
    const target = { ...want, 'kubernetes.io/metadata.name': name };
    const patch = labelPatch(current, target);
    if (patch) {
      await this.api(`relabel namespace ${name}`, (c) =>
        c.core.patchNamespace({ name, body: { metadata: { labels: patch } } }, JSON_MERGE),
      );
    }
    this.nsLabels.set(name, target);
  }

  private async deletePodAndWait(namespace: string, name: string, timeoutMs: number): Promise<void> {
    try {
      await this.api(`delete pod ${namespace}/${name}`, (c) =>
        c.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }),
      );
    } catch (err) {
      if (httpStatus(err) !== 404) throw err;
    }
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.connection().core.readNamespacedPod({ name, namespace });
      } catch (err) {
        if (httpStatus(err) === 404) return;
        throw translateError(this.connection(), `read pod ${namespace}/${name}`, err);
      }
      if (Date.now() > deadline)
        throw new EnvironmentError(
          `pod ${namespace}/${name} still exists ${timeoutMs / 1000} s after deletion`,
        );
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private async waitReady(wanted: Map<string, string[]>, signal?: AbortSignal): Promise<Map<string, V1Pod>> {
    const total = [...wanted.values()].reduce((n, v) => n + v.length, 0);
    this.progress({ phase: 'ready', message: `waiting for ${total} pod(s) to be ready`, done: 0, total });
    return waitForPodsReady(this.connection(), wanted, {
      timeoutMs: this.config.readyTimeout * 1000,
      labelSelector: `cnibench.io/run-id=${this.runId}`,
      signal,
      onProgress: (p: WaitProgress) =>
        this.progress({
          phase: 'ready',
          message: p.pending.length
            ? `${p.ready}/${p.total} ready; waiting for ${p.pending.slice(0, 5).join(', ')}`
            : `${p.total} ready`,
          done: p.ready,
          total: p.total,
        }),
    });
  }

  /** The agent bundle, built on first use. */
  private bundle(): AgentBundle {
    this.agentBundle ??= buildAgentBundle(this.opts.agentEntry);
    return this.agentBundle;
  }

  /** Creates the agent's ConfigMap in a namespace of this run (pods mount it from their own namespace). */
  private async ensureAgentConfigMap(ns: string): Promise<void> {
    if (this.agentConfigMaps.has(ns)) return;
    const body = configMapManifest(AGENT_CONFIGMAP, ns, this.runId, this.bundle().data);
    await this.api(`create configmap ${ns}/${AGENT_CONFIGMAP}`, (c) =>
      c.core.createNamespacedConfigMap({ namespace: ns, body }),
    ).catch((err: unknown) => {
      if (httpStatus(err) !== 409) throw err;
    });
    this.agentConfigMaps.add(ns);
  }

  async ensureLayout(c: ResolvedCase, signal?: AbortSignal): Promise<ResolvedPod[]> {
    this.armSignals();
    const agentMode = this.config.probeMode === 'agent';
    const ctx = {
      ns: this.namespaces,
      images: this.images,
      imagePullSecrets: this.config.imagePullSecrets,
      ...(agentMode ? { agent: { items: this.bundle().items } } : {}),
      sctp: c.probes.some((p) => p.protocol === 'SCTP'),
    };
    const nsManifests = Object.entries(c.namespaces).map(([logical, labels]) =>
      namespaceManifest(logical, labels, this.namespaces),
    );
    for (const p of c.pods) {
      if (!(p.namespace in c.namespaces))
        throw new InputError(`case ${c.name}: pod ${p.key} is in undeclared namespace ${p.namespace}`);
    }
    this.progress({ phase: 'namespaces', message: `${nsManifests.length} namespace(s) for case ${c.name}` });
    await mapLimit(nsManifests, API_CONCURRENCY, async (m) => {
      await this.ensureNamespace(m);
      if (agentMode) await this.ensureAgentConfigMap(m.metadata.name);
    });

    const desired = new Map(c.pods.map((p) => [p.key, { pod: p, manifest: conformancePodManifest(p, ctx) }]));
    // Pods of earlier cases that this case does not have.
    const stale = [...this.pods.entries()].filter(([key, r]) => !r.perf && !desired.has(key));
    const timeoutMs = this.config.readyTimeout * 1000;
    let done = 0;
    const total = stale.length + desired.size;
    const step = (what: string) => this.progress({ phase: 'pods', message: what, done: ++done, total });
    await mapLimit(stale, API_CONCURRENCY, async ([key, r]) => {
      await this.deletePodAndWait(r.handle.namespace, r.handle.name, timeoutMs);
      this.pods.delete(key);
      step(`deleted ${key}`);
    });
    const toWait = new Map<string, string[]>();
    await mapLimit([...desired.entries()], API_CONCURRENCY, async ([key, { pod, manifest }]) => {
      const ns = manifest.metadata.namespace as string;
      const hash = manifest.metadata.annotations?.[SPEC_HASH_ANNOTATION] ?? '';
      const labels = manifest.metadata.labels ?? {};
      const known = this.pods.get(key);
      if (known && known.hash === hash) {
        const patch = labelPatch(known.labels, labels);
        if (patch) {
          await this.api(`relabel pod ${ns}/${pod.name}`, (c) =>
            c.core.patchNamespacedPod(
              { name: pod.name, namespace: ns, body: { metadata: { labels: patch } } },
              JSON_MERGE,
            ),
          );
          known.labels = labels;
        }
        step(`reused ${key}`);
        return;
      }
      if (known) await this.deletePodAndWait(ns, pod.name, timeoutMs);
      if (signal?.aborted) throw new Error('aborted');
      await this.api(`create pod ${ns}/${pod.name}`, (c) =>
        c.core.createNamespacedPod({ namespace: ns, body: manifest }),
      );
      const site = probeSite(manifest);
      this.pods.set(key, {
        handle: { namespace: ns, name: pod.name, key, node: '', ip: '' },
        containers: [site.container],
        ...(site.agnhost ? { agnhost: site.agnhost } : {}),
        hash,
        labels,
        perf: false,
      });
      step(`created ${key}`);
    });
    for (const p of c.pods) {
      const r = this.pods.get(p.key) as PodRecord;
      if (r.handle.ip) continue;
      toWait.set(r.handle.namespace, [...(toWait.get(r.handle.namespace) ?? []), r.handle.name]);
    }
    const ready = await this.waitReady(toWait, signal);
    for (const [nsName, v1] of ready) {
      const [ns, name] = nsName.split('/');
      const logical = `${this.namespaces.logical(ns)}/${name}`;
      const r = this.pods.get(logical);
      if (r) {
        r.handle.ip = v1.status?.podIP ?? '';
        r.handle.node = v1.spec?.nodeName ?? '';
      }
    }
    return c.pods.map((p) => ({
      ...p,
      labels: { ...p.labels },
      ip: (this.pods.get(p.key) as PodRecord).handle.ip,
    }));
  }

  /** The PodHandle of a case pod (logical "ns/name"), once ensureLayout created it. */
  podHandle(key: string): PodHandle | undefined {
    const r = this.pods.get(key);
    return r ? { ...r.handle } : undefined;
  }

  // -------------------------------------------------------------------------------------------------
  // Policies

  async setPolicies(
    policies: NetworkPolicy[],
    _pods: ResolvedPod[],
    signal?: AbortSignal,
    adminTier?: AdminTierPolicies,
  ): Promise<void> {
    this.armSignals();
    if (hasAdminTier(adminTier ?? {}) || this.adminTier.size > 0)
      await this.adminTier.set(adminTier ?? {}, signal);
    const desired = new Map<string, NetworkPolicy>();
    for (const p of policies) {
      const cp = toClusterPolicy(p, this.namespaces);
      const key = `${cp.metadata.namespace}/${cp.metadata.name}`;
      if (desired.has(key))
        throw new InputError(`two policies named ${p.metadata.namespace}/${p.metadata.name}`);
      desired.set(key, cp);
    }
    const removed = [...this.policies.keys()].filter((k) => !desired.has(k));
    const changed = [...desired.entries()].filter(([k, p]) => this.policies.get(k) !== JSON.stringify(p));
    this.progress({
      phase: 'policies',
      message: `${changed.length} to apply, ${removed.length} to delete, ${desired.size - changed.length} unchanged`,
    });
    await mapLimit(removed, API_CONCURRENCY, async (key) => {
      const [namespace, name] = key.split('/');
      try {
        await this.api(`delete networkpolicy ${key}`, (c) =>
          c.networking.deleteNamespacedNetworkPolicy({ name, namespace }),
        );
      } catch (err) {
        if (httpStatus(err) !== 404) throw err;
      }
      this.policies.delete(key);
    });
    await mapLimit(changed, API_CONCURRENCY, async ([key, p]) => {
      if (signal?.aborted) throw new Error('aborted');
      const namespace = p.metadata.namespace;
      const name = p.metadata.name;
      if (this.policies.has(key)) {
        await this.api(`replace networkpolicy ${key}`, (c) =>
          c.networking.replaceNamespacedNetworkPolicy({ name, namespace, body: toClientNetworkPolicy(p) }),
        );
      } else {
        try {
          await this.api(`create networkpolicy ${key}`, (c) =>
            c.networking.createNamespacedNetworkPolicy({ namespace, body: toClientNetworkPolicy(p) }),
          );
        } catch (err) {
          if (httpStatus(err) !== 409) throw err;
          await this.api(`replace networkpolicy ${key}`, (c) =>
            c.networking.replaceNamespacedNetworkPolicy({ name, namespace, body: toClientNetworkPolicy(p) }),
          );
        }
      }
      this.policies.set(key, JSON.stringify(p));
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Probes

  /**
   * One probe round (see probe-round.ts): one exec per source pod in agent mode, one per probe in
   * agnhost mode. The scenario's probeConcurrency caps the execs in flight.
   */
  async probe(requests: ProbeRequest[], opts: ProbeOptions): Promise<ProbeResult[]> {
    const conn = this.connection();
    return runProbeRound(
      requests,
      {
        mode: this.config.probeMode,
        execConcurrency: Math.max(1, Math.min(opts.concurrency, this.config.probeConcurrency)),
        agentCommand: ['node', `${AGENT_DIR}/${AGENT_BUNDLE_FILE}`],
        source: (key): ProbeSource => {
          const r = this.pods.get(key);
          if (!r) throw new Error(`probe from ${key}: no such pod in the current layout`);
          return {
            pod: r.handle,
            container: r.containers[0] ?? '',
            ...(r.agnhost ? { agnhost: r.agnhost } : {}),
          };
        },
        exec: async (src, argv, o) => {
          const { namespace, name, key } = src.pod;
          try {
            return await execInPod(conn.kc, { namespace, pod: name, container: src.container }, argv, o);
          } catch (err) {
            if (err instanceof ExecError) throw err;
            // Cluster-wide failures (unreachable, credentials) come back as EnvironmentError and stop the round.
            throw translateError(conn, `exec a probe in ${key}`, err);
          }
        },
      },
      opts,
    );
  }

  // -------------------------------------------------------------------------------------------------
  // Performance pods

  private async schedulableNodes(): Promise<V1Node[]> {
    const list = await this.api('list nodes', (c) => c.core.listNode());
    return list.items
      .filter(
        (n) =>
          !n.spec?.unschedulable &&
          n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
          !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
      )
      .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  }

  async preparePerf(paths: PathKind[], signal?: AbortSignal): Promise<PerfTopology> {
    this.armSignals();
    const missing = paths.filter((p) => !this.perfPairs.has(p));
    if (missing.length) await this.createPerf(missing, signal);
    return { pairs: paths.map((p) => this.perfPairs.get(p) as PerfPair) };
  }

  private async createPerf(paths: PathKind[], signal?: AbortSignal): Promise<void> {
    const nodes = await this.schedulableNodes();
    const needsTwo = paths.some((p) => p !== 'same-node');
    if (nodes.length === 0 || (needsTwo && nodes.length < 2)) {
      throw new EnvironmentError(
        `paths ${paths.join(', ')} need ${needsTwo ? 2 : 1} schedulable Ready node(s) without NoSchedule taints; found ${nodes.length}`,
      );
    }
    const nodeA = nodes[0].metadata?.name as string;
    const nodeB = (nodes[1] ?? nodes[0]).metadata?.name as string;
    const ns = this.namespaces.real('perf');
    await this.ensureNamespace(namespaceManifest('perf', {}, this.namespaces));
    await this.ensureAgentConfigMap(ns);
    type Spec = {
      name: string;
      role: 'perf-server' | 'perf-client' | 'host-server' | 'host-client';
      node: string;
      host: boolean;
    };
    const specs: Spec[] = [{ name: 'perf-server-a', role: 'perf-server', node: nodeA, host: false }];
    if (paths.includes('same-node'))
      specs.push({ name: 'perf-client-a', role: 'perf-client', node: nodeA, host: false });
    if (paths.includes('cross-node') || paths.includes('service')) {
      specs.push({ name: 'perf-client-b', role: 'perf-client', node: nodeB, host: false });
    }
    if (paths.includes('baseline')) {
      specs.push({ name: 'host-server-a', role: 'host-server', node: nodeA, host: true });
      specs.push({ name: 'host-client-b', role: 'host-client', node: nodeB, host: true });
    }
    const fresh = specs.filter((s) => !this.pods.has(`${ns}/${s.name}`));
    await mapLimit(fresh, API_CONCURRENCY, async (s) => {
      const m = perfPodManifest({
        name: s.name,
        namespace: ns,
        runId: this.runId,
        role: s.role,
        nodeName: s.node,
        hostNetwork: s.host,
        images: this.images,
        imagePullSecrets: this.config.imagePullSecrets,
        agentItems: this.bundle().items,
      });
      this.progress({
        phase: 'perf',
        message: `creating ${ns}/${s.name} on ${s.node}${s.host ? ' (host network)' : ''}`,
      });
      await this.api(`create pod ${ns}/${s.name}`, (c) =>
        c.core.createNamespacedPod({ namespace: ns, body: m }),
      );
      this.pods.set(`${ns}/${s.name}`, {
        handle: { namespace: ns, name: s.name, key: `${ns}/${s.name}`, node: s.node, ip: '' },
        containers: m.spec.containers.map((c: { name: string }) => c.name),
        hash: m.metadata.annotations?.[SPEC_HASH_ANNOTATION] ?? '',
        labels: m.metadata.labels ?? {},
        perf: true,
      });
    });
    let serviceIp: string | undefined;
    if (paths.includes('service')) {
      const svc = perfServiceManifest('perf-server', ns, this.runId, 'perf-server-a');
      const created = await this.api(`create service ${ns}/perf-server`, (c) =>
        c.core.createNamespacedService({ namespace: ns, body: svc as never }),
      ).catch(async (err: unknown) => {
        if (httpStatus(err) !== 409) throw err;
        return this.api(`read service ${ns}/perf-server`, (c) =>
          c.core.readNamespacedService({ name: 'perf-server', namespace: ns }),
        );
      });
      serviceIp = created.spec?.clusterIP;
      if (!serviceIp || serviceIp === 'None')
        throw new EnvironmentError(`service ${ns}/perf-server got no ClusterIP`);
    }
    if (fresh.length) {
      const ready = await this.waitReady(new Map([[ns, fresh.map((s) => s.name)]]), signal);
      for (const s of fresh) {
        const v1 = ready.get(`${ns}/${s.name}`);
        const r = this.pods.get(`${ns}/${s.name}`) as PodRecord;
        r.handle.ip = v1?.status?.podIP ?? '';
      }
    }
    const h = (name: string) => ({ ...(this.pods.get(`${ns}/${name}`) as PodRecord).handle });
    const server = h('perf-server-a');
    for (const path of paths) {
      if (path === 'same-node')
        this.perfPairs.set(path, { path, client: h('perf-client-a'), server, target: server.ip });
      if (path === 'cross-node')
        this.perfPairs.set(path, { path, client: h('perf-client-b'), server, target: server.ip });
      if (path === 'service')
        this.perfPairs.set(path, { path, client: h('perf-client-b'), server, target: serviceIp as string });
      if (path === 'baseline') {
        const hs = h('host-server-a');
        this.perfPairs.set(path, { path, client: h('host-client-b'), server: hs, target: hs.ip });
      }
    }
  }

  // -------------------------------------------------------------------------------------------------
  // Commands in pods

  /**
   * Chooses the container for a command and rewrites the agent's: `iperf3 ...` runs in the iperf3
   * container, `netperf`/`netserver` in the netperf one, `agent MODE ...` (the cnibench agent) runs as
   * `node <mounted bundle> MODE ...` in the agent container, `node ...` there too; anything else in the
   * pod's first container.
   */
  route(pod: PodHandle, argv: string[]): { container: string; argv: string[] } {
    const r =
      this.pods.get(pod.key) ??
      [...this.pods.values()].find((x) => x.handle.namespace === pod.namespace && x.handle.name === pod.name);
    if (!r) throw new Error(`no pod ${pod.key} in this run`);
    const has = (c: string) => r.containers.includes(c);
    const cmd = argv[0] ?? '';
    if (cmd === 'agent' && has('agent')) {
      const entry = `${AGENT_DIR}/${AGENT_BUNDLE_FILE}`;
      return { container: 'agent', argv: ['node', entry, ...argv.slice(1)] };
    }
    if ((cmd === 'iperf3' || cmd === 'iperf') && has('iperf3')) return { container: 'iperf3', argv };
    if ((cmd === 'netperf' || cmd === 'netserver') && has('netperf')) return { container: 'netperf', argv };
    if (cmd === 'node' && has('agent')) return { container: 'agent', argv };
    return { container: r.containers[0], argv };
  }

  async exec(pod: PodHandle, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const { container, argv: cmd } = this.route(pod, argv);
    const conn = this.connection();
    try {
      return await execInPod(conn.kc, { namespace: pod.namespace, pod: pod.name, container }, cmd, opts);
    } catch (err) {
      if (err instanceof ExecError) throw err;
      throw translateError(conn, `exec in ${pod.key}`, err);
    }
  }

  /**
   * Starts a command that runs until stop(). The exec API cannot signal a process, so the command is
   * started through `sh` writing its pid to a file; stop() kills that pid with a second exec (SIGTERM,
   * so iperf3 and the agent exit cleanly) and returns what the first one printed.
   */
  async spawn(pod: PodHandle, argv: string[]): Promise<BackgroundProcess> {
    const { container, argv: cmd } = this.route(pod, argv);
    const conn = this.connection();
    const pidFile = `/tmp/cnibench-${randomBytes(6).toString('hex')}.pid`;
    let out = '';
    let err = '';
    const running = execInPod(
      conn.kc,
      { namespace: pod.namespace, pod: pod.name, container },
      ['/bin/sh', '-c', `echo $$ > ${pidFile}; exec "$@"`, 'sh', ...cmd],
      { onStdout: (s) => (out += s), onStderr: (s) => (err += s) },
    );
    // Surface a failed start early (no such executable exits at once).
    const early = await raceTimeout(running, 300);
    let stopped = false;
    return {
      stop: async () => {
        if (early) return early;
        if (stopped) throw new Error('stop() called twice');
        stopped = true;
        await execInPod(
          conn.kc,
          { namespace: pod.namespace, pod: pod.name, container },
          ['/bin/sh', '-c', `kill -TERM "$(cat ${pidFile})" 2>/dev/null; rm -f ${pidFile}`],
          { timeoutMs: 30_000 },
        );
        const res = await raceTimeout(
          running.catch(() => undefined),
          10_000,
        );
        return (
          res ?? {
            stdout: out,
            stderr: `${err}\n(process did not exit within 10 s of SIGTERM)`,
            exitCode: -1,
          }
        );
      },
    };
  }

  // -------------------------------------------------------------------------------------------------
  // Clean-up

  async cleanup(): Promise<void> {
    if (this.cleanedUp || !this.conn) {
      this.removeSignalHandlers?.();
      this.removeSignalHandlers = undefined;
      return;
    }
    // Cluster-scoped admin-tier objects first; a failure there must not keep the namespaces.
    const admin = await this.adminTier.removeAll().then(
      (names) => ({ names, err: undefined }),
      (err: unknown) => ({ names: [], err }),
    );
    if (admin.names.length) this.progress({ phase: 'cleanup', message: `deleted ${admin.names.join(', ')}` });
    this.progress({ phase: 'cleanup', message: `deleting the namespaces of run ${this.runId}` });
    const report = await deleteManagedNamespaces(this.conn, {
      runId: this.runId,
      timeoutMs: this.opts.cleanupTimeoutMs,
      onProgress: (m) => this.progress({ phase: 'cleanup', message: m }),
    });
    this.pods.clear();
    this.nsLabels.clear();
    this.policies.clear();
    this.perfPairs.clear();
    this.agentConfigMaps.clear();
    this.cleanedUp = true;
    this.removeSignalHandlers?.();
    this.removeSignalHandlers = undefined;
    this.progress({ phase: 'cleanup', message: `deleted ${report.namespaces.length} namespace(s)` });
    if (admin.err) throw admin.err;
  }
}
