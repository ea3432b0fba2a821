/**
 * Throughput beside the multi-step cases (docs/policy-change.md): iperf3 TCP between the cross-node
 * perf pair, run after run (1 s each) until stopped, so a step's time to enforce is measured while
 * the dataplane carries traffic on the same nodes. Each run's rate is kept, as evidence the load ran.
 */
import type { ClusterDriver, PerfPair } from '../../cluster/driver.js';
import type { ConformanceLoad } from '../../results/schema.js';
import { iperf3 } from '../tools/iperf3.js';
import { messageOf } from '../../util/errors.js';

export interface RunningLoad {
  stop(): Promise<ConformanceLoad>;
}

/** Starts the load; runConformance calls it with its own stop signal. */
export interface ConformanceLoadSource {
  start(signal: AbortSignal): Promise<RunningLoad>;
}

/** iperf3 TCP, one stream, 1 s runs back to back on `pair` until stopped. */
export function throughputLoad(driver: ClusterDriver, pair: () => Promise<PerfPair>): ConformanceLoadSource {
  return {
    start: async (signal) => {
      const p = await pair();
      const gbps: number[] = [];
      const stopper = new AbortController();
      const onAbort = () => stopper.abort(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      let error: string | undefined;
      const loop = iperf3
        .withServer(driver, p, async () => {
          while (!stopper.signal.aborted) {
            const test = {
              protocol: 'TCP' as const,
              streams: 1,
              duration: 1,
              udpRate: '',
              signal: stopper.signal,
            };
            const r = iperf3.parse(test, await iperf3.run(driver, p, test));
            gbps.push(Math.round(r.bitsPerSecond / 1e7) / 100);
          }
        })
        .catch((err: unknown) => {
          if (!stopper.signal.aborted) error = messageOf(err);
        });
      return {
        stop: async () => {
          stopper.abort(new Error('load stopped'));
          await loop;
          signal.removeEventListener('abort', onAbort);
          return { path: p.path, tool: 'iperf3', gbps, ...(error !== undefined ? { error } : {}) };
        },
      };
    },
  };
}
