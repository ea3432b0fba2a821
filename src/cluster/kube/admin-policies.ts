/**
 * The admin tier on a real cluster: which policy.networking.k8s.io API the cluster serves, and the
 * ClusterNetworkPolicy (v1alpha2) and AdminNetworkPolicy/BaselineAdminNetworkPolicy (v1alpha1)
 * objects of a case, applied and removed through the access layer (client.ts).
 *
 * - Detection reads the three CRDs (clusternetworkpolicies, adminnetworkpolicies,
 *   baselineadminnetworkpolicies): an API version counts as served when its CRD exists, serves that
 *   version and is Established. Whether the CNI *enforces* what is served is not decided here: the
 *   conformance workload measures it with a canary (src/workloads/conformance/canary.ts).
 * - The objects are cluster-scoped, so they cannot live in the run's namespaces. Each is named
 *   `<prefix>-<runid>-<name>` (the BaselineAdminNetworkPolicy must be called `default`, a singleton)
 *   and labelled like every object of the run, so `cnibench cleanup` finds them. Every namespace
 *   selector in them (subject and peers) is narrowed to this run's namespaces (the run-id label), and
 *   `kubernetes.io/metadata.name` values are mapped to the real names (as for NetworkPolicies,
 *   policies.ts): a case's Deny never reaches kube-system or another tenant, and the case pods'
 *   verdicts are the model's, since every case namespace carries that label.
 * - Changed objects are replaced with the resourceVersion the server last returned (custom resources
 *   take no unconditional update); objects of the previous case are deleted.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import type { AdminTierUnsupported, DriverCapabilities } from '../driver.js';
import {
  ADMIN_TIER_APIS,
  ADMIN_TIER_GROUP,
  type AdminTierApi,
  type AdminTierPeer,
  type AdminTierPolicies,
  type AdminTierSubject,
  type LabelSelector,
} from '../../netpol/types.js';
import { apiCall, httpStatus, isKindNotServed, translateError, type KubeConnection } from './client.js';
import { managementLabels, managementSelector, RUN_ID_LABEL, type NamespaceMap } from './naming.js';
import { rewriteNamespaceSelector } from './policies.js';

export type AdminTierKind = 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy';

/** The CRD of each admin-tier kind, and the API version cnibench writes it in. */
export const ADMIN_TIER_KINDS: ReadonlyArray<{
  kind: AdminTierKind;
  api: AdminTierApi;
  plural: string;
  crd: string;
}> = [
  {
    kind: 'ClusterNetworkPolicy',
    api: 'v1alpha2',
    plural: 'clusternetworkpolicies',
    crd: `clusternetworkpolicies.${ADMIN_TIER_GROUP}`,
  },
  {
    kind: 'AdminNetworkPolicy',
    api: 'v1alpha1',
    plural: 'adminnetworkpolicies',
    crd: `adminnetworkpolicies.${ADMIN_TIER_GROUP}`,
  },
  {
    kind: 'BaselineAdminNetworkPolicy',
    api: 'v1alpha1',
    plural: 'baselineadminnetworkpolicies',
    crd: `baselineadminnetworkpolicies.${ADMIN_TIER_GROUP}`,
  },
];

/** What the cluster says about one admin-tier CRD. */
interface AdminTierCrdState {
  kind: AdminTierKind;
  crd: string;
  /** False: the CRD is not installed. */
  installed: boolean;
  /** Versions the CRD serves (served: true). */
  servedVersions: string[];
  established: boolean;
  /** The network-policy-api release that generated it (annotation policy.networking.k8s.io/bundle-version). */
  bundleVersion?: string;
  /** Its channel (annotation policy.networking.k8s.io/channel): standard or experimental. */
  channel?: string;
  /** The schema of each served version, to tell which fields it lacks (see adminTierRefusal). */
  schemas: Record<string, SchemaNode>;
}

/** The part of a structural schema that says which fields exist. */
interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  /** client-node's typed model of a read CRD spells the extension this way. */
  xKubernetesPreserveUnknownFields?: boolean;
}

