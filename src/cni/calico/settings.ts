/** The settings a Calico candidate accepts in a scenario (`candidates[].settings`). */
import { z } from 'zod';
import type { KubeCandidate } from '../../scenario/schema.js';

const positiveInt = z
  .number()
  .int({ error: 'expected a whole number' })
  .positive({ error: 'expected a positive whole number' });

export const calicoSettings = z.strictObject({
  encapsulation: z.enum(['VXLAN', 'VXLANCrossSubnet', 'IPIP', 'IPIPCrossSubnet', 'None']).default('VXLAN'),
  dataplane: z.enum(['Iptables', 'Nftables', 'BPF']).default('Iptables'),
  podCidr: z.string().default('192.168.0.0/16'),
  mtu: positiveInt.max(65535).optional(),
  /**
   * Local file or URL of the tigera-operator manifest (for sites without internet). From v3.30 the
   * CRDs are a second file, operator-crds.yaml, looked for next to it (or from `cnibench cni fetch`).
   */
  manifest: z.string().optional(),
  apiServer: z.boolean().default(true),
  /**
   * Evaluate with ClusterNetworkPolicy (network-policy-api v1alpha2) served: from v3.32 the operator's
   * own CRDs carry it, so nothing extra is installed. Refused for older versions.
   */
  clusterNetworkPolicy: z.boolean().default(false),
});

export type CalicoSettings = z.infer<typeof calicoSettings>;

/** A candidate's settings as Calico reads them (validated by the scenario loader with this schema). */
export const calicoSettingsOf = (c: KubeCandidate): CalicoSettings => calicoSettings.parse(c.settings);
