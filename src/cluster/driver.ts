/**
 * The one interface every cluster driver (`local` network namespaces, `kube` real clusters) implements.
 * Workloads (conformance, throughput, latency, policy scale) are written against it only, so the same
 * workload code runs on the embedded local cluster and on any Kubernetes cluster.
 */
import type { HoldReport } from '../agent/hold.js';
import type {
  AdminTierApi,
  AdminTierPolicies,
  NetworkPolicy,
  Protocol,
  ResolvedCase,
  ResolvedPod,
} from '../netpol/types.js';

/** Where a measurement's traffic flows. `baseline` is the physical limit of the machine/cluster. */
export type PathKind = 'same-node' | 'cross-node' | 'baseline' | 'service';
export const PATH_KINDS: readonly PathKind[] = ['same-node', 'cross-node', 'baseline', 'service'];

/**
 * The ports of the performance servers. Drivers expose them (a real cluster's Service lists them) and
 * the measurement tools dial them, so both read them from here.
 */
export const PERF_PORTS = {
  iperf3: 5201,
  rr: 7001,
  /** The crr server is the rr server started with --close-after-reply, on the same port. */
  crr: 7001,
  netperf: 12865,
} as const;

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** A process left running in a pod (an iperf3 server, a pod agent). */
export interface BackgroundProcess {
  /** Stops the process and returns what it printed. */
  stop(): Promise<ExecResult>;
}

/** A pod the harness can run commands in. */
export interface PodHandle {
  namespace: string;
  name: string;
  /** "namespace/name" */
  key: string;
  node: string;
  ip: string;
}

/** A client/server pair for one path; `target` is the address the client dials (pod IP or service VIP). */
export interface PerfPair {
  path: PathKind;
  client: PodHandle;
  server: PodHandle;
  target: string;
}

export interface PerfTopology {
  pairs: PerfPair[];
}

/**
 * Where the perf clients and servers run: CPU lists in taskset syntax ("0", "1", "0-1"). Pinning keeps
 * a measurement's processes off each other's core and off the scheduler's migrations; duet mode gives
 * each candidate its own core (docs/statistics.md, "Pinning and duet mode").
 */
export interface CpuPlacement {
  client: string;
  server: string;
}

export interface ProbeRequest {
  from: string;
  to: string;
  /** The address to dial (the destination pod's IP). */
  toIp: string;
  port: number;
  protocol: Protocol;
}

export interface ProbeResult extends ProbeRequest {
  /** True when the destination answered (for UDP, the echo came back). */
  connected: boolean;
  /** Name of the pod that answered, as the agent reports it (probes never trust exit codes alone). */
  answeredBy?: string;
  /** Why it did not connect: refused, timeout, unreachable... */
  error?: string;
  elapsedMs: number;
}

export interface ProbeOptions {
  timeoutMs: number;
  concurrency: number;
  signal?: AbortSignal;
}

/** A long-lived flow to hold open across a policy change (docs/policy-change.md). */
export interface HeldFlowRequest {
  from: string;
  to: string;
  /** The address to dial (the destination pod's IP). */
  toIp: string;
  port: number;
  protocol: 'TCP' | 'UDP';
}

/**
 * What the source pod saw of a held flow: the request, and the agent's `hold` report of it
 * (src/agent/hold.ts owns those fields: established, packets, answer times, error, duration).
 */
export interface HeldFlowReport extends HeldFlowRequest, Omit<HoldReport, 'to' | 'port' | 'protocol'> {}

/** Flows being held; stop() closes them and returns what each saw, in request order. */
export interface HeldFlows {
  stop(): Promise<HeldFlowReport[]>;
}

/** Why admin-tier objects cannot be enforced here, and who lacks the support. */
export interface AdminTierUnsupported {
  /**
   * `driver`: the harness cannot apply them on this kind of cluster (not measured); `cluster`: the
   * cluster does not serve or enforce them (a measured absence).
   */
  by: 'driver' | 'cluster';
  reason: string;
}

/** Cumulative CPU time (seconds) at one moment, in total and by part (cost.ts). */
export interface CpuCounters {
  /**
   * Everything the reader counts as the path's CPU: locally the perf pods' cgroups plus the
   * machine's softirq time; on a real cluster the CPU of the nodes the pair runs on.
   */
  totalSeconds: number;
  /**
   * A breakdown, by name (e.g. `pods`, `softirq`, `nodes`); parts may overlap with each other
   * (a real cluster's `pods` are inside its `nodes`), and `totalSeconds` says what is counted once.
   */
  parts: Record<string, number>;
}

/**
 * Reads what a path's traffic costs (cost.ts). The perf workloads read the CPU counters once before
 * and once after each measured run, never while traffic flows.
 */
export interface CostReader {
  /** How the counters are read, recorded as the tool of every cost figure. */
  readonly method: string;
  /** The CPU counters of the pods of `pair` and of what carries their traffic. */
  readCpu(pair: PerfPair, signal?: AbortSignal): Promise<CpuCounters>;
  /**
   * Memory (bytes) the policy dataplane holds now — kernel memory of the nft rules (or BPF maps) on
   * the local cluster, the CNI agents' working set on a real one — or undefined when this reader
   * cannot tell. A gauge: read once per run, before its traffic.
   */
  dataplaneMemoryBytes(signal?: AbortSignal): Promise<number | undefined>;
}

