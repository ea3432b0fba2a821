/**
 * A local HTTP server on 127.0.0.1 replaying recorded-shape GitHub API responses from
 * test/fixtures/github/ (synthetic data written in the shape of the real API).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/util/version.js';

const FIXTURES = path.join(PROJECT_ROOT, 'test/fixtures/github');

export interface Route {
  path: string;
  /** Query parameters that must match (subset). */
  query?: Record<string, string>;
  status?: number;
  file?: string;
  /** Header values; "{base}" is replaced by the server's base URL. */
  headers?: Record<string, string>;
  /** Answer 202 (statistics being computed) this many times first. */
  pendingTimes?: number;
}

export interface Replay {
  base: string;
  requests: Array<{ url: string; authorization?: string }>;
  close(): Promise<void>;
}

export async function startReplay(routes: Route[]): Promise<Replay> {
  const requests: Replay['requests'] = [];
  const pending = new Map<Route, number>();
  let base = '';
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push({ url: url.pathname + url.search, authorization: req.headers.authorization });
    const route = routes.find(
      (r) =>
        r.path === url.pathname &&
        Object.entries(r.query ?? {}).every(([k, v]) => url.searchParams.get(k) === v),
    );
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '60',
    };
    if (!route) {
      res.writeHead(404, headers).end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    const seen = pending.get(route) ?? 0;
    if (route.pendingTimes && seen < route.pendingTimes) {
      pending.set(route, seen + 1);
      res.writeHead(202, headers).end('{}');
      return;
    }
    for (const [k, v] of Object.entries(route.headers ?? {})) headers[k] = v.replaceAll('{base}', base);
    const body = route.file ? readFileSync(path.join(FIXTURES, route.file)) : '';
    res.writeHead(route.status ?? 200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${addr.port}`;
  return {
    base,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

const rl = (remaining: number) => ({
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': '1795000000',
});

/** The routes of a healthy API for both projects. */
export function healthyRoutes(): Route[] {
  const search = (repo: string, state: string) => ({ q: `repo:${repo} type:issue state:${state}` });
  return [
    { path: '/repos/cilium/cilium', file: 'cilium/repo.json', headers: rl(59) },
    {
      path: '/repos/cilium/cilium/releases',
      query: { per_page: '100' },
      file: 'cilium/releases-1.json',
      headers: {
        ...rl(58),
        link: '<{base}/repositories/48109239/releases?per_page=100&page=2>; rel="next", <{base}/repositories/48109239/releases?per_page=100&page=2>; rel="last"',
      },
    },
    {
      path: '/repositories/48109239/releases',
      query: { page: '2' },
      file: 'cilium/releases-2.json',
      headers: {
        ...rl(57),
        link: '<{base}/repositories/48109239/releases?per_page=100&page=1>; rel="prev", <{base}/repositories/48109239/releases?per_page=100&page=1>; rel="first"',
      },
    },
    {
      path: '/repos/cilium/cilium/stats/contributors',
      file: 'cilium/stats-contributors.json',
      pendingTimes: 1,
      headers: rl(55),
    },
    {
      path: '/repos/cilium/cilium/stats/commit_activity',
      file: 'cilium/commit-activity.json',
      headers: rl(54),
    },
    {
      path: '/search/issues',
      query: search('cilium/cilium', 'open'),
      file: 'cilium/search-open.json',
      headers: rl(53),
    },
    {
      path: '/search/issues',
      query: search('cilium/cilium', 'closed'),
      file: 'cilium/search-closed.json',
      headers: rl(52),
    },

    { path: '/repos/projectcalico/calico', file: 'calico/repo.json', headers: rl(51) },
    { path: '/repos/projectcalico/calico/releases', file: 'calico/releases-1.json', headers: rl(50) },
    {
      path: '/repos/projectcalico/calico/stats/contributors',
      file: 'calico/stats-contributors.json',
      headers: rl(49),
    },
    {
      path: '/repos/projectcalico/calico/commits',
      query: { page: '2' },
      file: 'calico/commits-2.json',
      headers: rl(47),
    },
    {
      path: '/repos/projectcalico/calico/commits',
      file: 'calico/commits-1.json',
      headers: {
        ...rl(48),
        link: '<{base}/repos/projectcalico/calico/commits?since=2025-11-24T00%3A00%3A00.000Z&per_page=100&page=2>; rel="next"',
      },
    },
    {
      path: '/repos/projectcalico/calico/stats/commit_activity',
      file: 'calico/commit-activity.json',
      headers: rl(46),
    },
    {
      path: '/search/issues',
      query: search('projectcalico/calico', 'open'),
      file: 'calico/search-open.json',
      headers: rl(45),
    },
    {
      path: '/search/issues',
      query: search('projectcalico/calico', 'closed'),
      file: 'calico/search-closed.json',
      headers: rl(44),
    },
  ];
}
