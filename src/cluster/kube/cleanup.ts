/**
 * Removing what the harness created. Everything lives in namespaces labelled
 * `app.kubernetes.io/managed-by=cnibench` (and `cnibench.io/run-id=<id>`), so deleting those
 * namespaces removes pods, services, policies and ConfigMaps with them; objects without the label
 * are never touched, whatever their names look like. Admin-tier policies are cluster-scoped and carry
 * the same labels; `cnibench cleanup` deletes them by label too (admin-policies.ts).
 */
import {
  apiCall,
  connect,
  httpStatus,
  translateError,
  type ConnectOptions,
  type KubeConnection,
} from './client.js';
import { deleteManagedAdminTierObjects } from './admin-policies.js';
import { managementSelector } from './naming.js';

export interface CleanupOptions extends ConnectOptions {
  /** Only this run's objects; every cnibench object when absent. */
  runId?: string;
  /** Wait until the namespaces are gone (default true), at most this long (default 120 s). */
  wait?: boolean;
  timeoutMs?: number;
  onProgress?: (message: string) => void;
}

export interface CleanupReport {
  /** Namespaces deleted (by real name). */
  namespaces: string[];
  /** Namespaces still terminating when the wait ended. */
  remaining: string[];
  /** Cluster-scoped admin-tier objects deleted (`Kind/name`, admin-policies.ts); cleanupKube only. */
  clusterObjects?: string[];
}

/** Deletes this run's (or every cnibench) namespace through an existing connection. */
export async function deleteManagedNamespaces(
  conn: Pick<KubeConnection, 'core' | 'server' | 'context'>,
  opts: Pick<CleanupOptions, 'runId' | 'wait' | 'timeoutMs' | 'onProgress'> = {},
): Promise<CleanupReport> {
  const labelSelector = managementSelector(opts.runId);
  const list = await apiCall(conn, `list namespaces labelled ${labelSelector}`, () =>
    conn.core.listNamespace({ labelSelector }),
  );
  const names = list.items.map((n) => n.metadata?.name).filter((n): n is string => !!n);
  opts.onProgress?.(
    names.length ? `deleting ${names.length} namespace(s): ${names.join(', ')}` : 'nothing to clean up',
  );
  await Promise.all(
    names.map(async (name) => {
      try {
        await conn.core.deleteNamespace({ name, propagationPolicy: 'Background' });
      } catch (err) {
        if (httpStatus(err) !== 404) throw translateError(conn, `delete namespace ${name}`, err);
      }
    }),
  );
  let remaining = names;
  if (opts.wait !== false && names.length) {
    const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
    while (remaining.length && Date.now() < deadline) {
      const now = await apiCall(conn, 'list namespaces', () => conn.core.listNamespace({ labelSelector }));
      const still = new Set(now.items.map((n) => n.metadata?.name));
      remaining = remaining.filter((n) => still.has(n));
      if (remaining.length) await new Promise((r) => setTimeout(r, 1000));
    }
    if (remaining.length) opts.onProgress?.(`still terminating: ${remaining.join(', ')}`);
  }
  return { namespaces: names, remaining };
}

/** `cnibench cleanup --context C [--run-id R]`: removes cnibench's namespaces from a cluster. */
export async function cleanupKube(opts: CleanupOptions = {}): Promise<CleanupReport> {
  const conn = connect({ kubeconfig: opts.kubeconfig, context: opts.context });
  // Admin-tier policies are cluster-scoped: deleting the namespaces does not remove them.
  const clusterObjects = await deleteManagedAdminTierObjects(conn, opts.runId);
  if (clusterObjects.length) opts.onProgress?.(`deleted ${clusterObjects.join(', ')}`);
  return { ...(await deleteManagedNamespaces(conn, opts)), clusterObjects };
}
