/**
 * The embedded local cluster's network: nodes and pods as Linux network namespaces, wired the way
 * Calico wires pods, so that a NetworkPolicy dataplane in the nodes' forward hook behaves like a real
 * CNI's (rejects fail fast, allowed traffic is routed, not bridged).
 *
 * Layout (all names carry the run id, see names.ts):
 *   - `<runId>-fab`   the "fabric": a bridge `br0` joining the nodes' `eth0` (the underlay network,
 *                     172.30.0.0/24; node i is 172.30.0.<i+1>).
 *   - `<runId>-n<i>`  node i ("node-<i>"): IP forwarding on; per local pod a veth `c<tag>p<idx>` with
 *                     proxy ARP and a /32 route; per remote pod a /32 route to the pod's node —
 *                     directly over the underlay (`mode: 'routed'`) or via `vxlan0` (`mode: 'vxlan'`,
 *                     VNI 4096, VTEP 172.31.0.<i+1>, static neighbour and FDB entries, no flooding).
 *   - `<runId>-p<idx>` a pod: `eth0` with its IP as a /32, default route via the link-local gateway
 *                     169.254.1.1 (onlink), answered by the node's proxy ARP.
 *   - `<runId>-x<suffix>` extra namespaces a workload asks for (e.g. the bare baseline path).
 *
 * API (used by the local driver and by the performance workloads):
 *   const topo = new LocalTopology({ runId, nodes: 2, podCidr: '10.244.0.0/16', mode: 'routed' });
 *   await topo.create();                                   // fabric + nodes
 *   const pod = await topo.addPod({ namespace, name, node: 'node-0', ip?, labels? }); // LocalPod
 *   await topo.setPodIp(pod.key, '10.244.1.5');            // re-address a pod in place
 *   await topo.removePod(pod.key);
 *   topo.netnsOf(pod) / topo.nodeNetns('node-0') / topo.nodeIp('node-0') / topo.pods() / topo.pod(key)
 *   await topo.exec(podOrNetns, ['ping', '-c1', ip], { timeoutMs });   // ExecResult, never throws on exit≠0
 *   const proc = topo.spawn(podOrNetns, argv);             // LocalProcess: child, pid, stop()
 *   const ns = await topo.addNetns('base0');               // an extra namespace, destroyed with the rest
 *   await topo.destroy();                                  // kills processes, deletes every namespace
 */
import { execa, type Result, type ResultPromise } from 'execa';
import type { BackgroundProcess, ExecOptions, ExecResult, PodHandle } from '../driver.js';
import type { Labels } from '../../netpol/types.js';
import { RunCgroups } from './cgroups.js';
import { deleteNetns, listNetns } from './cleanup.js';
import { NODE_NAME, checkRunId, netnsNames, podHostIf } from './names.js';
import { inNetns, ipBatch, OWN_PROCESS_GROUP, run } from './sh.js';

export type LocalNetworkMode = 'routed' | 'vxlan';

export interface LocalTopologyOptions {
  runId: string;
  /** Number of nodes (≥ 1; the driver uses ≥ 2). */
  nodes: number;
  /** Where pods without an explicit IP get theirs; default 10.244.0.0/16. */
  podCidr?: string;
  mode: LocalNetworkMode;
  /** MTU of pod interfaces; default 1500 routed, 1450 vxlan. */
  mtu?: number;
  /**
   * Charge each namespace's commands to its own cgroup (cgroups.ts), so that cost can be read; default
   * true. Off: commands run in the harness's own cgroup and no cost is recorded.
   */
  accounting?: boolean;
}

export interface LocalPodSpec {
  namespace: string;
  name: string;
  /** "node-<i>" */
  node: string;
  /** IPv4 address; allocated from podCidr when absent. */
  ip?: string;
  labels?: Labels;
}

export interface LocalPod extends PodHandle {
  labels: Labels;
  /** The pod's network namespace. */
  netns: string;
  /** The host (node) side of the pod's veth. */
  hostIf: string;
  /** Index used in the pod's object names. */
  idx: number;
}

/**
 * How long-running commands are started: their exit status is a result, never a rejection; output keeps
 * its final newline; stop() sends SIGTERM and, 2 s later, SIGKILL. They run in their own process
 * group (sh.ts says why), which execa does not kill when the harness exits: `killOnExit` does.
 */
