#!/usr/bin/env node
/**
 * The pod agent: one small program that runs inside every pod (a network namespace locally, a
 * Node.js container on real clusters). `node agent/main.js MODE [--flags]`; each mode lives in its
 * own file and prints machine-readable JSON on stdout.
 */
import { UsageError } from './args.js';
import { runServe } from './serve.js';
import { runProbe } from './probe.js';
import { runHold } from './hold.js';
import { runRrServer, runRrClient, runCrrClient } from './rr.js';

const modes: Record<string, (args: string[]) => Promise<number>> = {
  /** Serve declared TCP/UDP ports, answering with the pod name. */
  serve: runServe,
  /** Probe a list of targets (connect with timeout / UDP echo); prints JSON results. */
  probe: runProbe,
  /** Request/response echo server for the latency workloads. */
  'rr-server': runRrServer,
  /** TCP_RR-like round trips; prints JSON samples. */
  rr: runRrClient,
  /** TCP_CRR-like connect/request/response/close rate; prints JSON samples. */
  crr: runCrrClient,
  /** Long-lived TCP connections and UDP flows held open across a policy change (docs/policy-change.md). */
  hold: runHold,
};

const [mode, ...rest] = process.argv.slice(2);
const run = mode ? modes[mode] : undefined;
if (!run) {
  process.stderr.write(`usage: agent ${Object.keys(modes).join('|')} [options]\n`);
  process.exitCode = 2;
} else {
  run(rest).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof UsageError) {
        process.stderr.write(`agent ${err.message}\n`);
        process.exitCode = 2;
        return;
      }
      process.stderr.write(`agent ${mode}: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
