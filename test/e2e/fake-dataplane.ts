/**
 * The dataplane behind the fake API server's exec API, for the end-to-end run test: what the
 * containers the kube driver creates would print.
 *
 * - `agnhost connect IP:PORT --timeout=.. --protocol=..` in a conformance pod: decided by the
 *   NetworkPolicy model (src/netpol) evaluated on the namespaces, pods and NetworkPolicies the fake
 *   API server currently stores, plus its admin-tier objects of the API versions the running CNI is
 *   declared to enforce (`adminTier`), under their real names — what a CNI enforcing the stored policies
 *   would do. A mistranslated selector or a policy the driver failed to apply therefore shows up as
 *   a conformance failure. Output as agnhost prints it (nothing on success; a TIMEOUT/REFUSED line
 *   and exit 1 otherwise).
 * - `node /opt/cnibench/agent/cnibench-agent.mjs probe --porter --targets '[…]'` in a conformance
 *   pod's agent container (probe mode `agent`): every target decided the same way, answered as the
 *   agent answers (one JSON array; answeredBy is the porter's value). Its arguments are read with the
 *   agent's own parser, and the command only runs when the pod mounts the agent ConfigMap that exists
 *   in its namespace at the path run (otherwise node's "Cannot find module", as on a real cluster).
 *   SCTP targets with --agnhost get agnhost's output, when the pod has the agnhost copy.
 * - Denied traffic is dropped: a blocked probe answers after `blockedProbeMs`, or after the probe's
 *   own timeout with `dropWaitsForTimeout` (what a real dropped packet costs). `ignorePolicies`
 *   stands for a CNI that enforces nothing: every probe to a served port connects.
 * - `iperf3 --version`, `iperf3 -s`, `iperf3 -c ... --json`: replies captured from the real iperf3 on
 *   this machine (test/fixtures/tool-output/), scaled per candidate so the two differ; a client only
 *   gets a report when an iperf3 server was started (through the driver's spawn) in the pod that owns the target address.
 * - `node <agent> rr-server` / `rr` / `crr`: the agent's real report (captured on loopback), with the
 *   same server check.
 * - the driver's spawn wrapper (`/bin/sh -c 'echo $$ > PIDFILE; exec "$@"'`) keeps a server running
 *   until the matching `kill -TERM "$(cat PIDFILE)"` exec arrives.
 *
 * Every exec is logged with the CNI running at that moment (from the DaemonSets the installers and
 * fake controllers created), so the test can check each candidate was evaluated on its own CNI.
 * With no CNI running there is no pod network: execs fail.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { parseHoldTargets } from '../../src/agent/hold.js';
import { parseProbeArgs, type AgentProbeResult, type ProbeTarget } from '../../src/agent/probe.js';
import { isAllowed } from '../../src/netpol/truth-table.js';
import type {
  AdminNetworkPolicy,
  AdminTierApi,
  AdminTierPolicies,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  ContainerPort,
  NetworkPolicy,
  Probe,
  Protocol,
  ResolvedCase,
  ResolvedPod,
} from '../../src/netpol/types.js';
import type {
  ExecContext,
  ExecHandler,
  ExecReply,
  FakeApiServer,
  KubeObject,
} from '../cluster/kube/fake-apiserver.js';
import { asModel } from '../cluster/kube/fake-models.js';
import { repoPath } from '../helpers/paths.js';
import { validateNetworkPolicy } from '../../src/netpol/validate.js';
import { validateAdminTierObject, type AdminTierKind } from '../../src/netpol/admin-validate.js';

const FIXTURES = repoPath('test/fixtures/tool-output');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

// The fields of the captured reports the fake scales; every other field is kept as captured.
const iperf3SumSchema = z.looseObject({ bits_per_second: z.number(), bytes: z.number() });
const iperf3ReportSchema = z.looseObject({
  start: z.looseObject({ test_start: z.looseObject({}) }),
  end: z.looseObject({ sum_sent: iperf3SumSchema, sum_received: iperf3SumSchema }),
});
const rrReportSchema = z.looseObject({
  samplesUs: z.array(z.number()),
  transactionsPerSecond: z.number(),
});

export type Cni = 'calico' | 'cilium';

export interface ExecLogEntry {
  /** The CNI running when the exec arrived (undefined: none). */
  cni?: Cni;
  pod: string;
  container: string;
  command: string[];
  /** What it was, for assertions: probe, iperf3-client, rr-client, server, stop, version, other. */
  kind: 'probe' | 'probe-batch' | 'iperf3-client' | 'agent-client' | 'server' | 'stop' | 'version' | 'other';
  /** Probes the exec carried: 1 for an agnhost probe, the batch size for an agent batch. */
  probes?: number;
}

