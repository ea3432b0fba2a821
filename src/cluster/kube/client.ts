/**
 * The Kubernetes access layer: connecting to a cluster the way kubectl does (`--kubeconfig`, else
 * KUBECONFIG, else ~/.kube/config, else in-cluster; `--context` or the current context) and turning
 * client failures into cnibench errors that keep the HTTP status, the Status reason and the server's
 * message: an unreachable server or rejected credentials is an EnvironmentError (exit 3) naming the URL,
 * a refused object exit 1, any other server error exit 3, always one line and never a stack trace.
 */
import fs from 'node:fs';
import {
  ApiException,
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  NetworkingV1Api,
  VersionApi,
} from '@kubernetes/client-node';
import {
  CnibenchError,
  EnvironmentError,
  ExitCode,
  messageOf,
  type ExitCodeValue,
} from '../../util/errors.js';

export interface ConnectOptions {
  /** Path to a kubeconfig; default KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
}

/**
 * The one connection to a cluster/context that everything in cnibench uses: the cluster driver, the
 * CNI installers, detect and clean-up. One KubeConfig, one set of clients; a candidate run opens it once.
 */
export interface KubeConnection {
  kc: KubeConfig;
  /** API server URL (for messages). */
  server: string;
  context: string;
  core: CoreV1Api;
  apps: AppsV1Api;
  networking: NetworkingV1Api;
  authz: AuthorizationV1Api;
  version: VersionApi;
  /** Any object by apiVersion/kind: third-party manifests and custom resources (discovery-based). */
  objects: KubernetesObjectApi;
}

export function connect(opts: ConnectOptions = {}): KubeConnection {
  const kc = new KubeConfig();
  const source = opts.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config';
  try {
    if (opts.kubeconfig) {
      if (!fs.existsSync(opts.kubeconfig))
        throw new EnvironmentError(`kubeconfig ${opts.kubeconfig} does not exist`);
      kc.loadFromFile(opts.kubeconfig);
    } else kc.loadFromDefault();
  } catch (err) {
    if (err instanceof EnvironmentError) throw err;
    // The YAML parser's message continues with an excerpt of the file; its first line names the
    // problem and the line:column, which is what one error line has room for.
    const first = messageOf(err).split('\n')[0] ?? '';
    throw new EnvironmentError(`cannot load kubeconfig ${source}: ${first.trim()}`);
  }
  if (kc.getContexts().length === 0) {
    throw new EnvironmentError(
      `kubeconfig ${source} defines no context: not a kubeconfig (a YAML mapping with clusters, users and contexts)`,
    );
  }
  if (opts.context) {
    const names = kc.getContexts().map((c) => c.name);
    if (!names.includes(opts.context)) {
      throw new EnvironmentError(
        `kubeconfig ${source} has no context "${opts.context}" (available: ${names.join(', ') || 'none'})`,
      );
    }
    kc.setCurrentContext(opts.context);
  }
  // client-node leaves the current context undefined when the file sets none (its type says string).
  const current = kc.getCurrentContext() as string | undefined;
  if (!current) {
    throw new EnvironmentError(
      `kubeconfig ${source} sets no current-context; name one with --context (available: ${kc
        .getContexts()
        .map((c) => c.name)
        .join(', ')})`,
    );
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new EnvironmentError(
      `kubeconfig ${source}: context "${current}" names no cluster the file defines`,
    );
  return {
    kc,
    server: cluster.server,
    context: kc.getCurrentContext(),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    networking: kc.makeApiClient(NetworkingV1Api),
    authz: kc.makeApiClient(AuthorizationV1Api),
    version: kc.makeApiClient(VersionApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}

/**
 * Error codes that mean "the API server could not be reached or spoken to", wherever they sit in the
 * error's cause chain: Node's socket and TLS codes, and undici's (client-node 2.x sends every request
 * through undici's fetch, which throws `TypeError: fetch failed` with the real error as its cause).
 */
const UNREACHABLE_CODES = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_PRX_CONN',
  'UND_ERR_PRX_TLS',
  'ECONNABORTED',
  'EPIPE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** The network-level error code of a failed request (undici's fetch wraps it in `cause`), if any. */
function networkCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** "fetch failed: bad port": the messages of an error and its causes. */
function causeChain(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 4; depth++) {
    parts.push(messageOf(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.filter((p) => p !== '').join(': ');
}

/** What the API server said about a failed request: its HTTP status, `Status.reason` and message. */
export interface ApiFailure {
  status?: number;
  reason?: string;
  /** The server's own message (the Status body's `message`), on one line. */
  serverMessage: string;
}

/** Collapses a server message onto one line (admission webhooks and CRD validation use several). */
const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, '; ').trim();

/** The Status body of an ApiException (client-node passes it parsed or as text), if it is one. */
function statusBody(body: unknown): { message?: unknown; reason?: unknown } | undefined {
  let b = body;
  if (typeof b === 'string') {
    try {
      b = JSON.parse(b) as unknown;
    } catch {
      return { message: b };
    }
  }
  return typeof b === 'object' && b !== null ? b : undefined;
}

/** Status, reason and message of a failed API call; undefined when the error is not an HTTP answer. */
function apiFailure(err: unknown): ApiFailure | undefined {
  if (err instanceof KubeApiError || err instanceof KubeAccessError) {
    return { status: err.status, reason: err.reason, serverMessage: err.serverMessage };
  }
  if (!(err instanceof ApiException)) return undefined;
  const body = statusBody(err.body);
  const message =
    typeof body?.message === 'string' && body.message !== ''
      ? body.message
      : (JSON.stringify(err.body) ?? '').slice(0, 300);
  return {
    status: err.code,
    reason: typeof body?.reason === 'string' && body.reason !== '' ? body.reason : undefined,
    serverMessage: oneLine(message),
  };
}

/** HTTP status of an API error (also after translation), or undefined for network errors. */
export function httpStatus(err: unknown): number | undefined {
  return apiFailure(err)?.status;
}

export const isNotFound = (err: unknown): boolean => httpStatus(err) === 404;

/**
 * How cnibench treats an API server's refusal. 400 and 422 mean the cluster refused an object cnibench
 * sent (strict field validation, CRD schema, admission policy): the evaluated system did not accept
 * what this version is documented to accept, exit 1. A server-side apply of a field the schema does not
 * declare is the same refusal, but current API servers still report it as a 500 whose message starts
 * "failed to create typed patch object" (kubernetes/kubernetes#139253), so that one is recognised by its
 * message. Everything else (404, 409, 429, 5xx) is the environment, exit 3.
 */
function exitCodeForFailure(f: ApiFailure): ExitCodeValue {
  if (f.status === 400 || f.status === 422) return ExitCode.checkFailed;
  if (f.status === 500 && /^failed to create typed patch object/.test(f.serverMessage)) {
    return ExitCode.checkFailed;
  }
  return ExitCode.environment;
}

/**
 * An API request the server answered with an error: carries the HTTP status, the Status reason and the
 * server's message, and prints as one line naming what was being done ("cannot apply Installation
 * default: HTTP 422 Invalid: ...").
 */
export class KubeApiError extends CnibenchError implements ApiFailure {
  readonly status?: number;
  readonly reason?: string;
  readonly serverMessage: string;
  constructor(
    /** "create pod cnb-ab12cd-x/a", "apply Installation default". */
    readonly what: string,
    failure: ApiFailure,
  ) {
    super(
      `cannot ${what}: HTTP ${failure.status ?? '?'}${failure.reason ? ` ${failure.reason}` : ''}: ${failure.serverMessage}`,
      exitCodeForFailure(failure),
    );
    this.status = failure.status;
    this.reason = failure.reason;
    this.serverMessage = failure.serverMessage;
  }
}

/** 401 and 403: the credentials are rejected or lack a permission (exit 3), with the server's answer. */
export class KubeAccessError extends EnvironmentError implements ApiFailure {
  readonly status?: number;
  readonly reason?: string;
  readonly serverMessage: string;
  constructor(message: string, failure: ApiFailure) {
    super(message);
    this.status = failure.status;
    this.reason = failure.reason;
    this.serverMessage = failure.serverMessage;
  }
}

/**
 * client-node's KubernetesObjectApi looks a kind up through discovery before every request. When the
 * server answers the discovery request but does not list the kind, it throws "Unrecognized API version
 * and kind"; when the discovery request itself fails it rethrows that failure with the prefix "Failed to
 * fetch resource metadata" — for a 404 (the group/version is not served: a CRD gone or not yet
 * Established), but also for a network error or a 5xx. Only the first two mean "not served"; an
 * unreachable server or a discovery 503 is the environment and must not pass for "already gone".
 */
export function isKindNotServed(err: unknown): boolean {
  if (!(err instanceof Error) || err instanceof CnibenchError) return false;
  if (err.message.startsWith('Unrecognized API version and kind')) return true;
  return err.message.startsWith('Failed to fetch resource metadata') && httpStatus(err) === 404;
}

/**
 * Runs one API call; every failure becomes a cnibench error naming `what` was being done: an
 * unreachable server or rejected credentials is an EnvironmentError (exit 3), an HTTP error a
 * KubeApiError (exit 1 or 3, see exitCodeForFailure).
 */
export async function apiCall<T>(
  conn: Pick<KubeConnection, 'server' | 'context'>,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translateError(conn, what, err);
  }
}

export function translateError(
  conn: Pick<KubeConnection, 'server' | 'context'>,
  what: string,
  err: unknown,
): CnibenchError {
  if (err instanceof CnibenchError) return err;
  const net = networkCode(err);
  if (net) {
    return new EnvironmentError(
      `cannot reach the Kubernetes API server at ${conn.server} (context "${conn.context}") while trying to ${what}: ${net} (${oneLine(messageOf(err))})`,
    );
  }
  const failure = apiFailure(err);
  if (failure?.status === 401) {
    return new KubeAccessError(
      `the API server at ${conn.server} rejected the credentials of context "${conn.context}" (401) while trying to ${what}`,
      failure,
    );
  }
  if (failure?.status === 403) {
    return new KubeAccessError(`forbidden: cannot ${what}: ${failure.serverMessage}`, failure);
  }
  if (failure) return new KubeApiError(what, failure);
  if (isKindNotServed(err)) {
    return new KubeApiError(what, {
      status: 404,
      reason: 'NotFound',
      serverMessage: `the server does not serve this kind (${oneLine(messageOf(err))})`,
    });
  }
  // fetch rejects some requests before any connection with only "fetch failed" and the reason in its
  // cause (a port it refuses, such as 1; a URL it cannot use): name the server and that cause.
  if (err instanceof TypeError && err.message === 'fetch failed') {
    return new EnvironmentError(
      `cannot reach the Kubernetes API server at ${conn.server} (context "${conn.context}") while trying to ${what}: ${oneLine(causeChain(err))}`,
    );
  }
  // Not an HTTP answer and no known network code: still an API failure, reported without a stack.
  return new EnvironmentError(`cannot ${what}: ${oneLine(messageOf(err))}`);
}
