/** The settings a Cilium candidate accepts in a scenario (`candidates[].settings`). */
import { z } from 'zod';
import type { KubeCandidate } from '../../scenario/schema.js';

export const ciliumSettings = z.strictObject({
  routingMode: z.enum(['tunnel', 'native']).default('tunnel'),
  tunnelProtocol: z.enum(['vxlan', 'geneve']).default('vxlan'),
  kubeProxyReplacement: z.boolean().default(false),
  encryption: z.enum(['none', 'wireguard', 'ipsec']).default('none'),
  hubble: z.boolean().default(false),
  ipv4NativeRoutingCidr: z.string().optional(),
  /** Local path or URL of the chart (.tgz) for sites without internet. */
  chart: z.string().optional(),
  /** Extra Helm values merged last. */
  values: z.record(z.string(), z.unknown()).optional(),
  /**
   * Enable ClusterNetworkPolicy (1.20+): chart value k8sClusterNetworkPolicy.enabled, and cnibench
   * installs the network-policy-api v0.2.0 CRD. Refused for older versions.
   */
  clusterNetworkPolicy: z.boolean().default(false),
});

export type CiliumSettings = z.infer<typeof ciliumSettings>;

/** A candidate's settings as Cilium reads them (validated by the scenario loader with this schema). */
export const ciliumSettingsOf = (c: KubeCandidate): CiliumSettings => ciliumSettings.parse(c.settings);
