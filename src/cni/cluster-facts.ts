/**
 * Facts about the cluster some CNIs need in their plan: how many nodes are registered, and where the API
 * server is as nodes reach it. Read during `prepare` of a real install (never in a dry run).
 */
import { apiCall, type KubeConnection } from '../cluster/kube/client.js';
import { EnvironmentError } from '../util/errors.js';

/** Nodes registered (NotReady ones too: before a CNI runs every node is NotReady). */
export async function nodeCount(kube: KubeConnection): Promise<number> {
  return (await apiCall(kube, 'list nodes', () => kube.core.listNode())).items.length;
}

/**
 * The API server address behind the `kubernetes` Service, as nodes reach it. The kubeconfig's URL is
 * often not it (kind: 127.0.0.1 on the host), and without kube-proxy the Service IP is not yet routed.
 */
export async function apiServerEndpoint(kube: KubeConnection): Promise<{ host: string; port: number }> {
  const ep = await apiCall(
    kube,
    'read Endpoints default/kubernetes (the API server address for the CNI)',
    () => kube.core.readNamespacedEndpoints({ name: 'kubernetes', namespace: 'default' }),
  );
  const subset = ep.subsets?.[0];
  const host = subset?.addresses?.[0]?.ip;
  const port = subset?.ports?.find((p) => p.name === 'https')?.port ?? subset?.ports?.[0]?.port;
  if (host && port) return { host, port };
  throw new EnvironmentError(
    'Endpoints default/kubernetes lists no address; cannot tell the CNI where the API server is',
  );
}
