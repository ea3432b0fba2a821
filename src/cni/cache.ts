/**
 * The download cache for release artifacts (the Tigera operator manifest, the Cilium chart), so runs
 * work on machines without internet: `cnibench cni fetch` fills it on a connected machine, the
 * directory is copied over, and runs read from it. Entries are keyed by CNI and version, whatever
 * mirror they were fetched from, and carry a `.source.json` with origin and sha256 for provenance.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { EnvironmentError, InputError } from '../util/errors.js';

export interface CacheEntry {
  path: string;
  origin: string;
  sha256: string;
  bytes: number;
  fetchedAt: string;
}

export interface CacheKey {
  cni: string;
  version: string;
  file: string;
}

/** `$CNIBENCH_CACHE`, else `$XDG_CACHE_HOME/cnibench`, else `~/.cache/cnibench`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CNIBENCH_CACHE) return resolve(env.CNIBENCH_CACHE);
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'cnibench');
  return join(homedir(), '.cache', 'cnibench');
}

export function cachePath(root: string, key: CacheKey): string {
  return join(root, key.cni, key.version, key.file);
}

const sidecar = (path: string) => `${path}.source.json`;

export function readCacheEntry(root: string, key: CacheKey): CacheEntry | undefined {
  const path = cachePath(root, key);
  if (!existsSync(path)) return undefined;
  let meta: Partial<CacheEntry> = {};
  try {
    meta = JSON.parse(readFileSync(sidecar(path), 'utf8')) as Partial<CacheEntry>;
  } catch {
    // A file copied in by hand has no sidecar; it is still usable, its origin is just unknown.
  }
  const data = readFileSync(path);
  return {
    path,
    origin: meta.origin ?? path,
    sha256: createHash('sha256').update(data).digest('hex'),
    bytes: data.length,
    fetchedAt: meta.fetchedAt ?? statSync(path).mtime.toISOString(),
  };
}

export const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

export interface FetchOptions {
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetchImpl?: typeof fetch;
}

/** Reads a URL or a local file into memory; failures are EnvironmentErrors naming the source. */
export async function readSource(from: string, opts: FetchOptions = {}): Promise<Buffer> {
  if (!isUrl(from)) {
    const file = resolve(from);
    if (!existsSync(file)) throw new InputError(`${from}: no such file`);
    return readFileSync(file);
  }
  const doFetch = opts.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(from, { signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000), redirect: 'follow' });
  } catch (err) {
    const cause =
      err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new EnvironmentError(`cannot download ${from}: ${cause}`);
  }
  if (!res.ok) throw new EnvironmentError(`cannot download ${from}: HTTP ${res.status} ${res.statusText}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Downloads (or copies) `from` into the cache entry for `key`, atomically, and returns the entry. */
export async function fetchToCache(
  root: string,
  key: CacheKey,
  from: string,
  opts: FetchOptions = {},
): Promise<CacheEntry> {
  const data = await readSource(from, opts);
  const path = cachePath(root, key);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
  const entry: CacheEntry = {
    path,
    origin: isUrl(from) ? from : resolve(from),
    sha256: createHash('sha256').update(data).digest('hex'),
    bytes: data.length,
    fetchedAt: new Date().toISOString(),
  };
  writeFileSync(
    sidecar(path),
    JSON.stringify({ origin: entry.origin, sha256: entry.sha256, fetchedAt: entry.fetchedAt }, null, 2) +
      '\n',
  );
  return entry;
}