export interface DataplaneOptions {
  /** Held flows (`agent hold`) on a new deny: `cut` (default: each answer decided anew) or `kept` (conntrack). */
  heldFlows?: 'cut' | 'kept';
  /**
   * A broken dataplane: return true to drop a probe the model allows (the test of a failing
   * candidate). Called with the real source pod, destination pod and probe.
   */
  drop?: (src: ResolvedPod, dst: ResolvedPod, probe: Probe) => boolean;
  /**
   * A CNI that enforces no policy at all (flannel, kindnet): every probe to a port the destination
   * serves connects, whatever the NetworkPolicies say.
   */
  ignorePolicies?: boolean;
  /** How long a blocked probe takes (a real one waits for its timeout); default 20 ms. */
  blockedProbeMs?: number;
  /** A blocked probe takes its full timeout, as a dropped packet does on a real cluster. */
  dropWaitsForTimeout?: boolean;
  /** Throughput multiplier per CNI (default calico 1, cilium 1.1). */
  throughputFactor?: Partial<Record<Cni, number>>;
  /** Round-trip-time multiplier per CNI (default calico 1, cilium 0.9). */
  rttFactor?: Partial<Record<Cni, number>>;
  /**
   * The admin-tier API versions each CNI enforces (default: none): their stored objects join the
   * model's evaluation. A CNI not enforcing a version ignores its objects although the API server
   * stores them (a CRD installed, the feature off), which is what the conformance canary detects.
   */
  adminTier?: Partial<Record<Cni, readonly AdminTierApi[]>>;
}

interface RunningServer {
  pod: KubeObject;
  /** iperf3 or agent. */
  tool: 'iperf3' | 'agent';
  port: number;
  mode?: 'rr' | 'crr';
  stop: () => void;
}

export interface FakeDataplane {
  handler: ExecHandler;
  log: ExecLogEntry[];
}

/** The CNI whose agent DaemonSet exists (both or neither: undefined, which fails every exec). */
export function activeCni(api: FakeApiServer): Cni | undefined {
  const calico = !!api.store.get('apps/v1', 'DaemonSet', 'calico-node', 'calico-system');
  const cilium = !!api.store.get('apps/v1', 'DaemonSet', 'cilium', 'kube-system');
  if (calico === cilium) return undefined;
  return calico ? 'calico' : 'cilium';
}

