/**
 * The objects the kube driver creates, as plain JSON (pure builders, checked against the published
 * Kubernetes schemas in the tests). Conformance pods follow the upstream NetworkPolicy e2e suite: one
 * agnhost `porter` container per served port/protocol, with named container ports, so a policy can
 * name a port exactly as the case does. Probes run in the source pod: in probe mode `agent` from an
 * `agent` container beside the porters (same pod, so the same network namespace and the same policy
 * verdicts), in mode `agnhost` with `agnhost connect` in the first porter container.
 */
import { createHash } from 'node:crypto';
import type {
  V1ConfigMap,
  V1Container,
  V1Namespace,
  V1ObjectMeta,
  V1Pod,
  V1PodSpec,
  V1Service,
  V1Volume,
  V1VolumeMount,
} from '@kubernetes/client-node';
import { NAMESPACE_NAME_LABEL, type Labels, type ResolvedPod } from '../../netpol/types.js';
import { InputError } from '../../util/errors.js';
import type { HarnessImages } from './images.js';
// The ports of the performance servers: the service path exposes exactly these.
import { PERF_PORTS } from '../driver.js';
import {
  LANE_LABEL,
  LOGICAL_NAMESPACE_LABEL,
  MANAGED_BY_LABEL,
  ROLE_LABEL,
  RUN_ID_LABEL,
  SPEC_HASH_ANNOTATION,
  managementLabels,
  type NamespaceMap,
} from './naming.js';

/**
 * An object as we build it: the client's model type with its metadata (and name) always present, so
 * callers need no checks for what the builders always set.
 */
export type Named<T extends { metadata?: V1ObjectMeta }> = T & {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta & { name: string };
};
/** A pod as we build it: named, with its spec. */
export type BuiltPod = Named<V1Pod> & { spec: V1PodSpec };

const RESERVED_LABELS = [MANAGED_BY_LABEL, RUN_ID_LABEL, LANE_LABEL, LOGICAL_NAMESPACE_LABEL, ROLE_LABEL];

function checkNoReserved(labels: Labels, where: string): void {
  for (const k of Object.keys(labels)) {
    if (RESERVED_LABELS.includes(k))
      throw new InputError(`${where}: label "${k}" is reserved for cnibench's own bookkeeping`);
  }
}

/** The agnhost binary's path in its image (the image's entrypoint). */
export const AGNHOST = '/agnhost';
/** Where the agent's code is mounted in the agent container. */
export const AGENT_DIR = '/opt/cnibench/agent';
/** The ConfigMap carrying the agent bundle, in every namespace with agent containers. */
export const AGENT_CONFIGMAP = 'cnibench-agent';
/** Where an agent container finds a copy of agnhost (for SCTP probes; Node.js has no SCTP sockets). */
const AGNHOST_COPY_DIR = '/opt/cnibench/bin';
const AGNHOST_COPY = `${AGNHOST_COPY_DIR}/agnhost`;

/** The agent bundle as pods mount it (see agent-bundle.ts). */
interface AgentVolume {
  /** key → path items of the agent ConfigMap. */
  items: Array<{ key: string; path: string }>;
}

export interface PodContext {
  ns: NamespaceMap;
  images: HarnessImages;
  imagePullSecrets: string[];
  /**
   * Probe mode `agent`: the bundle the agent container mounts. Unset: mode `agnhost` (porters only).
   */
  agent?: AgentVolume;
  /** The case probes SCTP: an agent container also gets a copy of agnhost to run them. */
  sctp?: boolean;
}

export function namespaceManifest(logical: string, caseLabels: Labels, ns: NamespaceMap): Named<V1Namespace> {
  const labels = { ...caseLabels };
  // The API server owns kubernetes.io/metadata.name (always the real name); policies are rewritten.
  delete labels[NAMESPACE_NAME_LABEL];
  checkNoReserved(labels, `namespace ${logical}`);
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns.real(logical),
      labels: {
        ...labels,
        ...managementLabels(ns.runId),
        [LANE_LABEL]: String(ns.lane),
        [LOGICAL_NAMESPACE_LABEL]: logical,
      },
    },
  };
}

