/**
 * A fake Kubernetes API server on 127.0.0.1 for tests: it speaks the real wire protocol (REST paths,
 * JSON bodies, `Status` errors, chunked `?watch=true` streams, discovery documents and the
 * `v4.channel.k8s.io` exec WebSocket), so tests drive it through the real `@kubernetes/client-node`
 * with a kubeconfig file pointing at it. Nothing here is a mock of the client library.
 *
 * Usage:
 *
 *   const api = await FakeApiServer.start({ nodes: [...], onExec: (pod, container, command) => ({...}) });
 *   const kubeconfig = await api.writeKubeconfig(tmpDir);   // context "fake"
 *   ... drive code under test ...
 *   api.store.list('v1', 'Pod', { namespace: 'x' });        // inspect what the code created
 *   api.requests;                                           // every request, with its parsed body
 *   await api.close();
 *
 * What it implements, for any registered resource (built-ins below, plus every CRD created through
 * the API, plus anything added with `registerResource`):
 * - list (`labelSelector`, `fieldSelector` on dotted paths), get, create (409 on duplicates),
 *   replace (PUT), patch (merge, strategic-merge ≈ merge with lists replaced, JSON patch,
 *   server-side apply ≈ create-or-merge of the YAML/JSON body), delete, deletecollection;
 * - `?watch=true`: ADDED events for existing objects (unless a resourceVersion is given), then live
 *   ADDED/MODIFIED/DELETED events, newline-delimited JSON over a chunked response;
 * - `/version`, `/api`, `/apis`, `/api/v1`, `/apis/<group>/<version>` discovery (or, with
 *   `discoveryStatus`, an error status for every discovery request, as an overloaded server gives);
 * - RBAC: `selfsubjectaccessreviews` are allowed unless they match an entry of `deny`, and so is the
 *   request itself: a request whose verb and resource match a `deny` entry is refused with 403
 *   Forbidden, worded like the real authorizer. Every request records the RBAC attributes it needed
 *   (`authz`), so tests can derive the least privilege from what the code really calls;
 * - what a real API server refuses of an object: a field its schema does not declare (CRDs: the
 *   version's `openAPIV3Schema`; built-in kinds: client-node's generated models) is refused by
 *   server-side apply (a 500, as real servers still answer, kubernetes#139253) and under
 *   `fieldValidation=Strict` (400), and pruned otherwise; a custom resource value the schema refuses
 *   (type, enum, pattern, bounds, required) is 422 Invalid, and so is one a CEL rule of the schema
 *   (`x-kubernetes-validations`, evaluated by test/netpol/crd-check.ts) refuses, as network-policy-api's
 *   CRDs need; a CRD without a schema is 422;
 * - CRDs are Established `crdEstablishDelayMs` after creation (as the API server's own controller
 *   does); until then their kinds are not served (404, absent from discovery). Deleting a CRD deletes
 *   its custom resources and stops serving the kind;
 * - `admission`: rules standing for a ValidatingAdmissionPolicy, refusing matching writes (422 Invalid,
 *   or 403 Forbidden) with the real wording;
 * - pods: scheduled round-robin on schedulable nodes, given an IP (node IP for hostNetwork), phase
 *   Running and condition Ready (after `podReadyDelayMs`, emitted as a MODIFIED watch event);
 *   services get a ClusterIP; namespaces get `kubernetes.io/metadata.name`; deleting a namespace
 *   deletes everything in it;
 * - the node proxy to the kubelet's summary API (`GET /api/v1/nodes/NAME/proxy/stats/summary`,
 *   authorized as get nodes/proxy): CPU counters that grow with time, pods' working sets
 *   (fake-kubelet.ts; `api.kubelet` tunes it); any other proxied path is 404;
 * - pod exec over WebSocket: subprotocol v4.channel.k8s.io, channel 1 stdout, 2 stderr, 3 a
 *   `Status` (Success, or Failure/NonZeroExitCode with the exit code in details.causes). The reply
 *   comes from the pluggable `onExec(pod, container, command, ctx)` handler, after `execLatencyMs`
 *   (the API server → kubelet → runtime round trip a real exec costs; 0 by default). An argument
 *   longer than Linux's MAX_ARG_STRLEN (128 KiB) fails as the container runtime fails it.
 *
 * Not implemented (the driver does not use them): authentication (the bearer token is recorded,
 * not checked), admission webhooks, finalizers/graceful deletion,
 * resourceVersion conflicts on PUT, protobuf.
 */
import http from 'node:http';
import { once } from 'node:events';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { FakeKubelet } from './fake-kubelet.js';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { hasModel, pruneBuiltin, unknownBuiltinFields, unknownMetadataFields } from './builtin-fields.js';
import { crdVersionSchema, pruneUnknown, unknownFields, valueProblems } from './crd-schema.js';
import { crdProblems } from '../../netpol/crd-check.js';
import { matchesFieldSelector, matchesLabelSelector } from './fake-labels.js';
import { jsonPatch, mergePatch } from './fake-patch.js';
import { cycle } from '../../../src/util/arrays.js';
import {
  asModel,
  BUILTIN_API_VERSIONS,
  isRecord,
  recordOr,
  type BuiltinKind,
  type BuiltinModels,
} from './fake-models.js';

// ---------------------------------------------------------------------------------------------------
// Types

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    uid?: string;
    resourceVersion?: string;
    creationTimestamp?: string;
    generation?: number;
    [k: string]: unknown;
  };
  // Any JSON, as a real API server stores it: read it through the typed readers (`store.model`,
  // fake-models.ts `asModel`) or narrow it, never as `any`.
  spec?: unknown;
  status?: unknown;
  [k: string]: unknown;
}

/** A resource type the server serves: where it lives in the REST tree and what kind it holds. */
export interface ResourceDef {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** The path segment: "networkpolicies". */
  plural: string;
  namespaced: boolean;
  /** Verbs listed in discovery; defaults to the full CRUD set. */
  verbs?: string[];
  /** The CRD defining it: served only while that CRD exists and is Established. */
  crd?: string;
}

export interface FakeNode {
  name: string;
  ip: string;
  unschedulable?: boolean;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }>;
  /** Ready condition status; default true. */
  ready?: boolean;
}

/** One entry of the SelfSubjectAccessReview deny list; unset fields match anything. */
export interface AccessRule {
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
}

