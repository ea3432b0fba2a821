/**
 * The embedded local cluster as a ClusterDriver: nodes and pods are network namespaces on this
 * machine (topology.ts), each pod runs the agent (serving its ports, running probe batches), and
 * NetworkPolicies and the admin tier (ClusterNetworkPolicy, AdminNetworkPolicy,
 * BaselineAdminNetworkPolicy) are compiled to nftables in the nodes' forward hooks (nft-compile.ts,
 * nft-tiers.ts).
 * A profile is a routing mode (`routed`: plain routes between nodes; `vxlan`: a VXLAN overlay) and a
 * policy engine (engines/registry.ts: nftables in the nodes' forward hooks, or eBPF on the pod
 * veths); reports call them "local reference profile (<mode>, <engine>)".
 */
import { readFileSync } from 'node:fs';
import type {
  BackgroundProcess,
  ClusterDriver,
  CostReader,
  CpuPlacement,
  DriverCapabilities,
  ExecOptions,
  ExecResult,
  PathKind,
  PerfTopology,
  HeldFlowRequest,
  HeldFlows,
  PodHandle,
  ProbeOptions,
  ProbeRequest,
  ProbeResult,
} from '../driver.js';
import { adminTierApi, normalizeAdminTier } from '../../netpol/admin-tier.js';
import type {
  AdminTierPolicies,
  Labels,
  NetworkPolicy,
  ResolvedCase,
  ResolvedPod,
} from '../../netpol/types.js';
import { holdBySource, readyWatcher } from '../held-flows.js';
import { PodAgent, agentMainPath, type AgentPorts } from './agent-client.js';
import { RunCgroups } from './cgroups.js';
import { LocalCostReader } from './cost.js';
import { newRunId } from './names.js';
import { cycle, itemAt } from '../../util/arrays.js';
import { localPolicyEngineOf } from './engines/registry.js';
import type { PolicyDataplane } from './engines/types.js';
import { localProfileName, type LocalPolicyEngineName } from '../../scenario/local-profile.js';
import type { NftPod } from './nft-compile.js';
import { BASELINE_NAMESPACE, PERF_NAMESPACE, perfExecTarget, preparePerfTopology } from './perf.js';
import { capPodIngress } from './rate-cap.js';
import { run } from './sh.js';
import { AGENT_PROTOCOLS, localPreflight } from './preflight.js';
import { LocalTopology, type LocalNetworkMode } from './topology.js';

export interface LocalDriverOptions {
  /** Default: a fresh `cnb-<6 hex>`. */
  runId?: string;
  mode: LocalNetworkMode;
  /** Default nftables. */
  engine?: LocalPolicyEngineName;
  /** Default 2. */
  nodes?: number;
  podCidr?: string;
  mtu?: number;
  /** Node binary for the pod agents; default the one running the harness. */
  nodeBinary?: string;
  /** Agent entry point; default dist/src/agent/main.js next to this module. */
  agentPath?: string;
  /** Charge pods' and the dataplane's work to cgroups so cost can be read (default true; topology.ts). */
  accounting?: boolean;
}

/** How reports name a local profile (never as a real CNI). */
function localProfileLabel(mode: LocalNetworkMode, engine: LocalPolicyEngineName = 'nftables'): string {
  return localProfileName(mode, engine);
}

export class LocalDriver implements ClusterDriver {
  readonly kind = 'local' as const;
  readonly runId: string;
  readonly topology: LocalTopology;
  readonly engine: LocalPolicyEngineName;
  readonly dataplane: PolicyDataplane;
  private readonly agents = new Map<string, PodAgent>();
  /** Pods made by ensureLayout (as opposed to perf pods other workloads add to the same topology). */
  private readonly layoutKeys = new Set<string>();
  private namespaces: Record<string, Labels> = {};
  private created = false;
  private placement: CpuPlacement | undefined;
  /** Perf servers started by spawn(), so placePerf can move them. */
  private perfServers = new Set<{ pid: number; running: () => boolean }>();

