/**
 * The one list of API permissions the harness's kube driver needs. `preflight()` checks each with a
 * SelfSubjectAccessReview and `cnibench rbac` / deploy/rbac.yaml grant exactly these, so the two can
 * never disagree. Least privilege: exactly the verbs the driver calls, no more (test/cluster/kube/rbac.test.ts
 * derives the list from the requests the driver sends to the fake API server). Installing a CNI needs
 * far more — in practice cluster-admin — and is checked separately (src/cni/permissions.ts).
 */
import { stringify } from 'yaml';

export interface Permission {
  /** API group; '' is the core group. */
  group: string;
  resource: string;
  subresource?: string;
  verbs: string[];
  /** Checked in the run's namespaces (granted cluster-wide: the namespaces are created per run). */
  namespaced: boolean;
  /** For a namespaced permission needed in one known namespace: checked there instead. */
  namespace?: string;
  /** Why the harness needs it (printed as a comment in the RBAC manifest). */
  why: string;
}

export const HARNESS_PERMISSIONS: readonly Permission[] = [
  {
    group: '',
    resource: 'namespaces',
    verbs: ['get', 'list', 'create', 'patch', 'delete'],
    namespaced: false,
    why: 'per-run namespaces (x, y, z, perf), relabelled per case, deleted at clean-up',
  },
  {
    group: '',
    resource: 'nodes',
    verbs: ['list'],
    namespaced: false,
    why: 'choose same-node and cross-node placements',
  },
  {
    group: '',
    resource: 'nodes',
    subresource: 'proxy',
    verbs: ['get'],
    namespaced: false,
    why: "CPU and memory of nodes and pods from the kubelet's summary API (stats/summary), read before and after each perf run",
  },
  {
    group: '',
    resource: 'pods',
    verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'],
    namespaced: true,
    why: 'conformance and performance pods; watch for readiness',
  },
  {
    group: '',
    resource: 'pods',
    subresource: 'exec',
    // A WebSocket exec is an HTTP GET; newer API servers also require create on the upgrade.
    verbs: ['get', 'create'],
    namespaced: true,
    why: 'probes and measurements run through the exec API',
  },
  {
    group: '',
    resource: 'services',
    // get: only when a service of this run already exists (create answered 409).
    verbs: ['get', 'create'],
    namespaced: true,
    why: 'ClusterIP service path (deleted with its namespace)',
  },
  {
    group: '',
    resource: 'configmaps',
    verbs: ['create'],
    namespaced: true,
    why: 'the pod agent code (deleted with its namespace)',
  },
  {
    group: 'networking.k8s.io',
    resource: 'networkpolicies',
    verbs: ['create', 'update', 'delete'],
    namespaced: true,
    why: "each case's NetworkPolicies",
  },
  {
    group: 'apiextensions.k8s.io',
    resource: 'customresourcedefinitions',
    verbs: ['get'],
    namespaced: false,
    why: 'which admin-tier API (policy.networking.k8s.io CRDs) the cluster serves',
  },
  ...(['clusternetworkpolicies', 'adminnetworkpolicies', 'baselineadminnetworkpolicies'] as const).map(
    (resource): Permission => ({
      group: 'policy.networking.k8s.io',
      resource,
      verbs: ['list', 'create', 'update', 'delete'],
      namespaced: false,
      why: "each case's admin-tier policies (cluster-scoped, labelled with the run; list: clean-up by label)",
    }),
  ),
];

/** "networkpolicies.networking.k8s.io", "pods/exec", "namespaces": how kubectl names a resource. */
export function resourceName(p: Pick<Permission, 'group' | 'resource' | 'subresource'>): string {
  const base = p.group ? `${p.resource}.${p.group}` : p.resource;
  return p.subresource ? `${base}/${p.subresource}` : base;
}

export interface RbacOptions {
  /** Namespace of the ServiceAccount. */
  namespace?: string;
  /** Name of the ServiceAccount, ClusterRole and ClusterRoleBinding. */
  name?: string;
}

/** The ClusterRole, ServiceAccount and ClusterRoleBinding granting HARNESS_PERMISSIONS, as YAML. */
export function renderRbac(opts: RbacOptions = {}): string {
  const namespace = opts.namespace ?? 'default';
  const name = opts.name ?? 'cnibench';
  const labels = { 'app.kubernetes.io/name': 'cnibench', 'app.kubernetes.io/component': 'rbac' };
  const rules = HARNESS_PERMISSIONS.map((p) => ({
    apiGroups: [p.group],
    resources: [p.subresource ? `${p.resource}/${p.subresource}` : p.resource],
    verbs: [...p.verbs],
  }));
  const docs = [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, labels } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace }],
    },
  ];
  const header = [
    '# Minimal RBAC for the cnibench harness on a real cluster (generated by `cnibench rbac`; do not edit).',
    '# The harness checks exactly these permissions in its preflight. Installing or removing a CNI',
    '# (Calico, Cilium) needs much more and is expected to run with cluster-admin.',
    '# Why each rule exists:',
    ...HARNESS_PERMISSIONS.map((p) => `#   ${resourceName(p)} [${p.verbs.join(', ')}]: ${p.why}`),
  ].join('\n');
  return `${header}\n${docs.map((d) => stringify(d, { lineWidth: 0, singleQuote: true })).join('---\n')}`;
}
