/**
 * One probe round on a real cluster, in either probe mode (`cluster.probeMode`):
 *
 * - `agent` (default): **one exec per source pod**, in the pod's `agent` container, running
 *   `node <agent> probe --porter --targets '[…]'`. The agent probes all of that pod's targets at once,
 *   each with its own timeout, and prints one JSON array of results; probe-verdict.ts judges it. A
 *   round of 288 probes from 9 pods is 9 execs instead of 288.
 * - `agnhost`: one exec of `agnhost connect` per probe (pure upstream images), as the upstream e2e
 *   suite does.
 *
 * Both go through an injected `exec`, so the driver owns the connection and error mapping and this
 * file owns what a round is. An exec that fails (timeout, stream error, container gone) makes the
 * probes it carried inconclusive; an EnvironmentError (cluster unreachable, credentials rejected)
 * stops the round.
 */
import type { ProbeTarget } from '../../agent/probe.js';
import type { ExecResult, PodHandle, ProbeOptions, ProbeRequest, ProbeResult } from '../driver.js';
import { EnvironmentError, messageOf } from '../../util/errors.js';
import { mapLimit } from '../../util/map-limit.js';
import { itemAt } from '../../util/arrays.js';
import { probeCommand, toProbeResult } from './probe.js';
import { inconclusive, parseBatchAnswer, parseConnectOutput, type BatchVerdict } from './probe-verdict.js';
import type { KubeClusterConfig } from '../../scenario/schema.js';

export type ProbeMode = KubeClusterConfig['probeMode'];

/** Where a source pod's probes run. */
export interface ProbeSource {
  pod: PodHandle;
  /** The container the probe command runs in (`agent`, or an agnhost container). */
  container: string;
  /** Agent mode: the agnhost binary the agent runs for SCTP probes, when the pod has a copy. */
  agnhost?: string;
}

/** Runs a command in a source pod; throws EnvironmentError for cluster-wide failures. */
type ProbeExec = (
  src: ProbeSource,
  argv: string[],
  opts: { timeoutMs: number; signal?: AbortSignal },
) => Promise<ExecResult>;

export interface ProbeRoundContext {
  mode: ProbeMode;
  /** Execs in flight at once (per-probe execs in agnhost mode, per-pod batches in agent mode). */
  execConcurrency: number;
  /** How the agent is started in the agent container, e.g. ['node', '/opt/cnibench/agent/cnibench-agent.mjs']. */
  agentCommand: readonly string[];
  source(key: string): ProbeSource;
  exec: ProbeExec;
}

/** Extra time for the exec API itself on top of a probe's own timeout. */
const EXEC_OVERHEAD_MS = 15_000;
/** Agent mode: extra time the agent allows agnhost (SCTP) beyond its own --timeout. */
const AGNHOST_GRACE_MS = 2_000;

/**
 * One `--targets` argument stays well below Linux's limit on a single argv string (MAX_ARG_STRLEN,
 * 128 KiB); one exec's arguments stay well below what the exec URL and the runtime accept (the API
 * server's 1 MiB request header limit). Only a pod probing thousands of targets in one round needs a
 * second exec.
 */
export const MAX_TARGETS_ARG_BYTES = 64 * 1024;
export const MAX_EXEC_ARGS_BYTES = 256 * 1024;