/** What RBAC authorizes for one request (as a SubjectAccessReview's resourceAttributes). */
export interface AuthzAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

/**
 * A rule standing for a ValidatingAdmissionPolicy (or a webhook): writes matching it are refused with
 * its message. Unset fields match anything.
 */
export interface AdmissionRule {
  verb?: string;
  group?: string;
  resource?: string;
  namespace?: string;
  name?: string;
  /** 422 Invalid (ValidatingAdmissionPolicy, the default) or 403 Forbidden (a webhook denial). */
  code?: 422 | 403;
  message: string;
  /** The policy's name in the message. */
  policy?: string;
}

export interface ExecReply {
  stdout?: string;
  stderr?: string;
  exitCode: number;
}

export interface ExecContext {
  /** Aborted when the client closes the WebSocket (a long-running command being stopped). */
  signal: AbortSignal;
  /** Streams output before the reply (for long-running commands). */
  write(stream: 'stdout' | 'stderr', data: string): void;
}

/** Computes what an exec prints; return `{exitCode}` with optional stdout/stderr. May be async. */
export type ExecHandler = (
  pod: KubeObject,
  container: string,
  command: string[],
  ctx: ExecContext,
) => ExecReply | Promise<ExecReply>;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body?: unknown;
  /** WebSocket subprotocols the client offered (exec). */
  protocols?: string[];
  /** The RBAC attributes the request needed (none for /version and discovery). */
  authz: AuthzAttributes[];
  userAgent?: string;
}

export interface FakeApiServerOptions {
  nodes?: FakeNode[];
  /** gitVersion served at /version. */
  gitVersion?: string;
  /** SelfSubjectAccessReviews matching any rule are denied. Mutable later via `api.deny`. */
  deny?: AccessRule[];
  onExec?: ExecHandler;
  /** Pods become Running/Ready this long after creation (0: immediately). */
  podReadyDelayMs?: number;
  /** Every exec waits this long before its command runs (0: not at all). Mutable later. */
  execLatencyMs?: number;
  /** A new CRD becomes Established this long after its creation (default 10 ms). */
  crdEstablishDelayMs?: number;
  /** Refusals standing for admission policies. Mutable later via `api.admission`. */
  admission?: AdmissionRule[];
  /**
   * When set, every discovery request (/api, /apis and their group/version lists) is answered with this
   * HTTP status, as an aggregated API or an overloaded server does (503). Mutable later.
   */
  discoveryStatus?: number;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

// ---------------------------------------------------------------------------------------------------
// Built-in resources

const BUILTIN_RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  {
    group: 'networking.k8s.io',
    version: 'v1',
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    namespaced: true,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRole',
    plural: 'clusterroles',
    namespaced: false,
  },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'ClusterRoleBinding',
    plural: 'clusterrolebindings',
    namespaced: false,
  },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', namespaced: true },
  {
    group: 'rbac.authorization.k8s.io',
    version: 'v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
  },
  {
    group: 'apiextensions.k8s.io',
    version: 'v1',
    kind: 'CustomResourceDefinition',
    plural: 'customresourcedefinitions',
    namespaced: false,
  },
  {
    group: 'authorization.k8s.io',
    version: 'v1',
    kind: 'SelfSubjectAccessReview',
    plural: 'selfsubjectaccessreviews',
    namespaced: false,
    verbs: ['create'],
  },
];

const CRUD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const apiVersionOf = (d: { group: string; version: string }) =>
  d.group ? `${d.group}/${d.version}` : d.version;

// ---------------------------------------------------------------------------------------------------
// Errors as the API server reports them

/** /api, /api/{v}, /apis, /apis/{group}/{v}: the paths discovery reads. */
function isDiscoveryPath(segments: string[]): boolean {
  const [root] = segments;
  return (root === 'api' && segments.length <= 2) || (root === 'apis' && segments.length <= 3);
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
  toStatus() {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      // A plain error inside the API server (e.g. server-side apply's schema error) has no reason.
      ...(this.reason ? { reason: this.reason } : {}),
      code: this.code,
    };
  }
}

const notFound = (plural: string, name: string) =>
  new ApiError(404, 'NotFound', `${plural} "${name}" not found`);

// ---------------------------------------------------------------------------------------------------
// The fields of a CustomResourceDefinition the fake itself acts on. Read with zod rather than as the
// client's model: a CRD is checked before it is stored (the model would claim fields a bad one lacks),
// and the kind's Established condition is read on every request (deserialising a large CRD each time
// would be slow). Unknown keys pass through: the schema checks above own the rest of the object.

const crdSpecSchema = z.looseObject({
  group: z.string(),
  scope: z.string().optional(),
  names: z.looseObject({ kind: z.string(), plural: z.string() }),
  versions: z
    .array(
      z.looseObject({
        name: z.string(),
        served: z.boolean().optional(),
        storage: z.boolean().optional(),
        schema: z.looseObject({ openAPIV3Schema: z.unknown() }).optional(),
      }),
    )
    .optional(),
});
type CrdSpec = z.infer<typeof crdSpecSchema>;

const conditionsSchema = z.looseObject({
  conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })),
});

/** Whether a CRD's status says it is Established. */
const isEstablished = (status: unknown): boolean =>
  (conditionsSchema.safeParse(status).data?.conditions ?? []).some(
    (c) => c.type === 'Established' && c.status === 'True',
  );

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

// ---------------------------------------------------------------------------------------------------
// Object store

/** In-memory objects keyed by apiVersion/kind/namespace/name; emits every change as a watch event. */
export class ObjectStore {
  private readonly objects = new Map<string, KubeObject>();
  private rv = 1;
  private uid = 1;
  readonly events = new EventEmitter();

  private static key(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
    return `${apiVersion}|${kind}|${namespace ?? ''}|${name}`;
  }

  get(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    const o = this.objects.get(ObjectStore.key(apiVersion, kind, namespace, name));
    return o ? structuredClone(o) : undefined;
  }

