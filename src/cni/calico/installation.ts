/**
 * The operator.tigera.io/v1 resources cnibench generates for a Calico candidate: the Installation (image
 * registry, pull secrets, IP pool, dataplane, MTU) and the APIServer, plus the ConfigMap the eBPF
 * dataplane needs to reach the API server without kube-proxy. Field names follow the published
 * InstallationSpec (docs.tigera.io "Installation reference"); test/cni/upstream.test.ts checks every
 * generated Installation and APIServer against the CRD schema of each real release in ../shared/upstream.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { CalicoSettings } from './settings.js';
import { registryPrefix } from '../images.js';

export interface InstallationInput {
  settings: CalicoSettings;
  imageRegistry?: string;
  imagePullSecrets: string[];
  /** The version's Installation CRD has ipPools[].name (v3.28+); without it the field would be pruned. */
  ipPoolName: boolean;
}

/** BGP carries routes for IP-in-IP and unencapsulated pools; pure VXLAN needs no BGP daemon at all. */
function bgpFor(encapsulation: CalicoSettings['encapsulation']): 'Enabled' | 'Disabled' {
  return encapsulation === 'VXLAN' ? 'Disabled' : 'Enabled';
}

export function calicoInstallation(input: InstallationInput): KubernetesObject {
  const s = input.settings;
  const calicoNetwork: Record<string, unknown> = {
    bgp: bgpFor(s.encapsulation),
    linuxDataplane: s.dataplane,
    ipPools: [
      {
        ...(input.ipPoolName ? { name: 'default-ipv4-ippool' } : {}),
        cidr: s.podCidr,
        encapsulation: s.encapsulation,
        natOutgoing: 'Enabled',
        nodeSelector: 'all()',
        blockSize: 26,
      },
    ],
  };
  if (s.mtu !== undefined) calicoNetwork.mtu = s.mtu;
  const spec: Record<string, unknown> = { variant: 'Calico', calicoNetwork };
  if (input.imageRegistry) {
    // The operator builds <registry><imagePath>/<imagePrefix><name>:<tag>; registry must end in "/".
    // imagePath keeps its default ("calico", "tigera") so the mirror layout matches rewriteImage's.
    spec.registry = registryPrefix(input.imageRegistry);
  }
  if (input.imagePullSecrets.length > 0)
    spec.imagePullSecrets = input.imagePullSecrets.map((name) => ({ name }));
  return {
    apiVersion: 'operator.tigera.io/v1',
    kind: 'Installation',
    metadata: { name: 'default' },
    spec,
  } as KubernetesObject;
}

export function calicoApiServer(): KubernetesObject {
  return {
    apiVersion: 'operator.tigera.io/v1',
    kind: 'APIServer',
    metadata: { name: 'default' },
    spec: {},
  } as KubernetesObject;
}

/**
 * With the eBPF dataplane calico-node talks to the API server directly (it may replace kube-proxy),
 * so the operator reads the address from this ConfigMap in its own namespace.
 */
export function calicoServicesEndpoint(apiServer: { host: string; port: number }): KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'kubernetes-services-endpoint', namespace: 'tigera-operator' },
    data: { KUBERNETES_SERVICE_HOST: apiServer.host, KUBERNETES_SERVICE_PORT: String(apiServer.port) },
  } as KubernetesObject;
}
