/**
 * Helm values for the Cilium chart, generated from the candidate's settings and the chart version. Keys
 * are those of the chart's own values.yaml at each supported version (tests check every combination
 * against the real values.yaml and values.schema.json of the versions in ../shared/upstream). With an
 * image registry, every image repository the chart can deploy at that version is moved to it, with
 * digests off (a mirror's digests need not match upstream's).
 */
import { compareVersions, hasFeature } from '../../scenario/cni-versions.js';
import type { CiliumSettings } from './settings.js';
import { CILIUM_FEATURES } from './versions.js';
import { InputError } from '../../util/errors.js';
import { itemAt } from '../../util/arrays.js';
import { rewriteImage } from '../../cluster/kube/images.js';

/** An image block of the chart (a values path holding repository/tag/digest/useDigest). */
export interface ImageBlock {
  path: string;
  repository: string;
  /** First chart version that has it. */
  since?: string;
  /** First chart version that no longer has it (with this repository). */
  before?: string;
}

/**
 * Every image block with a default image in the supported charts (1.16-1.20), read from their
 * values.yaml. standaloneDnsProxy.image (1.19+) has no default repository, so there is nothing to move.
 */
const CILIUM_IMAGE_BLOCKS: readonly ImageBlock[] = [
  { path: 'image', repository: 'quay.io/cilium/cilium' },
  { path: 'operator.image', repository: 'quay.io/cilium/operator' },
  { path: 'preflight.image', repository: 'quay.io/cilium/cilium' },
  { path: 'preflight.envoy.image', repository: 'quay.io/cilium/cilium-envoy', since: '1.18.0' },
  { path: 'nodeinit.image', repository: 'quay.io/cilium/startup-script' },
  { path: 'envoy.image', repository: 'quay.io/cilium/cilium-envoy' },
  { path: 'certgen.image', repository: 'quay.io/cilium/certgen' },
  { path: 'clustermesh.apiserver.image', repository: 'quay.io/cilium/clustermesh-apiserver' },
  { path: 'hubble.relay.image', repository: 'quay.io/cilium/hubble-relay' },
  { path: 'hubble.ui.backend.image', repository: 'quay.io/cilium/hubble-ui-backend' },
  { path: 'hubble.ui.frontend.image', repository: 'quay.io/cilium/hubble-ui' },
  {
    path: 'encryption.ztunnel.image',
    repository: 'docker.io/istio/ztunnel',
    since: '1.19.2',
    before: '1.20.0',
  },
  { path: 'encryption.ztunnel.image', repository: 'quay.io/cilium/ztunnel', since: '1.20.0' },
  { path: 'authentication.mutual.spire.install.agent.image', repository: 'ghcr.io/spiffe/spire-agent' },
  { path: 'authentication.mutual.spire.install.server.image', repository: 'ghcr.io/spiffe/spire-server' },
  { path: 'authentication.mutual.spire.install.initImage', repository: 'docker.io/library/busybox' },
];

/** The image blocks of chart `version`. */
export function imageBlocks(version: string): ImageBlock[] {
  return CILIUM_IMAGE_BLOCKS.filter(
    (b) =>
      (b.since === undefined || compareVersions(version, b.since) >= 0) &&
      (b.before === undefined || compareVersions(version, b.before) < 0),
  );
}

/** cilium-operator's replicas in every supported chart, each on its own node (required anti-affinity). */
export const CHART_OPERATOR_REPLICAS = 2;

export interface CiliumValuesInput {
  settings: CiliumSettings;
  /** Chart version (decides the image blocks and which values exist). */
  version: string;
  /** Registered nodes, when known: the operator gets no more replicas than there are nodes. */
  nodeCount?: number;
  /** The candidate is removed after its evaluation (candidate.uninstallAfter). */
  uninstallAfter?: boolean;
  imageRegistry?: string;
  imagePullSecrets: string[];
  /** API server as nodes reach it; required without kube-proxy. */
  apiServer?: { host: string; port: number };
}

export interface CiliumValues {
  values: Record<string, unknown>;
  warnings: string[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Sets `a.b.c` in a nested object, creating the intermediate objects. */
function setPath(target: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(node[k])) node[k] = {};
    node = node[k] as Obj;
  }
  node[itemAt(keys, keys.length - 1)] = value;
}