const SPAWN_OPTIONS = {
  reject: false,
  stripFinalNewline: false,
  forceKillAfterDelay: 2000,
  ...OWN_PROCESS_GROUP,
} as const;
type SpawnedChild = ResultPromise<typeof SPAWN_OPTIONS & { buffer: boolean }>;

export interface LocalProcess extends BackgroundProcess {
  /** The running command: its stdin, stdout and stderr are pipes. */
  readonly child: SpawnedChild;
  readonly pid: number;
  /** The network namespace it runs in. */
  readonly netns: string;
  /** Settles when the process exits (output collected only if `collectOutput`). */
  readonly exited: Promise<ExecResult>;
}

export interface SpawnOptions {
  /** Keep stdout/stderr in memory for stop()'s result; default true. Off for chatty protocol streams. */
  collectOutput?: boolean;
}

/** Long-running commands still running; killed if the harness exits without stopping them (a crash). */
const running = new Set<{ kill(signal: NodeJS.Signals): boolean }>();
let killOnExit = false;
function trackUntilExit(child: { kill(signal: NodeJS.Signals): boolean }, exited: Promise<unknown>): void {
  if (!killOnExit) {
    killOnExit = true;
    process.once('exit', () => {
      for (const c of running) c.kill('SIGKILL');
    });
  }
  running.add(child);
  void exited.finally(() => running.delete(child));
}

const UNDERLAY = (i: number) => `172.30.0.${i + 1}`;
const VTEP = (i: number) => `172.31.0.${i + 1}`;
const VTEP_MAC = (i: number) => `02:cb:00:00:00:${(i + 1).toString(16).padStart(2, '0')}`;
const VNI = 4096;
const POD_GW = '169.254.1.1';
/**
 * Denied UDP probes fail fast only if every rejection's ICMP error is sent; the kernel's default
 * per-destination ICMP rate limit (about 6 per second) would turn most of them into timeouts.
 */
const NO_ICMP_RATELIMIT = {
  'net/ipv4/icmp_ratelimit': '0',
  'net/ipv4/icmp_msgs_per_sec': '1000000',
  'net/ipv4/icmp_msgs_burst': '1000000',
};

export class LocalTopology {
  readonly runId: string;
  readonly mode: LocalNetworkMode;
  readonly nodeNames: string[];
  readonly mtu: number;
  private readonly podCidr: string;
  private readonly podsByKey = new Map<string, LocalPod>();
  private readonly processes = new Set<LocalProcess>();
  private readonly extraNetns = new Set<string>();
  private nextIdx = 0;
  private created = false;
  /** Set while destroy() runs, so that work still in flight creates nothing new. */
  private destroying = false;
  private accounting: boolean;
  /** The run's cgroups once opened, or why the machine offers none. */
  private cgroupState: RunCgroups | { unavailable: string } | undefined;
  /**
   * The operations that create namespaces, links and routes, while they run. destroy() waits for
   * them before it lists what to delete: a Ctrl-C that lands while `ip netns add` runs would
   * otherwise see the namespace listed after the list was taken, and leave it behind.
   */
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(opts: LocalTopologyOptions) {
    this.runId = checkRunId(opts.runId);
    this.accounting = opts.accounting ?? true;
    if (!Number.isInteger(opts.nodes) || opts.nodes < 1 || opts.nodes > 200) {
      throw new Error(`nodes must be between 1 and 200, got ${opts.nodes}`);
    }
    this.mode = opts.mode;
    this.podCidr = opts.podCidr ?? '10.244.0.0/16';
    this.nodeNames = Array.from({ length: opts.nodes }, (_, i) => NODE_NAME(i));
    this.mtu = opts.mtu ?? (opts.mode === 'vxlan' ? 1450 : 1500);
  }

  /** Creates the fabric and the nodes. */
  async create(signal?: AbortSignal): Promise<void> {
    if (this.created) return;
    this.created = true;
    await this.track(() => this.createFabricAndNodes(signal));
  }