const flag = (argv: string[], name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

export function fakeDataplane(api: FakeApiServer, opts: DataplaneOptions = {}): FakeDataplane {
  const log: ExecLogEntry[] = [];
  const servers = new Map<string, RunningServer>(); // pid file → server
  const tput = { calico: 1, cilium: 1.1, ...opts.throughputFactor };
  const rtt = { calico: 1, cilium: 0.9, ...opts.rttFactor };
  let runs = 0; // varies figures a little from run to run, as real repetitions do
  /** The admin-tier versions the running CNI enforces. */
  const enforced = (): readonly AdminTierApi[] => {
    const cni = activeCni(api);
    return cni ? (opts.adminTier?.[cni] ?? []) : [];
  };

  /** The pod (running a server on `port`) that traffic to `ip:port` reaches, by pod IP or Service. */
  const serverAt = (ip: string, port: number, tool: RunningServer['tool']) => {
    const svc = api.store.models('Service').find((s) => s.spec?.clusterIP === ip);
    return [...servers.values()].find((s) => {
      if (s.tool !== tool || s.port !== port) return false;
      if (svc) {
        const sel = svc.spec?.selector ?? {};
        return (
          s.pod.metadata.namespace === svc.metadata?.namespace &&
          Object.entries(sel).every(([k, v]) => s.pod.metadata.labels?.[k] === v)
        );
      }
      return asModel('Pod', s.pod).status?.podIP === ip;
    });
  };

  const handler: ExecHandler = async (pod, container, command, ctx) => {
    const cni = activeCni(api);
    const entry: ExecLogEntry = {
      cni,
      pod: `${pod.metadata.namespace}/${pod.metadata.name}`,
      container,
      command,
      kind: 'other',
    };
    log.push(entry);
    if (!cni) return { stderr: 'fake dataplane: no CNI is running, pods have no network\n', exitCode: 126 };

    // The driver's spawn wrapper and its stop.
    if (command[0] === '/bin/sh' && command[1] === '-c') {
      const script = command[2] ?? '';
      const start = /^echo \$\$ > (\S+); exec "\$@"$/.exec(script);
      if (start) {
        entry.kind = 'server';
        const [, pidFile = ''] = start;
        return runServer(pod, pidFile, command.slice(4), ctx);
      }
      const kill = /^kill -TERM "\$\(cat (\S+)\)"/.exec(script);
      if (kill) {
        entry.kind = 'stop';
        const [, pidFile = ''] = kill;
        servers.get(pidFile)?.stop();
        servers.delete(pidFile);
        return { exitCode: 0 };
      }
    }
    if (command[0] === '/agnhost' && command[1] === 'connect') {
      entry.kind = 'probe';
      entry.probes = 1;
      const reply = probe(pod, command);
      const timeout = Number(/^--timeout=(\d+)ms$/.exec(command[3] ?? '')?.[1] ?? 1000);
      if (/^TIMEOUT/.test(reply.stderr ?? '')) await sleep(blockedWait(timeout));
      return reply;
    }
    if (container === 'agent' && command[0] === 'node' && command[2] === 'probe') {
      entry.kind = 'probe-batch';
      return agentBatch(pod, command, entry);
    }
    if (command[0] === 'iperf3' && command.includes('--version')) {
      entry.kind = 'version';
      return { stdout: fixture('iperf3-version.txt'), exitCode: 0 };
    }
    if (command[0] === 'iperf3' && command.includes('-c')) {
      entry.kind = 'iperf3-client';
      return iperf3Client(command, tput[cni]);
    }
    if (command[0] === 'node' && /agent/.test(command[1] ?? '') && ['rr', 'crr'].includes(command[2] ?? '')) {
      entry.kind = 'agent-client';
      return agentClient(command.slice(2), rtt[cni]);
    }
    return { stderr: `fake dataplane: ${command[0]}: command not found\n`, exitCode: 127 };
  };

  function runServer(pod: KubeObject, pidFile: string, argv: string[], ctx: ExecContext): Promise<ExecReply> {
    let tool: RunningServer['tool'];
    let mode: RunningServer['mode'];
    let port: number;
    if (argv[0] === 'iperf3' && argv.includes('-s')) {
      tool = 'iperf3';
      port = Number(flag(argv, '-p') ?? 5201);
      ctx.write(
        'stdout',
        `-----------------------------------------------------------\nServer listening on ${port} (test #1)\n`,
      );
    } else if (argv[0] === 'node' && argv[2] === 'hold') {
      return holdFlows(pod, pidFile, argv.slice(3), ctx);
    } else if (argv[0] === 'node' && argv[2] === 'rr-server') {
      tool = 'agent';
      port = Number(flag(argv, '--port'));
      mode = flag(argv, '--close-after-reply') ? 'crr' : 'rr';
      ctx.write('stdout', `${JSON.stringify({ ready: true, port })}\n`);
    } else {
      return Promise.resolve({ stderr: `fake dataplane: cannot run ${argv.join(' ')}\n`, exitCode: 127 });
    }
    return new Promise((resolve) => {
      const stop = () => resolve({ exitCode: 0 });
      servers.set(pidFile, { pod, tool, port, mode, stop });
      ctx.signal.addEventListener('abort', () => {
        servers.delete(pidFile);
        stop();
      });
    });
  }

  /**
   * `agent hold` (src/agent/hold.ts): every 50 ms each target answers when the stored state allows it,
   * or — with `heldFlows: 'kept'` (a CNI whose connection tracking keeps established flows) — when it
   * was ever allowed since the flow started. Ready at once; the report when the stop exec arrives.
   */
  function holdFlows(pod: KubeObject, pidFile: string, args: string[], ctx: ExecContext): Promise<ExecReply> {
    const targets = parseHoldTargets(flag(args, '--targets') ?? '[]');
    const start = performance.now();
    const state = targets.map((t) => ({ ...t, established: false, sent: 0, answersAtMs: [] as number[] }));
    const tick = () => {
      for (const f of state) {
        const p: Probe = { port: f.port, protocol: f.protocol };
        const now = decide(clusterAsCase(api, p, enforced()), pod, f.host, p).kind === 'connected';
        f.sent++;
        if (now || (opts.heldFlows === 'kept' && f.established)) {
          f.established = true;
          f.answersAtMs.push(Math.round((performance.now() - start) * 10) / 10);
        }
      }
    };
    tick();
    const timer = setInterval(tick, 50);
    ctx.write('stdout', `${JSON.stringify({ ready: state.every((f) => f.established) })}\n`);
    return new Promise((resolve) => {
      const stop = () => {
        clearInterval(timer);
        const durationMs = Math.round((performance.now() - start) * 10) / 10;
        const flows = state.map((f) => ({
          to: f.to,
          port: f.port,
          protocol: f.protocol,
          established: f.established,
          sent: f.sent,
          received: f.answersAtMs.length,
          answersAtMs: f.answersAtMs,
          durationMs,
        }));
        resolve({ stdout: `${JSON.stringify({ flows })}\n`, exitCode: 0 });
      };
      servers.set(pidFile, { pod, tool: 'agent', port: 0, stop });
      ctx.signal.addEventListener('abort', () => {
        servers.delete(pidFile);
        stop();
      });
    });
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** How long a dropped probe waits before it reports a timeout. */
  const blockedWait = (timeoutMs: number) =>
    opts.dropWaitsForTimeout ? timeoutMs : Math.min(timeoutMs, opts.blockedProbeMs ?? 20);

  type Outcome = { kind: 'connected'; answer: string } | { kind: 'timeout' | 'refused' | 'no-source' };

  /** What the dataplane does with one probe from `src` to ip:port, in `world` (the cluster as a case). */
  function decide(world: ResolvedCase, src: KubeObject, ip: string, p: Probe): Outcome {
    const from = world.pods.find((x) => x.key === `${src.metadata.namespace}/${src.metadata.name}`);
    const to = world.pods.find((x) => x.ip === ip);
    if (!from) return { kind: 'no-source' };
    if (!to) return { kind: 'timeout' };
    if (!to.ports.some((c) => c.port === p.port && c.protocol === p.protocol)) return { kind: 'refused' };
    const allowed =
      (opts.ignorePolicies === true || isAllowed(world, from.key, to.key, p)) && !opts.drop?.(from, to, p);
    return allowed ? { kind: 'connected', answer: porterValue(to, p) } : { kind: 'timeout' };
  }

  /** What the destination's porter serving this port answers: its SERVE_*_PORT_<n> value. */
  function porterValue(to: ResolvedPod, p: Probe): string {
    const [ns, name] = to.key.split('/');
    const containers = api.store.model('Pod', name ?? '', ns)?.spec?.containers ?? [];
    const c = containers.find((x) =>
      (x.ports ?? []).some((cp) => cp.containerPort === p.port && (cp.protocol ?? 'TCP') === p.protocol),
    );
    return c?.env?.find((e) => /^SERVE_(?:UDP_|SCTP_)?PORT_\d+$/.test(e.name))?.value ?? '';
  }

  function probe(src: KubeObject, command: string[]): ExecReply {
    const m = /^(.+):(\d+)$/.exec(command[2] ?? '');
    const protocol = (
      command.find((c) => c.startsWith('--protocol='))?.slice('--protocol='.length) ?? 'tcp'
    ).toUpperCase() as Protocol;
    if (!m) return { stderr: `UNKNOWN: bad target ${command[2]}\n`, exitCode: 1 };
    const [, ip, portText] = m;
    const p: Probe = { port: Number(portText), protocol };
    return agnhostOutput(decide(clusterAsCase(api, p, enforced()), src, ip ?? '', p), protocol);
  }

  /** An outcome as agnhost 2.53 prints it (see src/cluster/kube/probe-verdict.ts). */
  function agnhostOutput(o: Outcome, protocol: Protocol): ExecReply {
    switch (o.kind) {
      case 'connected':
        return { exitCode: 0 };
      case 'no-source':
        return { stderr: 'UNKNOWN: probe from a pod that is not a conformance pod\n', exitCode: 1 };
      case 'timeout':
        return { stderr: protocol === 'UDP' ? 'TIMEOUT: read udp: i/o timeout\n' : 'TIMEOUT\n', exitCode: 1 };
      case 'refused':
        if (protocol === 'UDP') return { stderr: 'REFUSED: read udp: connection refused\n', exitCode: 1 };
        if (protocol === 'SCTP') return { stderr: 'OTHER: connection refused\n', exitCode: 1 };
        return { stderr: 'REFUSED\n', exitCode: 1 };
    }
  }

  /**
   * The mounted agent file a command names, if the pod really has it: the agent container mounts a
   * ConfigMap volume at a directory, the ConfigMap exists in the pod's namespace, and one of its
   * items maps the key to the file run.
   */
  function mountedFile(
    pod: KubeObject,
    container: string,
    file: string,
    volumeKind: 'configMap' | 'emptyDir',
  ) {
    const spec = asModel('Pod', pod).spec;
    const c = spec?.containers.find((x) => x.name === container);
    for (const m of c?.volumeMounts ?? []) {
      if (!file.startsWith(`${m.mountPath}/`)) continue;
      const rel = file.slice(m.mountPath.length + 1);
      const vol = spec?.volumes?.find((v) => v.name === m.name);
      if (volumeKind === 'emptyDir') return vol?.emptyDir !== undefined;
      if (!vol?.configMap) continue;
      const item = vol.configMap.items?.find((i) => i.path === rel);
      const cm = api.store.model('ConfigMap', vol.configMap.name ?? '', pod.metadata.namespace);
      const data = cm?.data ?? {};
      if (item && typeof data[item.key] === 'string') return true;
    }
    return false;
  }

  async function agentBatch(pod: KubeObject, command: string[], entry: ExecLogEntry): Promise<ExecReply> {
    const file = command[1] ?? '';
    if (!mountedFile(pod, 'agent', file, 'configMap'))
      return { stderr: `Error: Cannot find module '${file}'\n`, exitCode: 1 };
    let args;
    try {
      args = parseProbeArgs(command.slice(3));
    } catch (err) {
      return { stderr: `agent ${(err as Error).message}\n`, exitCode: 2 };
    }
    const targets: ProbeTarget[] = args.targets ?? [];
    entry.probes = targets.length;
    const agnhost =
      args.agnhost && mountedFile(pod, 'agent', args.agnhost, 'emptyDir') ? args.agnhost : undefined;
    const worlds = new Map<string, ResolvedCase>();
    let wait = 0;
    const results = targets.map((t): AgentProbeResult => {
      const p: Probe = { port: t.port, protocol: t.protocol };
      const key = `${p.protocol}/${p.port}`;
      const world = worlds.get(key) ?? clusterAsCase(api, p, enforced());
      worlds.set(key, world);
      const o = decide(world, pod, t.host, p);
      const echo = { to: t.to, port: t.port, protocol: t.protocol };
      if (o.kind === 'timeout') wait = Math.max(wait, blockedWait(args.timeoutMs));
      if (t.protocol === 'SCTP') {
        if (!agnhost)
          return {
            ...echo,
            connected: false,
            error: 'protocol SCTP not supported by the agent',
            code: 'EPROTONOSUPPORT',
            elapsedMs: 0,
          };
        const out = agnhostOutput(o, 'SCTP');
        return {
          ...echo,
          connected: out.exitCode === 0,
          agnhost: { exitCode: out.exitCode, stdout: out.stdout ?? '', stderr: out.stderr ?? '' },
          elapsedMs: 1,
        };
      }
      switch (o.kind) {
        case 'connected':
          return { ...echo, connected: true, ...(o.answer ? { answeredBy: o.answer } : {}), elapsedMs: 1 };
        case 'refused':
          return { ...echo, connected: false, error: 'refused', code: 'ECONNREFUSED', elapsedMs: 1 };
        case 'timeout':
          return {
            ...echo,
            connected: false,
            error: 'timeout',
            code: 'ETIMEDOUT',
            elapsedMs: args.timeoutMs,
          };
        case 'no-source':
          return { ...echo, connected: false, error: 'not a conformance pod', code: 'EINVAL', elapsedMs: 0 };
      }
    });
    // The agent probes every target at once: it answers when the slowest one is done.
    if (wait > 0) await sleep(wait);
    return { stdout: `${JSON.stringify(results)}\n`, exitCode: 0 };
  }

  function iperf3Client(argv: string[], factor: number): ExecReply {
    const target = flag(argv, '-c') ?? '';
    const port = Number(flag(argv, '-p') ?? 5201);
    if (!serverAt(target, port, 'iperf3')) {
      return {
        stdout: JSON.stringify({
          start: {},
          intervals: [],
          end: {},
          error:
            'unable to connect to server - server may have stopped running or use a different port, firewall issue, etc.: Connection refused',
        }),
        exitCode: 1,
      };
    }
    const streams = Number(flag(argv, '-P') ?? 1);
    const report = iperf3ReportSchema.parse(
      JSON.parse(fixture(streams > 1 ? 'iperf3-tcp-P4.json' : 'iperf3-tcp-P1.json')),
    );
    const f = factor * (1 + 0.01 * (runs++ % 5));
    for (const sum of [report.end.sum_sent, report.end.sum_received]) {
      sum.bits_per_second *= f;
      sum.bytes = Math.round(sum.bytes * f);
    }
    report.start.connecting_to = { host: target, port };
    report.start.test_start.num_streams = streams;
    return { stdout: JSON.stringify(report, null, '\t') + '\n', exitCode: 0 };
  }

  function agentClient(argv: string[], factor: number): ExecReply {
    const mode = argv[0] as 'rr' | 'crr';
    const target = flag(argv, '--target') ?? '';
    const port = Number(flag(argv, '--port'));
    const server = serverAt(target, port, 'agent');
    if (!server || server.mode !== mode) {
      return { stderr: `${mode}: connect ECONNREFUSED ${target}:${port}\n`, exitCode: 1 };
    }
    if (mode !== 'rr') return { stderr: 'fake dataplane: only rr reports were captured\n', exitCode: 1 };
    const report = rrReportSchema.parse(JSON.parse(fixture('agent-rr.json')));
    const f = factor * (1 + 0.01 * (runs++ % 5));
    report.target = target;
    report.port = port;
    report.durationS = Number(flag(argv, '--duration'));
    report.payloadBytes = Number(flag(argv, '--payload'));
    report.samplesUs = report.samplesUs.map((x) => Math.round(x * f * 1000) / 1000);
    report.transactionsPerSecond = Math.round((report.transactionsPerSecond / f) * 1000) / 1000;
    return { stdout: JSON.stringify(report) + '\n', exitCode: 0 };
  }

  return { handler, log };
}

interface AdminTierTypes {
  ClusterNetworkPolicy: ClusterNetworkPolicy;
  AdminNetworkPolicy: AdminNetworkPolicy;
  BaselineAdminNetworkPolicy: BaselineAdminNetworkPolicy;
}

/** cnibench's own validators (what the API server refuses of such an object) as type guards. */
const isAdminTierObject = <K extends AdminTierKind>(kind: K, o: unknown): o is AdminTierTypes[K] =>
  validateAdminTierObject(kind, o).length === 0;
const isNetworkPolicy = (p: unknown): p is NetworkPolicy => validateNetworkPolicy(p).length === 0;

/** A stored admin-tier object as the model's type (name and spec, as a CNI reads it). */
function adminTierObject<K extends AdminTierKind>(kind: K, o: KubeObject): AdminTierTypes[K] {
  const stripped = { metadata: { name: o.metadata.name }, spec: o.spec };
  if (!isAdminTierObject(kind, stripped)) {
    const [problem] = validateAdminTierObject(kind, stripped);
    throw new Error(`fake dataplane: stored ${kind} ${o.metadata.name} is invalid: ${problem?.message}`);
  }
  return stripped;
}

/** The stored admin-tier objects of the versions in `apis`, as the model's objects. */
function storedAdminTier(api: FakeApiServer, apis: readonly AdminTierApi[]): AdminTierPolicies {
  const group = 'policy.networking.k8s.io';
  const out: AdminTierPolicies = {};
  if (apis.includes('v1alpha2')) {
    const cnps = api.store.list(`${group}/v1alpha2`, 'ClusterNetworkPolicy');
    if (cnps.length) out.clusterNetworkPolicies = cnps.map((o) => adminTierObject('ClusterNetworkPolicy', o));
  }
  if (apis.includes('v1alpha1')) {
    const anps = api.store.list(`${group}/v1alpha1`, 'AdminNetworkPolicy');
    if (anps.length) out.adminNetworkPolicies = anps.map((o) => adminTierObject('AdminNetworkPolicy', o));
    const banp = api.store.list(`${group}/v1alpha1`, 'BaselineAdminNetworkPolicy')[0];
    if (banp) out.baselineAdminNetworkPolicy = adminTierObject('BaselineAdminNetworkPolicy', banp);
  }
  return out;
}

/** A stored NetworkPolicy as the model's type (name, namespace and spec). */
function networkPolicy(o: KubeObject): NetworkPolicy {
  const p = { metadata: { name: o.metadata.name, namespace: o.metadata.namespace }, spec: o.spec };
  if (!isNetworkPolicy(p)) {
    const [problem] = validateNetworkPolicy(p);
    throw new Error(
      `fake dataplane: stored NetworkPolicy ${o.metadata.name} is invalid: ${problem?.message}`,
    );
  }
  return p;
}

/** A container port's protocol as the model names it (the API server defaults it to TCP). */
function protocolOf(p: string | undefined): Protocol {
  if (p === undefined || p === 'TCP' || p === 'UDP' || p === 'SCTP') return p ?? 'TCP';
  throw new Error(`fake dataplane: unknown container port protocol ${p}`);
}

/**
 * The cluster's conformance pods, namespaces, NetworkPolicies and (for the admin-tier versions the
 * CNI enforces) admin-tier objects as one case for the model, under their real names: what a CNI
 * sees. Only this probe's port/protocol matters for one verdict.
 */
export function clusterAsCase(
  api: FakeApiServer,
  probe: Probe,
  adminTier: readonly AdminTierApi[] = [],
): ResolvedCase {
  const namespaces: Record<string, Record<string, string>> = {};
  for (const ns of api.store.list('v1', 'Namespace'))
    namespaces[ns.metadata.name] = { ...(ns.metadata.labels ?? {}) };
  const pods: ResolvedPod[] = api.store
    .list('v1', 'Pod', { labelSelector: 'cnibench.io/role=conformance' })
    .flatMap((p) => {
      const pod = asModel('Pod', p);
      const ip = pod.status?.podIP;
      if (!ip) return [];
      return [
        {
          namespace: p.metadata.namespace ?? '',
          name: p.metadata.name,
          key: `${p.metadata.namespace}/${p.metadata.name}`,
          labels: { ...(p.metadata.labels ?? {}) },
          ip,
          ports: (pod.spec?.containers ?? [])
            .flatMap((c) => c.ports ?? [])
            .map((cp): ContainerPort => ({
              name: cp.name ?? '',
              port: cp.containerPort,
              protocol: protocolOf(cp.protocol),
            })),
        },
      ];
    });
  const policies = api.store.list('networking.k8s.io/v1', 'NetworkPolicy').map(networkPolicy);
  return {
    name: 'cluster',
    tags: [],
    namespaces,
    pods,
    policies,
    ...storedAdminTier(api, adminTier),
    probes: [probe],
  };
}
