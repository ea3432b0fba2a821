/**
 * The local cluster's cgroups, so that CPU and kernel memory can be charged to pods and to the
 * dataplane (docs/cost.md). One directory per run, `cnibench-<runId>`, below the cgroup the harness
 * itself runs in (so a run never leaves the limits it was started under), and in it one cgroup per
 * network namespace that runs commands: a pod's processes (its agent, iperf3, the rr agent) are
 * charged to the pod's, the nodes' nft processes to `dataplane`.
 *
 * - CPU: cgroup v2 `cpu.stat` `usage_usec` (kept for every cgroup, no controller needed), else v1
 *   `cpuacct.usage` (ns). Both count the CPU of processes that already exited.
 * - Kernel memory: nftables allocates its tables, chains, rules and sets as accounted kernel memory
 *   (and the kernel charges BPF maps the same way), to the memory cgroup of the process that made
 *   them; it stays charged there until the objects are freed, also after that process exited. Read
 *   from v1 `memory.kmem.usage_in_bytes`, else v2 `memory.stat` `kernel` (present only when the
 *   memory controller reaches the run's cgroups); otherwise not available.
 *
 * Processes join their cgroup before they run anything: commands are started through `sh -c 'echo
 * $$ > …/cgroup.procs; exec "$@"'`, so the pid stays the command's own.
 */
import { mkdirSync, readFileSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import { messageOf } from '../../util/errors.js';

/** A mounted cgroup hierarchy and where this process sits in it. */
export interface Hierarchy {
  version: 1 | 2;
  /** Directory of the cgroup this process belongs to (mount point + own path). */
  own: string;
}

export interface CgroupLayout {
  cpu?: Hierarchy;
  memory?: Hierarchy;
}

interface Mount {
  point: string;
  fstype: string;
  options: string[];
}

/** The cgroup mounts of /proc/mounts (cgroup v1 with its controllers, cgroup2). */
function parseCgroupMounts(text: string): Mount[] {
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const [, point, fstype, opts] = line.split(' ');
    if (!point || (fstype !== 'cgroup' && fstype !== 'cgroup2')) continue;
    out.push({ point: point.replace(/\\040/g, ' '), fstype, options: (opts ?? '').split(',') });
  }
  return out;
}

/** /proc/self/cgroup: controller list ('' for v2) → this process's path in that hierarchy. */
function parseProcCgroup(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    if (m?.[2] !== undefined) out.set(m[1] ?? '', m[2]);
  }
  return out;
}

/** Where CPU and kernel memory can be accounted, from /proc/mounts and /proc/self/cgroup. */
function cgroupLayout(mountsText: string, procCgroupText: string): CgroupLayout {
  const mounts = parseCgroupMounts(mountsText);
  const own = parseProcCgroup(procCgroupText);
  const v1 = (controller: string): Hierarchy | undefined => {
    const m = mounts.find((x) => x.fstype === 'cgroup' && x.options.includes(controller));
    if (!m) return undefined;
    const entry = [...own.entries()].find(([k]) => k.split(',').includes(controller));
    return entry ? { version: 1, own: path.join(m.point, entry[1]) } : undefined;
  };
  const v2Mount = mounts.find((x) => x.fstype === 'cgroup2');
  const v2Own = own.get('');
  const v2: Hierarchy | undefined =
    v2Mount && v2Own !== undefined ? { version: 2, own: path.join(v2Mount.point, v2Own) } : undefined;
  const memory = v1('memory') ?? (v2 && controllersOf(v2.own).includes('memory') ? v2 : undefined);
  return { ...((v2 ?? v1('cpuacct')) ? { cpu: v2 ?? v1('cpuacct') } : {}), ...(memory ? { memory } : {}) };
}

/** The controllers a v2 cgroup's children get (its cgroup.subtree_control). */
function controllersOf(dir: string): string[] {
  try {
    return readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8').trim().split(/\s+/);
  } catch {
    return [];
  }
}

/** CPU seconds of a cgroup: v2 cpu.stat usage_usec, v1 cpuacct.usage (ns). */
function parseCpuUsage(version: 1 | 2, text: string): number {
  if (version === 1) return Number(text.trim()) / 1e9;
  const m = /^usage_usec (\d+)$/m.exec(text);
  if (!m) throw new Error('cpu.stat has no usage_usec');
  return Number(m[1]) / 1e6;
}

/** Kernel memory of a v2 cgroup from memory.stat: `kernel`, else the sum of its parts. */
function parseKernelMemoryV2(text: string): number | undefined {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const [k, v] = line.split(' ');
    if (k && v) fields.set(k, Number(v));
  }
  const kernel = fields.get('kernel');
  if (kernel !== undefined) return kernel;
  const parts = ['slab', 'percpu', 'kernel_stack', 'pagetables', 'sock', 'vmalloc'];
  return parts.some((p) => fields.has(p)) ? parts.reduce((a, p) => a + (fields.get(p) ?? 0), 0) : undefined;
}

/** The run's cgroups: one per network namespace that runs commands, plus `dataplane`. */
export class RunCgroups {
  private readonly made = new Set<string>();

  private constructor(
    readonly runId: string,
    readonly layout: CgroupLayout,
  ) {}

