/**
 * What installing and uninstalling a CNI needs on top of the harness's own rights: the operator
 * manifest and the Helm chart create CRDs, cluster-wide RBAC, DaemonSets and Deployments in system
 * namespaces, and the operator's custom resources. Checked with SelfSubjectAccessReviews before anything
 * is applied, so missing rights fail the run at once instead of half-way through an install.
 */
import type { Permission } from '../cluster/kube/permissions.js';
import { runPreflight } from '../cluster/kube/preflight.js';
import type { KubeConnection } from '../cluster/kube/client.js';
import type { CniName } from './installer.js';

const WRITE = ['get', 'list', 'create', 'patch', 'delete'];

const COMMON: readonly Permission[] = [
  {
    group: 'apiextensions.k8s.io',
    resource: 'customresourcedefinitions',
    verbs: WRITE,
    namespaced: false,
    why: 'the operator and Cilium CRDs',
  },
  {
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterroles',
    verbs: [...WRITE, 'bind', 'escalate'],
    namespaced: false,
    why: "the CNI components' cluster roles",
  },
  {
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterrolebindings',
    verbs: WRITE,
    namespaced: false,
    why: 'binding them to the CNI service accounts',
  },
  {
    group: '',
    resource: 'namespaces',
    verbs: WRITE,
    namespaced: false,
    why: 'tigera-operator / calico-system namespaces',
  },
  {
    group: 'apps',
    resource: 'daemonsets',
    verbs: WRITE,
    namespaced: true,
    why: 'calico-node, cilium agents',
  },
  {
    group: 'apps',
    resource: 'deployments',
    verbs: WRITE,
    namespaced: true,
    why: 'the operator, cilium-operator',
  },
  {
    group: '',
    resource: 'serviceaccounts',
    verbs: WRITE,
    namespaced: true,
    why: "the CNI components' identities",
  },
  { group: '', resource: 'configmaps', verbs: WRITE, namespaced: true, why: 'CNI configuration' },
  { group: '', resource: 'secrets', verbs: WRITE, namespaced: true, why: 'Helm release records, IPsec keys' },
];

/** The permissions installing `cni` needs, and the namespace where its namespaced objects go. */
export function installerPermissions(cni: CniName): {
  permissions: readonly Permission[];
  namespace: string;
} {
  if (cni === 'calico') {
    return {
      namespace: 'tigera-operator',
      permissions: [
        ...COMMON,
        {
          group: 'operator.tigera.io',
          resource: 'installations',
          verbs: WRITE,
          namespaced: false,
          why: 'the Calico Installation',
        },
        {
          group: 'operator.tigera.io',
          resource: 'apiservers',
          verbs: WRITE,
          namespaced: false,
          why: 'the Calico API server',
        },
      ],
    };
  }
  return { namespace: 'kube-system', permissions: COMMON };
}

export const INSTALLER_REMEDY =
  'installing a CNI needs: {missing}. Run with cluster-admin credentials (installing a CNI needs them; deploy/rbac.yaml covers only the measurements).';

/** Fails (exit 3, naming every missing permission) unless the credentials may install `cni`. */
export async function checkInstallPermissions(kube: KubeConnection, cni: CniName): Promise<void> {
  const needs = installerPermissions(cni);
  await runPreflight(kube, needs.namespace, needs.permissions, INSTALLER_REMEDY);
}