/** The agent command line(s) probing `targets`: one, unless they exceed MAX_EXEC_ARGS_BYTES. */
export function agentProbeCommands(
  agentCommand: readonly string[],
  targets: readonly ProbeTarget[],
  timeoutMs: number,
  agnhost?: string,
): Array<{ argv: string[]; count: number; first: number }> {
  const head = (count: number) => [
    ...agentCommand,
    'probe',
    '--porter',
    '--timeout-ms',
    String(Math.max(1, Math.round(timeoutMs))),
    // Every probe of the batch at once: the round takes one timeout, not one per wave.
    '--concurrency',
    String(Math.max(1, count)),
    ...(agnhost ? ['--agnhost', agnhost] : []),
  ];
  const out: Array<{ argv: string[]; count: number; first: number }> = [];
  let args: string[] = [];
  let chunk: string[] = [];
  let argBytes = 0;
  let execBytes = 0;
  let count = 0;
  let first = 0;
  const closeChunk = () => {
    if (chunk.length) args.push('--targets', `[${chunk.join(',')}]`);
    chunk = [];
    argBytes = 0;
  };
  const closeExec = () => {
    closeChunk();
    if (count) out.push({ argv: [...head(count), ...args], count, first });
    first += count;
    args = [];
    execBytes = 0;
    count = 0;
  };
  for (const t of targets) {
    const json = JSON.stringify({ to: t.to, host: t.host, port: t.port, protocol: t.protocol });
    if (execBytes + json.length + 16 > MAX_EXEC_ARGS_BYTES) closeExec();
    if (argBytes + json.length + 2 > MAX_TARGETS_ARG_BYTES) closeChunk();
    chunk.push(json);
    argBytes += json.length + 1;
    execBytes += json.length + 1;
    count++;
  }
  closeExec();
  return out;
}

const failureText = (err: unknown) => messageOf(err);

async function agnhostRound(
  requests: ProbeRequest[],
  ctx: ProbeRoundContext,
  opts: ProbeOptions,
): Promise<ProbeResult[]> {
  return mapLimit(requests, ctx.execConcurrency, async (req) => {
    const src = ctx.source(req.from);
    const start = performance.now();
    try {
      const r = await ctx.exec(src, probeCommand(req, opts.timeoutMs), {
        timeoutMs: opts.timeoutMs + EXEC_OVERHEAD_MS,
        signal: opts.signal,
      });
      return toProbeResult(req, parseConnectOutput(r), performance.now() - start);
    } catch (err) {
      if (err instanceof EnvironmentError) throw err;
      return toProbeResult(req, inconclusive(failureText(err)), performance.now() - start);
    }
  });
}

async function agentRound(
  requests: ProbeRequest[],
  ctx: ProbeRoundContext,
  opts: ProbeOptions,
): Promise<ProbeResult[]> {
  const bySource = new Map<string, number[]>();
  requests.forEach((r, i) => {
    const list = bySource.get(r.from);
    if (list) list.push(i);
    else bySource.set(r.from, [i]);
  });
  const results = new Array<ProbeResult>(requests.length);
  await mapLimit([...bySource.entries()], ctx.execConcurrency, async ([from, idxs]) => {
    const src = ctx.source(from);
    const mine = idxs.map((i) => itemAt(requests, i));
    const targets = mine.map((r) => ({ to: r.to, host: r.toIp, port: r.port, protocol: r.protocol }));
    const hasSctp = targets.some((t) => t.protocol === 'SCTP');
    const timeoutMs = opts.timeoutMs + (hasSctp ? AGNHOST_GRACE_MS : 0) + EXEC_OVERHEAD_MS;
    for (const cmd of agentProbeCommands(ctx.agentCommand, targets, opts.timeoutMs, src.agnhost)) {
      const batch = mine.slice(cmd.first, cmd.first + cmd.count);
      const start = performance.now();
      let verdicts: BatchVerdict[];
      try {
        const r = await ctx.exec(src, cmd.argv, { timeoutMs, signal: opts.signal });
        verdicts = parseBatchAnswer(batch, r);
      } catch (err) {
        if (err instanceof EnvironmentError) throw err;
        verdicts = batch.map(() => inconclusive(failureText(err)));
      }
      const wall = performance.now() - start;
      batch.forEach((req, k) => {
        const v: BatchVerdict = verdicts[k] ?? inconclusive('no verdict');
        const at = itemAt(idxs, cmd.first + k);
        results[at] = toProbeResult(req, v, v.elapsedMs ?? wall);
      });
    }
  });
  return results;
}

/** Probes every request once; results keep the order of `requests`. */
export function runProbeRound(
  requests: ProbeRequest[],
  ctx: ProbeRoundContext,
  opts: ProbeOptions,
): Promise<ProbeResult[]> {
  if (requests.length === 0) return Promise.resolve([]);
  return ctx.mode === 'agent' ? agentRound(requests, ctx, opts) : agnhostRound(requests, ctx, opts);
}
