/**
 * A small GitHub REST API client for `facts refresh`: optional token, pagination through Link
 * headers, retries of the statistics endpoints while GitHub computes them (202), and rate limits
 * turned into one clear EnvironmentError naming the reset time (exit 3) instead of partial data.
 */
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
  headers: Headers;
  url: string;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Parses `<url>; rel="next", <url>; rel="last"` into { next: url, last: url }. */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="([^"]+)"/.exec(part.trim());
    if (m) out[m[2]] = m[1];
  }
  return out;
}

export class GitHubClient {
  private readonly base: string;
  /** Requests made, for the summary (and tests). */
  requests = 0;
  /** Last X-RateLimit-Remaining seen, to stop before a request that would fail. */
  private remaining: number | null = null;
  private reset: number | null = null;

  constructor(private readonly opts: GitHubClientOptions) {
    this.base = opts.apiUrl.replace(/\/+$/, '');
  }

  url(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : `${this.base}${pathOrUrl}`;
  }

  async get<T>(pathOrUrl: string): Promise<GitHubResponse<T>> {
    const url = this.url(pathOrUrl);
    if (this.remaining === 0 && this.reset !== null && this.reset * 1000 > Date.now()) {
      throw rateLimitError(this.reset, url);
    }
    const headers: Record<string, string> = {
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      'User-Agent': 'cnibench-facts-refresh',
    };
    if (this.opts.token) headers.Authorization = `Bearer ${this.opts.token}`;
    let res: Response;
    try {
      this.requests++;
      res = await fetch(url, { headers, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000) });
    } catch (err) {
      throw new EnvironmentError(`GitHub API unreachable at ${url}: ${(err as Error).message}`);
    }
    const remaining = res.headers.get('x-ratelimit-remaining');
    const reset = res.headers.get('x-ratelimit-reset');
    if (remaining !== null) this.remaining = Number(remaining);
    if (reset !== null) this.reset = Number(reset);
    if ((res.status === 403 || res.status === 429) && (remaining === '0' || res.headers.has('retry-after'))) {
      const retryAfter = Number(res.headers.get('retry-after') ?? NaN);
      const resetAt =
        remaining === '0' && reset !== null
          ? Number(reset)
          : Math.floor(Date.now() / 1000) + (Number.isFinite(retryAfter) ? retryAfter : 60);
      throw rateLimitError(resetAt, url, !this.opts.token);
    }
    const text = await res.text();
    let body: unknown = null;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new EnvironmentError(`GitHub API ${url}: answer is not JSON (HTTP ${res.status})`);
      }
    }
    if (res.status === 404)
      throw new InputError(`GitHub API ${url}: not found (check the repo in the facts file)`);
    if (res.status === 401)
      throw new EnvironmentError(`GitHub API ${url}: unauthorized (check GITHUB_TOKEN)`);
    if (res.status >= 400) {
      const msg =
        body && typeof body === 'object' && 'message' in body
          ? String((body as { message: unknown }).message)
          : text.slice(0, 200);
      throw new EnvironmentError(`GitHub API ${url}: HTTP ${res.status}: ${msg}`);
    }
    return { status: res.status, body: body as T, headers: res.headers, url };
  }

  /** Follows rel="next" until `stop` says enough or maxPages are read; returns all items. */
  async paginate<T>(
    path: string,
    opts: { maxPages?: number; stop?: (page: T[]) => boolean } = {},
  ): Promise<{ items: T[]; complete: boolean }> {
    const items: T[] = [];
    let next: string | undefined = path;
    let pages = 0;
    while (next) {
      if (pages >= (opts.maxPages ?? 50)) return { items, complete: false };
      const res: GitHubResponse<T[]> = await this.get<T[]>(next);
      pages++;
      if (!Array.isArray(res.body)) throw new EnvironmentError(`GitHub API ${res.url}: expected a list`);
      items.push(...res.body);
      if (opts.stop?.(res.body)) break;
      next = parseLinkHeader(res.headers.get('link')).next;
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
