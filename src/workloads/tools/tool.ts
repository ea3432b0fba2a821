/**
 * What every measurement tool is, and the helpers tools share. A tool knows its name and how to read its
 * version inside a pod; a throughput tool is a full driver (throughput-tool.ts: isSupported, run, parse,
 * the k8s-netperf way), registered in registry.ts. Tools only use the ClusterDriver interface
 * (exec/spawn), so they run unchanged on the local cluster and on real Kubernetes clusters.
 */
import type { BackgroundProcess, ClusterDriver, PerfPair, PodHandle } from '../../cluster/driver.js';

export interface MeasurementTool {
  /** As recorded in Measurement.tool.name. */
  readonly name: string;
  /** The tool's version as installed in `pod` (undefined when it cannot be read). */
  version(driver: ClusterDriver, pod: PodHandle): Promise<string | undefined>;
}

/** A measurement failed: the message names the tool, the path and the endpoints. */
export class MeasurementError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MeasurementError';
  }
}

/** "iperf3 on path cross-node (perf/client → 10.244.1.2:5201)" — used in every error message. */
export function describeRun(tool: string, pair: PerfPair, port: number): string {
  return `${tool} on path ${pair.path} (${pair.client.key} → ${pair.target}:${port}, server ${pair.server.key})`;
}

/**
 * Runs `body` with a server process started in the server pod, and always stops the server
 * afterwards (also when the body throws), attaching the server's output to the error.
 */
export async function withServer<T>(
  driver: ClusterDriver,
  pod: PodHandle,
  argv: string[],
  body: () => Promise<T>,
): Promise<T> {
  const server: BackgroundProcess = await driver.spawn(pod, argv);
  let result: T;
  try {
    result = await body();
  } catch (err) {
    const out = await server.stop().catch(() => undefined);
    const tail = out ? `${out.stderr}${out.stdout}`.trim().slice(-1000) : '';
    if (err instanceof Error && tail) err.message += `\n  server (${argv.join(' ')}) printed: ${tail}`;
    throw err;
  }
  await server.stop();
  return result;
}

/** Parses the single JSON document a tool printed; the error names the run and quotes the output. */
export function parseJsonOutput<T>(what: string, stdout: string, stderr: string): T {
  const text = stdout.trim();
  try {
    return JSON.parse(text) as T;
  } catch {
    const shown = (text || stderr.trim()).slice(0, 1000) || '(no output)';
    throw new MeasurementError(`${what}: output is not JSON: ${shown}`);
  }
}
