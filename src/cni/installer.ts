/**
 * The contract every real-cluster CNI implements (Calico through the Tigera operator, Cilium through its
 * Helm chart), one folder each (src/cni/<name>/) and one line in registry.ts. A CNI is a scenario
 * descriptor (its name, settings schema and version matrix: what validation and `cnibench cni versions`
 * read) plus everything that differs between CNIs: the release files, what a plan needs from outside
 * (prepare), the plan, the permissions, what a kind cluster must provide, and the cluster operations.
 * `plan` is pure — it turns a candidate and the cluster settings into everything that will be applied —
 * so `cnibench install --dry-run` can print it offline and tests can check it without a cluster; the
 * cluster methods act through the Kubernetes API. Nothing outside a CNI's folder names it.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeCandidate, KubeClusterConfig } from '../scenario/schema.js';
import type { CniDescriptor } from '../scenario/extensions.js';
import type { KubeConnection } from '../cluster/kube/client.js';
import type { Permission } from '../cluster/kube/permissions.js';
import type { ReleaseFile } from './release-file.js';

/** A registered CNI's name (a candidate's `cni`). */
type CniName = string;

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

/** What `prepare` may use: release files (a given path, the cache, or a download), and the cluster. */
export interface PrepareEnv {
  /** Real install: download a missing file, read the cluster, generate secrets. Dry runs are offline. */
  online: boolean;
  /** The cluster, when online. */
  kube?: KubeConnection;
  /**
   * A release file from `explicit` (a path or URL the settings name), else the cache, else — when
   * `download` (default: online) — downloaded into the cache; undefined when not available offline.
   */
  resolve(file: ReleaseFile, opts?: { explicit?: string; download?: boolean }): Promise<Artifact | undefined>;
}

/** What a cluster made for the candidate (kind) must provide. */
interface ClusterNeeds {
  /** The pod subnet the CNI allocates from; undefined: the cluster's own (kind's default). */
  podSubnet?: string;
  /** The CNI replaces kube-proxy, so the cluster must run without it. */
  withoutKubeProxy: boolean;
}

/** Builds a permission on a kind, as `installPermissions` resolves kinds (the plan's CRDs included). */
export type PermissionNeed = (
  kind: string,
  verbs: string[],
  namespace: string | undefined,
  why: string,
  apiVersion?: string,
) => Permission;

/**
 * How the CNI is recognised on a cluster that runs it (`cnibench detect`, `check`, the refusal to
 * install over another CNI): the DaemonSet of its node agent, and the container whose image tag is
 * the version.
 */
export interface CniDetection {
  /** Names the node agent's DaemonSet takes. */
  daemonSet: RegExp;
  /** The agent container (others in the pod are helpers): its image tag is the version. */
  container: string;
}

export interface CniInstaller extends CniDescriptor {
  /** How a cluster that already runs this CNI reveals it. */
  detection: CniDetection;
  /** Every file a version is installed from (`cnibench cni fetch` caches them all). */
  releaseFiles(version: string): ReleaseFile[];
  /** Everything the plan needs that takes I/O (release files, cluster facts, generated secrets). */
  prepare(candidate: KubeCandidate, env: PrepareEnv): Promise<PlanInputs>;
  plan(candidate: KubeCandidate, cluster: KubeClusterConfig, inputs?: PlanInputs): InstallPlan;
  /** What uninstalling the plan does, step by step (the printed plan's uninstall step). */
  describeUninstall(plan: InstallPlan, timeoutMs: number): string[];
  /** The permissions install and uninstall need beyond applying and deleting the plan's objects. */
  permissions(plan: InstallPlan, need: PermissionNeed): Permission[];
  /** The namespace namespaced permissions without one of their own are checked in. */
  permissionNamespace(plan: InstallPlan): string;
  /** What a kind cluster made for this candidate must provide (`cnibench cluster kind-config`). */
  clusterNeeds(candidate: KubeCandidate): ClusterNeeds;
  /** Applies the plan; readiness is then waited for by the session (the plan's `readiness`, rollout.ts). */
  install(plan: InstallPlan, kube: KubeConnection, progress?: ProgressFn): Promise<void>;
  installedVersions(kube: KubeConnection): Promise<InstalledComponent[]>;
  uninstall(plan: InstallPlan, kube: KubeConnection, opts: WaitOptions): Promise<void>;
}
