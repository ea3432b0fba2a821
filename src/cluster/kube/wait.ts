/**
 * Waiting for pods to become Ready: one list, then a watch from the list's resourceVersion (re-listed
 * if the server ends the watch), per namespace, until every wanted pod is Ready with an IP or the
 * timeout passes. A timeout names each pod that is not ready and why (its phase, waiting reasons).
 */
import { Watch, type V1Pod } from '@kubernetes/client-node';
import { EnvironmentError } from '../../util/errors.js';
import type { KubeConnection } from './client.js';
import { apiCall } from './client.js';

export interface WaitProgress {
  ready: number;
  total: number;
  /** "ns/name" of pods not yet ready. */
  pending: string[];
}

export interface WaitOptions {
  timeoutMs: number;
  labelSelector?: string;
  signal?: AbortSignal;
  onProgress?: (p: WaitProgress) => void;
}

function isPodReady(p: V1Pod): boolean {
  return (
    p.status?.phase === 'Running' &&
    !!p.status.podIP &&
    !!p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** Waiting reasons that never resolve by themselves: fail at once instead of waiting out the timeout. */
const FATAL_REASONS = new Set(['InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError']);

function describePod(p: V1Pod | undefined): string {
  if (!p) return 'not found';
  const parts = [p.status?.phase ?? 'no status'];
  for (const cs of [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]) {
    const w = cs.state?.waiting;
    const t = cs.state?.terminated;
    if (w) parts.push(`${cs.name} waiting: ${w.reason ?? ''}${w.message ? ` (${w.message})` : ''}`);
    else if (t) parts.push(`${cs.name} terminated: ${t.reason ?? ''} exit ${t.exitCode}`);
  }
  const sched = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  if (sched?.message) parts.push(`unschedulable: ${sched.message}`);
  return parts.join('; ');
}

/**
 * Waits until the named pods (per namespace) are Ready; returns them as last seen.
 * `wanted`: namespace → pod names.
 */
export async function waitForPodsReady(
  conn: Pick<KubeConnection, 'kc' | 'core' | 'server' | 'context'>,
  wanted: Map<string, string[]>,
  opts: WaitOptions,
): Promise<Map<string, V1Pod>> {
  const seen = new Map<string, V1Pod>(); // "ns/name" → pod
  const keys = [...wanted.entries()].flatMap(([ns, names]) => names.map((n) => `${ns}/${n}`));
  const total = keys.length;
  const deadline = Date.now() + opts.timeoutMs;
  if (total === 0) return seen;
  const readyCount = () => keys.filter((k) => seen.has(k) && isPodReady(seen.get(k) as V1Pod)).length;
  let lastReported = -1;
  const report = () => {
    const ready = readyCount();
    if (ready !== lastReported) {
      lastReported = ready;
      opts.onProgress?.({
        ready,
        total,
        pending: keys.filter((k) => !isPodReady(seen.get(k) ?? {})),
      });
    }
    return ready === total;
  };
  const fatal = (): string | undefined => {
    for (const k of keys) {
      const p = seen.get(k);
      const bad = p?.status?.containerStatuses?.find((cs) =>
        FATAL_REASONS.has(cs.state?.waiting?.reason ?? ''),
      );
      if (bad || p?.status?.phase === 'Failed') return `${k}: ${describePod(p)}`;
    }
    return undefined;
  };

  const controllers: AbortController[] = [];
  try {
    return await new Promise<Map<string, V1Pod>>((resolve, reject) => {
      let settled = false;
      const settle = (err?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(seen);
      };
      const check = () => {
        const f = fatal();
        if (f) return settle(new EnvironmentError(`pod cannot start: ${f}`));
        if (report()) settle();
      };
      const timer = setTimeout(
        () => {
          const notReady = keys.filter((k) => !isPodReady(seen.get(k) ?? {}));
          settle(
            new EnvironmentError(
              `${notReady.length} of ${total} pods not ready after ${Math.round(opts.timeoutMs / 1000)} s: ` +
                notReady.map((k) => `${k} (${describePod(seen.get(k))})`).join(', '),
            ),
          );
        },
        Math.max(0, deadline - Date.now()),
      );
      const onAbort = () => settle(new Error('aborted while waiting for pods'));
      opts.signal?.addEventListener('abort', onAbort, { once: true });

      const follow = async (ns: string): Promise<void> => {
        while (!settled) {
          const list = await apiCall(conn, `list pods in namespace ${ns}`, () =>
            conn.core.listNamespacedPod({ namespace: ns, labelSelector: opts.labelSelector }),
          );
          for (const p of list.items) seen.set(`${ns}/${p.metadata?.name}`, p);
          check();
          if (settled) return;
          // Watch from the list's version; when the server ends the watch, loop to re-list.
          await new Promise<void>((done) => {
            new Watch(conn.kc)
              .watch(
                `/api/v1/namespaces/${ns}/pods`,
                {
                  labelSelector: opts.labelSelector,
                  resourceVersion: list.metadata?.resourceVersion,
                  allowWatchBookmarks: false,
                  timeoutSeconds: Math.max(1, Math.ceil((deadline - Date.now()) / 1000)),
                },
                (type: string, obj: V1Pod) => {
                  const key = `${ns}/${obj.metadata?.name}`;
                  if (type === 'DELETED') seen.delete(key);
                  else if (type === 'ADDED' || type === 'MODIFIED') seen.set(key, obj);
                  check();
                },
                () => done(),
              )
              .then(
                (c) => {
                  controllers.push(c);
                  if (settled) c.abort();
                },
                () => done(),
              );
          });
          if (!settled) await new Promise((r) => setTimeout(r, 200));
        }
      };
      for (const ns of wanted.keys()) follow(ns).catch((err: unknown) => settle(err as Error));
    });
  } finally {
    for (const c of controllers) c.abort();
  }
}
