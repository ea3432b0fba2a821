/**
 * Where the policy-scale sweep's policies live and which traffic they must keep working:
 * - filler namespaces (`scale-00`, ...) with a few labelled pods: what the N generated policies
 *   select, so the dataplane has real selectors, IP sets and port lists to program;
 * - the probe namespace: one client/server pair that the "one extra policy" flips, for the
 *   programming-latency measurement (no generated policy touches it);
 * - the perf pair (client → server on PERF_PORTS): its server's namespace gets an explicit allow, so
 *   the measured path is policy-isolated yet allowed at every N ≥ 1.
 */
import type { PerfPair } from '../../cluster/driver.js';
import type { CasePod, Labels, PolicyCase, Probe, Protocol } from '../../netpol/types.js';
import { PERF_PORTS } from '../../cluster/driver.js';
import { cycle } from '../../util/arrays.js';

export interface PerfEndpoints {
  clientNamespace: string;
  clientName: string;
  clientIp: string;
  serverNamespace: string;
  serverName: string;
  serverIp: string;
  /** Ports the perf tools use (iperf3 TCP+UDP, agent rr and crr). */
  ports: Array<{ port: number; protocol: Protocol }>;
}

export interface ScaleLayout {
  fillerNamespaces: string[];
  /** Labels of each filler namespace (team/env), what namespaceSelectors of the policies match. */
  namespaceLabels: Record<string, Labels>;
  /** Filler pods per namespace, with app/tier labels the policies select. */
  fillerPodsPerNamespace: number;
  probeNamespace: string;
  /** Port the probe pair is probed on. */
  probe: Probe;
  perf: PerfEndpoints;
}

export const APPS = ['web', 'api', 'db', 'cache', 'queue', 'auth'] as const;
export const TEAMS = ['payments', 'search', 'identity', 'platform'] as const;
export const ENVS = ['prod', 'staging'] as const;

export const PROBE_CLIENT = 'probe-client';
export const PROBE_SERVER = 'probe-server';

/** Every port the perf tools listen on: iperf3 (TCP control + data, UDP data), agent rr, agent crr. */
export function perfPorts(): Array<{ port: number; protocol: Protocol }> {
  return [
    { port: PERF_PORTS.iperf3, protocol: 'TCP' },
    { port: PERF_PORTS.iperf3, protocol: 'UDP' },
    { port: PERF_PORTS.rr, protocol: 'TCP' },
    { port: PERF_PORTS.crr, protocol: 'TCP' },
  ];
}

export function perfEndpoints(pair: PerfPair): PerfEndpoints {
  return {
    clientNamespace: pair.client.namespace,
    clientName: pair.client.name,
    clientIp: pair.client.ip,
    serverNamespace: pair.server.namespace,
    serverName: pair.server.name,
    serverIp: pair.server.ip,
    ports: perfPorts(),
  };
}

export interface ScaleLayoutOptions {
  namespaces?: number;
  fillerPodsPerNamespace?: number;
  probeNamespace?: string;
  probePort?: number;
}

/** The layout without the perf pair (known only once the driver prepared it). */
export function scaleLayoutBase(opts: ScaleLayoutOptions = {}): Omit<ScaleLayout, 'perf'> {
  const {
    namespaces = 8,
    fillerPodsPerNamespace = 1,
    probeNamespace = 'scale-probe',
    probePort = 8080,
  } = opts;
  const fillerNamespaces = Array.from(
    { length: namespaces },
    (_, i) => `scale-${String(i).padStart(2, '0')}`,
  );
  const namespaceLabels: Record<string, Labels> = {};
  fillerNamespaces.forEach((ns, i) => {
    namespaceLabels[ns] = { team: cycle(TEAMS, i), env: cycle(ENVS, i) };
  });
  return {
    fillerNamespaces,
    namespaceLabels,
    fillerPodsPerNamespace,
    probeNamespace,
    probe: { port: probePort, protocol: 'TCP' },
  };
}

export function scaleLayout(perf: PerfEndpoints, opts: ScaleLayoutOptions = {}): ScaleLayout {
  return { ...scaleLayoutBase(opts), perf };
}

/** Labels of the i-th filler pod of a namespace. */
export function fillerPodLabels(i: number): Labels {
  return { app: cycle(APPS, i), tier: i % 2 === 0 ? 'frontend' : 'backend' };
}

/**
 * The pods the sweep needs besides the perf pair, as a policy case for `driver.ensureLayout`: filler
 * pods and the probe pair. Policies are set separately (setPolicies) at each N.
 */
export function scaleLayoutCase(layout: Omit<ScaleLayout, 'perf'>): PolicyCase {
  const pods: CasePod[] = [];
  for (const ns of layout.fillerNamespaces) {
    for (let i = 0; i < layout.fillerPodsPerNamespace; i++) {
      pods.push({ namespace: ns, name: `filler-${i}`, labels: fillerPodLabels(i) });
    }
  }
  pods.push({ namespace: layout.probeNamespace, name: PROBE_CLIENT, labels: { role: PROBE_CLIENT } });
  pods.push({ namespace: layout.probeNamespace, name: PROBE_SERVER, labels: { role: PROBE_SERVER } });
  return {
    name: 'policy-scale layout',
    description:
      'filler pods selected by the generated policies, and the probe pair flipped by one extra policy',
    tags: ['policy-scale'],
    namespaces: { ...layout.namespaceLabels, [layout.probeNamespace]: { purpose: 'probe' } },
    pods,
    policies: [],
    probes: [layout.probe],
  };
}
