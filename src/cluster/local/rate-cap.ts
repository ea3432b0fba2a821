/**
 * A rate cap on the traffic delivered to a pod of the local cluster: a token bucket (`tc qdisc tbf`)
 * on the node's side of the pod's veth, i.e. on the egress queue that every packet to the pod leaves
 * its node by — whatever path it came by (same node, another node, through the service VIP). The
 * planted-effect check (`cnibench run --planted P`) caps the handicapped copy's server pods at
 * (100 − P) % of the throughput measured in warm-up. This kernel has no netem and no fq; tbf and htb
 * work, and tbf is the one that needs no class tree for a single cap.
 */
import type { PodHandle } from '../driver.js';
import type { LocalTopology } from './topology.js';
import { run } from './sh.js';

export interface TbfParameters {
  /** Bits per second, a whole number (tc's `rate ...bit`). */
  rateBit: number;
  /** Bucket size in bytes. */
  burstBytes: number;
  /** Longest time a packet may wait in the queue, ms (tc computes the queue limit from it). */
  latencyMs: number;
}

/** A GSO packet on a veth can be 64 KiB: a bucket must hold a few, or the first packets stall. */
const MIN_BURST_BYTES = 256 * 1024;

/**
 * The tbf settings for a cap of `bitsPerSecond`: a bucket of 1 ms at that rate (at least 256 KiB),
 * so a 1-second test gains at most 1 ms of unshaped traffic at startup (0.1 %), and a queue of 20 ms,
 * long enough for TCP to fill the cap instead of collapsing on drops.
 */
export function tbfParameters(bitsPerSecond: number): TbfParameters {
  if (!Number.isFinite(bitsPerSecond) || bitsPerSecond < 8000) {
    throw new Error(`a rate cap needs at least 8 kbit/s (got ${bitsPerSecond} bit/s)`);
  }
  const rateBit = Math.round(bitsPerSecond);
  return { rateBit, burstBytes: Math.max(MIN_BURST_BYTES, Math.ceil(rateBit / 8 / 1000)), latencyMs: 20 };
}

/** `tc` argv that installs the cap as the root qdisc of `dev` in namespace `netns`. */
export function tbfArgv(netns: string, dev: string, p: TbfParameters): string[] {
  return [
    'tc',
    '-n',
    netns,
    'qdisc',
    'replace',
    'dev',
    dev,
    'root',
    'tbf',
    'rate',
    `${p.rateBit}bit`,
    'burst',
    String(p.burstBytes),
    'latency',
    `${p.latencyMs}ms`,
  ];
}

/**
 * Caps what `pod` receives at `bitsPerSecond`; returns the function that lifts the cap again (the pod's
 * veth gets its default qdisc back). Only topology pods have a node-side veth to shape.
 */
export async function capPodIngress(
  topology: LocalTopology,
  pod: PodHandle,
  bitsPerSecond: number,
  signal?: AbortSignal,
): Promise<() => Promise<void>> {
  const local = topology.pod(pod.key);
  if (!local) throw new Error(`cannot cap the rate of ${pod.key}: not a pod of the local cluster`);
  const netns = topology.nodeNetns(local.node);
  await run(tbfArgv(netns, local.hostIf, tbfParameters(bitsPerSecond)), { signal, timeoutMs: 10_000 });
  let lifted = false;
  return async () => {
    if (lifted) return;
    lifted = true;
    // The namespace may already be gone (the run was interrupted): nothing left to lift then.
    await run(['tc', '-n', netns, 'qdisc', 'del', 'dev', local.hostIf, 'root'], {
      allowFail: true,
      timeoutMs: 10_000,
    });
  };
}
