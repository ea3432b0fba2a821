/**
 * Held flows (ClusterDriver.holdFlows) for any driver that can run the agent's `hold` mode in a pod:
 * one `hold` process per source pod, stopped with SIGTERM, its one JSON line matched back to the
 * requests. The drivers differ only in how they start the process (a netns locally, exec on a real
 * cluster).
 */
import type { HoldReport } from '../agent/hold.js';
import type { BackgroundProcess, HeldFlowReport, HeldFlowRequest, HeldFlows } from './driver.js';

/** The agent's argv (after the agent command) for these flows of one source pod. */
function holdArgs(flows: HeldFlowRequest[], intervalMs = 50): string[] {
  const targets = flows.map((f) => ({ to: f.to, host: f.toIp, port: f.port, protocol: f.protocol }));
  return ['hold', '--targets', JSON.stringify(targets), '--interval-ms', String(intervalMs)];
}

/** The reports in `stdout` (the hold process's output), in the order of `flows`. */
export function parseHoldOutput(flows: HeldFlowRequest[], stdout: string, stderr = ''): HeldFlowReport[] {
  const line = stdout
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('{"flows"'));
  if (!line) {
    const why = stderr.trim().split('\n').pop() ?? '';
    throw new Error(`hold: the agent printed no report${why ? ` (${why})` : ''}`);
  }
  const reports = (JSON.parse(line) as { flows: HoldReport[] }).flows;
  if (reports.length !== flows.length)
    throw new Error(`hold: the agent reported ${reports.length} of ${flows.length} flows`);
  return flows.map((f, i) => {
    const r = reports[i] as HoldReport;
    return {
      ...f,
      established: r.established,
      sent: r.sent,
      received: r.received,
      answersAtMs: r.answersAtMs,
      ...(r.error !== undefined ? { error: r.error } : {}),
      durationMs: r.durationMs,
    };
  });
}

/** A started hold process, and a stdout watcher for its ready line (stdout text as it arrives). */
export interface StartedHold {
  proc: BackgroundProcess;
  /** Resolves once the process printed its `{"ready":…}` line. */
  ready: Promise<void>;
}

/** A ready promise fed by stdout chunks: call `feed` with each chunk. */
export function readyWatcher(): { ready: Promise<void>; feed: (chunk: string) => void } {
  let seen = '';
  let resolve: () => void = () => undefined;
  const ready = new Promise<void>((r) => (resolve = r));
  return {
    ready,
    feed: (chunk) => {
      seen += chunk;
      if (/\{"ready":(true|false)\}/.test(seen)) resolve();
    },
  };
}

/** How long holdBySource waits for the flows to be established (the agent gives up after 5 s itself). */
const READY_WAIT_MS = 15_000;

/**
 * Starts one hold process per source pod with `start`, waits until each says its flows are
 * established (or gave up), and gathers their reports on stop(), in request order.
 */
export async function holdBySource(
  flows: HeldFlowRequest[],
  start: (from: string, args: string[]) => Promise<StartedHold>,
): Promise<HeldFlows> {
  const bySource = new Map<string, number[]>();
  flows.forEach((f, i) => {
    const list = bySource.get(f.from) ?? [];
    list.push(i);
    bySource.set(f.from, list);
  });
  const running: Array<{ idxs: number[]; proc: BackgroundProcess; ready: Promise<void> }> = [];
  try {
    for (const [from, idxs] of bySource) {
      const mine = idxs.map((i) => flows[i] as HeldFlowRequest);
      running.push({ idxs, ...(await start(from, holdArgs(mine))) });
    }
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(running.map((r) => r.ready)),
      new Promise<void>((r) => (timer = setTimeout(r, READY_WAIT_MS))),
    ]);
    clearTimeout(timer);
  } catch (err) {
    await Promise.all(running.map((r) => r.proc.stop().catch(() => undefined)));
    throw err;
  }
  return {
    stop: async () => {
      const out = new Array<HeldFlowReport>(flows.length);
      const results = await Promise.all(running.map((r) => r.proc.stop()));
      running.forEach((r, k) => {
        const res = results[k];
        if (!res) return;
        const mine = r.idxs.map((i) => flows[i] as HeldFlowRequest);
        parseHoldOutput(mine, res.stdout, res.stderr).forEach((rep, j) => {
          out[r.idxs[j] as number] = rep;
        });
      });
      return out;
    },
  };
}