/**
 * Fields of `value` its schema does not declare (dotted paths). The standard channel of a CRD lacks
 * the experimental fields (v0.2.0: `nodes` and `domainNames` peers); the API server would prune them
 * silently and so change the policy's meaning, or refuse what is left.
 */
function undeclaredFields(schema: SchemaNode, value: unknown, at = ''): string[] {
  if (schema['x-kubernetes-preserve-unknown-fields'] || schema.xKubernetesPreserveUnknownFields) return [];
  if (Array.isArray(value))
    return schema.items
      ? value.flatMap((v, i) => undeclaredFields(schema.items ?? {}, v, `${at}[${i}]`))
      : [];
  if (typeof value !== 'object' || value === null || !schema.properties) return [];
  const props = schema.properties;
  return Object.entries(value).flatMap(([k, v]) => {
    const path = at ? `${at}.${k}` : k;
    const sub =
      props[k] ?? (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    return sub ? undeclaredFields(sub, v, path) : [path];
  });
}

export interface AdminTierDetection {
  crds: AdminTierCrdState[];
  /** The API versions cnibench can apply here: CRD installed, serving that version, Established. */
  served: AdminTierApi[];
  /** Why each other version cannot be applied (always `cluster`: the cluster lacks it). */
  missing: Partial<Record<AdminTierApi, AdminTierUnsupported>>;
  /** A BaselineAdminNetworkPolicy "default" this run does not own (the singleton is taken). */
  foreignBaseline?: string;
}

interface CrdWire {
  metadata?: { annotations?: Record<string, string> };
  spec?: {
    versions?: Array<{ name: string; served?: boolean; schema?: { openAPIV3Schema?: SchemaNode } }>;
  };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

async function readCrd(
  conn: KubeConnection,
  kind: (typeof ADMIN_TIER_KINDS)[number],
): Promise<AdminTierCrdState> {
  const header = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: kind.crd },
  };
  let crd: CrdWire;
  try {
    crd = await apiCall<CrdWire>(conn, `read customresourcedefinition ${kind.crd}`, () =>
      conn.objects.read(header),
    );
  } catch (err) {
    if (httpStatus(err) !== 404) throw err;
    return {
      kind: kind.kind,
      crd: kind.crd,
      installed: false,
      servedVersions: [],
      established: false,
      schemas: {},
    };
  }
  const bundle = crd.metadata?.annotations?.[`${ADMIN_TIER_GROUP}/bundle-version`];
  const channel = crd.metadata?.annotations?.[`${ADMIN_TIER_GROUP}/channel`];
  const served = (crd.spec?.versions ?? []).filter((v) => v.served !== false);
  return {
    kind: kind.kind,
    crd: kind.crd,
    installed: true,
    servedVersions: served.map((v) => v.name),
    established: (crd.status?.conditions ?? []).some((c) => c.type === 'Established' && c.status === 'True'),
    ...(bundle ? { bundleVersion: bundle } : {}),
    ...(channel ? { channel } : {}),
    schemas: Object.fromEntries(served.map((v) => [v.name, v.schema?.openAPIV3Schema ?? {}])),
  };
}

/** Why a kind's CRD does not let cnibench write `api`, or undefined when it does. */
function crdProblem(s: AdminTierCrdState, api: AdminTierApi): string | undefined {
  if (!s.installed) return `the cluster does not serve ${s.kind} (CRD ${s.crd} is not installed)`;
  if (!s.servedVersions.includes(api))
    return `CRD ${s.crd} serves ${s.servedVersions.join(', ') || 'no version'}, not ${api}`;
  if (!s.established) return `CRD ${s.crd} is not Established`;
  return undefined;
}