  list(
    apiVersion: string,
    kind: string,
    opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
  ): KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.objects.values()) {
      if (o.apiVersion !== apiVersion || o.kind !== kind) continue;
      if (opts.namespace !== undefined && o.metadata.namespace !== opts.namespace) continue;
      if (!matchesLabelSelector(o.metadata.labels, opts.labelSelector)) continue;
      if (!matchesFieldSelector(o, opts.fieldSelector)) continue;
      out.push(structuredClone(o));
    }
    return out.sort((a, b) =>
      `${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace ?? ''}/${b.metadata.name}`,
      ),
    );
  }

  /** A built-in object as the client's model type (`V1Pod`, ...), or undefined when absent. */
  model<K extends BuiltinKind>(kind: K, name: string, namespace?: string): BuiltinModels[K] | undefined {
    const o = this.objects.get(ObjectStore.key(BUILTIN_API_VERSIONS[kind], kind, namespace, name));
    return o ? asModel(kind, o) : undefined;
  }

  /** `list` of a built-in kind, each object as the client's model type. */
  models<K extends BuiltinKind>(
    kind: K,
    opts: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
  ): Array<BuiltinModels[K]> {
    return this.list(BUILTIN_API_VERSIONS[kind], kind, opts).map((o) => asModel(kind, o));
  }

  /** Every object (for assertions such as "nothing unlabelled was deleted"). */
  all(): KubeObject[] {
    return [...this.objects.values()].map((o) => structuredClone(o));
  }

  get resourceVersion(): number {
    return this.rv;
  }

  /** Adds an object (server-assigned metadata filled in); 409 if it exists. */
  create(obj: KubeObject): KubeObject {
    const k = ObjectStore.key(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    if (this.objects.has(k)) {
      throw new ApiError(
        409,
        'AlreadyExists',
        `${obj.kind.toLowerCase()}s "${obj.metadata.name}" already exists`,
      );
    }
    const stored = structuredClone(obj);
    stored.metadata.uid = `00000000-0000-4000-8000-${String(this.uid++).padStart(12, '0')}`;
    stored.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    stored.metadata.generation = 1;
    stored.metadata.resourceVersion = String(++this.rv);
    this.objects.set(k, stored);
    this.events.emit('event', { type: 'ADDED', object: structuredClone(stored) } satisfies WatchEvent);
    return structuredClone(stored);
  }

  /** Replaces an existing object, keeping server-assigned metadata; 404 if it does not exist. */
  update(obj: KubeObject): KubeObject {
    const k = ObjectStore.key(obj.apiVersion, obj.kind, obj.metadata.namespace, obj.metadata.name);
    const old = this.objects.get(k);
    if (!old) throw notFound(obj.kind.toLowerCase() + 's', obj.metadata.name);
    const stored = structuredClone(obj);
    stored.metadata.uid = old.metadata.uid;
    stored.metadata.creationTimestamp = old.metadata.creationTimestamp;
    const specChanged = JSON.stringify(old.spec) !== JSON.stringify(stored.spec);
    stored.metadata.generation = (old.metadata.generation ?? 1) + (specChanged ? 1 : 0);
    stored.metadata.resourceVersion = String(++this.rv);
    this.objects.set(k, stored);
    this.events.emit('event', { type: 'MODIFIED', object: structuredClone(stored) } satisfies WatchEvent);
    return structuredClone(stored);
  }

  delete(apiVersion: string, kind: string, name: string, namespace?: string): KubeObject | undefined {
    const k = ObjectStore.key(apiVersion, kind, namespace, name);
    const old = this.objects.get(k);
    if (!old) return undefined;
    this.objects.delete(k);
    old.metadata.resourceVersion = String(++this.rv);
    this.events.emit('event', { type: 'DELETED', object: structuredClone(old) } satisfies WatchEvent);
    return structuredClone(old);
  }
}

// ---------------------------------------------------------------------------------------------------
// The server

interface ParsedPath {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export class FakeApiServer {
  readonly store = new ObjectStore();
  readonly requests: RecordedRequest[] = [];
  deny: AccessRule[];
  admission: AdmissionRule[];
  onExec: ExecHandler;
  podReadyDelayMs: number;
  execLatencyMs: number;
  crdEstablishDelayMs: number;
  gitVersion: string;
  /** Answers the node proxy's stats/summary. */
  readonly kubelet = new FakeKubelet();
  discoveryStatus: number | undefined;
  private readonly resources: ResourceDef[] = [...BUILTIN_RESOURCES];
  private readonly server: http.Server;
  private readonly wss = new WebSocketServer({
    noServer: true,
    // Like a real API server, pick v4 when offered (the client also offers v5, whose close frames
    // client-node 1.4 routes to process streams).
    handleProtocols: (protocols) => (protocols.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false),
  });
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly openResponses = new Set<http.ServerResponse>();
  private nextPodIp = 1;
  private nextServiceIp = 10;
  private nextNode = 0;
  url = '';

