/**
 * Cost on a real cluster, from the kubelet's summary API (`/api/v1/nodes/NAME/proxy/stats/summary`,
 * through the API server's node proxy: needs `nodes/proxy` get, no metrics-server):
 *
 * - CPU: `node.cpu.usageCoreNanoSeconds` of the nodes the perf pair runs on (everything on them:
 *   the CNI's agent, kernel forwarding and softirq, the perf pods); the pair's pods'
 *   `cpu.usageCoreNanoSeconds` as a breakdown (`pods`, inside `nodes`).
 * - Dataplane memory: `memory.workingSetBytes` of the CNI's node agents (calico-node, cilium agent)
 *   summed over every node.
 *
 * The kubelet refreshes these counters on its own housekeeping interval (cAdvisor: about every
 * 10–15 s; the CRI stats provider per request), so a run shorter than that can read a difference of
 * zero or of a whole interval: give cost-measuring workloads runs of 30 s or more on real clusters
 * (docs/cost.md). Not run against a real cluster; tested against the fake API server's summary.
 */
import type { CostReader, CpuCounters, PerfPair } from '../driver.js';
import { EnvironmentError } from '../../util/errors.js';
import type { KubeSession } from './session.js';

/** The parts of the kubelet's stats/summary document cnibench reads (k8s.io/kubelet/pkg/apis/stats/v1alpha1). */
export interface KubeletSummary {
  node: {
    nodeName: string;
    cpu?: { usageCoreNanoSeconds?: number };
    memory?: { workingSetBytes?: number };
  };
  pods?: Array<{
    podRef: { name: string; namespace: string };
    cpu?: { usageCoreNanoSeconds?: number };
    memory?: { workingSetBytes?: number };
  }>;
}

/** The CNI node agents whose memory is the dataplane's (DaemonSet pods, by namespace and name prefix). */
const DATAPLANE_AGENTS: ReadonlyArray<{ namespace: string; prefix: string; not?: string }> = [
  { namespace: 'calico-system', prefix: 'calico-node-' },
  { namespace: 'kube-system', prefix: 'calico-node-' },
  // cilium-operator and cilium-envoy are not the per-node datapath agent.
  { namespace: 'kube-system', prefix: 'cilium-', not: '^cilium-(operator|envoy)' },
];

export function isDataplaneAgent(ref: { namespace: string; name: string }): boolean {
  return DATAPLANE_AGENTS.some(
    (a) =>
      a.namespace === ref.namespace &&
      ref.name.startsWith(a.prefix) &&
      (a.not === undefined || !new RegExp(a.not).test(ref.name)),
  );
}

/** Checks the parts of a summary that are read; the error names the node and the field. */
export function parseSummary(node: string, body: unknown): KubeletSummary {
  const doc = typeof body === 'string' ? (JSON.parse(body) as unknown) : body;
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
  if (!isObj(doc) || !isObj(doc.node))
    throw new EnvironmentError(`the kubelet summary of node ${node} has no "node" object`);
  const cpu = isObj(doc.node.cpu) ? doc.node.cpu.usageCoreNanoSeconds : undefined;
  if (typeof cpu !== 'number')
    throw new EnvironmentError(`the kubelet summary of node ${node} has no node.cpu.usageCoreNanoSeconds`);
  return doc as unknown as KubeletSummary;
}

export class KubeCostReader implements CostReader {
  readonly method = 'kubelet stats/summary (nodes/proxy)';

  constructor(private readonly s: KubeSession) {}

  /** One node's summary; a 403 is a KubeAccessError naming nodes/proxy in one line (exit 3). */
  async summary(node: string): Promise<KubeletSummary> {
    const body: unknown = await this.s.api(
      `get nodes/proxy of node ${node} (the kubelet summary, for CPU and memory)`,
      (c) => c.core.connectGetNodeProxyWithPath({ name: node, path: 'stats/summary' }),
    );
    return parseSummary(node, body);
  }

  async readCpu(pair: PerfPair): Promise<CpuCounters> {
    const nodes = [...new Set([pair.client.node, pair.server.node])];
    const summaries = await Promise.all(nodes.map((n) => this.summary(n)));
    const podKeys = new Set([pair.client.key, pair.server.key]);
    let nodeNs = 0;
    let podNs = 0;
    for (const s of summaries) {
      nodeNs += s.node.cpu?.usageCoreNanoSeconds ?? 0;
      for (const p of s.pods ?? []) {
        if (podKeys.has(`${p.podRef.namespace}/${p.podRef.name}`)) podNs += p.cpu?.usageCoreNanoSeconds ?? 0;
      }
    }
    return { totalSeconds: nodeNs / 1e9, parts: { nodes: nodeNs / 1e9, pods: podNs / 1e9 } };
  }

  async dataplaneMemoryBytes(): Promise<number | undefined> {
    const list = await this.s.api('list nodes', (c) => c.core.listNode());
    const names = list.items.map((n) => n.metadata?.name).filter((n): n is string => n !== undefined);
    const summaries = await Promise.all(names.map((n) => this.summary(n)));
    let bytes = 0;
    let agents = 0;
    for (const s of summaries) {
      for (const p of s.pods ?? []) {
        if (!isDataplaneAgent(p.podRef)) continue;
        agents++;
        bytes += p.memory?.workingSetBytes ?? 0;
      }
    }
    return agents > 0 ? bytes : undefined;
  }
}