/** Reads the admin-tier CRDs and decides which API versions cnibench can apply on this cluster. */
async function detectAdminTier(conn: KubeConnection, runId: string): Promise<AdminTierDetection> {
  const crds = await Promise.all(ADMIN_TIER_KINDS.map((k) => readCrd(conn, k)));
  const served: AdminTierApi[] = [];
  const missing: Partial<Record<AdminTierApi, AdminTierUnsupported>> = {};
  for (const api of ADMIN_TIER_APIS) {
    // v1alpha1 needs AdminNetworkPolicy; BaselineAdminNetworkPolicy alone is checked per case.
    const main = crds.find(
      (c) => c.kind === (api === 'v1alpha2' ? 'ClusterNetworkPolicy' : 'AdminNetworkPolicy'),
    );
    const problem = main ? crdProblem(main, api) : `no CRD for ${api}`;
    if (problem) missing[api] = { by: 'cluster', reason: problem };
    else served.push(api);
  }
  const banp = crds.find((c) => c.kind === 'BaselineAdminNetworkPolicy');
  let foreignBaseline: string | undefined;
  if (banp && !crdProblem(banp, 'v1alpha1')) {
    const list = await apiCall(conn, 'list baselineadminnetworkpolicies', () =>
      conn.objects.list(`${ADMIN_TIER_GROUP}/v1alpha1`, 'BaselineAdminNetworkPolicy'),
    );
    const other = list.items.find((o) => o.metadata?.labels?.[RUN_ID_LABEL] !== runId);
    if (other) foreignBaseline = other.metadata?.name ?? 'default';
  }
  return { crds, served, missing, ...(foreignBaseline ? { foreignBaseline } : {}) };
}

/** The capabilities a detection gives the kube driver. */
export function adminTierCapabilities(
  d: AdminTierDetection | undefined,
): Pick<DriverCapabilities, 'adminTier' | 'adminTierUnsupported' | 'adminTierUnsupportedApis'> {
  if (!d)
    return {
      adminTier: [],
      adminTierUnsupported: {
        by: 'driver',
        reason: 'the admin-tier APIs the cluster serves were not detected (detectAdminTier() was not run)',
      },
    };
  return { adminTier: [...d.served], adminTierUnsupportedApis: { ...d.missing } };
}

/**
 * Why the cluster cannot take these objects although their API version is served: a field the served
 * CRD does not declare (its standard channel lacks the experimental peers), no BaselineAdminNetworkPolicy
 * CRD, or someone else's BaselineAdminNetworkPolicy singleton.
 */
export function adminTierRefusal(
  d: AdminTierDetection | undefined,
  objects: AdminTierPolicies,
  ns: NamespaceMap,
): AdminTierUnsupported | undefined {
  if (!d) return undefined;
  if (objects.baselineAdminNetworkPolicy) {
    const banp = d.crds.find((c) => c.kind === 'BaselineAdminNetworkPolicy');
    const problem = banp ? crdProblem(banp, 'v1alpha1') : 'no BaselineAdminNetworkPolicy CRD';
    if (problem) return { by: 'cluster', reason: problem };
    if (d.foreignBaseline)
      return {
        by: 'cluster',
        reason: `the cluster already has a BaselineAdminNetworkPolicy "${d.foreignBaseline}" that is not this run's (a singleton: cnibench does not replace it)`,
      };
  }
  for (const o of toClusterAdminObjects(objects, ns)) {
    const state = d.crds.find((c) => c.kind === o.kind);
    const version = (o.apiVersion ?? '').split('/')[1] ?? '';
    const schema = state?.schemas[version];
    if (!state || !schema) continue;
    const missing = undeclaredFields(schema, o);
    if (missing.length > 0) {
      const from = [state.bundleVersion, state.channel].filter(Boolean).join(' ');
      return {
        by: 'cluster',
        reason: `the served CRD ${state.crd}${from ? ` (network-policy-api ${from})` : ''} has no field ${missing.slice(0, 3).join(', ')}`,
      };
    }
  }
  return undefined;
}

// -------------------------------------------------------------------------------------------------
// Objects as the cluster sees them

/**
 * A namespace selector narrowed to this run's namespaces of this lane (run-id and lane labels),
 * namespace names mapped to real ones.
 */