  private constructor(opts: FakeApiServerOptions) {
    this.deny = opts.deny ?? [];
    this.admission = opts.admission ?? [];
    this.crdEstablishDelayMs = opts.crdEstablishDelayMs ?? 10;
    this.onExec =
      opts.onExec ?? (() => ({ stdout: '', stderr: 'fake-apiserver: no exec handler\n', exitCode: 127 }));
    this.podReadyDelayMs = opts.podReadyDelayMs ?? 0;
    this.execLatencyMs = opts.execLatencyMs ?? 0;
    this.gitVersion = opts.gitVersion ?? 'v1.31.2';
    this.discoveryStatus = opts.discoveryStatus;
    const nodes = opts.nodes ?? [
      { name: 'node-a', ip: '172.18.0.2' },
      { name: 'node-b', ip: '172.18.0.3' },
    ];
    for (const n of nodes) this.addNode(n);
    // The API server accepts request headers (the exec URL carries the command) up to 1 MiB, Go's
    // http.Server MaxHeaderBytes as kube-apiserver sets it; Node's default is 16 KiB.
    this.server = http.createServer({ maxHeaderSize: 1 << 20 }, (req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        const e = err instanceof ApiError ? err : new ApiError(500, 'InternalError', String(err));
        if (!res.headersSent) this.sendJson(res, e.code, e.toStatus());
        else res.end();
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const attrs = execAttributes(url.pathname);
      const denied = this.forbidden(attrs);
      if (denied) {
        this.requests.push({
          method: 'GET',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams.entries()),
          authz: attrs,
          userAgent: req.headers['user-agent'],
        });
        const body = JSON.stringify(denied.toStatus());
        socket.end(
          `HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.handleExec(req, ws).catch(() => ws.close());
      });
    });
  }

  static async start(opts: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const s = new FakeApiServer(opts);
    s.server.listen(0, '127.0.0.1');
    await once(s.server, 'listening');
    s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
    return s;
  }

  /** Serves another resource type (a CRD's resources are registered automatically when it is created). */
  registerResource(def: ResourceDef): void {
    if (
      !this.resources.some(
        (r) => r.group === def.group && r.version === def.version && r.plural === def.plural,
      )
    ) {
      this.resources.push(def);
    }
  }

  addNode(n: FakeNode): void {
    this.store.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, ...(n.labels ?? {}) } },
      spec: { unschedulable: n.unschedulable || undefined, taints: n.taints },
      status: {
        addresses: [
          { type: 'InternalIP', address: n.ip },
          { type: 'Hostname', address: n.name },
        ],
        conditions: [{ type: 'Ready', status: n.ready === false ? 'False' : 'True' }],
        nodeInfo: { kubeletVersion: this.gitVersion ?? 'v1.31.2' },
      },
    });
  }

  /** Writes a kubeconfig (context `contextName`, default "fake") pointing at this server; returns its path. */
  async writeKubeconfig(dir: string, contextName = 'fake'): Promise<string> {
    const file = path.join(dir, `kubeconfig-${contextName}`);
    const text = [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: ${contextName}`,
      '  cluster:',
      `    server: ${this.url}`,
      // client-node refuses plain HTTP unless TLS verification is off (there is no TLS on loopback).
      '    insecure-skip-tls-verify: true',
      'users:',
      `- name: ${contextName}-user`,
      '  user:',
      '    token: fake-token',
      'contexts:',
      `- name: ${contextName}`,
      '  context:',
      `    cluster: ${contextName}`,
      `    user: ${contextName}-user`,
      `current-context: ${contextName}`,
      '',
    ].join('\n');
    await fs.writeFile(file, text, { mode: 0o600 });
    return file;
  }

  /** Requests matching a method and a path regexp (for asserting request bodies). */
  requestsTo(method: string, pathRe: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && pathRe.test(r.path));
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const r of this.openResponses) r.end();
    for (const c of this.wss.clients) c.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // -------------------------------------------------------------------------------------------------
  // HTTP

  private sendJson(res: http.ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  private async readBody(req: http.IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private parsePath(segments: string[]): ParsedPath | undefined {
    let group: string;
    let version: string;
    let rest: string[];
    const [root, first, second] = segments;
    if (root === 'api' && first !== undefined) {
      group = '';
      version = first;
      rest = segments.slice(2);
    } else if (root === 'apis' && first !== undefined && second !== undefined) {
      group = first;
      version = second;
      rest = segments.slice(3);
    } else return undefined;
    const find = (plural: string) =>
      this.resources.find(
        (r) => r.group === group && r.version === version && r.plural === plural && this.served(r),
      );
    // /namespaces/{ns}/{plural}[/{name}[/{sub}]] when {plural} is a namespaced resource.
    if (rest[0] === 'namespaces' && rest[2] !== undefined) {
      const def = find(rest[2]);
      if (def && def.namespaced) return { def, namespace: rest[1], name: rest[3], subresource: rest[4] };
    }
    if (rest[0] === undefined) return undefined;
    const def = find(rest[0]);
    if (!def) return undefined;
    return { def, name: rest[1], subresource: rest[2] };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams.entries());
    const method = req.method ?? 'GET';
    const raw = method === 'GET' ? '' : await this.readBody(req);
    const contentType = req.headers['content-type']?.split(';')[0];
    let body: unknown;
    if (raw) {
      try {
        body = contentType === 'application/apply-patch+yaml' ? parseYaml(raw) : JSON.parse(raw);
      } catch {
        throw new ApiError(400, 'BadRequest', `cannot parse request body as ${contentType ?? 'JSON'}`);
      }
    }
    const segments = url.pathname.split('/').filter((s) => s !== '');
    const p = this.parsePath(segments);
    const authz = p ? [requestAttributes(method, p, query)] : [];
    this.requests.push({
      method,
      path: url.pathname,
      query,
      contentType,
      body,
      authz,
      userAgent: req.headers['user-agent'],
    });

    if (method === 'GET' && url.pathname === '/version') {
      const m = this.gitVersion.match(/^v(\d+)\.(\d+)/);
      return this.sendJson(res, 200, {
        major: m?.[1] ?? '1',
        minor: m?.[2] ?? '31',
        gitVersion: this.gitVersion,
        platform: 'linux/amd64',
      });
    }
    if (method === 'GET') {
      if (this.discoveryStatus !== undefined && isDiscoveryPath(segments))
        throw new ApiError(
          this.discoveryStatus,
          'ServiceUnavailable',
          'the server is currently unable to handle the request',
        );
      const discovery = this.discovery(segments);
      if (discovery) return this.sendJson(res, 200, discovery);
    }
    if (!p)
      throw new ApiError(
        404,
        'NotFound',
        `the server could not find the requested resource (${url.pathname})`,
      );
    const { def } = p;
    const apiVersion = apiVersionOf(def);

    if (def.plural === 'selfsubjectaccessreviews') {
      if (method !== 'POST') throw new ApiError(405, 'MethodNotAllowed', 'only create is allowed');
      return this.sendJson(res, 201, this.review(body));
    }
    const denied = this.forbidden(authz);
    if (denied) throw denied;
    if (def.plural === 'nodes' && p.subresource === 'proxy' && p.name !== undefined) {
      // The proxied path: its segments as the API server decodes them (client-node escapes '/' as %2F).
      const proxied = segments.slice(5).map(decodeURIComponent).join('/');
      return this.nodeProxy(res, method, p.name, proxied);
    }
    if (p.subresource && !['status', 'scale'].includes(p.subresource)) {
      throw new ApiError(404, 'NotFound', `subresource ${p.subresource} is served over WebSocket only`);
    }
    const strict = query.fieldValidation === 'Strict';

    // Collection verbs.
    if (!p.name) {
      if (method === 'GET' && (query.watch === 'true' || query.watch === '1'))
        return this.watch(res, def, p.namespace, query);
      if (method === 'GET') {
        const items = this.store.list(apiVersion, def.kind, {
          namespace: p.namespace,
          labelSelector: query.labelSelector,
          fieldSelector: query.fieldSelector,
        });
        return this.sendJson(res, 200, {
          apiVersion,
          kind: `${def.kind}List`,
          metadata: { resourceVersion: String(this.store.resourceVersion) },
          items,
        });
      }
      if (method === 'POST') {
        const obj = this.admit(
          this.checkFields(this.prepareIncoming(body, def, p.namespace), def, strict),
          def,
          'create',
        );
        if (query.dryRun) return this.sendJson(res, 201, obj);
        return this.sendJson(res, 201, this.createObject(obj, def));
      }
      if (method === 'DELETE') {
        const items = this.store.list(apiVersion, def.kind, {
          namespace: p.namespace,
          labelSelector: query.labelSelector,
          fieldSelector: query.fieldSelector,
        });
        for (const o of items) this.deleteObject(def, o.metadata.name, o.metadata.namespace);
        return this.sendJson(res, 200, { apiVersion, kind: `${def.kind}List`, metadata: {}, items });
      }
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on a collection`);
    }

    // Item verbs.
    const existing = this.store.get(apiVersion, def.kind, p.name, p.namespace);
    if (method === 'GET') {
      if (!existing) throw notFound(def.plural, p.name);
      return this.sendJson(res, 200, existing);
    }
    if (method === 'PUT') {
      if (!existing) throw notFound(def.plural, p.name);
      const obj = this.admit(
        this.checkFields(this.prepareIncoming(body, def, p.namespace), def, strict),
        def,
        'update',
      );
      if (obj.metadata.name !== p.name)
        throw new ApiError(400, 'BadRequest', 'the name of the object does not match the URL');
      return this.sendJson(res, 200, this.store.update(obj));
    }
    if (method === 'PATCH') {
      if (contentType === 'application/apply-patch+yaml') {
        if (!query.fieldManager)
          throw new ApiError(400, 'BadRequest', 'fieldManager is required for apply requests');
        // Server-side apply builds a typed object from the body: an undeclared field always fails it.
        const incoming = this.checkFields(this.prepareIncoming(body, def, p.namespace), def, true, true);
        if (!existing)
          return this.sendJson(res, 201, this.createObject(this.admit(incoming, def, 'create'), def));
        const merged = mergePatch(existing, stripNulls(incoming)) as unknown as KubeObject;
        return this.sendJson(
          res,
          200,
          this.store.update(this.admit(this.checkValues(merged, def), def, 'patch')),
        );
      }
      if (!existing) throw notFound(def.plural, p.name);
      let patched: KubeObject;
      try {
        patched = (contentType === 'application/json-patch+json'
          ? jsonPatch(existing, body)
          : mergePatch(existing, body)) as unknown as KubeObject;
      } catch (err) {
        throw new ApiError(422, 'Invalid', (err as Error).message);
      }
      patched.metadata.name = existing.metadata.name;
      patched.metadata.namespace = existing.metadata.namespace;
      return this.sendJson(
        res,
        200,
        this.store.update(this.admit(this.checkFields(patched, def, strict), def, 'patch')),
      );
    }
    if (method === 'DELETE') {
      if (!existing) throw notFound(def.plural, p.name);
      this.deleteObject(def, p.name, p.namespace);
      return this.sendJson(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Success',
        details: { name: p.name, kind: def.plural, uid: existing.metadata.uid },
      });
    }
    throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed`);
  }

  /** The node proxy: only the kubelet's stats/summary is served. */
  private nodeProxy(res: http.ServerResponse, method: string, node: string, proxied: string): void {
    if (!this.store.get('v1', 'Node', node)) throw notFound('nodes', node);
    if (method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed`);
    if (proxied !== 'stats/summary')
      throw new ApiError(
        404,
        'NotFound',
        `the kubelet of the fake API server serves only stats/summary (asked: ${proxied})`,
      );
    const pods = this.store.list('v1', 'Pod', { fieldSelector: `spec.nodeName=${node}` });
    this.sendJson(res, 200, this.kubelet.summary(node, pods));
  }

  /** The 403 a real authorizer answers when a deny rule matches one of the request's attributes. */
  private forbidden(attrs: AuthzAttributes[]): ApiError | undefined {
    const hit = attrs.find((a) => this.deny.some((rule) => ruleMatches(rule, a)));
    if (!hit) return undefined;
    const res = hit.subresource ? `${hit.resource}/${hit.subresource}` : hit.resource;
    const what = hit.group ? `${hit.resource}.${hit.group}` : hit.resource;
    return new ApiError(
      403,
      'Forbidden',
      `${what}${hit.name ? ` "${hit.name}"` : ''} is forbidden: User "fake-user" cannot ${hit.verb} resource "${res}" in API group "${hit.group}"${hit.namespace ? ` in the namespace "${hit.namespace}"` : hit.verb === 'list' || hit.verb === 'watch' ? ' at the cluster scope' : ''}`,
    );
  }

  /** Applies the admission rules to a write: a match refuses it as a ValidatingAdmissionPolicy would. */
  private admit(obj: KubeObject, def: ResourceDef, verb: string): KubeObject {
    const rule = this.admission.find(
      (r) =>
        (r.verb === undefined || r.verb === verb) &&
        (r.group === undefined || r.group === def.group) &&
        (r.resource === undefined || r.resource === def.plural) &&
        (r.namespace === undefined || r.namespace === (obj.metadata.namespace ?? '')) &&
        (r.name === undefined || r.name === obj.metadata.name),
    );
    if (!rule) return obj;
    const ref = `${def.group ? `${def.plural}.${def.group}` : def.plural} "${obj.metadata.name}"`;
    const policy = rule.policy ?? 'fake-policy';
    if (rule.code === 403)
      throw new ApiError(
        403,
        'Forbidden',
        `admission webhook "${policy}" denied the request: ${rule.message}`,
      );
    throw new ApiError(
      422,
      'Invalid',
      `${ref} is forbidden: ValidatingAdmissionPolicy '${policy}' with binding '${policy}-binding' denied request: ${rule.message}`,
    );
  }

  /** The schema a custom resource of `def` is checked against (its CRD's served version). */
  private crdSchema(def: ResourceDef) {
    if (!def.crd) return undefined;
    const crd = this.store.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', def.crd);
    return crd ? crdVersionSchema(crd, def.version) : undefined;
  }

  /**
   * Unknown fields: refused by server-side apply (`apply`, a 500 as real servers still answer) and
   * under fieldValidation=Strict (400), pruned otherwise. Then the values (custom resources).
   */
  private checkFields(obj: KubeObject, def: ResourceDef, strict: boolean, apply = false): KubeObject {
    const schema = this.crdSchema(def);
    const builtin = !def.crd && hasModel(obj.apiVersion, obj.kind);
    const unknown = schema
      ? [...unknownMetadataFields(obj.metadata), ...unknownFields(schema, obj)]
      : builtin
        ? unknownBuiltinFields(obj)
        : [];
    if (unknown.length > 0 && apply) {
      const gvk = `${def.group}/${def.version}, Kind=${def.kind}`;
      const nn = obj.metadata.namespace
        ? `${obj.metadata.namespace}/${obj.metadata.name}`
        : obj.metadata.name;
      throw new ApiError(
        500,
        '',
        `failed to create typed patch object (${nn}; ${gvk}): .${unknown[0]}: field not declared in schema`,
      );
    }
    if (unknown.length > 0 && strict) {
      throw new ApiError(
        400,
        'BadRequest',
        `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
      );
    }
    let out = obj;
    if (unknown.length > 0) out = schema ? (pruneUnknown(schema, obj) as KubeObject) : pruneBuiltin(obj);
    return this.checkValues(out, def);
  }

  /** A custom resource's values against its schema: 422 Invalid listing every problem. */
  private checkValues(obj: KubeObject, def: ResourceDef): KubeObject {
    const schema = this.crdSchema(def);
    if (def.kind === 'CustomResourceDefinition') this.validateCrd(obj);
    if (!schema) return obj;
    const problems = valueProblems(schema, obj);
    if (problems.length === 0) problems.push(...celProblems(schema, obj));
    if (problems.length > 0) {
      throw new ApiError(
        422,
        'Invalid',
        `${def.kind}.${def.group} "${obj.metadata.name}" is invalid: ${problems.join(', ')}`,
      );
    }
    return obj;
  }

  /**
   * apiextensions.k8s.io/v1 requires a group, names, a scope and a structural schema on every version;
   * returns the fields the fake acts on.
   */
  private validateCrd(crd: KubeObject): CrdSpec {
    const parsed = crdSpecSchema.safeParse(crd.spec);
    const problems = (parsed.error?.issues ?? []).map((i) => {
      const at = i.path.reduce<string>(
        (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : `${acc}.${String(k)}`),
        'spec',
      );
      return i.code === 'invalid_type' && i.input === undefined
        ? `${at}: Required value`
        : `${at}: Invalid value: ${i.message}`;
    });
    // The versions on their own, so a CRD wrong elsewhere still gets its version problems named.
    const versions = crdSpecSchema.shape.versions.safeParse(recordOr(crd.spec).versions).data ?? [];
    problems.push(
      ...versions.flatMap((v, i) =>
        v.schema?.openAPIV3Schema
          ? []
          : [`spec.versions[${i}].schema.openAPIV3Schema: Required value: schemas are required`],
      ),
    );
    if (versions.length === 0)
      problems.push(
        'spec.versions: Invalid value: null: must have exactly one version marked as storage version',
      );
    if (problems.length > 0 || !parsed.data)
      throw new ApiError(
        422,
        'Invalid',
        `CustomResourceDefinition.apiextensions.k8s.io "${crd.metadata.name}" is invalid: ${problems.join(', ')}`,
      );
    return parsed.data;
  }

  /** Built-ins always; a CRD's kind only while the CRD exists and is Established. */
  private served(def: ResourceDef): boolean {
    if (!def.crd) return true;
    const crd = this.store.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', def.crd);
    return isEstablished(crd?.status);
  }

  private discovery(segments: string[]): unknown {
    const served = this.resources.filter((r) => this.served(r));
    const resourceList = (group: string, version: string) => ({
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: apiVersionOf({ group, version }),
      resources: served
        .filter((r) => r.group === group && r.version === version)
        .map((r) => ({
          name: r.plural,
          singularName: r.kind.toLowerCase(),
          namespaced: r.namespaced,
          kind: r.kind,
          verbs: r.verbs ?? CRUD_VERBS,
        })),
    });
    if (segments.length === 1 && segments[0] === 'api') {
      return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
    }
    const [root, group, version] = segments;
    if (segments.length === 2 && root === 'api' && group !== undefined) return resourceList('', group);
    if (segments.length === 1 && segments[0] === 'apis') {
      const groups = new Map<string, string[]>();
      for (const r of served) {
        if (!r.group) continue;
        const vs = groups.get(r.group) ?? [];
        if (!vs.includes(r.version)) vs.push(r.version);
        groups.set(r.group, vs);
      }
      return {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...groups.entries()].map(([name, vs]) => ({
          name,
          versions: vs.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${name}/${vs[0]}`, version: vs[0] },
        })),
      };
    }
    if (segments.length === 3 && root === 'apis' && group !== undefined && version !== undefined) {
      if (!served.some((r) => r.group === group && r.version === version)) return undefined;
      return resourceList(group, version);
    }
    return undefined;
  }

  /** Validates an incoming body's identity against the URL and fills apiVersion/kind/namespace. */
  private prepareIncoming(body: unknown, def: ResourceDef, namespace: string | undefined): KubeObject {
    if (typeof body !== 'object' || body === null)
      throw new ApiError(400, 'BadRequest', 'expected a JSON object body');
    const obj = structuredClone(body) as KubeObject;
    const apiVersion = apiVersionOf(def);
    if (obj.apiVersion && obj.apiVersion !== apiVersion) {
      throw new ApiError(
        400,
        'BadRequest',
        `apiVersion ${obj.apiVersion} does not match the URL (${apiVersion})`,
      );
    }
    if (obj.kind && obj.kind !== def.kind)
      throw new ApiError(400, 'BadRequest', `kind ${obj.kind} does not match the URL (${def.kind})`);
    obj.apiVersion = apiVersion;
    obj.kind = def.kind;
    obj.metadata = obj.metadata ?? ({} as KubeObject['metadata']);
    if (!obj.metadata.name && typeof obj.metadata.generateName === 'string') {
      obj.metadata.name = `${obj.metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
    }
    if (!obj.metadata.name) throw new ApiError(422, 'Invalid', `${def.kind}: metadata.name: Required value`);
    if (def.namespaced) {
      if (obj.metadata.namespace && namespace && obj.metadata.namespace !== namespace) {
        throw new ApiError(
          400,
          'BadRequest',
          'the namespace of the object does not match the namespace in the URL',
        );
      }
      obj.metadata.namespace = namespace ?? obj.metadata.namespace;
      if (!obj.metadata.namespace)
        throw new ApiError(400, 'BadRequest', 'a namespaced object needs a namespace');
      if (!this.store.get('v1', 'Namespace', obj.metadata.namespace)) {
        throw new ApiError(404, 'NotFound', `namespaces "${obj.metadata.namespace}" not found`);
      }
    } else delete obj.metadata.namespace;
    return obj;
  }

  private createObject(obj: KubeObject, def: ResourceDef): KubeObject {
    if (def.kind === 'Namespace') {
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': obj.metadata.name,
      };
      obj.status = { phase: 'Active' };
    }
    if (def.kind === 'Service' && def.group === '') {
      const spec = recordOr(obj.spec);
      if (!spec.clusterIP && spec.type !== 'ExternalName') {
        spec.clusterIP = `10.96.0.${this.nextServiceIp++}`;
        spec.clusterIPs = [spec.clusterIP];
      }
      obj.spec = spec;
    }
    if (def.kind === 'CustomResourceDefinition') this.registerCrd(obj.metadata.name, this.validateCrd(obj));
    if (def.kind === 'Pod' && def.group === '') {
      obj.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] };
      const created = this.store.create(obj);
      const start = () => this.startPod(created.metadata.namespace ?? '', created.metadata.name);
      if (this.podReadyDelayMs > 0) {
        const t = setTimeout(() => {
          this.timers.delete(t);
          start();
        }, this.podReadyDelayMs);
        this.timers.add(t);
        return created;
      }
      return start() ?? created;
    }
    return this.store.create(obj);
  }

  /** Serves a new CRD's kinds once the CRD is Established, which happens after crdEstablishDelayMs. */
  private registerCrd(name: string, spec: CrdSpec): void {
    for (const v of spec.versions ?? []) {
      if (v.served === false) continue;
      this.registerResource({
        group: spec.group,
        version: v.name,
        kind: spec.names.kind,
        plural: spec.names.plural,
        namespaced: spec.scope !== 'Cluster',
        crd: name,
      });
    }
    const establish = () => {
      const cur = this.store.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', name);
      if (!cur) return;
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      cur.status = {
        ...recordOr(cur.status),
        acceptedNames: spec.names,
        storedVersions: (spec.versions ?? []).filter((v) => v.storage).map((v) => v.name),
        conditions: ['NamesAccepted', 'Established'].map((type) => ({
          type,
          status: 'True',
          reason: type === 'Established' ? 'InitialNamesAccepted' : 'NoConflicts',
          lastTransitionTime: now,
        })),
      };
      this.store.update(cur);
    };
    const t = setTimeout(() => {
      this.timers.delete(t);
      establish();
    }, this.crdEstablishDelayMs);
    this.timers.add(t);
  }

  /** Schedules a pod and marks it Running/Ready (what kubelet would report once containers start). */
  private startPod(namespace: string, name: string): KubeObject | undefined {
    const pod = this.store.get('v1', 'Pod', name, namespace);
    if (!pod) return undefined;
    const podSpec = asModel('Pod', pod).spec;
    const nodes = this.store.list('v1', 'Node').filter((n) => {
      const spec = asModel('Node', n).spec;
      return !spec?.unschedulable && !(spec?.taints ?? []).some((t) => t.effect === 'NoSchedule');
    });
    let nodeName = podSpec?.nodeName;
    if (!nodeName) {
      if (nodes.length === 0) return undefined;
      nodeName = cycle(nodes, this.nextNode++).metadata.name;
    }
    const node = this.store.model('Node', nodeName);
    const nodeIp = node?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '172.18.0.254';
    const ip = podSpec?.hostNetwork
      ? nodeIp
      : `10.244.${Math.floor(this.nextPodIp / 250)}.${(this.nextPodIp++ % 250) + 2}`;
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    pod.spec = { ...recordOr(pod.spec), nodeName };
    pod.status = {
      phase: 'Running',
      hostIP: nodeIp,
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: now,
      })),
      containerStatuses: (podSpec?.containers ?? []).map((c) => ({
        name: c.name,
        image: c.image,
        ready: true,
        restartCount: 0,
        started: true,
        state: { running: { startedAt: now } },
      })),
    };
    return this.store.update(pod);
  }

