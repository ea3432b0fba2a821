/**
 * NetworkPolicies as the cluster must see them. The model evaluates a case with its logical namespace
 * names (x, y, z) but the cluster's namespaces are `<prefix>-<runid>-x`, ... Everything in a policy
 * that names a namespace must therefore be translated:
 *
 * - `metadata.namespace`: the real namespace.
 * - `namespaceSelector` terms on `kubernetes.io/metadata.name` (matchLabels values, and In/NotIn
 *   values of matchExpressions): each value mapped to its real name. The API server sets that label
 *   to the real name on every namespace, so without the rewrite such a selector would match nothing
 *   on the cluster while the model says it matches. Exists/DoesNotExist need no change.
 * - Every other namespace label (the case's own labels, applied verbatim to the real namespaces) and
 *   every pod label is unaffected, so those selectors are copied as they are.
 *
 * Values naming namespaces the case does not declare are mapped the same way: they then name a
 * namespace of this run that does not exist, matching nothing — exactly what the model computes.
 * (`NotIn`/`DoesNotExist` selectors also match the cluster's other namespaces, which the model does
 * not know; no probe involves a pod there, so verdicts are unaffected.)
 */
import {
  NAMESPACE_NAME_LABEL,
  type LabelSelector,
  type NetworkPolicy,
  type NetworkPolicyPeer,
} from '../../netpol/types.js';
import type { V1NetworkPolicy } from '@kubernetes/client-node';
import { managementLabels, type NamespaceMap } from './naming.js';

export function rewriteNamespaceSelector(sel: LabelSelector, ns: NamespaceMap): LabelSelector {
  const out: LabelSelector = {};
  if (sel.matchLabels) {
    out.matchLabels = Object.fromEntries(
      Object.entries(sel.matchLabels).map(([k, v]) => [k, k === NAMESPACE_NAME_LABEL ? ns.real(v) : v]),
    );
  }
  if (sel.matchExpressions) {
    out.matchExpressions = sel.matchExpressions.map((e) =>
      e.key === NAMESPACE_NAME_LABEL && e.values
        ? { ...e, values: e.values.map((v) => ns.real(v)) }
        : { ...e },
    );
  }
  return out;
}

function rewritePeer(peer: NetworkPolicyPeer, ns: NamespaceMap): NetworkPolicyPeer {
  const out: NetworkPolicyPeer = structuredClone(peer);
  if (peer.namespaceSelector) out.namespaceSelector = rewriteNamespaceSelector(peer.namespaceSelector, ns);
  return out;
}

/** The policy to create on the cluster: real namespace, rewritten selectors, management labels. */
export function toClusterPolicy(p: NetworkPolicy, ns: NamespaceMap): NetworkPolicy {
  const spec = structuredClone(p.spec);
  if (spec.ingress)
    spec.ingress = spec.ingress.map((r) =>
      r.from ? { ...r, from: r.from.map((f) => rewritePeer(f, ns)) } : r,
    );
  if (spec.egress)
    spec.egress = spec.egress.map((r) => (r.to ? { ...r, to: r.to.map((t) => rewritePeer(t, ns)) } : r));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: p.metadata.name,
      namespace: ns.real(p.metadata.namespace),
      labels: { ...(p.metadata.labels ?? {}), ...managementLabels(ns.runId) },
    },
    spec,
  };
}

/**
 * The body for client-node's typed NetworkingV1Api, which takes its typed model: the ingress rule's
 * field is `_from` there by design (`from` is a reserved word in the model generator) and the request
 * serializer maps it to `from` on the wire. Passing wire JSON to a typed API is misuse: `from` is not a
 * model property, so it would not be sent. Only that field differs between the wire and the model.
 */
export function toClientNetworkPolicy(p: NetworkPolicy): V1NetworkPolicy {
  const body = structuredClone(p) as unknown as { spec: { ingress?: Array<Record<string, unknown>> } };
  if (body.spec.ingress) {
    body.spec.ingress = body.spec.ingress.map(({ from, ...rest }) =>
      from === undefined ? rest : { ...rest, _from: from },
    );
  }
  return body;
}
