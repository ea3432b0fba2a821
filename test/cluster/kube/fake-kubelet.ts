/**
 * The kubelet behind the fake API server's node proxy: `GET /api/v1/nodes/NAME/proxy/stats/summary`
 * answers a summary document shaped like the real one (k8s.io/kubelet/pkg/apis/stats/v1alpha1:
 * `node` with `cpu` and `memory`, `pods[]` with `podRef`, `cpu`, `memory`), whose CPU counters grow
 * with wall-clock time, as a real node's do: the node uses `nodeCores` cores, each of its pods
 * `podCores`, and every pod has a working set of `podWorkingSetBytes`.
 */
import type { KubeObject } from './fake-apiserver.js';

export interface FakeKubeletOptions {
  nodeCores?: number;
  podCores?: number;
  podWorkingSetBytes?: number;
}

export class FakeKubelet {
  private readonly start = process.hrtime.bigint();
  nodeCores: number;
  podCores: number;
  podWorkingSetBytes: number;

  constructor(opts: FakeKubeletOptions = {}) {
    this.nodeCores = opts.nodeCores ?? 0.5;
    this.podCores = opts.podCores ?? 0.05;
    this.podWorkingSetBytes = opts.podWorkingSetBytes ?? 48 * 1024 * 1024;
  }

  /** The summary of `node`, given the pods scheduled on it. */
  summary(node: string, pods: readonly KubeObject[]): unknown {
    const elapsedNs = Number(process.hrtime.bigint() - this.start);
    const time = new Date().toISOString();
    return {
      node: {
        nodeName: node,
        startTime: time,
        cpu: {
          time,
          usageNanoCores: Math.round(this.nodeCores * 1e9),
          usageCoreNanoSeconds: Math.round(elapsedNs * this.nodeCores),
        },
        memory: { time, workingSetBytes: this.podWorkingSetBytes * (pods.length + 10) },
      },
      pods: pods.map((p) => ({
        podRef: { name: p.metadata.name, namespace: p.metadata.namespace ?? '', uid: p.metadata.uid ?? '' },
        startTime: time,
        cpu: {
          time,
          usageNanoCores: Math.round(this.podCores * 1e9),
          usageCoreNanoSeconds: Math.round(elapsedNs * this.podCores),
        },
        memory: { time, workingSetBytes: this.podWorkingSetBytes },
      })),
    };
  }
}