  private deleteObject(def: ResourceDef, name: string, namespace?: string): void {
    const apiVersion = apiVersionOf(def);
    if (def.kind === 'CustomResourceDefinition') {
      // Like the API server: the custom resources go with their definition, and the kind stops being served.
      for (const r of this.resources.filter((x) => x.crd === name)) {
        for (const o of this.store.list(apiVersionOf(r), r.kind))
          this.store.delete(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
      }
      for (let i = this.resources.length - 1; i >= 0; i--)
        if (this.resources[i]?.crd === name) this.resources.splice(i, 1);
    }
    if (def.kind === 'Namespace' && def.group === '') {
      for (const o of this.store.all()) {
        if (o.metadata.namespace === name) this.store.delete(o.apiVersion, o.kind, o.metadata.name, name);
      }
    }
    this.store.delete(apiVersion, def.kind, name, namespace);
  }

  private review(body: unknown): KubeObject {
    const spec = isRecord(body) ? body.spec : undefined;
    const a = recordOr(recordOr(spec).resourceAttributes);
    const attrs: AuthzAttributes = {
      verb: optionalString(a.verb) ?? '',
      group: optionalString(a.group) ?? '',
      resource: optionalString(a.resource) ?? '',
      subresource: optionalString(a.subresource),
      namespace: optionalString(a.namespace),
    };
    const denied = this.deny.some((rule) => ruleMatches(rule, attrs));
    return {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: { name: '', creationTimestamp: undefined },
      spec,
      status: denied
        ? { allowed: false, reason: 'denied by the fake API server deny list' }
        : { allowed: true, reason: 'fake' },
    };
  }

  private watch(
    res: http.ServerResponse,
    def: ResourceDef,
    namespace: string | undefined,
    query: Record<string, string>,
  ): void {
    const apiVersion = apiVersionOf(def);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    // Like the real API server, answer at once: Node holds the headers back until the first event
    // otherwise, and a client watching from a resourceVersion would not get its response until then.
    res.flushHeaders();
    this.openResponses.add(res);
    const matches = (o: KubeObject) =>
      o.apiVersion === apiVersion &&
      o.kind === def.kind &&
      (namespace === undefined || o.metadata.namespace === namespace) &&
      matchesLabelSelector(o.metadata.labels, query.labelSelector) &&
      matchesFieldSelector(o, query.fieldSelector);
    const send = (e: WatchEvent) => {
      if (matches(e.object)) res.write(JSON.stringify(e) + '\n');
    };
    const sinceRv = Number(query.resourceVersion ?? '0');
    if (!sinceRv) {
      for (const o of this.store.list(apiVersion, def.kind, { namespace }))
        send({ type: 'ADDED', object: o });
    }
    this.store.events.on('event', send);
    const timeout = Number(query.timeoutSeconds ?? '0');
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      this.store.events.off('event', send);
      this.openResponses.delete(res);
      if (timer) {
        clearTimeout(timer);
        this.timers.delete(timer);
      }
    };
    if (timeout > 0) {
      timer = setTimeout(() => res.end(), timeout * 1000);
      this.timers.add(timer);
    }
    res.on('close', finish);
  }

