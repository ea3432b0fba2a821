/**
 * Types of networking.k8s.io/v1 NetworkPolicy (as the API serves them) and of cnibench's policy
 * cases. Shared by the pure model, the conformance suite, every cluster driver and the reports.
 */

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Labels = Record<string, string>;

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface IPBlock {
  cidr: string;
  except?: string[];
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IPBlock;
}

export interface NetworkPolicyPort {
  protocol?: Protocol;
  /** A number, or the name of a container port of the destination pod. */
  port?: number | string;
  endPort?: number;
}

export interface NetworkPolicyIngressRule {
  from?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

export interface NetworkPolicy {
  apiVersion?: 'networking.k8s.io/v1';
  kind?: 'NetworkPolicy';
  metadata: { name: string; namespace: string; labels?: Labels };
  spec: {
    podSelector: LabelSelector;
    policyTypes?: Array<'Ingress' | 'Egress'>;
    ingress?: NetworkPolicyIngressRule[];
    egress?: NetworkPolicyEgressRule[];
  };
}

export interface ContainerPort {
  name: string;
  port: number;
  protocol: Protocol;
}

/** A pod as a case file declares it; ip and ports are optional there. */
export interface CasePod {
  namespace: string;
  name: string;
  labels?: Labels;
  ip?: string;
  ports?: ContainerPort[];
}

export interface Probe {
  port: number;
  protocol: Protocol;
}

/** A policy case as written in a case file (YAML or JSON) or produced by the suite generator. */
export interface PolicyCase {
  name: string;
  description?: string;
  /** Suite tags (direction, target, peer kind, port kind, protocol, ...). */
  tags?: string[];
  namespaces: Record<string, Labels>;
  pods: CasePod[];
  policies: NetworkPolicy[];
  probes: Probe[];
}

/** A pod after defaults: the namespace label is implicit, ip assigned, ports filled in. */
export interface ResolvedPod {
  namespace: string;
  name: string;
  /** "namespace/name", the key used in truth tables. */
  key: string;
  labels: Labels;
  ip: string;
  ports: ContainerPort[];
}

/** A case after defaults; the input of the model and of every driver. */
export interface ResolvedCase {
  name: string;
  description?: string;
  tags: string[];
  /** Namespace labels, each including kubernetes.io/metadata.name. */
  namespaces: Record<string, Labels>;
  pods: ResolvedPod[];
  policies: NetworkPolicy[];
  probes: Probe[];
}

/** allowed[src "ns/pod"][dst "ns/pod"] for one probe. */
export type ReachabilityGrid = Record<string, Record<string, boolean>>;

export interface TruthTable {
  name: string;
  probes: Array<Probe & { allowed: ReachabilityGrid }>;
}

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Default container port name for a probe, e.g. serve-80-tcp. */
export function servePortName(port: number, protocol: Protocol): string {
  return `serve-${port}-${protocol.toLowerCase()}`;
}
