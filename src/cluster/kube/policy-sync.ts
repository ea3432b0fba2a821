/**
 * Brings the cluster's NetworkPolicies in this run's namespaces to a case's set: deletes the ones the
 * case no longer has, creates or replaces the changed ones, leaves the unchanged ones alone (so a
 * CNI is not made to reprogram what did not change between cases).
 */
import type { NetworkPolicy } from '../../netpol/types.js';
import { InputError } from '../../util/errors.js';
import { httpStatus } from './client.js';
import { toClientNetworkPolicy, toClusterPolicy } from './policies.js';
import { mapLimit } from '../../util/map-limit.js';
import { API_CONCURRENCY, type KubeSession } from './session.js';

export class NetworkPolicySync {
  /** "realNs/name" → JSON of what we applied. */
  private readonly applied = new Map<string, string>();

  constructor(private readonly s: KubeSession) {}

  async sync(policies: NetworkPolicy[], signal?: AbortSignal): Promise<void> {
    const s = this.s;
    const desired = new Map<string, NetworkPolicy>();
    for (const p of policies) {
      const cp = toClusterPolicy(p, s.namespaces);
      const key = `${cp.metadata.namespace}/${cp.metadata.name}`;
      if (desired.has(key))
        throw new InputError(`two policies named ${p.metadata.namespace}/${p.metadata.name}`);
      desired.set(key, cp);
    }
    const removed = [...this.applied.keys()].filter((k) => !desired.has(k));
    const changed = [...desired.entries()].filter(([k, p]) => this.applied.get(k) !== JSON.stringify(p));
    s.progress({
      phase: 'policies',
      message: `${changed.length} to apply, ${removed.length} to delete, ${desired.size - changed.length} unchanged`,
    });
    await mapLimit(removed, API_CONCURRENCY, async (key) => {
      const [namespace = '', name = ''] = key.split('/');
      try {
        await s.api(`delete networkpolicy ${key}`, (c) =>
          c.networking.deleteNamespacedNetworkPolicy({ name, namespace }),
        );
      } catch (err) {
        if (httpStatus(err) !== 404) throw err;
      }
      this.applied.delete(key);
    });
    await mapLimit(changed, API_CONCURRENCY, async ([key, p]) => {
      signal?.throwIfAborted();
      const { namespace, name } = p.metadata;
      const body = toClientNetworkPolicy(p);
      const replace = () =>
        s.api(`replace networkpolicy ${key}`, (c) =>
          c.networking.replaceNamespacedNetworkPolicy({ name, namespace, body }),
        );
      if (this.applied.has(key)) await replace();
      else {
        try {
          await s.api(`create networkpolicy ${key}`, (c) =>
            c.networking.createNamespacedNetworkPolicy({ namespace, body }),
          );
        } catch (err) {
          if (httpStatus(err) !== 409) throw err;
          await replace();
        }
      }
      this.applied.set(key, JSON.stringify(p));
    });
  }

  /** Forgets what was applied (the namespaces holding it were deleted). */
  forget(): void {
    this.applied.clear();
  }
}