  // -------------------------------------------------------------------------------------------------
  // Exec over WebSocket (v4.channel.k8s.io)

  private async handleExec(req: http.IncomingMessage, ws: WebSocket): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const command = url.searchParams.getAll('command');
    const container = url.searchParams.get('container') ?? '';
    this.requests.push({
      method: 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      authz: execAttributes(url.pathname),
      userAgent: req.headers['user-agent'],
      protocols: String(req.headers['sec-websocket-protocol'] ?? '')
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== ''),
    });
    const m = url.pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/);
    const frame = (channel: number, data: string) => {
      if (ws.readyState === ws.OPEN)
        ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data, 'utf8')]));
    };
    const status = (s: object) => {
      frame(3, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, ...s }));
      ws.close();
    };
    const [, podNs, podName] = m ?? [];
    const pod =
      podNs !== undefined && podName !== undefined ? this.store.get('v1', 'Pod', podName, podNs) : undefined;
    if (!pod)
      return status({
        status: 'Failure',
        reason: 'NotFound',
        code: 404,
        message: `pods "${m?.[2]}" not found`,
      });
    const containers = (asModel('Pod', pod).spec?.containers ?? []).map((c) => c.name);
    if (!containers.includes(container)) {
      return status({
        status: 'Failure',
        reason: 'BadRequest',
        code: 400,
        message: `container ${container} is not valid for pod ${pod.metadata.name}`,
      });
    }
    // Linux refuses a single argv string of 128 KiB or more (E2BIG); runc reports it as a failed exec.
    if (command.some((a) => Buffer.byteLength(a) >= 128 * 1024)) {
      return status({
        status: 'Failure',
        reason: 'InternalError',
        code: 500,
        message:
          'OCI runtime exec failed: exec failed: unable to start container process: argument list too long',
      });
    }
    const ac = new AbortController();
    ws.on('close', () => ac.abort());
    if (this.execLatencyMs > 0) await new Promise((r) => setTimeout(r, this.execLatencyMs));
    let reply: ExecReply;
    try {
      reply = await this.onExec(pod, container, command, {
        signal: ac.signal,
        write: (s, d) => frame(s === 'stdout' ? 1 : 2, d),
      });
    } catch (err) {
      // A throwing handler is a bug in the test: report it like a runtime failure, with the message.
      return status({
        status: 'Failure',
        reason: 'InternalError',
        code: 500,
        message: `exec handler threw: ${String(err)}`,
      });
    }
    if (reply.stdout) frame(1, reply.stdout);
    if (reply.stderr) frame(2, reply.stderr);
    if (reply.exitCode === 0) return status({ status: 'Success' });
    status({
      status: 'Failure',
      reason: 'NonZeroExitCode',
      message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${reply.exitCode}`,
      details: { causes: [{ reason: 'ExitCode', message: String(reply.exitCode) }] },
    });
  }
}

/** Whether a deny rule covers the attributes (unset rule fields match anything). */
function ruleMatches(rule: AccessRule, a: AuthzAttributes): boolean {
  return (
    (rule.verb === undefined || rule.verb === a.verb) &&
    (rule.group === undefined || rule.group === a.group) &&
    (rule.resource === undefined || rule.resource === a.resource) &&
    (rule.subresource === undefined || rule.subresource === (a.subresource ?? '')) &&
    (rule.namespace === undefined || rule.namespace === (a.namespace ?? ''))
  );
}

/** The RBAC verb and resource of a REST request, as the API server's request-info resolver derives them. */
function requestAttributes(method: string, p: ParsedPath, query: Record<string, string>): AuthzAttributes {
  const watch = query.watch === 'true' || query.watch === '1';
  const verb =
    method === 'GET'
      ? p.name
        ? 'get'
        : watch
          ? 'watch'
          : 'list'
      : method === 'POST'
        ? 'create'
        : method === 'PUT'
          ? 'update'
          : method === 'PATCH'
            ? 'patch'
            : method === 'DELETE'
              ? p.name
                ? 'delete'
                : 'deletecollection'
              : method.toLowerCase();
  return {
    verb,
    group: p.def.group,
    resource: p.def.plural,
    ...(p.subresource ? { subresource: p.subresource } : {}),
    ...(p.namespace ? { namespace: p.namespace } : {}),
    ...(p.name ? { name: p.name } : {}),
  };
}

/** A WebSocket exec is a GET that RBAC authorizes as get and, since Kubernetes 1.31, also create. */
function execAttributes(pathname: string): AuthzAttributes[] {
  const m = pathname.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/);
  if (!m) return [];
  const [, namespace, name] = m;
  return ['get', 'create'].map((verb) => ({
    verb,
    group: '',
    resource: 'pods',
    subresource: 'exec',
    namespace,
    name,
  }));
}

/** Server-side apply does not delete fields by sending null; drop nulls before merging. */
/**
 * The CEL rules (`x-kubernetes-validations`) of a schema, evaluated by the independent checker of
 * test/netpol/crd-check.ts on a value that passed the structural checks. A schema using a
 * keyword that checker does not know is left to the structural checks alone (as before).
 */
function celProblems(schema: unknown, obj: KubeObject): string[] {
  if (!JSON.stringify(schema).includes('"x-kubernetes-validations"')) return [];
  try {
    return crdProblems(schema as Record<string, unknown>, obj).map((p) => p.replace(/^\$\.?/, ''));
  } catch {
    return [];
  }
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== null)
        .map(([k, x]) => [k, stripNulls(x)]),
    );
  }
  return v;
}
