/**
 * The admin-tier detection of a real cluster as a results record and as one progress line: `run`
 * (after each install) and `check` (on the cluster as it is) both record what the cluster served, so
 * a report that says "unsupported by the cluster" carries the evidence read from its CRDs. The saved
 * form is this room's own (schema.ts); this is where the kube driver's detection is mapped to it (the
 * driver, a room below, cannot know the results format).
 */
import type { AdminTierDetection } from '../cluster/kube/admin-policies.js';
import type { AdminTierApisRecord } from './schema.js';

export function adminTierApisRecord(d: AdminTierDetection): AdminTierApisRecord {
  return {
    served: [...d.served],
    missing: Object.fromEntries(Object.entries(d.missing).map(([api, why]) => [api, why.reason])),
    crds: d.crds.map((c) => ({
      crd: c.crd,
      installed: c.installed,
      servedVersions: [...c.servedVersions],
      established: c.established,
      ...(c.bundleVersion ? { bundleVersion: c.bundleVersion } : {}),
      ...(c.channel ? { channel: c.channel } : {}),
    })),
  };
}

/** "admin tier: serves v1alpha2; no CRD for v1alpha1" */
export function describeAdminTierApis(r: AdminTierApisRecord): string {
  const served = r.served.length ? `serves ${r.served.join(', ')}` : 'not served';
  return `admin tier: ${served}${Object.values(r.missing)
    .map((why) => `; ${why}`)
    .join('')}`;
}
