/**
 * The release files each CNI version is installed from (manifests, charts, CRDs), with their upstream
 * URLs and cache entries: `cnibench cni fetch` caches all of them, runs read them from the cache.
 */
import type { CacheKey } from './cache.js';
import { calicoManifests } from './calico/release.js';
import { ciliumFiles } from './cilium/release.js';
import type { CniName } from './installer.js';

export interface ReleaseFile {
  key: CacheKey;
  url: string;
  /** What it is, for messages ("the Tigera operator"). */
  role: string;
  /** Read as text (manifests); charts are handed to helm as files. */
  text: boolean;
}

export function releaseFiles(cni: CniName, version: string): ReleaseFile[] {
  return cni === 'calico' ? calicoManifests(version) : ciliumFiles(version);
}

/** The command that fills the cache with every file of a version. */
export function fetchCommand(cni: CniName, version: string): string {
  return `cnibench cni fetch ${cni} --version ${version}`;
}
