/**
 * Preflight on a real cluster: the API server answers (/version), and the credentials hold every
 * permission in HARNESS_PERMISSIONS, checked with SelfSubjectAccessReviews in one of the run's
 * namespaces. All missing permissions are reported at once, each named the way kubectl would:
 * "cannot create networkpolicies.networking.k8s.io in namespace cnb-ab12cd-x".
 */
import { EnvironmentError } from '../../util/errors.js';
import { apiCall, type KubeConnection } from './client.js';
import { HARNESS_PERMISSIONS, resourceName, type Permission } from './permissions.js';

export interface PreflightReport {
  server: string;
  serverVersion: string;
  checked: number;
}

interface MissingPermission {
  verb: string;
  resource: string;
  namespace?: string;
}

function describeMissing(m: MissingPermission): string {
  return `cannot ${m.verb} ${m.resource}${m.namespace ? ` in namespace ${m.namespace}` : ' (cluster-wide)'}`;
}

export async function runPreflight(
  conn: Pick<KubeConnection, 'version' | 'authz' | 'server' | 'context'>,
  /** A namespace the run will use; namespaced permissions are checked there. */
  sampleNamespace: string,
  permissions: readonly Permission[] = HARNESS_PERMISSIONS,
  /** What the missing permissions are for, and how to get them (the end of the error message). */
  remedy = 'the harness needs: {missing}. Apply deploy/rbac.yaml (or `cnibench rbac | kubectl apply -f -`) and bind it to your user.',
): Promise<PreflightReport> {
  const version = await apiCall(conn, 'read the server version (/version)', () => conn.version.getCode());
  const checks = permissions.flatMap((p) => p.verbs.map((verb) => ({ p, verb })));
  const missing: MissingPermission[] = [];
  await Promise.all(
    checks.map(async ({ p, verb }) => {
      const namespace = p.namespaced ? (p.namespace ?? sampleNamespace) : undefined;
      const review = await apiCall(conn, `check permission to ${verb} ${resourceName(p)}`, () =>
        conn.authz.createSelfSubjectAccessReview({
          body: {
            apiVersion: 'authorization.k8s.io/v1',
            kind: 'SelfSubjectAccessReview',
            spec: {
              resourceAttributes: {
                group: p.group,
                resource: p.resource,
                subresource: p.subresource,
                verb,
                namespace,
              },
            },
          },
        }),
      );
      if (!review.status?.allowed) missing.push({ verb, resource: resourceName(p), namespace });
    }),
  );
  if (missing.length) {
    // Stable order: as listed.
    const order = checks.map(
      ({ p, verb }) => `${verb} ${resourceName(p)} ${p.namespaced ? (p.namespace ?? sampleNamespace) : ''}`,
    );
    const key = (m: MissingPermission) => `${m.verb} ${m.resource} ${m.namespace ?? ''}`;
    missing.sort((a, b) => order.indexOf(key(a)) - order.indexOf(key(b)));
    const lines = missing.map(describeMissing);
    throw new EnvironmentError(
      `the credentials of context "${conn.context}" (${conn.server}) lack ${missing.length} permission(s) ` +
        remedy.replace('{missing}', lines.join('; ')),
    );
  }
  return { server: conn.server, serverVersion: version.gitVersion, checked: checks.length };
}
