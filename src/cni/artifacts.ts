/**
 * Finds a release file a plan is built from: a local file named in the scenario, else the cache entry
 * for the version, else (when allowed) a download into the cache from the scenario's mirror URL or the
 * upstream release URL. Without network and without a cache entry the error says exactly how to fill
 * the cache on a connected machine.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EnvironmentError } from '../util/errors.js';
import { fetchToCache, isUrl, readCacheEntry, readSource, type FetchOptions } from './cache.js';
import type { Artifact } from './installer.js';
import type { ReleaseFile } from './release-file.js';

export interface ArtifactRequest {
  cacheRoot: string;
  file: ReleaseFile;
  /** `settings.manifest` / `settings.chart`: a local path or a mirror URL of this very file. */
  explicit?: string;
  /** Download on a cache miss (runs); dry runs never touch the network. */
  download: boolean;
  /** The `cnibench cni fetch ...` command that fills this cache entry. */
  fetchCommand: string;
  fetch?: FetchOptions;
}

/**
 * Where `name` is when `explicit` names a sibling file of the same release (operator-crds.yaml next to
 * a mirrored tigera-operator.yaml): the same directory or URL path.
 */
export function siblingOf(explicit: string, name: string): string {
  if (isUrl(explicit)) {
    const u = new URL(explicit);
    u.pathname = u.pathname.replace(/[^/]*$/, name);
    return u.toString();
  }
  return join(dirname(resolve(explicit)), name);
}

/** The artifact, or undefined when it is neither local nor cached and downloading was not allowed. */
export async function resolveArtifact(req: ArtifactRequest): Promise<Artifact | undefined> {
  const name = req.file.key.file;
  if (req.explicit && !isUrl(req.explicit)) {
    const location = resolve(req.explicit);
    const data = await readSource(location);
    return {
      file: name,
      location,
      origin: location,
      cached: false,
      text: req.file.text ? data.toString('utf8') : undefined,
    };
  }
  const cached = readCacheEntry(req.cacheRoot, req.file.key);
  if (cached) return fromCache(name, cached.path, cached.origin, cached.sha256, req.file.text);
  if (!req.download) return undefined;
  const source = req.explicit ?? req.file.url;
  try {
    const entry = await fetchToCache(req.cacheRoot, req.file.key, source, req.fetch);
    return fromCache(name, entry.path, entry.origin, entry.sha256, req.file.text);
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    throw new EnvironmentError(
      `${err.message}\n` +
        `No cached copy of ${name} (${req.file.role}) in ${req.cacheRoot}. On a machine with internet access run\n` +
        `  ${req.fetchCommand}\n` +
        `and copy its cache directory (${req.file.key.cni}/${req.file.key.version}/ under ~/.cache/cnibench, or $CNIBENCH_CACHE) to this ` +
        `machine, or point the candidate's settings at a local copy.`,
    );
  }
}

function fromCache(file: string, path: string, origin: string, sha256: string, text: boolean): Artifact {
  return {
    file,
    location: path,
    origin,
    cached: true,
    sha256,
    text: text ? readFileSync(path, 'utf8') : undefined,
  };
}
