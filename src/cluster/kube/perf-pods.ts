/**
 * The performance pods of a run: a server on one node, clients on the same and on another node, a
 * ClusterIP Service in front of the server, and a host-network pair for the baseline path. Created
 * once per run (on first use) and kept until clean-up.
 */
import type { V1Node } from '@kubernetes/client-node';
import type { PathKind, PerfPair, PodHandle } from '../driver.js';
import { EnvironmentError } from '../../util/errors.js';
import { httpStatus } from './client.js';
import { namespaceManifest, perfPodManifest, perfServiceManifest } from './manifests.js';
import { SPEC_HASH_ANNOTATION } from './naming.js';
import { ensureAgentConfigMap, ensureNamespace, waitReady } from './objects.js';
import { mapLimit } from '../../util/map-limit.js';
import { API_CONCURRENCY, type KubeSession } from './session.js';

type PerfRole = 'perf-server' | 'perf-client' | 'host-server' | 'host-client';

interface PerfPodSpec {
  name: string;
  role: PerfRole;
  node: string;
  host: boolean;
}

/** Ready nodes that take ordinary pods, by name. */
async function schedulableNodes(s: KubeSession): Promise<V1Node[]> {
  const list = await s.api('list nodes', (c) => c.core.listNode());
  return list.items
    .filter(
      (n) =>
        !n.spec?.unschedulable &&
        n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
        !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
    )
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** Which pods the paths need, pinned to the first (and second) node. */
function perfPodSpecs(paths: PathKind[], nodeA: string, nodeB: string): PerfPodSpec[] {
  const specs: PerfPodSpec[] = [{ name: 'perf-server-a', role: 'perf-server', node: nodeA, host: false }];
  if (paths.includes('same-node'))
    specs.push({ name: 'perf-client-a', role: 'perf-client', node: nodeA, host: false });
  if (paths.includes('cross-node') || paths.includes('service'))
    specs.push({ name: 'perf-client-b', role: 'perf-client', node: nodeB, host: false });
  if (paths.includes('baseline')) {
    specs.push({ name: 'host-server-a', role: 'host-server', node: nodeA, host: true });
    specs.push({ name: 'host-client-b', role: 'host-client', node: nodeB, host: true });
  }
  return specs;
}

export class PerfPods {
  private readonly pairs = new Map<PathKind, PerfPair>();

  constructor(private readonly s: KubeSession) {}

  /** The client/server pair of each path, creating what is missing. */
  async prepare(paths: PathKind[], signal?: AbortSignal): Promise<PerfPair[]> {
    const missing = paths.filter((p) => !this.pairs.has(p));
    if (missing.length) await this.create(missing, signal);
    return paths.map((p) => {
      const pair = this.pairs.get(p);
      if (!pair) throw new Error(`no performance pods for path ${p}`);
      return pair;
    });
  }

  forget(): void {
    this.pairs.clear();
  }

  private async create(paths: PathKind[], signal?: AbortSignal): Promise<void> {
    const s = this.s;
    const nodes = (await schedulableNodes(s)).map((n) => n.metadata?.name ?? '');
    const needsTwo = paths.some((p) => p !== 'same-node');
    const [nodeA, second] = nodes;
    if (nodeA === undefined || (needsTwo && nodes.length < 2)) {
      throw new EnvironmentError(
        `paths ${paths.join(', ')} need ${needsTwo ? 2 : 1} schedulable Ready node(s) without NoSchedule taints; found ${nodes.length}`,
      );
    }
    const ns = s.namespaces.real('perf');
    await ensureNamespace(s, namespaceManifest('perf', {}, s.namespaces));
    await ensureAgentConfigMap(s, ns);
    const fresh = perfPodSpecs(paths, nodeA, second ?? nodeA).filter((p) => !s.pods.has(`${ns}/${p.name}`));
    await mapLimit(fresh, API_CONCURRENCY, async (p) => {
      const m = perfPodManifest({
        name: p.name,
        namespace: ns,
        runId: s.runId,
        role: p.role,
        nodeName: p.node,
        hostNetwork: p.host,
        images: s.images,
        imagePullSecrets: s.config.imagePullSecrets,
        agentItems: s.bundle().items,
      });
      s.progress({
        phase: 'perf',
        message: `creating ${ns}/${p.name} on ${p.node}${p.host ? ' (host network)' : ''}`,
      });
      await s.api(`create pod ${ns}/${p.name}`, (c) =>
        c.core.createNamespacedPod({ namespace: ns, body: m }),
      );
      s.pods.set(`${ns}/${p.name}`, {
        handle: { namespace: ns, name: p.name, key: `${ns}/${p.name}`, node: p.node, ip: '' },
        containers: m.spec.containers.map((c) => c.name),
        hash: m.metadata.annotations?.[SPEC_HASH_ANNOTATION] ?? '',
        labels: m.metadata.labels ?? {},
        perf: true,
      });
    });
    const serviceIp = paths.includes('service') ? await this.ensureService(ns) : undefined;
    if (fresh.length) {
      const ready = await waitReady(s, new Map([[ns, fresh.map((p) => p.name)]]), signal);
      for (const p of fresh) {
        const r = s.pods.get(`${ns}/${p.name}`);
        if (r) r.handle.ip = ready.get(`${ns}/${p.name}`)?.status?.podIP ?? '';
      }
    }
    const h = (name: string): PodHandle => {
      const r = s.pods.get(`${ns}/${name}`);
      if (!r) throw new Error(`performance pod ${ns}/${name} was not created`);
      return { ...r.handle };
    };
    const server = h('perf-server-a');
    for (const path of paths) {
      if (path === 'same-node')
        this.pairs.set(path, { path, client: h('perf-client-a'), server, target: server.ip });
      if (path === 'cross-node')
        this.pairs.set(path, { path, client: h('perf-client-b'), server, target: server.ip });
      if (path === 'service' && serviceIp)
        this.pairs.set(path, { path, client: h('perf-client-b'), server, target: serviceIp });
      if (path === 'baseline') {
        const hs = h('host-server-a');
        this.pairs.set(path, { path, client: h('host-client-b'), server: hs, target: hs.ip });
      }
    }
  }

  /** The Service in front of the server (created, or read when it exists), and its ClusterIP. */
  private async ensureService(ns: string): Promise<string> {
    const s = this.s;
    const body = perfServiceManifest('perf-server', ns, s.runId, 'perf-server-a');
    const svc = await s
      .api(`create service ${ns}/perf-server`, (c) => c.core.createNamespacedService({ namespace: ns, body }))
      .catch(async (err: unknown) => {
        if (httpStatus(err) !== 409) throw err;
        return s.api(`read service ${ns}/perf-server`, (c) =>
          c.core.readNamespacedService({ name: 'perf-server', namespace: ns }),
        );
      });
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') throw new EnvironmentError(`service ${ns}/perf-server got no ClusterIP`);
    return ip;
  }
}