  /** Runs one creating operation, refused once destroy() has begun; destroy() waits for it. */
  private track<T>(work: () => Promise<T>): Promise<T> {
    if (this.destroying) return Promise.reject(new Error(`the local cluster ${this.runId} is being removed`));
    const p = work();
    const settled = () => this.inflight.delete(p);
    this.inflight.add(p);
    p.then(settled, settled);
    return p;
  }

  private async createFabricAndNodes(signal?: AbortSignal): Promise<void> {
    const fab = netnsNames.fabric(this.runId);
    await run(['ip', 'netns', 'add', fab], { signal });
    await ipBatch(fab, ['link set lo up', 'link add br0 type bridge', 'link set br0 up'], { signal });
    await Promise.all(this.nodeNames.map((_, i) => this.createNode(i, signal)));
    if (this.mode === 'vxlan') {
      // Static FDB: each VTEP MAC lives behind its node's underlay address (no multicast, no learning).
      await Promise.all(
        this.nodeNames.map((_, i) => {
          const lines = this.nodeNames.flatMap((__, j) =>
            j === i ? [] : [`fdb append ${VTEP_MAC(j)} dev vxlan0 dst ${UNDERLAY(j)} self permanent`],
          );
          return run(['bridge', '-n', this.nodeNetns(NODE_NAME(i)), '-batch', '-'], {
            input: lines.join('\n') + '\n',
            signal,
          }).then(() => undefined);
        }),
      );
    }
  }

  private async createNode(i: number, signal?: AbortSignal): Promise<void> {
    const ns = netnsNames.node(this.runId, i);
    const fab = netnsNames.fabric(this.runId);
    await run(['ip', 'netns', 'add', ns], { signal });
    const lines = [
      'link set lo up',
      `link add eth0 type veth peer name n${i} netns ${fab}`,
      `addr add ${UNDERLAY(i)}/24 dev eth0`,
      'link set eth0 up',
      // Proxy ARP only answers for addresses the node has a route to through another device; this
      // route is what lets the node answer the pods' ARP for their gateway 169.254.1.1.
      `route add ${POD_GW}/32 dev lo`,
    ];
    if (this.mode === 'vxlan') {
      lines.push(
        `link add vxlan0 type vxlan id ${VNI} local ${UNDERLAY(i)} dev eth0 dstport 4789 nolearning`,
        `link set vxlan0 address ${VTEP_MAC(i)} mtu ${Math.min(this.mtu, 1450)}`,
        `addr add ${VTEP(i)}/32 dev vxlan0`,
        'link set vxlan0 up',
      );
      for (let j = 0; j < this.nodeNames.length; j++) {
        if (j === i) continue;
        lines.push(`neigh replace ${VTEP(j)} lladdr ${VTEP_MAC(j)} dev vxlan0 nud permanent`);
      }
    }
    await ipBatch(ns, lines, { signal });
    await ipBatch(fab, [`link set n${i} master br0`, `link set n${i} up`], { signal });
    await this.sysctl(
      ns,
      { 'net/ipv4/ip_forward': '1', 'net/ipv4/conf/all/rp_filter': '0', ...NO_ICMP_RATELIMIT },
      signal,
    );
  }

  /** Writes sysctls inside a namespace with one process (`/proc/sys` is per network namespace). */
  private async sysctl(netns: string, values: Record<string, string>, signal?: AbortSignal): Promise<void> {
    const script = Object.entries(values)
      .map(([k, v]) => `echo ${v} > /proc/sys/${k}`)
      .join(' && ');
    await run(inNetns(netns, ['sh', '-c', script]), { signal });
  }

  nodeIndex(node: string): number {
    const i = this.nodeNames.indexOf(node);
    if (i < 0) throw new Error(`unknown node "${node}" (nodes: ${this.nodeNames.join(', ')})`);
    return i;
  }

  nodeNetns(node: string): string {
    return netnsNames.node(this.runId, this.nodeIndex(node));
  }

  /** The node's underlay address (where its `eth0` sits on the fabric). */
  nodeIp(node: string): string {
    return UNDERLAY(this.nodeIndex(node));
  }

  netnsOf(pod: PodHandle | string): string {
    if (typeof pod === 'string') return pod;
    const p = this.podsByKey.get(pod.key);
    if (!p) throw new Error(`pod ${pod.key} is not part of run ${this.runId}`);
    return p.netns;
  }

