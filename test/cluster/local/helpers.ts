/**
 * Shared by the local-cluster tests: unique run ids (so parallel test files and other helpers'
 * tests never collide) and snapshots of what exists, filtered to one prefix.
 */
import { randomBytes } from 'node:crypto';
import { run } from '../../../src/cluster/local/sh.js';
import { listNetns } from '../../../src/cluster/local/cleanup.js';

/** `cnb-t<5 hex>`: a run id no other test or helper uses. */
export function testRunId(): string {
  return `cnb-t${randomBytes(3).toString('hex').slice(0, 5)}`;
}

/** Network namespaces whose names start with `prefix`. */
export async function netnsWithPrefix(prefix: string): Promise<string[]> {
  return (await listNetns()).filter((n) => n.startsWith(prefix)).sort();
}

/** `nft list tables` in the host namespace, as lines. */
export async function hostNftTables(): Promise<string[]> {
  const r = await run(['nft', 'list', 'tables'], { allowFail: true });
  return r.stdout.split('\n').filter(Boolean).sort();
}