function scoped(sel: LabelSelector | undefined, ns: NamespaceMap): LabelSelector {
  const real = rewriteNamespaceSelector(sel ?? {}, ns);
  return { ...real, matchLabels: { ...(real.matchLabels ?? {}), ...ns.laneLabels } };
}

function scopedSubject(s: AdminTierSubject, ns: NamespaceMap): AdminTierSubject {
  if (s.namespaces) return { namespaces: scoped(s.namespaces, ns) };
  if (s.pods) return { pods: { ...s.pods, namespaceSelector: scoped(s.pods.namespaceSelector, ns) } };
  return structuredClone(s);
}

function scopedPeer(p: AdminTierPeer, ns: NamespaceMap): AdminTierPeer {
  const out = structuredClone(p);
  if (p.namespaces) out.namespaces = scoped(p.namespaces, ns);
  if (p.pods) out.pods = { ...p.pods, namespaceSelector: scoped(p.pods.namespaceSelector, ns) };
  return out;
}

interface TierSpec {
  subject: AdminTierSubject;
  ingress?: Array<{ from: AdminTierPeer[] }>;
  egress?: Array<{ to: AdminTierPeer[] }>;
}

function scopedSpec<S extends TierSpec>(spec: S, ns: NamespaceMap): S {
  return {
    ...structuredClone(spec),
    subject: scopedSubject(spec.subject, ns),
    ...(spec.ingress
      ? { ingress: spec.ingress.map((r) => ({ ...r, from: r.from.map((p) => scopedPeer(p, ns)) })) }
      : {}),
    ...(spec.egress
      ? { egress: spec.egress.map((r) => ({ ...r, to: r.to.map((p) => scopedPeer(p, ns)) })) }
      : {}),
  };
}

/**
 * The real name of a case's admin-tier object, distinct per lane (`default` stays: the singleton's
 * only valid name, which is why cases with a BaselineAdminNetworkPolicy all run in lane 0).
 */
const clusterObjectName = (kind: AdminTierKind, name: string, ns: NamespaceMap): string =>
  kind === 'BaselineAdminNetworkPolicy' ? name : `${ns.base}-${name}`;

/** The objects to create on the cluster for a case's admin-tier policies. */
export function toClusterAdminObjects(tier: AdminTierPolicies, ns: NamespaceMap): KubernetesObject[] {
  const labels = managementLabels(ns.runId);
  const make = (kind: AdminTierKind, api: AdminTierApi, name: string, spec: TierSpec): KubernetesObject =>
    ({
      apiVersion: `${ADMIN_TIER_GROUP}/${api}`,
      kind,
      metadata: { name: clusterObjectName(kind, name, ns), labels },
      spec: scopedSpec(spec, ns),
    }) as KubernetesObject;
  return [
    ...(tier.clusterNetworkPolicies ?? []).map((p) =>
      make('ClusterNetworkPolicy', 'v1alpha2', p.metadata.name, p.spec),
    ),
    ...(tier.adminNetworkPolicies ?? []).map((p) =>
      make('AdminNetworkPolicy', 'v1alpha1', p.metadata.name, p.spec),
    ),
    ...(tier.baselineAdminNetworkPolicy
      ? [
          make(
            'BaselineAdminNetworkPolicy',
            'v1alpha1',
            tier.baselineAdminNetworkPolicy.metadata.name,
            tier.baselineAdminNetworkPolicy.spec,
          ),
        ]
      : []),
  ];
}

const keyOf = (o: KubernetesObject) => `${o.kind ?? ''}/${o.metadata?.name ?? ''}`;
const lower = (kind: string | undefined) => (kind ?? '').toLowerCase();

/** What the driver applied: JSON of the object sent, and the resourceVersion the server returned. */
interface Applied {
  object: KubernetesObject;
  json: string;
  resourceVersion?: string;
}

/**
 * The admin-tier objects of one run on one cluster: brings them to a case's set, removes them all.
 * The kube driver owns one; it keeps nothing else of the admin tier.
 */
