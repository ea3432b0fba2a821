/**
 * The contract every real-cluster CNI installer (Calico through the Tigera operator, Cilium through its
 * Helm chart) implements. `plan` is pure — it turns a candidate and the cluster settings into everything
 * that will be applied — so `cnibench install --dry-run` can print it offline and tests can check it
 * without a cluster; the other methods act on a cluster through the Kubernetes API.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Candidate, KubeClusterConfig } from '../scenario/schema.js';
import type { KubeConnection } from '../cluster/kube/client.js';

/** Candidates that install a real CNI (the local reference profiles have no installer). */
export type KubeCandidate = Extract<Candidate, { cni: 'calico' | 'cilium' }>;
export type CniName = KubeCandidate['cni'];

export function isKubeCandidate(c: Candidate): c is KubeCandidate {
  return c.cni === 'calico' || c.cni === 'cilium';
}

/** A downloaded or local file the plan is built from (operator manifest, Helm chart). */
export interface Artifact {
  /** The release file's name (tigera-operator.yaml, cilium-1.20.0.tgz). */
  file: string;
  /** Where it was read from: a cache path, a local file, or a URL. */
  location: string;
  /** Where it came from originally (the URL the cache entry was fetched from), for provenance. */
  origin: string;
  /** True when it is served from the cnibench cache. */
  cached: boolean;
  sha256?: string;
  /** File contents for text artifacts (the operator manifest); absent for the chart. */
  text?: string;
}

/** Inputs that `plan` needs but cannot compute itself without I/O (resolved by `prepareInputs`). */
export interface PlanInputs {
  /**
   * Third-party manifests by file name: Calico's operator-crds.yaml and tigera-operator.yaml, the
   * ClusterNetworkPolicy CRD for Cilium. A file not here is not available offline: the plan records its URL.
   */
  manifests?: Record<string, Artifact>;
  /** Cilium: a cached or local chart (.tgz or directory). Absent → the chart repository. */
  chart?: Artifact;
  /** Cilium: the chart's values.yaml (read from a cached chart), for the images it pins. */
  chartValues?: Record<string, unknown>;
  /** Registered nodes (Cilium: cilium-operator runs one replica per node at most). Unknown in dry runs. */
  nodeCount?: number;
  /** The API server as nodes reach it (Cilium without kube-proxy, Calico eBPF). */
  apiServer?: { host: string; port: number };
  /** Cilium IPsec key line; generated at install time, never printed. */
  ipsecKey?: string;
}

/** A reference to one namespaced workload whose rollout decides readiness. */
export interface WorkloadRef {
  kind: 'DaemonSet' | 'Deployment';
  namespace: string;
  name: string;
  /** Only waited for when it exists (e.g. cilium-envoy, which older charts do not create). */
  optional?: boolean;
}

export interface HelmRelease {
  release: string;
  namespace: string;
  /** Chart reference as passed to helm: a repository chart name, a local path or a URL. */
  chart: string;
  /** `--repo` when the chart comes from a chart repository. */
  repo?: string;
  /** `--version` (only for repository charts; a file or URL is already pinned). */
  version?: string;
  values: Record<string, unknown>;
  /** Passed to helm so it talks to the same cluster as cnibench (cluster.kubeconfig / cluster.context). */
  kubeconfig?: string;
  context?: string;
}

/** A third-party manifest in the plan, after image rewriting. */
export interface ManifestPlan {
  file: string;
  /** What it is ("the Tigera operator"). */
  role: string;
  origin: string;
  /** Where the text was read from; undefined when it is not available offline (dry run shows the URL). */
  location?: string;
  cached: boolean;
  /** Empty when the file is not available (dry run without cache). */
  objects: KubernetesObject[];
}

/** One container image the install deploys, as it will be pulled, and what deploys it. */
export interface PlannedImage {
  image: string;
  from: string;
  /** With an image registry (a mirror): the public image it must hold a copy of. */
  source?: string;
}

export interface InstallPlan {
  candidate: string;
  cni: CniName;
  /** The version asked for, as written in the scenario. */
  version: string;
  /** Third-party manifests (Calico's CRDs and operator; Cilium's ClusterNetworkPolicy CRD), in file order. */
  manifests: ManifestPlan[];
  /** Objects cnibench generates (Installation, APIServer, Secrets...). */
  objects: KubernetesObject[];
  /** Every image the install deploys that the plan can name (after the mirror rewrite). */
  images: PlannedImage[];
  helm?: HelmRelease;
  /** Workloads that must be rolled out on every node before the CNI counts as ready. */
  readiness: WorkloadRef[];
  /** The registry every image was pointed at, when one is configured. */
  imageRegistry?: string;
  /** Things the user should know (settings that need something the plan could not check). */
  warnings: string[];
}

export interface InstallProgress {
  phase: 'apply' | 'helm' | 'wait' | 'uninstall';
  message: string;
  done?: number;
  total?: number;
}
export type ProgressFn = (p: InstallProgress) => void;

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
  progress?: ProgressFn;
  signal?: AbortSignal;
}

/** One running component and the version its image tag says, recorded for provenance. */
export interface InstalledComponent {
  cni: string;
  kind: 'DaemonSet' | 'Deployment';
  namespace: string;
  name: string;
  image: string;
  /** Image tag (or digest when the image is pinned by digest only). */
  version: string;
}

export interface CniInstaller {
  readonly cni: CniName;
  plan(candidate: KubeCandidate, cluster: KubeClusterConfig, inputs?: PlanInputs): InstallPlan;
  install(plan: InstallPlan, kube: KubeConnection, progress?: ProgressFn): Promise<void>;
  waitReady(plan: InstallPlan, kube: KubeConnection, opts: WaitOptions): Promise<void>;
  installedVersions(kube: KubeConnection): Promise<InstalledComponent[]>;
  uninstall(plan: InstallPlan, kube: KubeConnection, opts: WaitOptions): Promise<void>;
}
