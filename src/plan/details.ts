/**
 * What each stage adds to a printed plan: for real clusters, the images, manifests and Helm values the
 * installers and the driver would use (worked out offline, from the cache when the manifest is there),
 * so nothing a run deploys is hidden from `cnibench plan`.
 */
import { resolveImages } from '../cluster/kube/images.js';
import { describeUninstall, renderPlan } from '../cni/dry-run.js';
import { prepareInputs } from '../cni/prepare.js';
import { installerFor } from '../cni/registry.js';
import { isKubeCandidate, type Scenario } from '../scenario/schema.js';
import type { PlanDetailSources } from './build.js';

export async function planDetailSources(s: Scenario): Promise<PlanDetailSources> {
  const cluster = s.cluster;
  if (cluster.kind === 'local') return {};
  const rendered = new Map<string, string[]>();
  const removal = new Map<string, string[]>();
  for (const c of s.candidates) {
    if (!isKubeCandidate(c)) continue;
    const inputs = await prepareInputs(c, cluster, { online: false });
    const plan = installerFor(c.cni).plan(c, cluster, inputs);
    rendered.set(c.name, renderPlan(plan).trimEnd().split('\n'));
    removal.set(c.name, describeUninstall(plan, cluster.readyTimeout * 1000));
  }
  const images = resolveImages(cluster);
  return {
    cluster: () => [
      `harness images: agnhost ${images.agnhost}, iperf3 ${images.iperf3}, agent ${images.agent}${images.netperf ? `, netperf ${images.netperf}` : ''}`,
      ...(cluster.imagePullSecrets.length
        ? [`imagePullSecrets: ${cluster.imagePullSecrets.join(', ')}`]
        : []),
      `test namespaces: ${cluster.namespacePrefix}-<run id>-x, -y, -z (labelled app.kubernetes.io/managed-by=cnibench)`,
      cluster.probeMode === 'agent'
        ? `probes (probeMode agent): batched, one exec per source pod and round, from an agent container (${images.agent}, code from ConfigMap cnibench-agent) in each conformance pod; up to ${cluster.probeConcurrency} pods at once`
        : `probes (probeMode agnhost): one exec of agnhost connect per probe, up to ${cluster.probeConcurrency} at once (upstream images only; slower)`,
      cluster.conformanceLanes > 1
        ? `conformance lanes: ${cluster.conformanceLanes} cases at once, lane k in ${cluster.namespacePrefix}-<run id>-l<k>-x, -y, -z (lane 0 in the names above); BaselineAdminNetworkPolicy cases in lane 0 only; programming latencies measured under that contention`
        : 'conformance lanes: 1 (cases one at a time; conformanceLanes runs more at once)',
    ],
    install: (c) => rendered.get(c.name) ?? [],
    uninstall: (c) => removal.get(c.name) ?? [],
  };
}