export class KubeAdminTierObjects {
  private readonly applied = new Map<string, Applied>();
  detection?: AdminTierDetection;

  constructor(
    private readonly conn: () => KubeConnection,
    private readonly ns: NamespaceMap,
  ) {}

  async detect(): Promise<AdminTierDetection> {
    this.detection = await detectAdminTier(this.conn(), this.ns.runId);
    return this.detection;
  }

  /** Number of admin-tier objects this run has on the cluster. */
  get size(): number {
    return this.applied.size;
  }

  /** Makes the cluster hold exactly these admin-tier objects of this run. */
  async set(tier: AdminTierPolicies, signal?: AbortSignal): Promise<void> {
    const desired = new Map(toClusterAdminObjects(tier, this.ns).map((o) => [keyOf(o), o]));
    const conn = this.conn();
    for (const [key, o] of desired) {
      signal?.throwIfAborted();
      const json = JSON.stringify(o);
      const had = this.applied.get(key);
      if (had?.json === json) continue;
      const what = `${had ? 'replace' : 'create'} ${lower(o.kind)} ${o.metadata?.name ?? ''}`;
      const sent = had ? { ...o, metadata: { ...o.metadata, resourceVersion: had.resourceVersion } } : o;
      const back = await apiCall(conn, what, () =>
        had ? conn.objects.replace(sent) : conn.objects.create(sent),
      );
      this.applied.set(key, { object: o, json, resourceVersion: back.metadata?.resourceVersion });
    }
    for (const [key, a] of [...this.applied]) {
      if (desired.has(key)) continue;
      await deleteObject(conn, a.object);
      this.applied.delete(key);
    }
  }

  /** Removes every admin-tier object of this run: those it applied, and any the cluster lists with its label. */
  async removeAll(): Promise<string[]> {
    const conn = this.conn();
    const removed: string[] = [];
    for (const a of this.applied.values()) {
      await deleteObject(conn, a.object);
      removed.push(keyOf(a.object));
    }
    this.applied.clear();
    if (this.detection) {
      for (const k of await deleteManagedAdminTierObjects(conn, this.ns.runId))
        if (!removed.includes(k)) removed.push(k);
    }
    return removed;
  }
}

async function deleteObject(conn: KubeConnection, o: KubernetesObject): Promise<void> {
  try {
    await apiCall(conn, `delete ${lower(o.kind)} ${o.metadata?.name ?? ''}`, () => conn.objects.delete(o));
  } catch (err) {
    if (httpStatus(err) !== 404) throw err;
  }
}

/**
 * Deletes the admin-tier objects labelled as cnibench's (of one run, or of every run), of every kind
 * the cluster serves; a kind it does not serve has none. Returns `Kind/name` of each deleted.
 */
export async function deleteManagedAdminTierObjects(
  conn: Pick<KubeConnection, 'objects' | 'server' | 'context'>,
  runId?: string,
): Promise<string[]> {
  const labelSelector = managementSelector(runId);
  const out: string[] = [];
  for (const k of ADMIN_TIER_KINDS) {
    let items: KubernetesObject[];
    try {
      const list = await conn.objects.list(
        `${ADMIN_TIER_GROUP}/${k.api}`,
        k.kind,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        labelSelector,
      );
      items = list.items;
    } catch (err) {
      if (isKindNotServed(err) || httpStatus(err) === 404) continue;
      throw translateError(conn, `list ${k.plural} labelled ${labelSelector}`, err);
    }
    for (const o of items) {
      const name = o.metadata?.name ?? '';
      try {
        await apiCall(conn, `delete ${k.plural} ${name}`, () =>
          conn.objects.delete({
            apiVersion: `${ADMIN_TIER_GROUP}/${k.api}`,
            kind: k.kind,
            metadata: { name },
          }),
        );
      } catch (err) {
        if (httpStatus(err) !== 404) throw err;
      }
      out.push(`${k.kind}/${name}`);
    }
  }
  return out;
}
