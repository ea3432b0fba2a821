/** Where a Cilium release's Helm chart lives, and how its cache entry is named. */
import type { CacheKey } from '../cache.js';
import { CILIUM_HELM_REPO } from './helm.js';

/** Chart versions carry no "v" (1.16.5); scenarios may write one. */
export const ciliumChartVersion = (version: string): string => version.replace(/^v/, '');

export const ciliumChartFile = (version: string) => `cilium-${ciliumChartVersion(version)}.tgz`;

/** The packaged chart in the official repository (what `helm pull cilium/cilium --version V` downloads). */
export function ciliumChartUrl(version: string): string {
  return `${CILIUM_HELM_REPO}${ciliumChartFile(version)}`;
}

export function ciliumCacheKey(version: string): CacheKey {
  return { cni: 'cilium', version: ciliumChartVersion(version), file: ciliumChartFile(version) };
}
