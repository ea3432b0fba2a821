/** Shared bits of the CNI installer tests: fixture paths, parsed candidates, the CLI runner. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { candidateSchema, kubeClusterSchema, type KubeClusterConfig } from '../../src/scenario/schema.js';
import type { KubeCandidate } from '../../src/cni/installer.js';

/** Repository root (tests run from dist/test/cni). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const fixture = (name: string) => join(repoRoot, 'test/fixtures/cni', name);
export const cliMain = join(repoRoot, 'dist/src/cli/main.js');

export function tempDir(t: { after: (fn: () => void) => void }, prefix = 'cnibench-cni-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function calico(
  settings: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Extract<KubeCandidate, { cni: 'calico' }> {
  return candidateSchema.parse({
    name: 'calico',
    cni: 'calico',
    version: 'v3.29.1',
    settings,
    ...extra,
  }) as Extract<KubeCandidate, { cni: 'calico' }>;
}

export function cilium(
  settings: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): Extract<KubeCandidate, { cni: 'cilium' }> {
  return candidateSchema.parse({
    name: 'cilium',
    cni: 'cilium',
    version: '1.16.5',
    settings,
    ...extra,
  }) as Extract<KubeCandidate, { cni: 'cilium' }>;
}

export function kubeCluster(overrides: Record<string, unknown> = {}): KubeClusterConfig {
  return kubeClusterSchema.parse({ kind: 'kube', ...overrides });
}

export async function runCli(args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [cliMain, ...args], {
    reject: false,
    env: { ...process.env, ...env },
    cwd: repoRoot,
    timeout: 60_000,
  });
}

/** Hosts no image may point at when a mirror is configured. */
export const PUBLIC_REGISTRY_PATTERN = /docker\.io|quay\.io|ghcr\.io|registry\.k8s\.io|gcr\.io/;
