/**
 * One file a CNI release is installed from (a manifest, a chart, a CRD), as the cache keeps it, and
 * the command that fetches a release's files. Each CNI lists its own files (CniInstaller.releaseFiles).
 */
import type { CacheKey } from './cache.js';

export interface ReleaseFile {
  key: CacheKey;
  url: string;
  /** What it is, for messages ("the Tigera operator"). */
  role: string;
  /** Read as text (manifests); charts are handed to helm as files. */
  text: boolean;
}

/** The command that fills the cache with every file of a version. */
export function fetchCommand(cni: string, version: string): string {
  return `cnibench cni fetch ${cni} --version ${version}`;
}
