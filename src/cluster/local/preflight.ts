/**
 * What the local cluster needs from this machine: root (network namespaces, nftables) and the tools
 * `ip`, `tc`, `nft`, `iperf3`, `ping`, `taskset` and `node`. Missing pieces become one EnvironmentError (exit 3) that
 * names the Debian packages to install.
 */
import { access, constants, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { EnvironmentError } from '../../util/errors.js';
import type { Protocol } from '../../netpol/types.js';

/** Tool → Debian package providing it. */
const REQUIRED_TOOLS: Record<string, string> = {
  ip: 'iproute2',
  bridge: 'iproute2',
  nft: 'nftables',
  iperf3: 'iperf3',
  ping: 'iputils-ping',
  // tc: the planted handicap's rate cap; taskset: pinning perf processes to CPUs (docs/statistics.md).
  tc: 'iproute2',
  taskset: 'util-linux',
};

const INSTALL_HINT = 'apt-get install iproute2 nftables iperf3 iputils-ping util-linux';

/** Absolute path of an executable on PATH, or undefined. */
export async function findExecutable(
  name: string,
  path = process.env.PATH ?? '',
): Promise<string | undefined> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

export interface LocalPreflightOptions {
  /** Override for tests: the effective user id. */
  uid?: number;
  /** Override for tests: the PATH to search. */
  path?: string;
  /** The node binary the pod agents run with. */
  nodeBinary?: string;
}

export async function localPreflight(opts: LocalPreflightOptions = {}): Promise<void> {
  const problems: string[] = [];
  const uid = opts.uid ?? process.getuid?.() ?? -1;
  if (uid !== 0) problems.push('the local cluster needs root (network namespaces and nftables); run as root');
  const missing: string[] = [];
  const packages = new Set<string>();
  for (const [tool, pkg] of Object.entries(REQUIRED_TOOLS)) {
    if (!(await findExecutable(tool, opts.path))) {
      missing.push(tool);
      packages.add(pkg);
    }
  }
  const nodeBinary = opts.nodeBinary ?? process.execPath;
  try {
    await access(nodeBinary, constants.X_OK);
  } catch {
    missing.push(`node (${nodeBinary})`);
  }
  if (missing.length > 0) {
    problems.push(
      `missing tools: ${missing.join(', ')}; install them with: ${INSTALL_HINT}` +
        (packages.size > 0 ? ` (missing packages: ${[...packages].join(' ')})` : ''),
    );
  }
  if (problems.length > 0) throw new EnvironmentError(problems.join('; '));
}

/**
 * Whether this kernel has SCTP right now (built in or loaded: it shows in /proc/net/protocols).
 * There is no module loader on minimal machines, so an absent module means no SCTP.
 */
export async function kernelHasSctp(): Promise<boolean> {
  try {
    const text = await readFile('/proc/net/protocols', 'utf8');
    return text.split('\n').some((l) => /^SCTP\b/.test(l));
  } catch {
    return false;
  }
}

/** Protocols the pod agent can probe: Node.js sockets do TCP and UDP only. */
export const AGENT_PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP'];
