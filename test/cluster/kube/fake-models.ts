/**
 * Typed reads of Kubernetes objects as JSON (what the fake API server stores, a request body, a
 * rendered manifest): the built-in kinds as @kubernetes/client-node's own model types (`V1Pod`,
 * `V1NetworkPolicy`, ...), built by the client's public deserialiser (`loadYaml`: JSON is YAML), so a
 * field carries the type and name the model gives it (`_from` for a peer list, a `Date` for a timestamp)
 * rather than a cast pretending the wire JSON is the model. The kind is checked first: asking for a Pod
 * and getting a Service throws instead of lying.
 */
import { loadYaml } from '@kubernetes/client-node';
import type * as k8s from '@kubernetes/client-node';

/** The built-in kinds the fake API server serves, each with the client model that types it. */
export interface BuiltinModels {
  Namespace: k8s.V1Namespace;
  Node: k8s.V1Node;
  Pod: k8s.V1Pod;
  Service: k8s.V1Service;
  ConfigMap: k8s.V1ConfigMap;
  Secret: k8s.V1Secret;
  ServiceAccount: k8s.V1ServiceAccount;
  DaemonSet: k8s.V1DaemonSet;
  Deployment: k8s.V1Deployment;
  NetworkPolicy: k8s.V1NetworkPolicy;
  ClusterRole: k8s.V1ClusterRole;
  ClusterRoleBinding: k8s.V1ClusterRoleBinding;
  Role: k8s.V1Role;
  RoleBinding: k8s.V1RoleBinding;
  CustomResourceDefinition: k8s.V1CustomResourceDefinition;
}
export type BuiltinKind = keyof BuiltinModels;

/** The apiVersion each built-in kind is served (and stored) under. */
export const BUILTIN_API_VERSIONS: { readonly [K in BuiltinKind]: string } = {
  Namespace: 'v1',
  Node: 'v1',
  Pod: 'v1',
  Service: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  ServiceAccount: 'v1',
  DaemonSet: 'apps/v1',
  Deployment: 'apps/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
};

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `v` when it is a JSON object, else an empty one (an absent spec or status reads as `{}`). */
export const recordOr = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** A wire object of `kind` as the client's model; throws when it is not one. */
export function asModel<K extends BuiltinKind>(kind: K, o: unknown): BuiltinModels[K] {
  const apiVersion = BUILTIN_API_VERSIONS[kind];
  if (!isRecord(o) || o.kind !== kind || o.apiVersion !== apiVersion) {
    const what = isRecord(o) ? `${String(o.apiVersion)} ${String(o.kind)}` : typeof o;
    throw new Error(`expected a ${apiVersion} ${kind}, got ${what}`);
  }
  // The kind and apiVersion checked above are what loadYaml picks the model by.
  return loadYaml<BuiltinModels[K]>(JSON.stringify(o));
}

/**
 * A model as plain data: the same fields and values without the model classes' prototypes, so that
 * `assert.deepStrictEqual` can compare it with an object literal.
 */
export const plain = <T>(model: T): T => structuredClone(model);

/** The value at `path` (object keys and array indices) in JSON, or undefined where there is none. */
export function at(v: unknown, ...path: Array<string | number>): unknown {
  let node = v;
  for (const k of path) {
    if (Array.isArray(node) && typeof k === 'number') node = node[k] as unknown;
    else if (isRecord(node) && typeof k === 'string') node = node[k];
    else return undefined;
  }
  return node;
}
