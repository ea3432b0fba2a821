/**
 * The layout of network-policy-api's conformance tests (conformance/base/manifests.yaml, the same at
 * v0.1.7, v0.1.8 and v0.2.0), used by every admin-tier case: four namespaces
 * network-policy-conformance-{gryffindor,slytherin,hufflepuff,ravenclaw}, labelled
 * conformance-house=<house>, each with the two pods of a StatefulSet (harry-potter-0/1,
 * draco-malfoy-0/1, cedric-diggory-0/1, luna-lovegood-0/1) labelled the same way and, as every
 * StatefulSet pod is, with statefulset.kubernetes.io/pod-name=<pod>. Every pod serves
 * TCP 80 (named "web"), TCP 8080, UDP 53 (named "dns"), UDP 5353, SCTP 9003 and SCTP 9005, as the
 * upstream pods do. (The host-network pods of namespace forbidden-forrest serve only the node-peer
 * tests, which no pod-to-pod case can judge.)
 *
 * Every admin-tier case uses the same pods and ports, so a driver lays them out once for the group.
 */
import type { CasePod, ContainerPort, Labels, Probe, Protocol } from '../types.js';

export const HOUSES = ['gryffindor', 'slytherin', 'hufflepuff', 'ravenclaw'] as const;
export type House = (typeof HOUSES)[number];

const HOUSE_LABEL = 'conformance-house';
/** Set by the StatefulSet controller on each pod; lets a case select one pod of a house. */
const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';

const STATEFULSET: Record<House, string> = {
  gryffindor: 'harry-potter',
  slytherin: 'draco-malfoy',
  hufflepuff: 'cedric-diggory',
  ravenclaw: 'luna-lovegood',
};

/** "network-policy-conformance-gryffindor" */
export function houseNs(h: House): string {
  return `network-policy-conformance-${h}`;
}

/**
 * The address resolveCase gives a pod of this layout: 10.244.<namespace index + 1>.<10 + pod index>
 * (a suite test checks they agree). The inline-CIDR cases need it, as upstream's test reads the
 * pods' real IPs.
 */
export function housePodIp(h: House, i: 0 | 1): string {
  return `10.244.${HOUSES.indexOf(h) + 1}.${10 + i}`;
}

const HOUSE_PORTS: readonly ContainerPort[] = [
  { name: 'web', port: 80, protocol: 'TCP' },
  { name: 'serve-8080-tcp', port: 8080, protocol: 'TCP' },
  { name: 'dns', port: 53, protocol: 'UDP' },
  { name: 'serve-5353-udp', port: 5353, protocol: 'UDP' },
  { name: 'serve-9003-sctp', port: 9003, protocol: 'SCTP' },
  { name: 'serve-9005-sctp', port: 9005, protocol: 'SCTP' },
];

export function houseNamespaces(): Record<string, Labels> {
  return Object.fromEntries(HOUSES.map((h) => [houseNs(h), { [HOUSE_LABEL]: h }]));
}

export function housePods(): CasePod[] {
  return HOUSES.flatMap((h) =>
    ([0, 1] as const).map((i) => ({
      namespace: houseNs(h),
      name: `${STATEFULSET[h]}-${i}`,
      labels: { [HOUSE_LABEL]: h, [POD_NAME_LABEL]: `${STATEFULSET[h]}-${i}` },
      ports: HOUSE_PORTS.map((p) => ({ ...p })),
    })),
  );
}

/** Probes on the given ports, e.g. probes('TCP', 80, 8080). */
export function probes(protocol: Protocol, ...ports: number[]): Probe[] {
  return ports.map((port) => ({ port, protocol }));
}

/** The namespace selector upstream uses most: kubernetes.io/metadata.name=<namespace>. */
export function nsNamed(h: House): { matchLabels: Labels } {
  return { matchLabels: { 'kubernetes.io/metadata.name': houseNs(h) } };
}

/** statefulset.kubernetes.io/pod-name=<pod>: one pod of a house. */
export function podNamed(h: House, i: 0 | 1): { matchLabels: Labels } {
  return { matchLabels: { [POD_NAME_LABEL]: `${STATEFULSET[h]}-${i}` } };
}

/** conformance-house=<house>, for namespace and pod selectors alike. */
export function house(h: House): { matchLabels: Labels } {
  return { matchLabels: { [HOUSE_LABEL]: h } };
}