  constructor(private readonly opts: LocalDriverOptions) {
    this.runId = opts.runId ?? newRunId();
    this.topology = new LocalTopology({
      runId: this.runId,
      nodes: opts.nodes ?? 2,
      podCidr: opts.podCidr,
      mode: opts.mode,
      mtu: opts.mtu,
      accounting: opts.accounting,
    });
    this.engine = opts.engine ?? 'nftables';
    this.dataplane = localPolicyEngineOf(this.engine).create(this.topology);
  }

  get label(): string {
    return localProfileLabel(this.opts.mode, this.engine);
  }

  async preflight(): Promise<void> {
    await localPreflight({ nodeBinary: this.opts.nodeBinary });
    await localPolicyEngineOf(this.engine).preflight();
  }

  capabilities(): DriverCapabilities {
    // SCTP needs the kernel module (visible in /proc/net/protocols) and an agent that speaks it.
    let kernelSctp = false;
    try {
      kernelSctp = /^SCTP\b/m.test(readFileSync('/proc/net/protocols', 'utf8'));
    } catch {
      /* no procfs: no SCTP */
    }
    return {
      protocols: [
        'TCP',
        'UDP',
        ...(kernelSctp && AGENT_PROTOCOLS.includes('SCTP') ? (['SCTP'] as const) : []),
      ],
      paths: ['same-node', 'cross-node', 'baseline', 'service'],
      // Both admin-tier APIs compile into the same nftables tiers (nft-tiers.ts).
      adminTier: ['v1alpha1', 'v1alpha2'],
    };
  }

  private async ensureCreated(signal?: AbortSignal): Promise<void> {
    if (this.created) return;
    this.created = true;
    await this.topology.create(signal);
  }

  /** Spreads pods over nodes by their position in the case, so every case has same- and cross-node pairs. */
  private nodeFor(index: number): string {
    return cycle(this.topology.nodeNames, index);
  }

  async ensureLayout(c: ResolvedCase, signal?: AbortSignal): Promise<ResolvedPod[]> {
    await this.ensureCreated(signal);
    this.namespaces = structuredClone(c.namespaces);
    const wanted = new Map(c.pods.map((p) => [p.key, p]));
    // Pods not in the case go; pods whose new IP another existing pod still holds are recreated.
    const holders = new Map(this.topology.pods().map((p) => [p.ip, p.key]));
    // Only layout pods (those running the agent) are managed here; perf pods live alongside them.
    const layoutPods = this.topology.pods().filter((p) => this.layoutKeys.has(p.key));
    const toRemove = layoutPods.filter((p) => {
      const w = wanted.get(p.key);
      if (!w || !this.agents.has(p.key)) return true;
      const holder = holders.get(w.ip);
      return w.ip !== p.ip && holder !== undefined && holder !== p.key;
    });
    await Promise.all(toRemove.map((p) => this.removePod(p.key, signal)));

    // Reused pods first (relabel, re-address, re-port), so addresses they give up are free for new pods.
    await Promise.all(
      c.pods.map(async (want) => {
        const agent = this.agents.get(want.key);
        if (!agent) return;
        this.topology.setPodLabels(want.key, want.labels);
        await this.topology.setPodIp(want.key, want.ip, signal);
        await agent.setPorts(agentPorts(want));
      }),
    );
    await Promise.all(
      c.pods.map(async (want, i) => {
        if (this.agents.has(want.key)) return;
        if (this.topology.pod(want.key) && !this.layoutKeys.has(want.key)) {
          throw new Error(
            `pod ${want.key} of case "${c.name}" clashes with a pod the harness made for another workload`,
          );
        }
        this.layoutKeys.add(want.key);
        const pod = await this.topology.addPod(
          {
            namespace: want.namespace,
            name: want.name,
            node: this.nodeFor(i),
            ip: want.ip,
            labels: want.labels,
          },
          signal,
        );
        const agent = await PodAgent.start(this.topology, pod, agentPorts(want), {
          nodeBinary: this.opts.nodeBinary,
          agentPath: this.opts.agentPath,
        });
        this.agents.set(pod.key, agent);
      }),
    );
    await this.dataplane.podsChanged(signal);
    return c.pods.map((p) => {
      const pod = this.topology.pod(p.key);
      if (!pod) throw new Error(`pod ${p.key} was not created in the local cluster`);
      return { ...p, labels: { ...p.labels }, ip: pod.ip };
    });
  }

