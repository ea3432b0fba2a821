/**
 * What installing and uninstalling a CNI needs, derived from the install plan itself: every object the
 * plan applies (server-side apply = patch; removal = delete), every call made around them (detecting
 * other CNIs, reading the API server endpoint and the nodes, the rollout check), and what the CNI's
 * installer adds (`CniInstaller.permissions`: e.g. the objects Helm renders from a chart, waiting for
 * deletions, removing run-time CRDs). Checked with SelfSubjectAccessReviews before anything is applied, so missing rights
 * fail the run at once, naming every one, instead of half-way through an install.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeConnection } from '../cluster/kube/client.js';
import type { Permission } from '../cluster/kube/permissions.js';
import { runPreflight } from '../cluster/kube/preflight.js';
import { planObjects } from './apply.js';
import type { InstallPlan, PermissionNeed } from './installer.js';
import { installerFor } from './registry.js';

/** Kinds the installers apply, delete or read, with their resource name and scope. */
const RESOURCES: Record<string, { group: string; resource: string; namespaced: boolean }> = {
  CustomResourceDefinition: {
    group: 'apiextensions.k8s.io',
    resource: 'customresourcedefinitions',
    namespaced: false,
  },
  Namespace: { group: '', resource: 'namespaces', namespaced: false },
  ServiceAccount: { group: '', resource: 'serviceaccounts', namespaced: true },
  Secret: { group: '', resource: 'secrets', namespaced: true },
  ConfigMap: { group: '', resource: 'configmaps', namespaced: true },
  Service: { group: '', resource: 'services', namespaced: true },
  Endpoints: { group: '', resource: 'endpoints', namespaced: true },
  Node: { group: '', resource: 'nodes', namespaced: false },
  ClusterRole: { group: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespaced: false },
  ClusterRoleBinding: {
    group: 'rbac.authorization.k8s.io',
    resource: 'clusterrolebindings',
    namespaced: false,
  },
  Role: { group: 'rbac.authorization.k8s.io', resource: 'roles', namespaced: true },
  RoleBinding: { group: 'rbac.authorization.k8s.io', resource: 'rolebindings', namespaced: true },
  DaemonSet: { group: 'apps', resource: 'daemonsets', namespaced: true },
  Deployment: { group: 'apps', resource: 'deployments', namespaced: true },
  Installation: { group: 'operator.tigera.io', resource: 'installations', namespaced: false },
  APIServer: { group: 'operator.tigera.io', resource: 'apiservers', namespaced: false },
};

/**
 * A kind's resource: known ones from the table, custom resources from the CRDs in the plan (their
 * plural), anything else lower-cased and pluralised the way the API server's default RESTMapper does.
 */
function resourceOf(kind: string, apiVersion: string, crds: KubernetesObject[]) {
  const known = RESOURCES[kind];
  if (known) return known;
  const group = apiVersion.includes('/') ? (apiVersion.split('/')[0] ?? '') : '';
  for (const crd of crds) {
    const spec = (
      crd as { spec?: { group?: string; scope?: string; names?: { kind?: string; plural?: string } } }
    ).spec;
    if (spec?.group === group && spec.names?.kind === kind && spec.names.plural)
      return { group, resource: spec.names.plural, namespaced: spec.scope !== 'Cluster' };
  }
  const lower = kind.toLowerCase();
  return { group, resource: lower.endsWith('s') ? `${lower}es` : `${lower}s`, namespaced: true };
}

/** Binding and creating roles needs bind/escalate unless the installer already holds every right in them. */
const ESCALATION: Record<string, string[]> = {
  clusterroles: ['bind', 'escalate'],
  roles: ['bind', 'escalate'],
};

/** Merges permissions on the same resource and namespace (verbs united, first reason kept). */
function merge(perms: Permission[]): Permission[] {
  const out = new Map<string, Permission>();
  for (const p of perms) {
    const key = `${p.group}|${p.resource}|${p.subresource ?? ''}|${p.namespaced ? (p.namespace ?? '') : '-'}`;
    const had = out.get(key);
    if (!had) out.set(key, { ...p, verbs: [...new Set(p.verbs)] });
    else had.verbs = [...new Set([...had.verbs, ...p.verbs])];
  }
  return [...out.values()];
}

/** Every permission installing, checking and uninstalling this plan needs. */
function installPermissions(plan: InstallPlan): Permission[] {
  const objects = planObjects(plan);
  const crds = objects.filter((o) => o.kind === 'CustomResourceDefinition');
  const installer = installerFor(plan.cni);
  const perms: Permission[] = [];
  const permission: PermissionNeed = (kind, verbs, namespace, why, apiVersion = 'v1') => {
    const r = resourceOf(kind, apiVersion, crds);
    return {
      group: r.group,
      resource: r.resource,
      verbs: [...verbs, ...(verbs.includes('patch') ? (ESCALATION[r.resource] ?? []) : [])],
      namespaced: r.namespaced,
      ...(r.namespaced ? { namespace } : {}),
      why,
    };
  };
  const need: PermissionNeed = (...args) => {
    const p = permission(...args);
    perms.push(p);
    return p;
  };
  for (const o of objects) {
    // Server-side apply is a patch; uninstall deletes. CRDs are read until Established; the operator's
    // resources are read until their finalizers are done.
    const reads =
      o.kind === 'CustomResourceDefinition' || o.apiVersion === 'operator.tigera.io/v1' ? ['get'] : [];
    need(
      o.kind ?? '',
      ['patch', 'delete', ...reads],
      o.metadata?.namespace,
      `applied from the plan (${o.kind})`,
      o.apiVersion,
    );
  }
  // Detecting another CNI: DaemonSets in every namespace.
  perms.push({
    group: 'apps',
    resource: 'daemonsets',
    verbs: ['list'],
    namespaced: false,
    why: 'detect the CNI already running',
  });
  // The rollout check and the versions that ran.
  for (const r of plan.readiness)
    need(r.kind, ['get'], r.namespace, `rollout check of ${r.kind} ${r.namespace}/${r.name}`, 'apps/v1');
  need('Node', ['list'], undefined, 'every node Ready (and how many nodes there are)');
  perms.push(...installer.permissions(plan, permission));
  const needsApiServer =
    objects.some((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'kubernetes-services-endpoint') ||
    plan.helm?.values.k8sServiceHost !== undefined;
  if (needsApiServer) need('Endpoints', ['get'], 'default', 'the API server address as nodes reach it');
  return merge(perms);
}

/** The namespace namespaced permissions without one of their own are checked in. */
function installNamespace(plan: InstallPlan): string {
  return installerFor(plan.cni).permissionNamespace(plan);
}

const INSTALLER_REMEDY =
  'installing a CNI needs: {missing}. Run with cluster-admin credentials (installing a CNI needs them; deploy/rbac.yaml covers only the measurements).';

/** Fails (exit 3, naming every missing permission) unless the credentials may install this plan. */
export async function checkInstallPermissions(kube: KubeConnection, plan: InstallPlan): Promise<void> {
  await runPreflight(kube, installNamespace(plan), installPermissions(plan), INSTALLER_REMEDY);
}
