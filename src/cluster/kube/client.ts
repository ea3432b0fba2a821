/**
 * Connecting to a cluster the way kubectl does (`--kubeconfig`, else KUBECONFIG, else ~/.kube/config,
 * else in-cluster; `--context` or the current context) and turning client failures into cnibench
 * errors: an unreachable server or missing credentials is an EnvironmentError (exit 3) naming the URL.
 */
import fs from 'node:fs';
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  VersionApi,
} from '@kubernetes/client-node';
import { EnvironmentError } from '../../util/errors.js';

export interface ConnectOptions {
  /** Path to a kubeconfig; default KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
}

/** The typed API clients of one cluster/context. */
export interface KubeConnection {
  kc: KubeConfig;
  /** API server URL (for messages). */
  server: string;
  context: string;
  core: CoreV1Api;
  networking: NetworkingV1Api;
  authz: AuthorizationV1Api;
  version: VersionApi;
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
    throw new EnvironmentError(`cannot load kubeconfig ${source}: ${(err as Error).message}`);
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
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new EnvironmentError(
      `kubeconfig ${source} selects no cluster (current context "${kc.getCurrentContext()}")`,
    );
  return {
    kc,
    server: cluster.server,
    context: kc.getCurrentContext(),
    core: kc.makeApiClient(CoreV1Api),
    networking: kc.makeApiClient(NetworkingV1Api),
    authz: kc.makeApiClient(AuthorizationV1Api),
    version: kc.makeApiClient(VersionApi),
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

/** HTTP status of an API error, or undefined for network errors. */
export function httpStatus(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  const code = (err as { code?: unknown; statusCode?: unknown })?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** The API server's own message from a Status body, or the error message. */
export function apiMessage(err: unknown): string {
  if (err instanceof ApiException) {
    let body: unknown = err.body;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        return `HTTP ${err.code}: ${String(body).slice(0, 300)}`;
      }
    }
    const msg = (body as { message?: unknown })?.message;
    return `HTTP ${err.code}: ${typeof msg === 'string' ? msg : JSON.stringify(body)?.slice(0, 300)}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs one API call; maps "cannot reach the server" and authentication failures to EnvironmentError
 * (exit 3) and everything else to an Error saying what was being done.
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
): Error {
  if (err instanceof EnvironmentError) return err;
  const net = networkCode(err);
  if (net) {
    return new EnvironmentError(
      `cannot reach the Kubernetes API server at ${conn.server} (context "${conn.context}") while trying to ${what}: ${net} (${(err as Error).message})`,
    );
  }
  const status = httpStatus(err);
  if (status === 401) {
    return new EnvironmentError(
      `the API server at ${conn.server} rejected the credentials of context "${conn.context}" (401) while trying to ${what}`,
    );
  }
  if (status === 403) return new EnvironmentError(`forbidden: cannot ${what}: ${apiMessage(err)}`);
  return new Error(`cannot ${what}: ${apiMessage(err)}`);
}
