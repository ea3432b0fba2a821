/**
 * The whole install sequence for one candidate on a real cluster, as the CLI and the run pipeline use
 * it: refuse to install over a different CNI, resolve inputs, plan, apply, wait, and record what is
 * actually running. Uninstall reuses the same plan so it removes exactly what was applied.
 */
import type { KubeCandidate, KubeClusterConfig } from '../scenario/schema.js';
import { assertNoConflictingCni, detectCnis, type DetectedCni } from './detect.js';
import type { InstallPlan, InstalledComponent, ProgressFn } from './installer.js';
import type { KubeConnection } from '../cluster/kube/client.js';
import { prepareInputs } from './prepare.js';
import { checkInstallPermissions } from './permissions.js';
import { installerFor } from './registry.js';
import { waitForRollout } from './rollout.js';
import type { FetchOptions } from './cache.js';

export interface InstallSessionOptions {
  cacheRoot?: string;
  progress?: ProgressFn;
  /** Overrides cluster.readyTimeout (seconds → ms). */
  readyTimeoutMs?: number;
  pollMs?: number;
  signal?: AbortSignal;
  fetch?: FetchOptions;
}

export interface InstallResult {
  plan: InstallPlan;
  /** CNIs found before installing. */
  before: DetectedCni[];
  /** Image tags of the running components: the versions that were actually evaluated. */
  installed: InstalledComponent[];
  readyMs: number;
}

export async function installCandidate(
  candidate: KubeCandidate,
  cluster: KubeClusterConfig,
  kube: KubeConnection,
  opts: InstallSessionOptions = {},
): Promise<InstallResult> {
  const installer = installerFor(candidate.cni);
  const inputs = await prepareInputs(candidate, cluster, {
    cacheRoot: opts.cacheRoot,
    online: true,
    kube,
    fetch: opts.fetch,
  });
  const plan = installer.plan(candidate, cluster, inputs);
  // The install needs far more than the measurements: everything the plan applies and every call
  // around it is checked before anything is applied.
  await checkInstallPermissions(kube, plan);
  const before = await detectCnis(kube);
  assertNoConflictingCni(before, candidate);
  for (const w of plan.warnings) opts.progress?.({ phase: 'apply', message: `warning: ${w}` });
  const started = Date.now();
  await installer.install(plan, kube, opts.progress);
  // Every CNI is ready the same way: what its plan lists under readiness rolled out, every node Ready.
  await waitForRollout(plan.readiness, kube, {
    timeoutMs: opts.readyTimeoutMs ?? cluster.readyTimeout * 1000,
    pollMs: opts.pollMs,
    progress: opts.progress,
    signal: opts.signal,
  });
  const readyMs = Date.now() - started;
  const installed = await installer.installedVersions(kube);
  return { plan, before, installed, readyMs };
}

export async function uninstallCandidate(
  plan: InstallPlan,
  cluster: KubeClusterConfig,
  kube: KubeConnection,
  opts: InstallSessionOptions = {},
) {
  await installerFor(plan.cni).uninstall(plan, kube, {
    timeoutMs: opts.readyTimeoutMs ?? cluster.readyTimeout * 1000,
    pollMs: opts.pollMs,
    progress: opts.progress,
    signal: opts.signal,
  });
}
