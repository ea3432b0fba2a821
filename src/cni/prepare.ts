/**
 * Everything a plan needs that takes I/O: the release files (local file, cache, or a download into the
 * cache), the chart's default values, the API server address as nodes see it, the node count, and
 * generated secrets. Dry runs call this offline (no download, no cluster, no secrets) and the plan says
 * what it could not know.
 */
import { randomBytes } from 'node:crypto';
import { apiCall, type KubeConnection } from '../cluster/kube/client.js';
import type { KubeClusterConfig } from '../scenario/schema.js';
import { CILIUM_FEATURES, hasFeature } from '../scenario/cni-versions.js';
import { EnvironmentError, InputError } from '../util/errors.js';
import { resolveArtifact, siblingOf } from './artifacts.js';
import { cacheRoot as defaultCacheRoot, type FetchOptions } from './cache.js';
import { calicoManifests, CALICO_OPERATOR_FILE } from './calico/release.js';
import { readChartValues } from './cilium/chart.js';
import { ciliumChart, clusterNetworkPolicyCrd } from './cilium/release.js';
import type { Artifact, KubeCandidate, PlanInputs } from './installer.js';
import { fetchCommand } from './release-file.js';

export interface PrepareOptions {
  cacheRoot?: string;
  /** Real install: download a missing manifest, read the cluster, generate secrets. */
  online: boolean;
  kube?: KubeConnection;
  fetch?: FetchOptions;
}

export async function prepareInputs(
  candidate: KubeCandidate,
  _cluster: KubeClusterConfig,
  opts: PrepareOptions,
): Promise<PlanInputs> {
  const root = opts.cacheRoot ?? defaultCacheRoot();
  const inputs: PlanInputs = {};
  const command = fetchCommand(candidate.cni, candidate.version);
  const manifests: Record<string, Artifact> = {};
  if (candidate.cni === 'calico') {
    const explicit = candidate.settings.manifest;
    for (const file of calicoManifests(candidate.version)) {
      // settings.manifest names tigera-operator.yaml; the CRD manifest is looked for next to it.
      const at =
        explicit === undefined
          ? undefined
          : file.key.file === CALICO_OPERATOR_FILE
            ? explicit
            : siblingOf(explicit, file.key.file);
      const artifact = await resolveArtifact({
        cacheRoot: root,
        file,
        explicit: at,
        download: opts.online,
        fetchCommand: command,
        fetch: opts.fetch,
      }).catch((err: unknown) => {
        if (err instanceof InputError && at !== explicit)
          throw new InputError(
            `candidate "${candidate.name}": Calico ${candidate.version} also needs ${file.key.file} (${file.role}) next to settings.manifest: ${err.message}`,
          );
        throw err;
      });
      if (artifact) manifests[file.key.file] = artifact;
    }
  } else {
    // helm fetches repository charts itself; cnibench only supplies a local or cached one.
    inputs.chart = await resolveArtifact({
      cacheRoot: root,
      file: ciliumChart(candidate.version),
      explicit: candidate.settings.chart,
      download: false,
      fetchCommand: command,
    });
    if (inputs.chart) inputs.chartValues = await readChartValues(inputs.chart.location);
    if (
      candidate.settings.clusterNetworkPolicy &&
      hasFeature(CILIUM_FEATURES.clusterNetworkPolicy, candidate.version)
    ) {
      const file = clusterNetworkPolicyCrd();
      const crd = await resolveArtifact({
        cacheRoot: root,
        file,
        download: opts.online,
        fetchCommand: command,
        fetch: opts.fetch,
      });
      if (crd) manifests[file.key.file] = crd;
    }
  }
  inputs.manifests = manifests;
  if (opts.online && opts.kube && candidate.cni === 'cilium') inputs.nodeCount = await nodeCount(opts.kube);
  const needsApiServer =
    (candidate.cni === 'calico' && candidate.settings.dataplane === 'BPF') ||
    (candidate.cni === 'cilium' && candidate.settings.kubeProxyReplacement);
  if (opts.online && needsApiServer && opts.kube) inputs.apiServer = await apiServerEndpoint(opts.kube);
  if (opts.online && candidate.cni === 'cilium' && candidate.settings.encryption === 'ipsec') {
    // Key format from the Cilium IPsec guide: SPI, algorithm, 160-bit key, ICV length.
    inputs.ipsecKey = `3+ rfc4106(gcm(aes)) ${randomBytes(20).toString('hex')} 128`;
  }
  return inputs;
}

/** Nodes registered (NotReady ones too: before a CNI runs every node is NotReady). */
async function nodeCount(kube: KubeConnection): Promise<number> {
  return (await apiCall(kube, 'list nodes', () => kube.core.listNode())).items.length;
}

/**
 * The API server address behind the `kubernetes` Service, as nodes reach it. The kubeconfig's URL is
 * often not it (kind: 127.0.0.1 on the host), and without kube-proxy the Service IP is not yet routed.
 */
export async function apiServerEndpoint(kube: KubeConnection): Promise<{ host: string; port: number }> {
  const ep = await apiCall(
    kube,
    'read Endpoints default/kubernetes (the API server address for the CNI)',
    () => kube.core.readNamespacedEndpoints({ name: 'kubernetes', namespace: 'default' }),
  );
  const subset = ep.subsets?.[0];
  const host = subset?.addresses?.[0]?.ip;
  const port = subset?.ports?.find((p) => p.name === 'https')?.port ?? subset?.ports?.[0]?.port;
  if (host && port) return { host, port };
  throw new EnvironmentError(
    'Endpoints default/kubernetes lists no address; cannot tell the CNI where the API server is',
  );
}