const PORTER_ENV: Record<string, string> = {
  TCP: 'SERVE_PORT_',
  UDP: 'SERVE_UDP_PORT_',
  SCTP: 'SERVE_SCTP_PORT_',
};

/** Container name serving one port: cont-80-tcp (the same scheme as the upstream e2e suite). */
function serveContainerName(port: number, protocol: string): string {
  return `cont-${port}-${protocol.toLowerCase()}`;
}

/** Keeps a tool container alive until exec'd into; exits at once on SIGTERM so deletion is fast. */
const IDLE_COMMAND = ['/bin/sh', '-c', 'trap "exit 0" TERM INT; while true; do sleep 3600 & wait $!; done'];

/** IANA_SVC_NAME: what the API server accepts as a container port name. */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function hashSpec(spec: unknown): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

/** The agent container: stock Node.js idling until exec'd into, the bundle mounted from the ConfigMap. */
function agentContainer(image: string, extraMounts: V1VolumeMount[] = []): V1Container {
  return {
    name: 'agent',
    image,
    imagePullPolicy: 'IfNotPresent',
    command: IDLE_COMMAND,
    volumeMounts: [{ name: 'agent', mountPath: AGENT_DIR, readOnly: true }, ...extraMounts],
  };
}

function agentVolume(items: AgentVolume['items']): V1Volume {
  return { name: 'agent', configMap: { name: AGENT_CONFIGMAP, items } };
}

/**
 * A conformance pod: one porter container per port (answering with the pod's logical key, "x/a", so
 * a probe can tell which pod answered), plus in agent mode the `agent` container that runs the
 * pod's probes. In agnhost mode a pod that serves nothing gets one idle agnhost container. Pod labels
 * are the case's plus the management labels.
 */
export function conformancePodManifest(pod: ResolvedPod, ctx: PodContext): BuiltPod {
  checkNoReserved(pod.labels, `pod ${pod.key}`);
  const containers: V1Container[] = pod.ports.map((p) => {
    if (!PORT_NAME.test(p.name)) {
      throw new InputError(
        `pod ${pod.key}: port name "${p.name}" is not a valid container port name (at most 15 characters: a-z, 0-9, -)`,
      );
    }
    return {
      name: serveContainerName(p.port, p.protocol),
      image: ctx.images.agnhost,
      imagePullPolicy: 'IfNotPresent',
      args: ['porter'],
      env: [{ name: `${PORTER_ENV[p.protocol]}${p.port}`, value: pod.key }],
      ports: [{ name: p.name, containerPort: p.port, protocol: p.protocol }],
    };
  });
  const volumes: V1Volume[] = [];
  const initContainers: V1Container[] = [];
  if (ctx.agent) {
    const sctp = ctx.sctp === true;
    // agnhost cannot run in the Node.js image: an init container copies the binary (both images are
    // Alpine-based) into a volume the agent container mounts, for the agent to run on SCTP targets.
    if (sctp) {
      volumes.push({ name: 'agnhost-bin', emptyDir: {} });
      initContainers.push({
        name: 'agnhost-bin',
        image: ctx.images.agnhost,
        imagePullPolicy: 'IfNotPresent',
        command: ['cp', AGNHOST, AGNHOST_COPY],
        volumeMounts: [{ name: 'agnhost-bin', mountPath: AGNHOST_COPY_DIR }],
      });
    }
    containers.push(
      agentContainer(
        ctx.images.agent,
        sctp ? [{ name: 'agnhost-bin', mountPath: AGNHOST_COPY_DIR, readOnly: true }] : [],
      ),
    );
    volumes.push(agentVolume(ctx.agent.items));
  } else if (containers.length === 0) {
    containers.push({
      name: 'idle',
      image: ctx.images.agnhost,
      imagePullPolicy: 'IfNotPresent',
      args: ['pause'],
    });
  }
  const spec: V1PodSpec = {
    ...(initContainers.length ? { initContainers } : {}),
    containers,
    ...(volumes.length ? { volumes } : {}),
    terminationGracePeriodSeconds: 1,
    automountServiceAccountToken: false,
    ...(ctx.imagePullSecrets.length
      ? { imagePullSecrets: ctx.imagePullSecrets.map((name) => ({ name })) }
      : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: ctx.ns.real(pod.namespace),
      labels: { ...pod.labels, ...managementLabels(ctx.ns.runId), [ROLE_LABEL]: 'conformance' },
      annotations: { [SPEC_HASH_ANNOTATION]: hashSpec(spec) },
    },
    spec,
  };
}