export function getPath(source: unknown, path: string): unknown {
  let node = source;
  for (const k of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[k];
  }
  return node;
}

/** Helm's own rule: maps merge key by key, anything else (lists included) is replaced. */
export function mergeValues(base: Obj, extra: Obj): Obj {
  const out: Obj = structuredClone(base);
  for (const [k, v] of Object.entries(extra)) {
    out[k] = isObject(v) && isObject(out[k]) ? mergeValues(out[k], v) : structuredClone(v);
  }
  return out;
}

export function ciliumValues(input: CiliumValuesInput): CiliumValues {
  const s = input.settings;
  const warnings: string[] = [];
  const v: Obj = {};

  setPath(v, 'routingMode', s.routingMode);
  if (s.routingMode === 'tunnel') {
    setPath(v, 'tunnelProtocol', s.tunnelProtocol);
  } else {
    if (!s.ipv4NativeRoutingCidr) {
      throw new InputError(
        'settings.ipv4NativeRoutingCidr is required when settings.routingMode is native (the CIDR routed without SNAT)',
      );
    }
    // Nodes sharing one L2 segment (kind, most labs) need each other's pod CIDR routes installed.
    setPath(v, 'autoDirectNodeRoutes', true);
  }
  if (s.ipv4NativeRoutingCidr) setPath(v, 'ipv4NativeRoutingCIDR', s.ipv4NativeRoutingCidr);

  // Pod CIDRs come from the node objects (kube-controller-manager's --cluster-cidr, kind's podSubnet),
  // so every candidate uses the same pod address plan as the cluster.
  setPath(v, 'ipam.mode', 'kubernetes');

  setPath(v, 'kubeProxyReplacement', s.kubeProxyReplacement);
  if (s.kubeProxyReplacement) {
    if (input.apiServer) {
      setPath(v, 'k8sServiceHost', input.apiServer.host);
      setPath(v, 'k8sServicePort', input.apiServer.port);
    } else {
      warnings.push(
        'kubeProxyReplacement needs k8sServiceHost/k8sServicePort; a run reads them from the cluster, a dry run cannot',
      );
    }
  }

  setPath(v, 'encryption.enabled', s.encryption !== 'none');
  if (s.encryption !== 'none') setPath(v, 'encryption.type', s.encryption);

  // The chart enables Hubble by default; the scenario's choice is always written out.
  setPath(v, 'hubble.enabled', s.hubble);
  setPath(v, 'hubble.relay.enabled', s.hubble);
  setPath(v, 'hubble.ui.enabled', s.hubble);

  // Removing Cilium must also remove its CNI config from the nodes, or the next candidate's pods would
  // still be wired by the (now absent) Cilium plugin: 05-cilium.conflist sorts before other configs.
  if (input.uninstallAfter) setPath(v, 'cni.uninstall', true);

  if (input.imagePullSecrets.length > 0)
    setPath(
      v,
      'imagePullSecrets',
      input.imagePullSecrets.map((name) => ({ name })),
    );

  if (s.clusterNetworkPolicy) {
    if (!hasFeature(CILIUM_FEATURES.clusterNetworkPolicy, input.version))
      throw new InputError(
        `clusterNetworkPolicy needs Cilium ${CILIUM_FEATURES.clusterNetworkPolicy.since} or later; ${input.version} does not have it`,
      );
    setPath(v, 'k8sClusterNetworkPolicy.enabled', true);
  }

  // The chart runs the operator with one replica per node (required pod anti-affinity on the host
  // name): on a cluster with fewer nodes the extra replica never schedules and the rollout never ends.
  if (input.nodeCount !== undefined && input.nodeCount < CHART_OPERATOR_REPLICAS)
    setPath(v, 'operator.replicas', Math.max(1, input.nodeCount));

  if (input.imageRegistry) {
    for (const img of imageBlocks(input.version)) {
      setPath(v, `${img.path}.repository`, rewriteImage(img.repository, input.imageRegistry));
      setPath(v, `${img.path}.useDigest`, false);
    }
  }

  const values = s.values ? mergeValues(v, s.values) : v;
  return { values, warnings };
}
