/**
 * The performance tests run the workloads through the real local driver, the same one `cnibench run`
 * uses; everything it creates carries a fresh run id and is removed by `cleanup()`.
 */
import path from 'node:path';
import { LocalDriver } from '../../../src/cluster/local/driver.js';
import { PROJECT_ROOT } from '../../../src/util/version.js';

export const AGENT_PATH = path.join(PROJECT_ROOT, 'dist', 'src', 'agent', 'main.js');
/** How the tests run the agent in a namespace: the built agent of this checkout. */
export const AGENT_COMMAND: [string, ...string[]] = [process.execPath, AGENT_PATH];

export function perfDriver(
  opts: { nodes?: number; mode?: 'routed' | 'vxlan'; engine?: 'nftables' | 'ebpf' } = {},
): LocalDriver {
  return new LocalDriver({
    nodes: opts.nodes ?? 2,
    mode: opts.mode ?? 'routed',
    agentPath: AGENT_PATH,
    ...(opts.engine ? { engine: opts.engine } : {}),
  });
}
