/**
 * Helm values for the Cilium chart, generated from the candidate's settings. Keys follow the chart's
 * published values reference (install/kubernetes/cilium/README.md, 1.16 series); the keys used here are
 * pinned in test/fixtures/cni/cilium-values-keys.json. With an image registry, every image repository
 * the chart can deploy is moved to it, with digests off (a mirror's digests need not match upstream's).
 */
import type { CiliumSettings } from '../../scenario/schema.js';
import { InputError } from '../../util/errors.js';
import { rewriteImage } from '../images.js';

/** Value paths of every image the 1.16 chart can deploy, with its upstream repository. */
export const CILIUM_IMAGES: { path: string; repository: string }[] = [
  { path: 'image', repository: 'quay.io/cilium/cilium' },
  { path: 'operator.image', repository: 'quay.io/cilium/operator' },
  { path: 'preflight.image', repository: 'quay.io/cilium/cilium' },
  { path: 'nodeinit.image', repository: 'quay.io/cilium/startup-script' },
  { path: 'envoy.image', repository: 'quay.io/cilium/cilium-envoy' },
  { path: 'certgen.image', repository: 'quay.io/cilium/certgen' },
  { path: 'clustermesh.apiserver.image', repository: 'quay.io/cilium/clustermesh-apiserver' },
  { path: 'hubble.relay.image', repository: 'quay.io/cilium/hubble-relay' },
  { path: 'hubble.ui.backend.image', repository: 'quay.io/cilium/hubble-ui-backend' },
  { path: 'hubble.ui.frontend.image', repository: 'quay.io/cilium/hubble-ui' },
  { path: 'authentication.mutual.spire.install.agent.image', repository: 'ghcr.io/spiffe/spire-agent' },
  { path: 'authentication.mutual.spire.install.server.image', repository: 'ghcr.io/spiffe/spire-server' },
  { path: 'authentication.mutual.spire.install.initImage', repository: 'docker.io/library/busybox' },
];

export interface CiliumValuesInput {
  settings: CiliumSettings;
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
export function setPath(target: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) {
    if (!isObject(node[k])) node[k] = {};
    node = node[k] as Obj;
  }
  node[keys[keys.length - 1]] = value;
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
    out[k] = isObject(v) && isObject(out[k]) ? mergeValues(out[k] as Obj, v) : structuredClone(v);
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

  if (input.imageRegistry) {
    for (const img of CILIUM_IMAGES) {
      setPath(v, `${img.path}.repository`, rewriteImage(img.repository, input.imageRegistry));
      setPath(v, `${img.path}.useDigest`, false);
    }
  }

  const values = s.values ? mergeValues(v, s.values) : v;
  return { values, warnings };
}
