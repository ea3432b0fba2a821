/**
 * What a perf pair's traffic costs on the embedded cluster (the local driver's CostReader):
 *
 * - CPU: the CPU time charged to the client's and the server's cgroups (every process the pods ran:
 *   iperf3, the rr agent; cgroups.ts) plus the machine's softirq time from /proc/stat. The local
 *   nodes run no processes: their forwarding, nftables and VXLAN work runs in the kernel, in the
 *   senders' system calls (charged to the pods' cgroups) or in softirq (counted machine-wide, so other
 *   work on a shared machine adds noise there; docs/cost.md).
 * - Dataplane memory: the kernel memory charged to the run's `dataplane` cgroup, in which every nft
 *   process of the nodes runs: the policy and service rules the kernel holds.
 */
import { readFile } from 'node:fs/promises';
import type { CostReader, CpuCounters, PerfPair, PodHandle } from '../driver.js';
import { perfExecTarget } from './perf.js';
import type { RunCgroups } from './cgroups.js';
import type { LocalTopology } from './topology.js';

/** /proc/stat counts in USER_HZ ticks, 100 per second on every architecture Linux runs on. */
const USER_HZ = 100;

/** Softirq seconds of all CPUs from /proc/stat (the `cpu` line's 7th value). */
function parseSoftirqSeconds(procStat: string): number {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  const softirq = line?.trim().split(/\s+/)[7];
  if (softirq === undefined) throw new Error('/proc/stat has no cpu line with a softirq column');
  return Number(softirq) / USER_HZ;
}

export class LocalCostReader implements CostReader {
  readonly method: string;

  constructor(
    private readonly topology: LocalTopology,
    private readonly groups: RunCgroups,
  ) {
    this.method = `${groups.describe()}, /proc/stat softirq`;
  }

  private cgroupOfPod(pod: PodHandle): string {
    const target = perfExecTarget(this.topology, pod);
    return this.topology.cgroupOf(typeof target === 'string' ? target : this.topology.netnsOf(target));
  }

  async readCpu(pair: PerfPair): Promise<CpuCounters> {
    const names = [...new Set([this.cgroupOfPod(pair.client), this.cgroupOfPod(pair.server)])];
    const pods = names.reduce((a, n) => a + this.groups.cpuSeconds(n), 0);
    const dataplane = this.groups.cpuSeconds('dataplane');
    const softirq = parseSoftirqSeconds(await readFile('/proc/stat', 'utf8'));
    return { totalSeconds: pods + dataplane + softirq, parts: { pods, softirq, dataplane } };
  }

  dataplaneMemoryBytes(): Promise<number | undefined> {
    return Promise.resolve(this.groups.kernelMemoryBytes('dataplane'));
  }
}