  pods(): LocalPod[] {
    return [...this.podsByKey.values()];
  }

  pod(key: string): LocalPod | undefined {
    return this.podsByKey.get(key);
  }

  /** Creates a pod namespace, its veth to the node, its addresses and the routes on every node. */
  addPod(spec: LocalPodSpec, signal?: AbortSignal): Promise<LocalPod> {
    if (!this.created) return Promise.reject(new Error('LocalTopology.create() must run before addPod()'));
    return this.track(() => this.createPod(spec, signal));
  }

  private async createPod(spec: LocalPodSpec, signal?: AbortSignal): Promise<LocalPod> {
    const key = `${spec.namespace}/${spec.name}`;
    if (this.podsByKey.has(key)) throw new Error(`pod ${key} already exists`);
    this.nodeIndex(spec.node);
    const ip = spec.ip ?? this.allocateIp(spec.node);
    this.checkIpFree(ip, key);
    const idx = this.nextIdx++;
    const pod: LocalPod = {
      namespace: spec.namespace,
      name: spec.name,
      key,
      node: spec.node,
      ip,
      labels: { ...(spec.labels ?? {}) },
      netns: netnsNames.pod(this.runId, idx),
      hostIf: podHostIf(this.runId, idx),
      idx,
    };
    // Registered before it exists so that destroy() removes a half-made pod too.
    this.podsByKey.set(key, pod);
    const nodeNs = this.nodeNetns(pod.node);
    await run(['ip', 'netns', 'add', pod.netns], { signal });
    await ipBatch(
      nodeNs,
      [
        `link add ${pod.hostIf} mtu ${this.mtu} type veth peer name eth0 mtu ${this.mtu} netns ${pod.netns}`,
        `link set ${pod.hostIf} up`,
      ],
      { signal },
    );
    // Proxy ARP answers the pod's ARP for 169.254.1.1; proxy_delay 0 so the first packet is not held back.
    await this.sysctl(
      nodeNs,
      {
        [`net/ipv4/conf/${pod.hostIf}/proxy_arp`]: '1',
        [`net/ipv4/neigh/${pod.hostIf}/proxy_delay`]: '0',
        [`net/ipv4/conf/${pod.hostIf}/rp_filter`]: '0',
      },
      signal,
    );
    await ipBatch(
      pod.netns,
      [
        'link set lo up',
        'link set eth0 up',
        `route add ${POD_GW} dev eth0 scope link`,
        `route add default via ${POD_GW} dev eth0 onlink`,
      ],
      { signal },
    );
    await this.sysctl(pod.netns, NO_ICMP_RATELIMIT, signal);
    await this.addressPod(pod, signal);
    return pod;
  }

  private async addressPod(pod: LocalPod, signal?: AbortSignal): Promise<void> {
    await ipBatch(pod.netns, [`addr add ${pod.ip}/32 dev eth0`], { signal });
    await Promise.all(
      this.nodeNames.map((node) =>
        ipBatch(this.nodeNetns(node), [this.podRoute(pod, node, 'replace')], { signal }),
      ),
    );
  }

  private podRoute(pod: LocalPod, onNode: string, verb: 'replace' | 'del'): string {
    if (onNode === pod.node) return `route ${verb} ${pod.ip}/32 dev ${pod.hostIf} scope link`;
    const home = this.nodeIndex(pod.node);
    return this.mode === 'routed'
      ? `route ${verb} ${pod.ip}/32 via ${UNDERLAY(home)} dev eth0`
      : `route ${verb} ${pod.ip}/32 via ${VTEP(home)} dev vxlan0 onlink`;
  }

  /** Moves a pod to another IP (the conformance layout reuses pods across cases). */
  async setPodIp(key: string, ip: string, signal?: AbortSignal): Promise<LocalPod> {
    const pod = this.podsByKey.get(key);
    if (!pod) throw new Error(`no pod ${key}`);
    if (pod.ip === ip) return pod;
    this.checkIpFree(ip, key);
    await this.unroutePod(pod, signal);
    const old = pod.ip;
    pod.ip = ip;
    // New address first: removing a device's last IPv4 address flushes the routes through it.
    await this.addressPod(pod, signal);
    await ipBatch(pod.netns, [`addr del ${old}/32 dev eth0`], { signal });
    return pod;
  }

