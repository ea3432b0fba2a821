/**
 * Typed reads of the operator.tigera.io/v1 Installation cnibench generates (a custom resource: the
 * client has no model of it). The schema names the fields the tests read, with the types the published
 * InstallationSpec gives them, and keeps every other field as it is (`looseObject`), so a deep
 * comparison still sees the whole object.
 */
import { z } from 'zod';

const ipPoolSchema = z.looseObject({
  name: z.string().optional(),
  cidr: z.string(),
  encapsulation: z.string().optional(),
  natOutgoing: z.string().optional(),
  nodeSelector: z.string().optional(),
  blockSize: z.number().optional(),
});

export const installationSchema = z.looseObject({
  apiVersion: z.literal('operator.tigera.io/v1'),
  kind: z.literal('Installation'),
  metadata: z.looseObject({ name: z.string() }),
  spec: z.looseObject({
    registry: z.string().optional(),
    imagePullSecrets: z.array(z.looseObject({ name: z.string() })).optional(),
    calicoNetwork: z.looseObject({
      bgp: z.enum(['Enabled', 'Disabled']).optional(),
      linuxDataplane: z.string().optional(),
      mtu: z.number().optional(),
      ipPools: z.array(ipPoolSchema),
    }),
  }),
});
export type Installation = z.infer<typeof installationSchema>;

/** An Installation as JSON (generated, stored or sent), checked and typed; throws when it is not one. */
export const asInstallation = (o: unknown): Installation => installationSchema.parse(o);
