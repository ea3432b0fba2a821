/**
 * Client/server pods for the performance workloads on the local cluster (the local driver's
 * `preparePerf`). Pods are reused across calls, so every workload measures the same endpoints:
 *
 *   same-node   cnibench-perf/client (node-0) → cnibench-perf/server-local  (node-0)
 *   cross-node  cnibench-perf/client (node-0) → cnibench-perf/server-remote (node-1)
 *   service     cnibench-perf/client (node-0) → VIP 10.96.0.10, DNAT on node-0 → server-service
 *               (node-1): cross-node as well, so service vs cross-node isolates the cost of the
 *               translation. Its own server pod, not server-remote: the client's TCP timestamps and
 *               initial sequence numbers are keyed by the address it dials (VIP vs pod IP), so reusing
 *               a server that holds TIME_WAIT sockets from cross-node connections would make it
 *               reject some SYNs of the service run (1 s SYN retransmits in the connection-rate test).
 *   baseline    two bare namespaces `<runId>-xbc` / `<runId>-xbs` joined by one veth: no node, no
 *               routing, no policy table, no overlay — the machine's limit every figure is read against.
 *               MTU 1500 (the underlay's), whatever the profile's pod MTU.
 *
 * Baseline "pods" are not topology pods (they belong to no node), so the driver must resolve them
 * with `perfExecTarget()` before exec/spawn.
 */
import type { PathKind, PerfPair, PerfTopology, PodHandle } from '../driver.js';
import { EnvironmentError } from '../../util/errors.js';
import { PERF_PORTS } from '../driver.js';
import { listNetns } from './cleanup.js';
import { netnsNames } from './names.js';
import { PERF_SERVICE_VIP, installServiceVip } from './service.js';
import { ipBatch } from './sh.js';
import type { LocalTopology } from './topology.js';

export const PERF_NAMESPACE = 'cnibench-perf';
/** The Kubernetes-namespace field of baseline pod handles; no topology pod ever has it. */
export const BASELINE_NAMESPACE = 'cnibench-baseline';

const BASELINE = {
  client: { suffix: 'bc', ip: '192.168.255.1' },
  server: { suffix: 'bs', ip: '192.168.255.2' },
} as const;

/** The netns of a baseline pod handle, or undefined for any other pod. */
export function baselineNetns(topology: LocalTopology, pod: PodHandle): string | undefined {
  if (pod.namespace !== BASELINE_NAMESPACE) return undefined;
  const role = pod.name === 'client' ? BASELINE.client : pod.name === 'server' ? BASELINE.server : undefined;
  if (!role) throw new Error(`unknown baseline pod ${pod.key}`);
  return netnsNames.extra(topology.runId, role.suffix);
}

/** What to hand to `topology.exec`/`spawn` for a pod of a perf pair (a netns name for baseline pods). */
export function perfExecTarget(topology: LocalTopology, pod: PodHandle): PodHandle | string {
  return baselineNetns(topology, pod) ?? pod;
}

function baselinePod(role: 'client' | 'server'): PodHandle {
  return {
    namespace: BASELINE_NAMESPACE,
    name: role,
    key: `${BASELINE_NAMESPACE}/${role}`,
    node: 'baseline',
    ip: BASELINE[role].ip,
  };
}

async function ensureBaseline(topology: LocalTopology, signal?: AbortSignal): Promise<PerfPair> {
  const client = netnsNames.extra(topology.runId, BASELINE.client.suffix);
  const server = netnsNames.extra(topology.runId, BASELINE.server.suffix);
  const existing = new Set(await listNetns());
  if (!existing.has(client) || !existing.has(server)) {
    // addNetns registers them with the topology, so destroy() removes them with everything else.
    if (!existing.has(client)) await topology.addNetns(BASELINE.client.suffix, signal);
    if (!existing.has(server)) await topology.addNetns(BASELINE.server.suffix, signal);
    await ipBatch(
      client,
      [
        `link add eth0 type veth peer name eth0 netns ${server}`,
        `addr add ${BASELINE.client.ip}/30 dev eth0`,
        'link set eth0 up',
      ],
      { signal },
    );
    await ipBatch(server, [`addr add ${BASELINE.server.ip}/30 dev eth0`, 'link set eth0 up'], { signal });
  }
  return {
    path: 'baseline',
    client: baselinePod('client'),
    server: baselinePod('server'),
    target: BASELINE.server.ip,
  };
}

async function ensurePod(
  topology: LocalTopology,
  name: string,
  node: string,
  role: string,
  signal?: AbortSignal,
): Promise<PodHandle> {
  const existing = topology.pod(`${PERF_NAMESPACE}/${name}`);
  if (existing) return existing;
  return topology.addPod(
    { namespace: PERF_NAMESPACE, name, node, labels: { app: 'cnibench-perf', role } },
    signal,
  );
}

/** Creates (or reuses) the pods of the asked paths and returns one pair per path, in the order asked. */
export async function preparePerfTopology(
  topology: LocalTopology,
  paths: PathKind[],
  signal?: AbortSignal,
): Promise<PerfTopology> {
  const [node0, node1] = topology.nodeNames;
  if (node0 === undefined) throw new Error('the local topology has no nodes');
  const needsRemote = paths.some((p) => p === 'cross-node' || p === 'service');
  if (needsRemote && !node1) {
    throw new EnvironmentError(
      `paths cross-node and service need at least 2 nodes (the local cluster has 1)`,
    );
  }
  // Only the cross-node and service paths read it, and the check above gave them a second node.
  const remoteNode = node1 ?? node0;
  const pairs: PerfPair[] = [];
  const unique = [...new Set(paths)];
  const needsClient = unique.some((p) => p !== 'baseline');
  const client = needsClient ? await ensurePod(topology, 'client', node0, 'client', signal) : undefined;
  for (const path of unique) {
    if (path === 'baseline') {
      pairs.push(await ensureBaseline(topology, signal));
      continue;
    }
    if (client === undefined) throw new Error(`perf path ${path} has no client pod`);
    if (path === 'same-node') {
      const server = await ensurePod(topology, 'server-local', node0, 'server', signal);
      pairs.push({ path, client, server, target: server.ip });
    } else if (path === 'cross-node') {
      const server = await ensurePod(topology, 'server-remote', remoteNode, 'server', signal);
      pairs.push({ path, client, server, target: server.ip });
    } else {
      const server = await ensurePod(topology, 'server-service', remoteNode, 'server', signal);
      await installServiceVip(
        topology,
        client.node,
        { name: 'perf', vip: PERF_SERVICE_VIP, ports: Object.values(PERF_PORTS), backend: server.ip },
        signal,
      );
      pairs.push({ path, client, server, target: PERF_SERVICE_VIP });
    }
  }
  return { pairs };
}
