/**
 * The helm command line for a CNI installed from its Helm chart (Cilium). cnibench shells out to helm (only for the chart: the
 * templates are helm's business) and checks for it up front so a missing binary is an environment
 * error with install instructions instead of a spawn failure halfway through a run.
 */
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { stringify } from 'yaml';
import { EnvironmentError } from '../util/errors.js';
import type { HelmRelease } from './installer.js';

/** What Helm does with the objects of a release: reads the live state, creates, updates, waits, deletes. */
export const HELM_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

const HELM_GET =
  'Debian has no helm package: either download the release binary (https://github.com/helm/helm/releases, ' +
  "helm-v3.x or v4.x linux-amd64.tar.gz) on a connected machine and copy `helm` onto this machine's PATH, or add " +
  'the helm apt repository (https://helm.sh/docs/intro/install/) and `apt-get install helm`.';

const HELM_MISSING = `helm is not installed (needed to install a CNI from its Helm chart, such as Cilium). ${HELM_GET}`;

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

/**
 * `helm uninstall ...` arguments: `--ignore-not-found` (helm 3.13+) so a release already gone is fine,
 * and `--wait` with a `--timeout` so helm returns once the chart's objects are deleted, and not later
 * than that. A bare `--wait` is the boolean of helm 3 and the "watcher" strategy of helm 4.
 */
export function helmUninstallArgs(rel: HelmRelease, timeoutMs: number): string[] {
  return [
    'uninstall',
    rel.release,
    '--namespace',
    rel.namespace,
    '--ignore-not-found',
    '--wait',
    '--timeout',
    `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`,
    ...kubeFlags(rel),
  ];
}

/** The oldest helm cnibench drives: `helm uninstall --ignore-not-found` exists from 3.13.0 on. */
const MIN_HELM = [3, 13, 0] as const;

/** [major, minor, patch] of `helm version --short` output ("v3.17.0+g301108e", "v4.1.4+g05fa379"). */
function parseHelmVersion(short: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(short.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function helmTooOld(v: readonly [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) {
    const a = v[i] ?? 0;
    const b = MIN_HELM[i] ?? 0;
    if (a !== b) return a < b;
  }
  return false;
}

/** helm is on PATH and new enough (3.13+; helm 4 too); returns its `version --short`. Exit 3 otherwise. */
export async function checkHelm(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  findHelm(env);
  const short = (await runHelm(['version', '--short'], { env, timeoutMs: 10_000 })).trim();
  const v = parseHelmVersion(short);
  if (!v)
    throw new EnvironmentError(`cannot tell the helm version from \`helm version --short\`: "${short}"`);
  if (helmTooOld(v)) {
    throw new EnvironmentError(
      `helm ${short} is too old: cnibench needs helm ${MIN_HELM.join('.')} or later (uninstall --ignore-not-found); helm 4 works too. ${HELM_GET}`,
    );
  }
  return short;
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
