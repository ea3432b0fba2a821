/**
 * A candidate on a real cluster: connect, check permissions, install the CNI (refusing to install over
 * another one unless told to), evaluate through the kube driver, and uninstall when the scenario asks.
 * The versions actually running are recorded in the results.
 */
import { KubeDriver } from '../cluster/kube/driver.js';
import { installCandidate, uninstallCandidate } from '../cni/session.js';
import { adminTierApisRecord, describeAdminTierApis } from '../results/admin-tier-apis.js';
import { shortRunId, type ResultsStore } from '../results/store.js';
import { isKubeCandidate, type Candidate, type KubeClusterConfig } from '../scenario/schema.js';
import { InputError } from '../util/errors.js';
import { candidateCluster, type CandidateCluster } from './cluster-handle.js';
import type { Progress } from '../context/progress.js';

export async function openKubeCandidate(
  cluster: KubeClusterConfig,
  c: Candidate,
  store: ResultsStore,
  progress: Progress,
  signal: AbortSignal,
): Promise<CandidateCluster> {
  if (!isKubeCandidate(c))
    throw new InputError(`${c.cni} is a local reference profile and cannot be installed on a real cluster`);
  const driver = new KubeDriver(cluster, {
    // Namespaces become <namespacePrefix>-<6 hex digits of the run id>-x: the prefix is the driver's.
    runId: shortRunId(store.data.runId),
    onProgress: (p) =>
      p.total ? progress.update(p.done ?? 0, p.total, p.message) : progress.info(p.message),
  });
  await driver.preflight();
  store.update((r) => {
    r.provenance.cluster.serverVersion = driver.serverVersion;
  });

  // The installer works through the driver's connection: one access layer, one connection per candidate.
  const kube = driver.connection();
  progress.info(`installing ${c.cni} ${c.version}`);
  const installed = await installCandidate(c, cluster, kube, {
    signal,
    progress: (p) => progress.info(p.message),
  });
  store.update((r) => {
    const entry = r.candidates.find((x) => x.name === c.name);
    if (!entry) throw new Error(`results have no candidate ${c.name}`);
    entry.installedVersions = Object.fromEntries(installed.installed.map((i) => [i.name, i.version]));
  });
  progress.info(`${c.cni} ready after ${(installed.readyMs / 1000).toFixed(0)} s`);
  // After the install: the CNI's manifests may have brought the admin-tier CRDs.
  const admin = adminTierApisRecord(await driver.detectAdminTier());
  progress.info(describeAdminTierApis(admin));
  store.update((r) => {
    const entry = r.candidates.find((x) => x.name === c.name);
    if (entry) entry.adminTierApis = admin;
  });

  return candidateCluster(driver, ['agent'], async (p) => {
    await driver.cleanup();
    if (c.uninstallAfter) {
      p.step(`uninstalling ${c.cni}`);
      await uninstallCandidate(installed.plan, cluster, kube, { signal, progress: (x) => p.info(x.message) });
      p.done();
    }
  });
}