  private async removePod(key: string, signal?: AbortSignal): Promise<void> {
    const agent = this.agents.get(key);
    this.agents.delete(key);
    if (agent) await agent.stop();
    await this.topology.removePod(key, signal);
    this.layoutKeys.delete(key);
  }

  async setPolicies(
    policies: NetworkPolicy[],
    pods: ResolvedPod[],
    signal?: AbortSignal,
    adminTier?: AdminTierPolicies,
  ): Promise<void> {
    if (adminTier && adminTierApi(adminTier) === 'mixed')
      throw new Error('setPolicies: v1alpha1 and v1alpha2 admin-tier objects together have no defined order');
    await this.ensureCreated(signal);
    const nftPods: NftPod[] = pods.map((p) => {
      const local = this.topology.pod(p.key);
      if (!local)
        throw new Error(`setPolicies: pod ${p.key} is not in the local cluster (call ensureLayout first)`);
      return {
        key: p.key,
        namespace: p.namespace,
        labels: p.labels,
        ip: local.ip,
        ports: p.ports,
        node: local.node,
      };
    });
    const namespaces: Record<string, Labels> = { ...this.namespaces };
    for (const p of pods) namespaces[p.namespace] ??= {};
    await this.dataplane.apply(
      policies,
      nftPods,
      namespaces,
      signal,
      adminTier ? normalizeAdminTier(adminTier) : undefined,
    );
  }

  async policyState(): Promise<{ bytes: number; what: string } | undefined> {
    const bytes = await this.dataplane.memoryBytes();
    if (bytes === undefined) return undefined;
    return { bytes, what: localPolicyEngineOf(this.engine).capabilities.memory };
  }

  async probe(requests: ProbeRequest[], opts: ProbeOptions): Promise<ProbeResult[]> {
    const bySource = new Map<string, number[]>();
    requests.forEach((r, i) => {
      let list = bySource.get(r.from);
      if (!list) bySource.set(r.from, (list = []));
      list.push(i);
    });
    // The concurrency bound is global: each source's agent gets its share.
    const perAgent = Math.max(1, Math.floor(opts.concurrency / Math.max(1, bySource.size)));
    const results = new Array<ProbeResult>(requests.length);
    await Promise.all(
      [...bySource.entries()].map(async ([from, idxs]) => {
        const agent = this.agents.get(from);
        if (!agent) throw new Error(`probe: no pod ${from} in the local cluster`);
        if (opts.signal?.aborted) throw opts.signal.reason;
        const mine = idxs.map((i) => itemAt(requests, i));
        const out = await agent.probe(
          mine.map((req) => ({ to: req.to, host: req.toIp, port: req.port, protocol: req.protocol })),
          opts.timeoutMs,
          perAgent,
        );
        idxs.forEach((reqIdx, k) => {
          const r = out[k];
          if (!r)
            throw new Error(`probe: the agent of ${from} answered ${out.length} of ${idxs.length} probes`);
          results[reqIdx] = {
            ...itemAt(requests, reqIdx),
            connected: r.connected,
            ...(r.answeredBy !== undefined ? { answeredBy: r.answeredBy } : {}),
            ...(r.error !== undefined ? { error: r.error } : {}),
            elapsedMs: r.elapsedMs,
          };
        });
      }),
    );
    return results;
  }