  /** Updates the labels the topology records for a pod (labels live in the harness, not the kernel). */
  setPodLabels(key: string, labels: Labels): void {
    const pod = this.podsByKey.get(key);
    if (!pod) throw new Error(`no pod ${key}`);
    pod.labels = { ...labels };
  }

  private async unroutePod(pod: LocalPod, signal?: AbortSignal): Promise<void> {
    await Promise.all(
      this.nodeNames.map((node) =>
        run(['ip', '-n', this.nodeNetns(node), ...this.podRoute(pod, node, 'del').split(' ')], {
          signal,
          allowFail: true,
        }),
      ),
    );
  }

  async removePod(key: string, signal?: AbortSignal): Promise<void> {
    const pod = this.podsByKey.get(key);
    if (!pod) return;
    for (const p of this.processes) {
      if (p.netns === pod.netns) await p.stop();
    }
    await this.unroutePod(pod, signal);
    await deleteNetns([pod.netns]);
    this.podsByKey.delete(key);
  }

  /** An extra namespace (not a pod) that destroy() removes with the rest; returns its name. */
  addNetns(suffix: string, signal?: AbortSignal): Promise<string> {
    if (!/^[a-z0-9-]{1,20}$/.test(suffix))
      return Promise.reject(new Error(`netns suffix "${suffix}" must be [a-z0-9-]{1,20}`));
    return this.track(async () => {
      const ns = netnsNames.extra(this.runId, suffix);
      this.extraNetns.add(ns);
      await run(['ip', 'netns', 'add', ns], { signal });
      await ipBatch(ns, ['link set lo up'], { signal });
      return ns;
    });
  }

  /**
   * The run's cgroups (cgroups.ts), opened on first use, or why there are none (accounting off, no
   * usable cgroup hierarchy).
   */
  cgroups(): RunCgroups | { unavailable: string } {
    if (!this.accounting) return { unavailable: 'cost accounting is off for this cluster' };
    this.cgroupState ??= RunCgroups.open(this.runId);
    return this.cgroupState;
  }

  /**
   * Turns charging commands to cgroups on or off for commands started from now on (the cost-overhead
   * benchmark compares both on the same cluster).
   */
  setAccounting(on: boolean): void {
    this.accounting = on;
  }

  /** The cgroup a namespace's commands are charged to: the node namespaces' is the dataplane's. */
  cgroupOf(netns: string): string {
    if (this.nodeNames.some((n) => this.nodeNetns(n) === netns)) return 'dataplane';
    if (netns === netnsNames.fabric(this.runId)) return 'dataplane';
    return netns.startsWith(`${this.runId}-`) ? netns.slice(this.runId.length + 1) : 'other';
  }

  /**
   * argv that runs `argv` in the harness's namespace but charged to the dataplane's cgroup when
   * accounting is on: the eBPF engine's map writer, so the kernel memory of the maps it creates is
   * counted with the nft rules (a BPF map is charged to the memory cgroup of the process creating it).
   */
  dataplaneCommand(argv: string[]): string[] {
    const groups = this.accounting ? this.cgroups() : undefined;
    return groups instanceof RunCgroups ? groups.wrap('dataplane', argv) : argv;
  }

  /** argv that runs `argv` in namespace `netns`, charged to that namespace's cgroup when accounting is on. */
  command(netns: string, argv: string[]): string[] {
    const inner = inNetns(netns, argv);
    const groups = this.accounting ? this.cgroups() : undefined;
    return groups instanceof RunCgroups ? groups.wrap(this.cgroupOf(netns), inner) : inner;
  }

