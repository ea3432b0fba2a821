/**
 * Finds the release artifact a plan is built from: a local file named in the scenario, else the cache
 * entry for the version, else (when allowed) a download into the cache from the scenario's mirror URL or
 * the upstream release URL. Without network and without a cache entry the error says exactly how to
 * fill the cache on a connected machine.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EnvironmentError } from '../util/errors.js';
import {
  fetchToCache,
  isUrl,
  readCacheEntry,
  readSource,
  type CacheKey,
  type FetchOptions,
} from './cache.js';
import type { Artifact } from './installer.js';

export interface ArtifactRequest {
  cacheRoot: string;
  key: CacheKey;
  /** `settings.manifest` / `settings.chart`: a local path or a mirror URL. */
  explicit?: string;
  upstreamUrl: string;
  /** Download on a cache miss (runs); dry runs never touch the network. */
  download: boolean;
  /** Read the contents into `text` (manifests yes, charts no). */
  readText: boolean;
  /** The `cnibench cni fetch ...` command that fills this cache entry. */
  fetchCommand: string;
  fetch?: FetchOptions;
}

/** The artifact, or undefined when it is neither local nor cached and downloading was not allowed. */
export async function resolveArtifact(req: ArtifactRequest): Promise<Artifact | undefined> {
  if (req.explicit && !isUrl(req.explicit)) {
    const location = resolve(req.explicit);
    const data = await readSource(location);
    return {
      location,
      origin: location,
      cached: false,
      text: req.readText ? data.toString('utf8') : undefined,
    };
  }
  const cached = readCacheEntry(req.cacheRoot, req.key);
  if (cached) return fromCache(cached.path, cached.origin, cached.sha256, req.readText);
  if (!req.download) return undefined;
  const source = req.explicit ?? req.upstreamUrl;
  try {
    const entry = await fetchToCache(req.cacheRoot, req.key, source, req.fetch);
    return fromCache(entry.path, entry.origin, entry.sha256, req.readText);
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    throw new EnvironmentError(
      `${err.message}\n` +
        `No cached copy in ${req.cacheRoot}. On a machine with internet access run\n` +
        `  ${req.fetchCommand}\n` +
        `and copy its cache directory (${req.key.cni}/${req.key.version}/ under ~/.cache/cnibench, or $CNIBENCH_CACHE) to this ` +
        `machine, or point the candidate's settings at a local copy.`,
    );
  }
}

function fromCache(path: string, origin: string, sha256: string, readText: boolean): Artifact {
  return {
    location: path,
    origin,
    cached: true,
    sha256,
    text: readText ? readFileSync(path, 'utf8') : undefined,
  };
}
