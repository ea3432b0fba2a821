/**
 * Commands in the run's pods through the exec API: which container runs a command (iperf3, netperf,
 * the cnibench agent), one-shot commands, and long-running ones stopped by a second exec.
 */
import { randomBytes } from 'node:crypto';
import type { BackgroundProcess, ExecResult, PodHandle } from '../driver.js';
import { AGENT_BUNDLE_FILE } from './agent-bundle.js';
import { translateError } from './client.js';
import { execInPod, ExecError, type RawExecOptions } from './exec.js';
import { AGENT_DIR } from './manifests.js';
import type { KubeSession } from './session.js';

/** The agent's command line in an agent container. */
export const AGENT_COMMAND = ['node', `${AGENT_DIR}/${AGENT_BUNDLE_FILE}`];

/** `p`'s value, or undefined if it takes longer than `ms` (the timer never outlives the race). */
async function raceTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Chooses the container for a command and rewrites the agent's: `iperf3 ...` runs in the iperf3
 * container, `netperf`/`netserver` in the netperf one, `agent MODE ...` (the cnibench agent) runs as
 * `node <mounted bundle> MODE ...` in the agent container, `node ...` there too; anything else in the
 * pod's first container.
 */
export function routeCommand(
  s: KubeSession,
  pod: PodHandle,
  argv: string[],
): { container: string; argv: string[] } {
  const r = s.pod(pod);
  if (!r) throw new Error(`no pod ${pod.key} in this run`);
  const has = (c: string) => r.containers.includes(c);
  const cmd = argv[0] ?? '';
  if (cmd === 'agent' && has('agent'))
    return { container: 'agent', argv: [...AGENT_COMMAND, ...argv.slice(1)] };
  if ((cmd === 'iperf3' || cmd === 'iperf') && has('iperf3')) return { container: 'iperf3', argv };
  if ((cmd === 'netperf' || cmd === 'netserver') && has('netperf')) return { container: 'netperf', argv };
  if (cmd === 'node' && has('agent')) return { container: 'agent', argv };
  return { container: r.containers[0] ?? '', argv };
}

/** One exec in a container; connection-level failures come back as EnvironmentError. */
export async function execIn(
  s: KubeSession,
  pod: Pick<PodHandle, 'namespace' | 'name' | 'key'>,
  container: string,
  argv: string[],
  opts: RawExecOptions = {},
  what = `exec in ${pod.key}`,
): Promise<ExecResult> {
  const conn = s.connection();
  try {
    return await execInPod(conn.kc, { namespace: pod.namespace, pod: pod.name, container }, argv, opts);
  } catch (err) {
    if (err instanceof ExecError) throw err;
    throw translateError(conn, what, err);
  }
}

/**
 * Starts a command that runs until stop(). The exec API cannot signal a process, so the command is
 * started through `sh` writing its pid to a file; stop() kills that pid with a second exec (SIGTERM,
 * so iperf3 and the agent exit cleanly) and returns what the first one printed.
 */
export async function spawnIn(
  s: KubeSession,
  pod: PodHandle,
  argv: string[],
  /** Sees stdout as it arrives (e.g. a ready line), besides stop()'s collected output. */
  onStdout?: (chunk: string) => void,
): Promise<BackgroundProcess> {
  const { container, argv: cmd } = routeCommand(s, pod, argv);
  const pidFile = `/tmp/cnibench-${randomBytes(6).toString('hex')}.pid`;
  let out = '';
  let err = '';
  const running = execIn(
    s,
    pod,
    container,
    ['/bin/sh', '-c', `echo $$ > ${pidFile}; exec "$@"`, 'sh', ...cmd],
    {
      onStdout: (x) => {
        out += x;
        onStdout?.(x);
      },
      onStderr: (x) => (err += x),
    },
  );
  // Surface a failed start early (no such executable exits at once).
  const early = await raceTimeout(running, 300);
  let stopped = false;
  return {
    stop: async () => {
      if (early) return early;
      if (stopped) throw new Error('stop() called twice');
      stopped = true;
      await execIn(
        s,
        pod,
        container,
        ['/bin/sh', '-c', `kill -TERM "$(cat ${pidFile})" 2>/dev/null; rm -f ${pidFile}`],
        {
          timeoutMs: 30_000,
        },
      );
      const res = await raceTimeout(
        running.catch(() => undefined),
        10_000,
      );
      return (
        res ?? { stdout: out, stderr: `${err}\n(process did not exit within 10 s of SIGTERM)`, exitCode: -1 }
      );
    },
  };
}
