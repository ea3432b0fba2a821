/**
 * Everything a plan needs that takes I/O: the operator manifest or chart (local file, cache, or a
 * download into the cache), the API server address as nodes see it, and generated secrets. Dry runs
 * call this offline (no download, no cluster, no secrets) and the plan says what it could not know.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClusterConfig } from '../scenario/schema.js';
import { EnvironmentError } from '../util/errors.js';
import { resolveArtifact } from './artifacts.js';
import { cacheRoot as defaultCacheRoot, type FetchOptions } from './cache.js';
import { calicoCacheKey, calicoManifestUrl, calicoTag } from './calico/release.js';
import { ciliumCacheKey, ciliumChartUrl, ciliumChartVersion } from './cilium/release.js';
import type { KubeCandidate, PlanInputs } from './installer.js';
import { apiCall, type KubeConnection } from '../cluster/kube/client.js';

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
  if (candidate.cni === 'calico') {
    inputs.manifest = await resolveArtifact({
      cacheRoot: root,
      key: calicoCacheKey(candidate.version),
      explicit: candidate.settings.manifest,
      upstreamUrl: calicoManifestUrl(candidate.version),
      download: opts.online,
      readText: true,
      fetchCommand: `cnibench cni fetch calico --version ${calicoTag(candidate.version)}`,
      fetch: opts.fetch,
    });
  } else {
    // helm fetches repository charts itself; cnibench only supplies a local or cached one.
    inputs.chart = await resolveArtifact({
      cacheRoot: root,
      key: ciliumCacheKey(candidate.version),
      explicit: candidate.settings.chart,
      upstreamUrl: ciliumChartUrl(candidate.version),
      download: false,
      readText: false,
      fetchCommand: `cnibench cni fetch cilium --version ${ciliumChartVersion(candidate.version)}`,
    });
  }
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
