/**
 * Types of networking.k8s.io/v1 NetworkPolicy and of the cluster-scoped admin tier
 * (policy.networking.k8s.io: ClusterNetworkPolicy v1alpha2, AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy v1alpha1), as the API serves them, and of cnibench's policy cases.
 * Shared by the pure model, the conformance suite, every cluster driver and the reports.
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

// --- Admin tier: policy.networking.k8s.io (kubernetes-sigs/network-policy-api) ---

/** The two API versions of the admin tier; a case uses at most one (upstream orders none between them). */
export type AdminTierApi = 'v1alpha1' | 'v1alpha2';
export const ADMIN_TIER_APIS: readonly AdminTierApi[] = ['v1alpha1', 'v1alpha2'];
export const ADMIN_TIER_GROUP = 'policy.networking.k8s.io';

/** Pods selected by namespace AND pod selectors (v1alpha2: namespaceSelector may be omitted = all). */
interface NamespacedPod {
  namespaceSelector?: LabelSelector;
  podSelector: LabelSelector;
}

/** Exactly one field set. */
export interface AdminTierSubject {
  namespaces?: LabelSelector;
  pods?: NamespacedPod;
}

/** Exactly one field set; networks, nodes and domainNames only in egress rules. */
export interface AdminTierPeer {
  namespaces?: LabelSelector;
  pods?: NamespacedPod;
  /** CIDRs; matched against pod IPs too. */
  networks?: string[];
  /** Node IPs: never a pod's address, so never part of a pod-to-pod verdict. */
  nodes?: LabelSelector;
  /** DNS names: not judged for pod-to-pod traffic. */
  domainNames?: string[];
}

/** v1alpha2 `destinationPort`: exactly one of number and range (start < end). */
interface CnpPort {
  number?: number;
  range?: { start: number; end: number };
}

/** v1alpha2 `protocols` entry: exactly one field set. */
export interface CnpProtocol {
  tcp?: { destinationPort?: CnpPort };
  udp?: { destinationPort?: CnpPort };
  sctp?: { destinationPort?: CnpPort };
  /** A container port name of the destination pod (any protocol of that port). */
  destinationNamedPort?: string;
}

type CnpAction = 'Accept' | 'Deny' | 'Pass';

export interface CnpIngressRule {
  name?: string;
  action: CnpAction;
  from: AdminTierPeer[];
  protocols?: CnpProtocol[];
}

export interface CnpEgressRule {
  name?: string;
  action: CnpAction;
  to: AdminTierPeer[];
  protocols?: CnpProtocol[];
}

export interface ClusterNetworkPolicy {
  apiVersion?: 'policy.networking.k8s.io/v1alpha2';
  kind?: 'ClusterNetworkPolicy';
  metadata: { name: string; labels?: Labels; annotations?: Labels };
  spec: {
    tier: 'Admin' | 'Baseline';
    /** 0..1000; lower is evaluated first within the tier. */
    priority: number;
    subject: AdminTierSubject;
    ingress?: CnpIngressRule[];
    egress?: CnpEgressRule[];
  };
}

/** v1alpha1 `ports` entry: exactly one field set; protocol defaults to TCP. */
export interface AnpPort {
  portNumber?: { protocol?: Protocol; port: number };
  portRange?: { protocol?: Protocol; start: number; end: number };
  namedPort?: string;
}

type AnpAction = 'Allow' | 'Deny' | 'Pass';

interface AnpIngressRule<A extends string = AnpAction> {
  name?: string;
  action: A;
  from: AdminTierPeer[];
  ports?: AnpPort[];
}

interface AnpEgressRule<A extends string = AnpAction> {
  name?: string;
  action: A;
  to: AdminTierPeer[];
  ports?: AnpPort[];
}

export interface AdminNetworkPolicy {
  apiVersion?: 'policy.networking.k8s.io/v1alpha1';
  kind?: 'AdminNetworkPolicy';
  metadata: { name: string; labels?: Labels; annotations?: Labels };
  spec: {
    priority: number;
    subject: AdminTierSubject;
    ingress?: AnpIngressRule[];
    egress?: AnpEgressRule[];
  };
}

/** The cluster's single BaselineAdminNetworkPolicy, always named "default"; Allow or Deny only. */
export interface BaselineAdminNetworkPolicy {
  apiVersion?: 'policy.networking.k8s.io/v1alpha1';
  kind?: 'BaselineAdminNetworkPolicy';
  metadata: { name: string; labels?: Labels; annotations?: Labels };
  spec: {
    subject: AdminTierSubject;
    ingress?: Array<AnpIngressRule<'Allow' | 'Deny'>>;
    egress?: Array<AnpEgressRule<'Allow' | 'Deny'>>;
  };
}

/** The admin-tier objects of a case (and of a driver's setPolicies): one API version at a time. */
export interface AdminTierPolicies {
  clusterNetworkPolicies?: ClusterNetworkPolicy[];
  adminNetworkPolicies?: AdminNetworkPolicy[];
  baselineAdminNetworkPolicy?: BaselineAdminNetworkPolicy;
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
  /** Admin tier, v1alpha2 (never together with the v1alpha1 keys). */
  clusterNetworkPolicies?: ClusterNetworkPolicy[];
  /** Admin tier, v1alpha1. */
  adminNetworkPolicies?: AdminNetworkPolicy[];
  baselineAdminNetworkPolicy?: BaselineAdminNetworkPolicy;
  probes: Probe[];
  /**
   * A multi-step case (policy change under live traffic, docs/policy-change.md): the fields above
   * are step 0, and each step's actions change that state; the model computes one truth table per
   * step for the state after it (steps.ts).
   */
  steps?: PolicyStep[];
}

/** The kinds of policy object a step can create, update or delete. */
export type StepObjectKind =
  'NetworkPolicy' | 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';
export const STEP_OBJECT_KINDS: readonly StepObjectKind[] = [
  'NetworkPolicy',
  'ClusterNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
];

/** An object a step creates or updates; `kind` says which (absent: NetworkPolicy). */
export type StepObject =
  NetworkPolicy | ClusterNetworkPolicy | AdminNetworkPolicy | BaselineAdminNetworkPolicy;

/** What names an object to delete: kind (default NetworkPolicy), name, and namespace for a NetworkPolicy. */
export interface StepObjectRef {
  kind?: StepObjectKind;
  name: string;
  namespace?: string;
}

/**
 * One action of a step; exactly one key. Labels are merged (`set…`: add or overwrite, as
 * `kubectl label --overwrite`) or removed by key (`remove…`).
 */
export type StepAction =
  | { create: StepObject }
  | { update: StepObject }
  | { delete: StepObjectRef }
  | { setPodLabels: { pod: string; labels: Labels } }
  | { removePodLabels: { pod: string; keys: string[] } }
  | { setNamespaceLabels: { namespace: string; labels: Labels } }
  | { removeNamespaceLabels: { namespace: string; keys: string[] } };

export const STEP_ACTION_KEYS = [
  'create',
  'update',
  'delete',
  'setPodLabels',
  'removePodLabels',
  'setNamespaceLabels',
  'removeNamespaceLabels',
] as const;

export interface PolicyStep {
  /** What the step does, in words (shown by `netpol expect` and in reports). */
  name?: string;
  actions: StepAction[];
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
  clusterNetworkPolicies?: ClusterNetworkPolicy[];
  adminNetworkPolicies?: AdminNetworkPolicy[];
  baselineAdminNetworkPolicy?: BaselineAdminNetworkPolicy;
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