  /** The run's cgroups where this machine offers them; undefined (with the reason) where it does not. */
  static open(runId: string): RunCgroups | { unavailable: string } {
    let layout: CgroupLayout;
    try {
      layout = cgroupLayout(readFileSync('/proc/mounts', 'utf8'), readFileSync('/proc/self/cgroup', 'utf8'));
    } catch (err) {
      return { unavailable: `cannot read the cgroup mounts: ${messageOf(err)}` };
    }
    if (!layout.cpu) return { unavailable: 'no cgroup v2 mount and no cgroup v1 cpuacct controller' };
    const groups = new RunCgroups(runId, layout);
    try {
      groups.ensure('probe');
      groups.cpuSeconds('probe');
    } catch (err) {
      groups.destroy();
      return { unavailable: `cannot create cgroups below ${layout.cpu.own}: ${messageOf(err)}` };
    }
    return groups;
  }

  /** `cnibench-<runId>` in a hierarchy. */
  private runDir(h: Hierarchy): string {
    return path.join(h.own, `cnibench-${this.runId}`);
  }

  private hierarchies(): Hierarchy[] {
    const { cpu, memory } = this.layout;
    return [cpu, memory].filter((h, i, all): h is Hierarchy => !!h && all.indexOf(h) === i);
  }

  private dir(h: Hierarchy, name: string): string {
    return path.join(this.runDir(h), name);
  }

  /** Creates cgroup `name` (idempotent) and returns its cgroup.procs files, one per hierarchy. */
  ensure(name: string): string[] {
    if (!/^[a-z0-9-]{1,40}$/.test(name)) throw new Error(`bad cgroup name "${name}"`);
    return this.hierarchies().map((h) => {
      const dir = this.dir(h, name);
      if (!this.made.has(dir)) {
        mkdirSync(dir, { recursive: true });
        this.made.add(dir);
      }
      return path.join(dir, 'cgroup.procs');
    });
  }

  /** argv that runs `argv` inside cgroup `name` from its first instruction (the pid stays the command's). */
  wrap(name: string, argv: string[]): string[] {
    const procs = this.ensure(name);
    const joins = procs.map((_, i) => `echo $$ > "$${i + 1}"`).join(' && ');
    return ['sh', '-c', `${joins} && shift ${procs.length} && exec "$@"`, 'cnb-cgroup', ...procs, ...argv];
  }

  /** CPU seconds used so far by every process that ever ran in cgroup `name` (0 before it exists). */
  cpuSeconds(name: string): number {
    const h = this.layout.cpu;
    if (!h) return 0;
    const file = h.version === 2 ? 'cpu.stat' : 'cpuacct.usage';
    try {
      return parseCpuUsage(h.version, readFileSync(path.join(this.dir(h, name), file), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
  }

  /** Kernel memory (bytes) charged to cgroup `name`, or undefined where the machine cannot tell. */
  kernelMemoryBytes(name: string): number | undefined {
    const h = this.layout.memory;
    if (!h) return undefined;
    try {
      if (h.version === 1)
        return Number(
          readFileSync(path.join(this.dir(h, name), 'memory.kmem.usage_in_bytes'), 'utf8').trim(),
        );
      return parseKernelMemoryV2(readFileSync(path.join(this.dir(h, name), 'memory.stat'), 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw err;
    }
  }

  /** Which hierarchies are used, in words (recorded with every cost figure). */
  describe(): string {
    const { cpu, memory } = this.layout;
    const cpuText = cpu ? (cpu.version === 2 ? 'cgroup v2 cpu.stat' : 'cgroup v1 cpuacct') : 'no CPU cgroup';
    const memText = memory
      ? memory.version === 1
        ? 'cgroup v1 memory.kmem'
        : 'cgroup v2 memory.stat kernel'
      : 'no kernel-memory cgroup';
    return `${cpuText}, ${memText}`;
  }

  /** Removes the run's cgroups (their processes must have ended); what cannot go yet is left. */
  destroy(): void {
    for (const h of this.hierarchies()) removeRunDir(this.runDir(h));
    this.made.clear();
  }
}

/** rmdir a run's cgroup directory and its children (cgroup files cannot be unlinked, only rmdir'd). */
function removeRunDir(dir: string): void {
  let children: string[];
  try {
    children = readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name));
  } catch {
    return;
  }
  for (const c of children) {
    try {
      rmdirSync(c);
    } catch {
      /* still has a process (EBUSY): cnibench cleanup removes it later */
    }
  }
  try {
    rmdirSync(dir);
  } catch {
    /* as above */
  }
}

/** Removes the cgroups of runs that are gone (`cnibench cleanup`); returns the directories removed. */
export function removeStaleRunCgroups(keep: (runId: string) => boolean): string[] {
  const removed: string[] = [];
  let layout: CgroupLayout;
  try {
    layout = cgroupLayout(readFileSync('/proc/mounts', 'utf8'), readFileSync('/proc/self/cgroup', 'utf8'));
  } catch {
    return removed;
  }
  for (const h of [layout.cpu, layout.memory]) {
    if (!h) continue;
    let names: string[];
    try {
      names = readdirSync(h.own).filter((n) => n.startsWith('cnibench-cnb-'));
    } catch {
      continue;
    }
    for (const n of names) {
      if (keep(n.slice('cnibench-'.length))) continue;
      const dir = path.join(h.own, n);
      removeRunDir(dir);
      removed.push(dir);
    }
  }
  return removed;
}
