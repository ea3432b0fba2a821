/**
 * The suite's fixed layout, the same 3×3 grid the upstream e2e tests and cyclonus use: namespaces
 * x, y, z (labelled ns=x, ...) each holding pods a, b, c (labelled pod=a, ...), probed on ports 80
 * and 81. Pods carry no ip or ports, so `resolveCase` assigns its deterministic addresses and the
 * serve-<port>-<proto> container ports; ipBlock cases compute the same addresses with `podIp`.
 */
import type { CasePod, Labels, NetworkPolicy, PolicyCase, Probe, Protocol } from '../types.js';

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const POD_NAMES = ['a', 'b', 'c'] as const;
export type SuiteNamespace = (typeof NAMESPACES)[number];
export type SuitePod = (typeof POD_NAMES)[number];

const PORTS = [80, 81] as const;

// Must agree with resolveCase's assignment (namespace index → third octet, pod index → .10 + i);
// a suite test checks that it does.
export function nsCidr(ns: SuiteNamespace): string {
  return `10.244.${NAMESPACES.indexOf(ns) + 1}.0/24`;
}

export function podIp(ns: SuiteNamespace, pod: SuitePod): string {
  return `10.244.${NAMESPACES.indexOf(ns) + 1}.${10 + POD_NAMES.indexOf(pod)}`;
}

export function podCidr(ns: SuiteNamespace, pod: SuitePod): string {
  return `${podIp(ns, pod)}/32`;
}

export function probesFor(protocols: readonly Protocol[], ports: readonly number[] = PORTS): Probe[] {
  const out: Probe[] = [];
  for (const protocol of protocols) for (const port of ports) out.push({ port, protocol });
  return out;
}

const TCP_UDP_PROBES: readonly Probe[] = probesFor(['TCP', 'UDP']);
export const SCTP_PROBES: readonly Probe[] = probesFor(['SCTP']);

function layoutNamespaces(): Record<string, Labels> {
  return Object.fromEntries(NAMESPACES.map((ns) => [ns, { ns }]));
}

function layoutPods(): CasePod[] {
  return NAMESPACES.flatMap((namespace) =>
    POD_NAMES.map((name) => ({ namespace, name, labels: { pod: name } })),
  );
}

export interface CaseSpec {
  name: string;
  description: string;
  tags: readonly string[];
  policies: NetworkPolicy[];
  /** Default: TCP and UDP on 80 and 81. */
  probes?: readonly Probe[];
}

/**
 * A suite case on the standard layout. The protocol:* tags are derived from the probes, so that
 * excluding `protocol:sctp` removes exactly the cases a driver without SCTP cannot run.
 */
export function layoutCase(spec: CaseSpec): PolicyCase {
  const probes = (spec.probes ?? TCP_UDP_PROBES).map((p) => ({ ...p }));
  return {
    name: spec.name,
    description: spec.description,
    tags: withProtocolTags(spec.tags, probes),
    namespaces: layoutNamespaces(),
    pods: layoutPods(),
    policies: structuredClone(spec.policies),
    probes,
  };
}

export function withProtocolTags(tags: readonly string[], probes: readonly Probe[]): string[] {
  const protocolTags = [...new Set(probes.map((p) => `protocol:${p.protocol.toLowerCase()}`))];
  return [...new Set([...tags.filter((t) => !t.startsWith('protocol:')), ...protocolTags])];
}
