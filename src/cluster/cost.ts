/**
 * What a path's traffic costs, as a driver reads it (the CostReader of driver.ts): cumulative CPU
 * counters of the pods and nodes a perf pair touches, and the memory the policy dataplane holds. The
 * perf workloads read the counters once before and once after each measured run and take the
 * difference (never while traffic flows), so recording cost adds nothing to what is measured but two
 * reads between runs (docs/cost.md).
 *
 * The local driver reads cgroups and /proc/stat (local/cost.ts), the kube driver the kubelet's
 * summary API (kube/stats-summary.ts).
 */
import type { CpuCounters } from './driver.js';

/** What one run cost: the difference of the counters read before and after it. */
export interface CpuDelta {
  totalSeconds: number;
  parts: Record<string, number>;
}

export function cpuDelta(before: CpuCounters, after: CpuCounters): CpuDelta {
  const parts: Record<string, number> = {};
  // Counters only grow; a reset (a restarted kubelet, a recreated cgroup) must not read as negative CPU.
  for (const [k, v] of Object.entries(after.parts)) parts[k] = Math.max(0, v - (before.parts[k] ?? 0));
  return { totalSeconds: Math.max(0, after.totalSeconds - before.totalSeconds), parts };
}
