/** Shared bits of the CNI installer tests: fixture paths, parsed candidates, the CLI runner. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { candidateSchema } from '../../src/run/scenario-file.js';
import {
  isKubeCandidate,
  kubeClusterSchema,
  type KubeCandidate,
  type KubeClusterConfig,
} from '../../src/scenario/schema.js';
import type { Artifact, PlanInputs } from '../../src/cni/installer.js';
import { createWriteStream, readFileSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { fetchToCache } from '../../src/cni/cache.js';
import { calicoManifests } from '../../src/cni/calico/release.js';
import { CLI_MAIN, REPO_ROOT, repoPath } from '../helpers/paths.js';

export const fixture = (name: string) => repoPath('test/fixtures/cni', name);

export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'cnibench-cni-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * The stand-in fixture of each Calico release file: v3.28/v3.29 ship one tigera-operator.yaml with the
 * CRDs inside, v3.30+ operator-crds.yaml and a tigera-operator.yaml without CRDs.
 */
export function calicoFixture(version: string, file: string): string {
  return calicoManifests(version).length > 1 ? fixture(`calico-split/${file}`) : fixture(file);
}

/** PlanInputs holding a Calico version's manifests from the fixtures, as if cached. */
export function calicoInputs(version: string): PlanInputs {
  const manifests: Record<string, Artifact> = {};
  for (const f of calicoManifests(version)) {
    manifests[f.key.file] = {
      file: f.key.file,
      location: `/cache/calico/${f.key.version}/${f.key.file}`,
      origin: f.url,
      cached: true,
      text: readFileSync(calicoFixture(version, f.key.file), 'utf8'),
    };
  }
  return { manifests };
}

/** Fills a cache with a Calico version's files from the fixtures, as `cnibench cni fetch` would. */
export async function cacheCalico(cacheRoot: string, version: string): Promise<void> {
  for (const f of calicoManifests(version))
    await fetchToCache(cacheRoot, f.key, calicoFixture(version, f.key.file));
}

/** A candidate of a registered CNI, parsed as the scenario loader parses it. */
export function kubeCandidate(input: Record<string, unknown>): KubeCandidate {
  const c = candidateSchema().parse(input);
  if (!isKubeCandidate(c)) throw new Error(`${c.cni} is not a real-cluster CNI`);
  return c;
}

export function calico(
  settings: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): KubeCandidate {
  return kubeCandidate({ name: 'calico', cni: 'calico', version: 'v3.32.1', settings, ...extra });
}

export function cilium(
  settings: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): KubeCandidate {
  return kubeCandidate({ name: 'cilium', cni: 'cilium', version: '1.20.0', settings, ...extra });
}

export function kubeCluster(overrides: Record<string, unknown> = {}): KubeClusterConfig {
  return kubeClusterSchema.parse({ kind: 'kube', ...overrides });
}

export async function runCli(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [CLI_MAIN, ...args], {
    reject: false,
    env: { ...process.env, ...env },
    cwd: REPO_ROOT,
    timeout: 60_000,
  });
}

/** Hosts no image may point at when a mirror is configured. */
export const PUBLIC_REGISTRY_PATTERN = /docker\.io|quay\.io|ghcr\.io|registry\.k8s\.io|gcr\.io/;

/** A packaged chart as `helm pull` leaves it: cilium/Chart.yaml and cilium/values.yaml in a .tgz. */
export async function packChart(file: string, version: string, valuesYaml: string): Promise<void> {
  const tar = pack();
  tar.entry(
    { name: 'cilium/Chart.yaml' },
    `apiVersion: v2\nname: cilium\nversion: ${version}\nappVersion: ${version}\n`,
  );
  tar.entry({ name: 'cilium/values.yaml' }, valuesYaml);
  tar.finalize();
  await pipeline(tar, createGzip(), createWriteStream(file));
}

/** A fetch that serves release files by name from the fixtures (no network in tests). */
export const fixtureFetch: typeof fetch = (input) => {
  const name =
    String(input instanceof Request ? input.url : input)
      .split('/')
      .at(-1) ?? '';
  // A promise that rejects when the fixture is missing, as the async function before it did.
  return Promise.resolve().then(() => new Response(readFileSync(fixture(name)), { status: 200 }));
};
