/**
 * Image helpers for the CNI installers. The rewrite itself is the cluster driver's `rewriteImage`
 * (cluster/kube/images.ts; one rule for harness and CNI images alike); this adds what the installers need on top: the
 * operator's `registry` prefix form, the version an image tag states, and the public-registry check.
 */
import { parseImageRef } from '../cluster/kube/images.js';

/** The Tigera operator wants `<registry>/` with a trailing slash (InstallationSpec.registry). */
export function registryPrefix(registry: string): string {
  return (
    registry
      .trim()
      .replace(/^[a-z]+:\/\//, '')
      .replace(/\/+$/, '') + '/'
  );
}

/** The tag of an image reference; the digest when it is pinned by digest only; "unknown" otherwise. */
export function imageVersion(ref: string): string {
  if (!ref) return 'unknown';
  try {
    const r = parseImageRef(ref);
    return r.tag ?? r.digest ?? 'latest';
  } catch {
    return 'unknown';
  }
}

/** Registries a site without internet cannot reach; an image there escaped the rewrite. */
const PUBLIC_REGISTRIES = [
  'docker.io',
  'quay.io',
  'ghcr.io',
  'registry.k8s.io',
  'gcr.io',
  'k8s.gcr.io',
  'mcr.microsoft.com',
  'public.ecr.aws',
];

export function isPublicImage(ref: string): boolean {
  try {
    const host = parseImageRef(ref).registry;
    return PUBLIC_REGISTRIES.some((r) => host === r || host.endsWith(`.${r}`));
  } catch {
    return false;
  }
}
