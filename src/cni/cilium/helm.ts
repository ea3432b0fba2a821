/**
 * The helm command line for the Cilium release. cnibench shells out to helm (only for the chart: the
 * templates are helm's business) and checks for it up front so a missing binary is an environment
 * error with install instructions instead of a spawn failure halfway through a run.
 */
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { EnvironmentError } from '../../util/errors.js';
import type { HelmRelease } from '../installer.js';

export const CILIUM_HELM_REPO = 'https://helm.cilium.io/';

export const HELM_MISSING =
  'helm is not installed (needed to install Cilium from its chart). Debian has no helm package: either download ' +
  'the release binary (https://github.com/helm/helm/releases, helm-v3.x-linux-amd64.tar.gz) on a connected machine ' +
  "and copy `helm` onto this machine's PATH, or add the helm apt repository (https://helm.sh/docs/intro/install/) " +
  'and `apt-get install helm`.';

/** The helm binary on PATH, or an EnvironmentError saying how to get it. */
export function findHelm(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'helm');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new EnvironmentError(HELM_MISSING);
}

function kubeFlags(rel: HelmRelease): string[] {
  return [
    ...(rel.kubeconfig ? ['--kubeconfig', rel.kubeconfig] : []),
    ...(rel.context ? ['--kube-context', rel.context] : []),
  ];
}

/** `helm upgrade --install ...` arguments (without the leading "helm"). */
export function helmInstallArgs(rel: HelmRelease, valuesFile: string): string[] {
  return [
    'upgrade',
    '--install',
    rel.release,
    rel.chart,
    ...(rel.repo ? ['--repo', rel.repo] : []),
    ...(rel.version ? ['--version', rel.version] : []),
    '--namespace',
    rel.namespace,
    '--values',
    valuesFile,
    ...kubeFlags(rel),
  ];
}

export function helmUninstallArgs(rel: HelmRelease): string[] {
  return [
    'uninstall',
    rel.release,
    '--namespace',
    rel.namespace,
    '--ignore-not-found',
    '--wait',
    ...kubeFlags(rel),
  ];
}

/** Shell-quotes one argument for display (the printed command must be copy-pasteable). */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface HelmRunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

export async function runHelm(args: string[], opts: HelmRunOptions = {}): Promise<string> {
  const helm = findHelm(opts.env ?? process.env);
  const res = await execa(helm, args, {
    env: opts.env,
    reject: false,
    timeout: opts.timeoutMs ?? 600_000,
    all: true,
  });
  if (res.exitCode !== 0) {
    throw new EnvironmentError(
      `helm ${args.slice(0, 2).join(' ')} failed (exit ${res.exitCode}):\n${(res.all ?? '').trim()}`,
    );
  }
  return res.stdout;
}

/** Writes the values to a private temporary file for the duration of `fn`. */
export async function withValuesFile<T>(
  values: Record<string, unknown>,
  fn: (file: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'cnibench-helm-'));
  const file = join(dir, 'values.yaml');
  writeFileSync(file, stringify(values), { mode: 0o600 });
  try {
    return await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `helm version --short` for provenance, or undefined when helm is missing or fails. */
export async function helmVersion(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    return (await runHelm(['version', '--short'], { env, timeoutMs: 10_000 })).trim() || undefined;
  } catch {
    return undefined;
  }
}