  /** One `agent hold` process per source pod, in its network namespace (docs/policy-change.md). */
  holdFlows(flows: HeldFlowRequest[], signal?: AbortSignal): Promise<HeldFlows> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return holdBySource(flows, (from, args) => {
      const pod = this.topology.pod(from);
      if (!pod || !this.layoutKeys.has(from))
        throw new Error(`holdFlows: no pod ${from} in the local cluster`);
      const node = this.opts.nodeBinary ?? process.execPath;
      const proc = this.topology.spawn(pod, [node, this.opts.agentPath ?? agentMainPath(), ...args]);
      const w = readyWatcher();
      proc.child.stdout.on('data', (d: Buffer | string) => w.feed(String(d)));
      return Promise.resolve({ proc, ready: w.ready });
    });
  }

  async preparePerf(paths: PathKind[], signal?: AbortSignal): Promise<PerfTopology> {
    await this.ensureCreated(signal);
    const perf = await preparePerfTopology(this.topology, paths, signal);
    await this.dataplane.podsChanged(signal);
    return perf;
  }

  async placePerf(placement: CpuPlacement | undefined, signal?: AbortSignal): Promise<void> {
    this.placement = placement ? { ...placement } : undefined;
    if (!placement) return;
    // Servers run for a whole unit: duet mode moves them when it swaps the candidates' cores.
    const live = [...this.perfServers].filter((s) => s.running());
    this.perfServers = new Set(live);
    await Promise.all(
      live.map((s) =>
        run(['taskset', '-a', '-p', '-c', placement.server, String(s.pid)], {
          signal,
          allowFail: true,
          timeoutMs: 10_000,
        }),
      ),
    );
  }

  capRate(pod: PodHandle, bitsPerSecond: number, signal?: AbortSignal): Promise<() => Promise<void>> {
    return capPodIngress(this.topology, pod, bitsPerSecond, signal);
  }

  /** argv under `taskset` when the pod is a perf pod and a placement is set (placePerf). */
  private pinned(pod: PodHandle, argv: string[]): string[] {
    if (!isPerfPod(pod) || !this.placement) return argv;
    const cpus = pod.name === 'client' ? this.placement.client : this.placement.server;
    return ['taskset', '-c', cpus, ...argv];
  }

  /** CPU from the pods' cgroups and softirq, memory from the dataplane's cgroup (cost.ts). */
  cost(): CostReader | undefined {
    const groups = this.topology.cgroups();
    return groups instanceof RunCgroups ? new LocalCostReader(this.topology, groups) : undefined;
  }

  /** Why cost() has nothing to read, or undefined when it has. */
  costUnavailable(): string | undefined {
    const groups = this.topology.cgroups();
    return groups instanceof RunCgroups ? undefined : groups.unavailable;
  }

  exec(pod: PodHandle, argv: string[], opts?: ExecOptions): Promise<ExecResult> {
    // Baseline "pods" are bare namespaces outside the topology's pods; perfExecTarget maps them.
    return this.topology.exec(perfExecTarget(this.topology, pod), this.pinned(pod, argv), opts);
  }

  spawn(pod: PodHandle, argv: string[]): Promise<BackgroundProcess> {
    // Starting the process is synchronous; the interface is async for drivers that start it remotely.
    const proc = this.topology.spawn(perfExecTarget(this.topology, pod), this.pinned(pod, argv));
    if (isPerfPod(pod) && pod.name !== 'client') {
      let running = true;
      void proc.exited.then(() => (running = false));
      this.perfServers.add({ pid: proc.pid, running: () => running });
    }
    return Promise.resolve(proc);
  }

  async cleanup(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    this.layoutKeys.clear();
    await Promise.all([
      ...agents.map((a) => a.stop().catch(() => undefined)),
      this.dataplane.close().catch(() => undefined),
    ]);
    await this.topology.destroy();
    this.created = false;
  }
}

/** The perf workloads' pods (and the baseline path's namespaces): the processes placePerf pins. */
function isPerfPod(pod: PodHandle): boolean {
  return pod.namespace === PERF_NAMESPACE || pod.namespace === BASELINE_NAMESPACE;
}

function agentPorts(p: ResolvedPod): AgentPorts {
  const uniq = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  return {
    tcp: uniq(p.ports.filter((c) => c.protocol === 'TCP').map((c) => c.port)),
    udp: uniq(p.ports.filter((c) => c.protocol === 'UDP').map((c) => c.port)),
  };
}
