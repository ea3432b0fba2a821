/**
 * Running commands in pods through the exec API (client-node's `Exec`, a WebSocket speaking the
 * channel.k8s.io protocol): collects stdout/stderr and takes the exit code from the final Status
 * frame, with a timeout and an abort signal that close the socket.
 */
import { Writable } from 'node:stream';
import { Exec, type KubeConfig, type V1Status } from '@kubernetes/client-node';
import WebSocket from 'ws';
import type { ExecResult } from '../driver.js';

export interface ExecTarget {
  namespace: string;
  pod: string;
  container: string;
}

export interface RawExecOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Called with each stdout/stderr chunk as it arrives (long-running commands). */
  onStdout?: (chunk: string) => void;
  onStderr?: (chunk: string) => void;
}

/** The exit code a Status frame reports: 0 for Success, the ExitCode cause for NonZeroExitCode. */
export function exitCodeOf(status: V1Status | undefined): number | undefined {
  if (!status) return undefined;
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const n = cause?.message !== undefined ? Number(cause.message) : NaN;
  return Number.isInteger(n) ? n : undefined;
}

export class ExecError extends Error {}

/**
 * The exec subprotocol offered. client-node's own socket handler offers v5 first and, on a v5 CLOSE
 * frame, ends its default streams — the process's own stdout/stderr. v4 (served by every supported
 * API server) has no CLOSE frames, carries the same stdout/stderr/status channels, and is what the
 * tests' fake API server speaks.
 */
const EXEC_PROTOCOL = 'v4.channel.k8s.io';

/** What client-node's `Exec` needs from a socket opener (its `WebSocketInterface`, not exported). */
type ExecSocketOpener = NonNullable<ConstructorParameters<typeof Exec>[1]>;

/**
 * Opens the exec WebSocket with v4 only and hands every binary frame (channel byte, payload) to
 * client-node's `Exec`, which splits stdout, stderr and the final Status. Credentials and TLS come from
 * the kubeconfig exactly as for REST calls (`applyToHTTPSOptions`).
 */
class V4ExecSocket implements ExecSocketOpener {
  constructor(private readonly kc: KubeConfig) {}

  async connect(
    path: string,
    textHandler: ((text: string) => boolean) | null,
    binaryHandler: ((stream: number, buff: Buffer) => boolean) | null,
  ): Promise<WebSocket> {
    const server = this.kc.getCurrentCluster()?.server;
    if (!server) throw new ExecError('the kubeconfig selects no cluster');
    const uri = `${server.replace(/^http/, 'ws')}${path}`;
    const opts: WebSocket.ClientOptions = {};
    await this.kc.applyToHTTPSOptions(opts);
    const ws = new WebSocket(uri, [EXEC_PROTOCOL], opts);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const keep = isBinary
        ? (binaryHandler?.(data.readUInt8(0), data.subarray(1)) ?? true)
        : (textHandler?.(data.toString('utf8')) ?? true);
      if (!keep) ws.close();
    });
    return await new Promise<WebSocket>((resolve, reject) => {
      ws.once('open', () => {
        ws.off('error', reject);
        resolve(ws);
      });
      ws.once('error', reject);
    });
  }
}

function execClient(kc: KubeConfig): Exec {
  return new Exec(kc, new V4ExecSocket(kc));
}

class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  constructor(private readonly onChunk?: (s: string) => void) {
    super();
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.onChunk?.(chunk.toString('utf8'));
    cb();
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/**
 * Runs `argv` in a container and resolves when the command's Status arrives. A command that could
 * not run at all (no such executable, container gone) resolves with exitCode -1 and the API server's
 * message appended to stderr; a timeout or abort rejects with ExecError.
 */
export async function execInPod(
  kc: KubeConfig,
  t: ExecTarget,
  argv: string[],
  opts: RawExecOptions = {},
): Promise<ExecResult> {
  const stdout = new Collector(opts.onStdout);
  const stderr = new Collector(opts.onStderr);
  let status: V1Status | undefined;
  const where = `${t.namespace}/${t.pod}[${t.container}]`;
  if (opts.signal?.aborted) throw new ExecError(`exec in ${where} aborted before it started`);
  const exec = execClient(kc);
  const ws = await exec.exec(t.namespace, t.pod, t.container, argv, stdout, stderr, null, false, (s) => {
    status = s;
  });
  return await new Promise<ExecResult>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const cleanup = () => {
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (why: string) => {
      cleanup();
      ws.close();
      reject(new ExecError(`exec in ${where} ${why}: ${argv.join(' ')}`));
    };
    const onAbort = () => fail('aborted');
    if (opts.timeoutMs !== undefined)
      timer = setTimeout(() => fail(`timed out after ${opts.timeoutMs} ms`), opts.timeoutMs);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    ws.on('error', (err: Error) => fail(`failed (${err.message})`));
    ws.on('close', () => {
      cleanup();
      const code = exitCodeOf(status);
      if (status === undefined) {
        reject(
          new ExecError(`exec in ${where}: the stream closed without an exit status: ${argv.join(' ')}`),
        );
        return;
      }
      if (code === undefined) {
        const msg = status.message ?? status.reason ?? 'unknown failure';
        resolve({
          stdout: stdout.text(),
          stderr: `${stderr.text()}${stderr.chunks.length ? '\n' : ''}${msg}`,
          exitCode: -1,
        });
        return;
      }
      resolve({ stdout: stdout.text(), stderr: stderr.text(), exitCode: code });
    });
  });
}
