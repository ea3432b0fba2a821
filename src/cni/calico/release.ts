/** Where a Calico release's operator manifest lives, and how its cache entry is named. */
import type { CacheKey } from '../cache.js';

/** Calico tags carry a leading "v" (v3.29.1); scenarios may omit it. */
export const calicoTag = (version: string): string => (version.startsWith('v') ? version : `v${version}`);

export const CALICO_MANIFEST_FILE = 'tigera-operator.yaml';

export function calicoManifestUrl(version: string): string {
  return `https://raw.githubusercontent.com/projectcalico/calico/${calicoTag(version)}/manifests/${CALICO_MANIFEST_FILE}`;
}

export function calicoCacheKey(version: string): CacheKey {
  return { cni: 'calico', version: calicoTag(version), file: CALICO_MANIFEST_FILE };
}

/** [major, minor, patch] of a pinned version. */
export function versionParts(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const [a, b] = versionParts(version);
  return a > major || (a === major && b >= minor);
}
