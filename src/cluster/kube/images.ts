/**
 * Container image references: the harness's default images, the scenario's overrides, and the
 * rewrite of every reference to one mirror registry (`cluster.imageRegistry`), so a site without
 * internet access can serve all images from a pull-through cache. Pure functions; the CNI installers
 * reuse `rewriteImage` for the CNI's own images.
 */
import { InputError } from '../../util/errors.js';
import type { KubeClusterConfig } from '../../scenario/schema.js';

/** The registry Docker uses for references without a registry host ("nginx", "networkstatic/iperf3"). */
const DOCKER_HUB = 'docker.io';

export interface ImageRef {
  /** Registry host[:port], e.g. "registry.k8s.io", "docker.io", "localhost:5000". */
  registry: string;
  /** Repository path inside the registry, e.g. "e2e-test-images/agnhost", "library/node". */
  repository: string;
  tag?: string;
  /** "sha256:..." */
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;

/**
 * Splits a reference the way the container runtimes do: the first path component is a registry host
 * when it contains "." or ":" or is "localhost"; otherwise the image is on Docker Hub, where a
 * single-component name lives under "library/".
 */
export function parseImageRef(ref: string): ImageRef {
  const bad = (why: string) => new InputError(`invalid image reference "${ref}": ${why}`);
  if (ref.trim() !== ref || ref === '') throw bad('empty or surrounded by spaces');
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(`"${digest}" is not a digest (algorithm:hex)`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(`"${tag}" is not a valid tag`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const [first] = parts;
  if (
    parts.length > 1 &&
    first !== undefined &&
    (first.includes('.') || first.includes(':') || first === 'localhost')
  ) {
    registry = first;
    parts.shift();
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  for (const p of parts)
    if (!COMPONENT.test(p))
      throw bad(`path component "${p}" must be lower-case letters, digits and separators`);
  return { registry, repository: parts.join('/'), tag, digest };
}

function formatImageRef(r: ImageRef): string {
  return `${r.registry}/${r.repository}${r.tag ? `:${r.tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/**
 * Rewrites `ref` to pull from `registry` (a host[:port] with an optional path prefix, e.g.
 * "mirror.corp:5000/k8s"): the source registry host is replaced and the repository path, tag and digest
 * are kept ("registry.k8s.io/e2e-test-images/agnhost:2.53" → "mirror.corp:5000/k8s/e2e-test-images/agnhost:2.53",
 * "node:24.21.0-alpine" → "mirror.corp:5000/k8s/library/node:24.21.0-alpine"). This is the layout of
 * pull-through caches that mirror one path space (Harbor proxy projects, registry:2 mirrors); keeping
 * "library/" matters for Docker Hub caches. Without a registry the reference is returned unchanged.
 */
export function rewriteImage(ref: string, registry?: string): string {
  if (registry === undefined || registry.trim() === '') return ref;
  const target = registry
    .trim()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/\/+$/, '');
  if (!/^[a-zA-Z0-9.-]+(:\d+)?(\/[a-z0-9._/-]+)?$/.test(target)) {
    throw new InputError(`invalid imageRegistry "${registry}": expected host[:port][/path]`);
  }
  const parsed = parseImageRef(ref);
  return formatImageRef({ ...parsed, registry: target });
}

/** What each image is for; all configurable in `cluster.images`. */
export const DEFAULT_IMAGES = {
  /** Conformance pods: `agnhost porter` serves, `agnhost connect` probes. */
  agnhost: 'registry.k8s.io/e2e-test-images/agnhost:2.53',
  /**
   * Throughput servers and clients. nicolaka/netshoot ships iperf3 (Alpine package) with /bin/sh, and
   * its release workflow (.github/workflows/release-buildx.yml) publishes every git tag as
   * `nicolaka/netshoot:<tag>` on ghcr.io and Docker Hub for amd64 and arm64; v0.16 is the release of
   * 2026-07-01 (Alpine 3.24). networkstatic/iperf3 was the default before, but its repository's CI only
   * builds and never publishes tags, so nothing ties any of its tags to a source. ghcr.io has no
   * anonymous pull limits. A digest can be pinned in cluster.images.iperf3 for byte-identical runs.
   */
  iperf3: 'ghcr.io/nicolaka/netshoot:v0.16',
  /**
   * The cnibench agent (RR/CRR, batched probes) runs on stock Node.js; its code comes from a ConfigMap.
   * Pinned to the Node 24 LTS release the harness itself is developed and tested on.
   */
  agent: 'docker.io/library/node:24.21.0-alpine',
} as const;

export interface HarnessImages {
  agnhost: string;
  iperf3: string;
  agent: string;
  /** Only set when the scenario names a netperf image (no default is shipped). */
  netperf?: string;
}

/** The images a run uses: defaults, then scenario overrides, then the mirror rewrite. */
export function resolveImages(cfg: Pick<KubeClusterConfig, 'images' | 'imageRegistry'>): HarnessImages {
  const pick = (k: keyof typeof DEFAULT_IMAGES) =>
    rewriteImage(cfg.images?.[k] ?? DEFAULT_IMAGES[k], cfg.imageRegistry);
  return {
    agnhost: pick('agnhost'),
    iperf3: pick('iperf3'),
    agent: pick('agent'),
    netperf: cfg.images?.netperf ? rewriteImage(cfg.images.netperf, cfg.imageRegistry) : undefined,
  };
}