/** What a driver can do; a workload checks this before it asks (e.g. SCTP on the local kernel). */
export interface DriverCapabilities {
  protocols: Protocol[];
  paths: PathKind[];
  /**
   * The admin-tier API versions (policy.networking.k8s.io) this driver can apply: v1alpha2
   * ClusterNetworkPolicy, v1alpha1 AdminNetworkPolicy/BaselineAdminNetworkPolicy. Whether the
   * dataplane then enforces them is measured by the conformance workload (its canary), never assumed.
   * Absent or empty: none, and the conformance workload reports admin-tier cases as unsupported.
   */
  adminTier?: readonly AdminTierApi[];
  /**
   * Why an admin-tier API version is missing from `adminTier`, for every missing version that
   * `adminTierUnsupportedApis` does not name. Absent: no reason given, treated as `driver`.
   */
  adminTierUnsupported?: AdminTierUnsupported;
  /** Why one admin-tier API version is missing from `adminTier` (e.g. its CRD is not installed). */
  adminTierUnsupportedApis?: Partial<Record<AdminTierApi, AdminTierUnsupported>>;
}

/**
 * What one conformance case needs of a driver: lay its pods out, apply its policies, probe. A driver
 * that can run several cases at once on disjoint namespaces offers one of these per lane
 * (ClusterDriver.caseLanes); the driver itself is the lane of a driver that cannot.
 */
export type CaseLane = Pick<ClusterDriver, 'ensureLayout' | 'setPolicies' | 'probe' | 'holdFlows'>;

export interface ClusterDriver {
  readonly kind: 'local' | 'kube';
  /** Checks tools, permissions, reachability; throws EnvironmentError (exit 3) naming what is missing. */
  preflight(): Promise<void>;
  capabilities(): DriverCapabilities;

  /**
   * Makes the cluster's namespaces, pods and labels match the case (creating, relabelling or removing
   * pods as needed; existing pods are reused) and returns the case with the pods' real IPs, which is what
   * the model must be evaluated against. Policies are not touched.
   */
  ensureLayout(c: ResolvedCase, signal?: AbortSignal): Promise<ResolvedPod[]>;
  /**
   * Replaces the whole set of NetworkPolicies the harness manages with `policies`, and the admin-tier
   * objects with `adminTier` (absent: none). Both change together, as one update where the driver can.
   * A driver must refuse (throw) admin-tier objects of an API version its capabilities do not list.
   */
  setPolicies(
    policies: NetworkPolicy[],
    pods: ResolvedPod[],
    signal?: AbortSignal,
    adminTier?: AdminTierPolicies,
  ): Promise<void>;
  /**
   * Why this cluster cannot take these admin-tier objects although their API version is in
   * `capabilities().adminTier` (a kind or field its served CRDs lack, a singleton owned by someone
   * else), or undefined when it can. Optional: a driver without it takes whatever its version allows.
   */
  adminTierRefusal?(objects: AdminTierPolicies): AdminTierUnsupported | undefined;
  /**
   * Optional: the size of the loaded policy state by the dataplane's own account (bytes), and what
   * it counts, for the policy-scale sweep's `policy-state` figure; it differs by dataplane (eBPF map
   * memory, nftables ruleset text), so it is not the cross-candidate memory figure (that is the cost
   * reader's `memory-per-kpolicy`). Undefined when the driver cannot tell.
   */
  policyState?(): Promise<{ bytes: number; what: string } | undefined>;
  /** Probes every request, in parallel with bounded concurrency. */
  probe(requests: ProbeRequest[], opts: ProbeOptions): Promise<ProbeResult[]>;
  /**
   * Optional: opens long-lived TCP connections and UDP flows between pods of the current layout (the
   * agent's `hold` mode) and keeps them open until stop(), so a multi-step case can record whether a
   * change that denies them cuts them or leaves them running. Resolves once the flows are started.
   * Absent: established connections are not measured on this driver (reported as such).
   */
  holdFlows?(flows: HeldFlowRequest[], signal?: AbortSignal): Promise<HeldFlows>;
  /**
   * Optional: the lanes on which conformance cases may run at the same time, each with its own
   * namespaces, NetworkPolicies and (lane-scoped, distinctly named) admin-tier objects, so that what
   * one lane applies never decides a probe of another (docs/probing.md). Lane 0 acts on the same
   * namespaces and objects as the driver's own ensureLayout/setPolicies/probe. The same lanes on every
   * call; cleanup() removes all of them. Absent (or one lane): cases run one after another.
   */
  caseLanes?(): readonly CaseLane[];

  /**
   * Optional (the local cluster): pins the perf clients and servers started from now on, and moves the
   * perf servers already running (undefined: no pinning from now on). Drivers without it run them
   * where the cluster's scheduler puts them.
   */
  placePerf?(placement: CpuPlacement | undefined, signal?: AbortSignal): Promise<void>;
  /**
   * Optional (the local cluster): caps the rate of the traffic delivered to a perf server pod — the
   * planted handicap of `run --planted` — and returns the function that lifts the cap.
   */
  capRate?(pod: PodHandle, bitsPerSecond: number, signal?: AbortSignal): Promise<() => Promise<void>>;

  /** Creates (or reuses) the client/server pods for performance workloads on the paths asked for. */
  preparePerf(paths: PathKind[], signal?: AbortSignal): Promise<PerfTopology>;
  /** Runs a command in a pod to completion. */
  exec(pod: PodHandle, argv: string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Starts a long-running command in a pod. */
  spawn(pod: PodHandle, argv: string[]): Promise<BackgroundProcess>;

  /**
   * Optional: how to read what the perf pairs' traffic costs (CPU counters, dataplane memory;
   * cost.ts), or undefined when this cluster offers no such counters. Absent: cost is not recorded.
   */
  cost?(): CostReader | undefined;

  /** Removes everything this driver created for this run. Safe to call twice. */
  cleanup(): Promise<void>;
}
