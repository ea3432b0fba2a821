/**
 * Small constructors for NetworkPolicy objects, so the hand-written cases read like the YAML they
 * stand for and the generator can combine parts without repeating boilerplate.
 */
import type {
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from '../types.js';

export interface PolicyParts {
  policyTypes?: Array<'Ingress' | 'Egress'>;
  ingress?: NetworkPolicyIngressRule[];
  egress?: NetworkPolicyEgressRule[];
}

export function policy(
  name: string,
  namespace: string,
  podSelector: LabelSelector,
  parts: PolicyParts,
): NetworkPolicy {
  const spec: NetworkPolicy['spec'] = { podSelector };
  if (parts.policyTypes !== undefined) spec.policyTypes = parts.policyTypes;
  if (parts.ingress !== undefined) spec.ingress = parts.ingress;
  if (parts.egress !== undefined) spec.egress = parts.egress;
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

export const podLabel = (pod: string): LabelSelector => ({ matchLabels: { pod } });
export const nsLabel = (ns: string): LabelSelector => ({ matchLabels: { ns } });
export const podIn = (...pods: string[]): LabelSelector => ({
  matchExpressions: [{ key: 'pod', operator: 'In', values: pods }],
});
export const nsIn = (...nss: string[]): LabelSelector => ({
  matchExpressions: [{ key: 'ns', operator: 'In', values: nss }],
});
export const nsNotIn = (...nss: string[]): LabelSelector => ({
  matchExpressions: [{ key: 'ns', operator: 'NotIn', values: nss }],
});

export const fromCidr = (cidr: string, except?: string[]): NetworkPolicyPeer => ({
  ipBlock: except === undefined ? { cidr } : { cidr, except },
});

function port(protocol: Protocol, p?: number | string, endPort?: number): NetworkPolicyPort {
  const out: NetworkPolicyPort = { protocol };
  if (p !== undefined) out.port = p;
  if (endPort !== undefined) out.endPort = endPort;
  return out;
}
export const tcp = (p?: number | string, endPort?: number) => port('TCP', p, endPort);
export const udp = (p?: number | string, endPort?: number) => port('UDP', p, endPort);
export const sctp = (p?: number | string, endPort?: number) => port('SCTP', p, endPort);

export function ingressRule(
  from?: NetworkPolicyPeer[],
  ports?: NetworkPolicyPort[],
): NetworkPolicyIngressRule {
  const rule: NetworkPolicyIngressRule = {};
  if (from !== undefined) rule.from = from;
  if (ports !== undefined) rule.ports = ports;
  return rule;
}

export function egressRule(to?: NetworkPolicyPeer[], ports?: NetworkPolicyPort[]): NetworkPolicyEgressRule {
  const rule: NetworkPolicyEgressRule = {};
  if (to !== undefined) rule.to = to;
  if (ports !== undefined) rule.ports = ports;
  return rule;
}

/** A policy that isolates the selected pods for ingress and allows nothing in. */
export const denyIngress = (name: string, ns: string, sel: LabelSelector = {}): NetworkPolicy =>
  policy(name, ns, sel, { policyTypes: ['Ingress'] });

/** A policy that isolates the selected pods for egress and allows nothing out. */
export const denyEgress = (name: string, ns: string, sel: LabelSelector = {}): NetworkPolicy =>
  policy(name, ns, sel, { policyTypes: ['Egress'] });

/** A policy spec with Ingress rules only. */
export const ingressOnly = (rules: ReturnType<typeof ingressRule>[]) => ({
  policyTypes: ['Ingress' as const],
  ingress: rules,
});

/** A policy spec with Egress rules only. */
export const egressOnly = (rules: ReturnType<typeof egressRule>[]) => ({
  policyTypes: ['Egress' as const],
  egress: rules,
});
