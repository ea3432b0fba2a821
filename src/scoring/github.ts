/**
 * The GitHub REST API for `facts refresh`, through Octokit (`@octokit/rest`: authentication, Link-header
 * pagination, request and error types). What cnibench adds is policy: statistics endpoints that answer
 * 202 while GitHub computes them are retried, and every failure becomes one clear cnibench error — a rate
 * limit an EnvironmentError naming the reset time (exit 3) instead of partial data, a missing repository
 * an InputError pointing at the facts file.
 */
import { Octokit } from '@octokit/rest';
import { RequestError } from '@octokit/request-error';
import { EnvironmentError, InputError } from '../util/errors.js';

export interface GitHubClientOptions {
  /** Base URL, e.g. https://api.github.com (or a local replay server in tests). */
  apiUrl: string;
  token?: string;
  /** Attempts for endpoints that answer 202 while computing. */
  statsAttempts?: number;
  statsDelayMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface GitHubResponse<T> {
  status: number;
  body: T;
  url: string;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class GitHubClient {
  private readonly base: string;
  private readonly octokit: Octokit;
  /** Requests made, for the summary (and tests). */
  requests = 0;
  /** Last X-RateLimit-Remaining seen, to stop before a request that would fail. */
  private remaining: number | null = null;
  private reset: number | null = null;

  constructor(private readonly opts: GitHubClientOptions) {
    this.base = opts.apiUrl.replace(/\/+$/, '');
    this.octokit = new Octokit({
      baseUrl: this.base,
      ...(opts.token ? { auth: opts.token } : {}),
      userAgent: 'cnibench-facts-refresh',
      // Octokit logs 4xx answers with console.warn; cnibench reports them as errors instead.
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    this.octokit.hook.wrap('request', async (request, options) => {
      const url = String(options.url).startsWith('http')
        ? String(options.url)
        : this.url(String(options.url));
      if (this.remaining === 0 && this.reset !== null && this.reset * 1000 > Date.now()) {
        throw rateLimitError(this.reset, url);
      }
      this.requests++;
      options.request = { ...options.request, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) };
      try {
        const res = await request(options);
        this.noteLimits(res.headers);
        return res;
      } catch (err) {
        throw this.translate(err, url);
      }
    });
  }

  url(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl}`;
  }

  async get<T>(pathOrUrl: string): Promise<GitHubResponse<T>> {
    const res = await this.octokit.request(`GET ${pathOrUrl}`);
    return { status: res.status, body: res.data as T, url: res.url };
  }

  /** Follows rel="next" until `stop` says enough or maxPages are read; returns all items. */
  async paginate<T>(
    path: string,
    opts: { maxPages?: number; stop?: (page: T[]) => boolean } = {},
  ): Promise<{ items: T[]; complete: boolean }> {
    const items: T[] = [];
    let pages = 0;
    for await (const res of this.octokit.paginate.iterator(`GET ${path}`)) {
      if (pages >= (opts.maxPages ?? 50)) return { items, complete: false };
      pages++;
      const page: unknown = res.data;
      if (!Array.isArray(page)) throw new EnvironmentError(`GitHub API ${res.url}: expected a list`);
      items.push(...(page as T[]));
      if (opts.stop?.(page as T[])) break;
    }
    return { items, complete: true };
  }

  /** Statistics endpoints answer 202 while GitHub computes them: retry, then give up (null). */
  async stats<T>(path: string): Promise<T | null> {
    const attempts = this.opts.statsAttempts ?? 5;
    const sleep = this.opts.sleep ?? defaultSleep;
    for (let i = 0; i < attempts; i++) {
      const res = await this.get<T>(path);
      if (res.status === 200) return res.body;
      if (res.status === 204) return null;
      await sleep(this.opts.statsDelayMs ?? 2000);
    }
    return null;
  }

  private noteLimits(headers: Record<string, unknown>): void {
    const remaining = headers['x-ratelimit-remaining'];
    const reset = headers['x-ratelimit-reset'];
    if (remaining !== undefined) this.remaining = Number(remaining);
    if (reset !== undefined) this.reset = Number(reset);
  }

  private translate(err: unknown, url: string): Error {
    if (err instanceof EnvironmentError || err instanceof InputError) return err;
    if (!(err instanceof RequestError)) return err instanceof Error ? err : new Error(String(err));
    if (err.response === undefined) {
      return new EnvironmentError(`GitHub API unreachable at ${url}: ${err.message}`);
    }
    const headers = err.response.headers as Record<string, unknown>;
    this.noteLimits(headers);
    const remaining = headers['x-ratelimit-remaining'];
    const status = err.status;
    if ((status === 403 || status === 429) && (remaining === '0' || headers['retry-after'] !== undefined)) {
      const retryAfter = Number(headers['retry-after'] ?? NaN);
      const resetAt =
        remaining === '0' && this.reset !== null
          ? this.reset
          : Math.floor(Date.now() / 1000) + (Number.isFinite(retryAfter) ? retryAfter : 60);
      return rateLimitError(resetAt, url, !this.opts.token);
    }
    if (status === 404)
      return new InputError(`GitHub API ${url}: not found (check the repo in the facts file)`);
    if (status === 401) return new EnvironmentError(`GitHub API ${url}: unauthorized (check GITHUB_TOKEN)`);
    return new EnvironmentError(`GitHub API ${url}: HTTP ${status}: ${err.message.slice(0, 200)}`);
  }
}

function rateLimitError(resetEpochSeconds: number, url: string, anonymous = false): EnvironmentError {
  const at = new Date(resetEpochSeconds * 1000);
  const minutes = Math.ceil((at.getTime() - Date.now()) / 60_000);
  const when = minutes > 0 ? `in about ${minutes} min` : 'already passed: retry now';
  return new EnvironmentError(
    `GitHub API rate limit exhausted (at ${url}); it resets at ${at.toISOString()} (${when}).` +
      (anonymous ? ' Set GITHUB_TOKEN for a higher limit.' : '') +
      ' Nothing was written.',
  );
}
