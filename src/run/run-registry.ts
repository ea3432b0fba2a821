/**
 * Which local runs are alive. A run writes its process id under /run/cnibench while it owns objects on
 * this machine; the next run removes the objects of any run whose process is gone (it crashed or was
 * killed with SIGKILL), so a crash never leaves namespaces behind for long. Objects that no run
 * claimed (made by hand or by tests) are left to `cnibench cleanup`.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanupLocal } from '../cluster/local/cleanup.js';

const RUN_REGISTRY_DIR = '/run/cnibench';

/** Records that this process owns the objects of `objectId` (cnb-xxxxxx); returns the release. */
export function claimRun(objectId: string, dir = RUN_REGISTRY_DIR): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${objectId}.pid`);
  writeFileSync(file, `${process.pid}\n`);
  return () => rmSync(file, { force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the objects of claimed runs whose process is gone; returns their ids. */
export async function sweepDeadRuns(dir = RUN_REGISTRY_DIR): Promise<string[]> {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /^cnb-[a-z0-9]+\.pid$/.test(f));
  } catch {
    return [];
  }
  const swept: string[] = [];
  for (const f of files) {
    const pid = Number(readFileSync(path.join(dir, f), 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) continue;
    const id = f.slice(0, -'.pid'.length);
    await cleanupLocal({ prefix: `${id}-` });
    rmSync(path.join(dir, f), { force: true });
    swept.push(id);
  }
  return swept;
}
