/**
 * Removing what the local cluster left behind: network namespaces (and with them every veth, vxlan
 * device, route and nft table inside), the processes still running in them, and any `cnb_` nft table
 * or `c…`/`cnb-` link in the host namespace. Works from names alone, so it also cleans up after a run
 * that crashed or was killed.
 */
import { readdir, readlink } from 'node:fs/promises';
import { removeStaleRunCgroups } from './cgroups.js';
import { NAME_PREFIX } from './names.js';
import { run } from './sh.js';

export interface CleanupOptions {
  /**
   * Remove objects whose name starts with this. Default `cnb-` (everything cnibench ever left); a run
   * id removes one run; tests pass their own unique prefix.
   */
  prefix?: string;
}

export interface CleanupReport {
  netns: string[];
  processes: number[];
  nftTables: string[];
  links: string[];
  /** cgroup directories of the runs (cgroups.ts) removed. */
  cgroups: string[];
}

/** Names of the network namespaces on this machine. */
export async function listNetns(): Promise<string[]> {
  const r = await run(['ip', '-j', 'netns', 'list'], { allowFail: true });
  if (r.exitCode !== 0 || !r.stdout.trim()) return [];
  return (JSON.parse(r.stdout) as Array<{ name: string }>).map((n) => n.name);
}

/** Pids of the processes whose network namespace is `netns` (what `ip netns pids` prints). */
export async function netnsPids(netns: string): Promise<number[]> {
  const r = await run(['ip', 'netns', 'pids', netns], { allowFail: true });
  return r.stdout
    .split(/\s+/)
    .filter(Boolean)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 1 && n !== process.pid);
}

async function killAndWait(pids: number[], timeoutMs = 3000): Promise<void> {
  if (pids.length === 0) return;
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  const deadline = Date.now() + timeoutMs;
  for (const pid of pids) {
    while (Date.now() < deadline && (await alive(pid))) await new Promise((r) => setTimeout(r, 10));
  }
}

async function alive(pid: number): Promise<boolean> {
  try {
    // A zombie still answers kill(0); its /proc/<pid>/ns/net link is gone though.
    await readlink(`/proc/${pid}/ns/net`);
    return true;
  } catch {
    return false;
  }
}

/** Deletes the given namespaces after killing everything running in them. */
export async function deleteNetns(names: string[]): Promise<number[]> {
  const killed: number[] = [];
  await Promise.all(
    names.map(async (ns) => {
      const pids = await netnsPids(ns);
      await killAndWait(pids);
      killed.push(...pids);
    }),
  );
  await Promise.all(names.map((ns) => run(['ip', 'netns', 'del', ns], { allowFail: true })));
  return killed;
}

/** The host-namespace nft tables cnibench would name for this prefix (`cnb-x` → `cnb_x`). */
async function hostNftTables(prefix: string): Promise<Array<{ family: string; name: string }>> {
  const r = await run(['nft', '-j', 'list', 'tables'], { allowFail: true });
  if (r.exitCode !== 0 || !r.stdout.trim()) return [];
  const tablePrefix = prefix.replace(/-/g, '_');
  const parsed = JSON.parse(r.stdout) as { nftables: Array<{ table?: { family: string; name: string } }> };
  return parsed.nftables
    .flatMap((e) => (e.table ? [e.table] : []))
    .filter((t) => t.name.startsWith(tablePrefix));
}

async function hostLinks(prefix: string): Promise<string[]> {
  try {
    const names = await readdir('/sys/class/net');
    return names.filter((n) => n.startsWith(prefix));
  } catch {
    return [];
  }
}

/** Removes every object whose name starts with `prefix` (default: all of cnibench's). Idempotent. */
export async function cleanupLocal(opts: CleanupOptions = {}): Promise<CleanupReport> {
  const prefix = opts.prefix ?? NAME_PREFIX;
  if (!prefix.startsWith(NAME_PREFIX)) {
    throw new Error(`cleanup prefix "${prefix}" must start with ${NAME_PREFIX}`);
  }
  const netns = (await listNetns()).filter((n) => n.startsWith(prefix));
  const processes = await deleteNetns(netns);
  const tables = await hostNftTables(prefix);
  for (const t of tables) await run(['nft', 'delete', 'table', t.family, t.name], { allowFail: true });
  const links = await hostLinks(prefix);
  for (const l of links) await run(['ip', 'link', 'del', l], { allowFail: true });
  // After the namespaces: their processes are gone, so the run cgroups are empty and can go.
  const cgroups = removeStaleRunCgroups((runId) => !runId.startsWith(prefix));
  return { netns, processes, nftTables: tables.map((t) => `${t.family} ${t.name}`), links, cgroups };
}
