/**
 * Everything a plan needs that takes I/O: the release files (local file, cache, or a download into the
 * cache), and what the CNI reads from the cluster or generates (its installer's `prepare`). Dry runs
 * call this offline (no download, no cluster, no secrets) and the plan says what it could not know.
 */
import type { KubeConnection } from '../cluster/kube/client.js';
import type { KubeCandidate, KubeClusterConfig } from '../scenario/schema.js';
import { resolveArtifact } from './artifacts.js';
import { cacheRoot as defaultCacheRoot, type FetchOptions } from './cache.js';
import type { PlanInputs, PrepareEnv } from './installer.js';
import { fetchCommand } from './release-file.js';
import { installerFor } from './registry.js';

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
  const command = fetchCommand(candidate.cni, candidate.version);
  const env: PrepareEnv = {
    online: opts.online,
    ...(opts.online && opts.kube ? { kube: opts.kube } : {}),
    resolve: (file, o = {}) =>
      resolveArtifact({
        cacheRoot: root,
        file,
        explicit: o.explicit,
        download: o.download ?? opts.online,
        fetchCommand: command,
        fetch: opts.fetch,
      }),
  };
  return installerFor(candidate.cni).prepare(candidate, env);
}