  /** Runs a command in a pod (or a namespace by name) to completion; a non-zero exit is returned, not thrown. */
  async exec(target: PodHandle | string, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.destroying) throw new Error(`the local cluster ${this.runId} is being removed`);
    return run(this.command(this.netnsOf(target), argv), {
      timeoutMs: opts.timeoutMs,
      signal: opts.signal,
      allowFail: true,
    });
  }

  /** Starts a long-running command in a pod (or a namespace by name). */
  spawn(target: PodHandle | string, argv: string[], opts: SpawnOptions = {}): LocalProcess {
    // A process started while destroy() runs could outlive it (its namespace's pids already listed).
    if (this.destroying) throw new Error(`the local cluster ${this.runId} is being removed`);
    const collect = opts.collectOutput ?? true;
    const netns = this.netnsOf(target);
    const [cmd, ...args] = this.command(netns, argv);
    if (cmd === undefined) throw new Error('spawn: empty command');
    // Without collection nothing reads the output here: the caller consumes the streams.
    const child: SpawnedChild = execa(cmd, args, { ...SPAWN_OPTIONS, buffer: collect });
    child.stdin.on('error', () => {
      /* the process exited; its exit status tells why */
    });
    let alive = true;
    const exited = child.then((r) => {
      alive = false;
      return spawnResult(r);
    });
    trackUntilExit(child, exited);
    const processes = this.processes;
    const proc: LocalProcess = {
      child,
      pid: child.pid ?? -1,
      netns,
      exited,
      async stop(): Promise<ExecResult> {
        if (alive) child.kill('SIGTERM');
        const r = await exited;
        processes.delete(proc);
        return r;
      },
    };
    this.processes.add(proc);
    return proc;
  }

  /** Stops every process and deletes every namespace of this run (also ones from a crashed earlier attempt). */
  async destroy(): Promise<void> {
    this.destroying = true;
    // Creation still under way (Ctrl-C mid-run) ends first; its commands see the aborted signal and
    // fail fast. Nothing new starts from here on (track() and spawn() refuse).
    await Promise.allSettled([...this.inflight]);
    await Promise.all([...this.processes].map((p) => p.stop()));
    // An interrupted run may still have an `ip netns add` in flight: delete until none is left.
    for (let attempt = 0; attempt < 5; attempt++) {
      const mine = (await listNetns()).filter((n) => n.startsWith(`${this.runId}-`));
      if (mine.length === 0) break;
      await deleteNetns(mine);
      await new Promise((r) => setTimeout(r, 20));
    }
    if (this.cgroupState instanceof RunCgroups) this.cgroupState.destroy();
    this.cgroupState = undefined;
    this.destroying = false;
    this.podsByKey.clear();
    this.extraNetns.clear();
    this.created = false;
  }

  private checkIpFree(ip: string, key: string): void {
    for (const p of this.podsByKey.values()) {
      if (p.ip === ip && p.key !== key) throw new Error(`IP ${ip} of pod ${key} is already used by ${p.key}`);
    }
  }

  /**
   * An unused address for a pod on `node`: node i allocates from the i-th /24 counted from the top of
   * podCidr, which keeps auto-assigned pods clear of the conformance cases' 10.244.<ns>.<n> addresses.
   */
  private allocateIp(node: string): string {
    const [base = '', lenStr] = this.podCidr.split('/');
    const len = Number(lenStr);
    if (!(len <= 24)) throw new Error(`podCidr ${this.podCidr} must be /24 or larger`);
    const baseInt = ipToInt(base) & (len === 0 ? 0 : (~0 << (32 - len)) >>> 0);
    const blocks = 2 ** (24 - len);
    const i = this.nodeIndex(node);
    if (i >= blocks) throw new Error(`podCidr ${this.podCidr} has no /24 left for ${node}`);
    const block = baseInt + (blocks - 1 - i) * 256;
    const used = new Set([...this.podsByKey.values()].map((p) => p.ip));
    for (let host = 2; host < 255; host++) {
      const ip = intToIp(block + host);
      if (!used.has(ip)) return ip;
    }
    throw new Error(`no free pod address left on ${node}`);
  }
}

function ipToInt(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  const [a = 0, b = 0, c = 0, d = 0] = parts;
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
}

function intToIp(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** A finished long-running command as an ExecResult: 128 when a signal ended it, 127 when it never started. */
function spawnResult(r: Result<typeof SPAWN_OPTIONS & { buffer: boolean }>): ExecResult {
  const neverStarted = r.exitCode === undefined && r.signal === undefined;
  return {
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr:
      (typeof r.stderr === 'string' ? r.stderr : '') + (neverStarted ? (r.originalMessage ?? r.message) : ''),
    exitCode: r.exitCode ?? (r.signal !== undefined ? 128 : 127),
  };
}
