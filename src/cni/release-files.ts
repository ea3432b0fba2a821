/**
 * The release files each CNI version is installed from (manifests, charts, CRDs), with their upstream
 * URLs and cache entries: `cnibench cni fetch` caches all of them, runs read them from the cache.
 */
import { calicoManifests } from './calico/release.js';
import { ciliumFiles } from './cilium/release.js';
import type { CniName } from './installer.js';
import type { ReleaseFile } from './release-file.js';

export function releaseFiles(cni: CniName, version: string): ReleaseFile[] {
  return cni === 'calico' ? calicoManifests(version) : ciliumFiles(version);
}