/**
 * Where a conformance pod's probes run: the agent container (with the agnhost copy when the pod
 * has one), or else the first container (any container of a pod shares its network namespace).
 */
export function probeSite(manifest: BuiltPod): { container: string; agnhost?: string } {
  const names = manifest.spec.containers.map((c) => c.name);
  if (names.includes('agent')) {
    const copy = (manifest.spec.initContainers ?? []).some((c) => c.name === 'agnhost-bin');
    return { container: 'agent', ...(copy ? { agnhost: AGNHOST_COPY } : {}) };
  }
  return { container: names[0] ?? '' };
}

export interface PerfPodOptions {
  name: string;
  namespace: string;
  runId: string;
  role: 'perf-server' | 'perf-client' | 'host-server' | 'host-client';
  nodeName: string;
  hostNetwork: boolean;
  images: HarnessImages;
  imagePullSecrets: string[];
  /** key → path items of the agent ConfigMap (AGENT_CONFIGMAP in the pod's namespace). */
  agentItems: AgentVolume['items'];
}

/**
 * A performance pod pinned to a node: an `iperf3` container, an `agent` container (Node.js with the
 * cnibench agent mounted from a ConfigMap) and, when an image is configured, a `netperf` container.
 */
export function perfPodManifest(o: PerfPodOptions): BuiltPod {
  const containers: V1Container[] = [
    { name: 'iperf3', image: o.images.iperf3, imagePullPolicy: 'IfNotPresent', command: IDLE_COMMAND },
    agentContainer(o.images.agent),
  ];
  if (o.images.netperf) {
    containers.push({
      name: 'netperf',
      image: o.images.netperf,
      imagePullPolicy: 'IfNotPresent',
      command: IDLE_COMMAND,
    });
  }
  const spec: V1PodSpec = {
    nodeName: o.nodeName,
    ...(o.hostNetwork ? { hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' } : {}),
    terminationGracePeriodSeconds: 1,
    automountServiceAccountToken: false,
    // Pinned by nodeName, which bypasses the scheduler; tolerate everything so tainted nodes still run it.
    tolerations: [{ operator: 'Exists' }],
    containers,
    volumes: [agentVolume(o.agentItems)],
    ...(o.imagePullSecrets.length ? { imagePullSecrets: o.imagePullSecrets.map((name) => ({ name })) } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace: o.namespace,
      labels: { ...managementLabels(o.runId), [ROLE_LABEL]: o.role, 'cnibench.io/perf-pod': o.name },
      annotations: { [SPEC_HASH_ANNOTATION]: hashSpec(spec) },
    },
    spec,
  };
}

/** ClusterIP service in front of one perf server pod, exposing PERF_PORTS (TCP, and UDP for iperf3). */
export function perfServiceManifest(
  name: string,
  namespace: string,
  runId: string,
  serverPod: string,
): Named<V1Service> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { ...managementLabels(runId), [ROLE_LABEL]: 'perf-service' } },
    spec: {
      type: 'ClusterIP',
      selector: { 'cnibench.io/perf-pod': serverPod },
      ports: [
        { name: 'iperf3-tcp', port: PERF_PORTS.iperf3, targetPort: PERF_PORTS.iperf3, protocol: 'TCP' },
        { name: 'iperf3-udp', port: PERF_PORTS.iperf3, targetPort: PERF_PORTS.iperf3, protocol: 'UDP' },
        { name: 'rr', port: PERF_PORTS.rr, targetPort: PERF_PORTS.rr, protocol: 'TCP' },
        { name: 'netperf', port: PERF_PORTS.netperf, targetPort: PERF_PORTS.netperf, protocol: 'TCP' },
      ],
    },
  };
}

export function configMapManifest(
  name: string,
  namespace: string,
  runId: string,
  data: Record<string, string>,
): Named<V1ConfigMap> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: managementLabels(runId) },
    data,
  };
}
