/**
 * `cnibench facts refresh`: updates the measurable facts of every project with a `repo` from the
 * GitHub REST API and writes the file back through yaml's Document API, so comments, order and
 * flow style survive. All requests are made before anything is written: a rate limit or an error
 * leaves the file untouched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, parseDocument, Scalar, type Document } from 'yaml';
import { InputError } from '../util/errors.js';
import { loadFacts, UNKNOWN, type FactValue } from './facts.js';
import { GitHubClient, type GitHubClientOptions } from './github.js';

export interface RefreshOptions {
  file: string;
  apiUrl?: string;
  token?: string;
  now?: Date;
  /** Only these projects (keys of `projects`); default every project with a repo. */
  projects?: string[];
  /** stats/contributors lists at most this many authors; at the cap the commits list is walked instead. */
  statsContributorCap?: number;
  /** Page cap for the commit walk (100 commits a page). */
  maxCommitPages?: number;
  client?: Partial<GitHubClientOptions>;
}

interface FactUpdate {
  project: string;
  key: string;
  before: FactValue;
  after: FactValue;
  source: string;
  note?: string;
}

export interface RefreshResult {
  updates: FactUpdate[];
  requests: number;
  written: boolean;
}

interface ApiRepo {
  stargazers_count: number;
  forks_count: number;
  license: { spdx_id: string | null } | null;
  default_branch: string;
}
interface ApiRelease {
  tag_name: string;
  draft: boolean;
  prerelease: boolean;
  published_at: string | null;
  created_at: string;
}
interface ApiContributorStats {
  author: { login: string } | null;
  total: number;
  weeks: Array<{ w: number; a: number; d: number; c: number }>;
}
interface ApiCommit {
  author: { login: string } | null;
  commit: { author: { email: string; name: string; date: string } | null };
}
interface ApiSearch {
  total_count: number;
}

const DAY = 86_400_000;

export async function refreshFacts(opts: RefreshOptions): Promise<RefreshResult> {
  const now = opts.now ?? new Date();
  const apiUrl = (opts.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  const { facts } = loadFacts(opts.file); // validates before any request
  const client = new GitHubClient({ apiUrl, token: opts.token, ...opts.client });
  const yearAgo = new Date(now.getTime() - 365 * DAY);
  const today = now.toISOString().slice(0, 10);
  const updates: FactUpdate[] = [];

  const wanted = opts.projects ?? Object.keys(facts.projects);
  for (const key of wanted) {
    const project = facts.projects[key];
    if (!project)
      throw new InputError(
        `${opts.file}: no project "${key}" (projects: ${Object.keys(facts.projects).join(', ')})`,
      );
    if (!project.repo) continue;
    const repo = project.repo;
    const set = (fact: string, after: FactValue, source: string, note?: string) =>
      updates.push({
        project: key,
        key: fact,
        before: project.facts[fact]?.value ?? UNKNOWN,
        after,
        source,
        note,
      });

    const r = await client.get<ApiRepo>(`/repos/${repo}`);
    const repoUrl = client.url(`/repos/${repo}`);
    set('stars', r.body.stargazers_count, repoUrl);
    set('forks', r.body.forks_count, repoUrl);
    const spdx = r.body.license?.spdx_id;
    // An unchanged license keeps its human-readable source (the LICENSE file).
    if (spdx && spdx !== 'NOASSERTION' && spdx !== project.facts.license?.value)
      set('license', spdx, repoUrl);

    // Releases, newest first; stop once a page reaches back beyond a year.
    const releasesPath = `/repos/${repo}/releases?per_page=100`;
    const published = (x: ApiRelease) => Date.parse(x.published_at ?? x.created_at);
    const { items: releases } = await client.paginate<ApiRelease>(releasesPath, {
      maxPages: 10,
      stop: (page) => page.length > 0 && page.every((x) => published(x) < yearAgo.getTime()),
    });
    const stable = releases.filter(
      (x): x is ApiRelease & { published_at: string } => !x.draft && !x.prerelease && !!x.published_at,
    );
    stable.sort((a, b) => published(b) - published(a));
    const [latest] = stable;
    if (latest) {
      set('latestRelease', latest.tag_name, client.url(releasesPath));
      set('latestReleaseDate', latest.published_at.slice(0, 10), client.url(releasesPath));
    }
    set(
      'releasesLastYear',
      stable.filter((x) => published(x) >= yearAgo.getTime()).length,
      client.url(releasesPath),
    );

    // Contributors in the last year: the statistics endpoint (top authors only), else the commit list.
    const statsPath = `/repos/${repo}/stats/contributors`;
    const stats = await client.stats<ApiContributorStats[]>(statsPath);
    const cap = opts.statsContributorCap ?? 100;
    const since = yearAgo.getTime() / 1000;
    if (stats && stats.length < cap) {
      const active = stats.filter((s) => s.weeks.some((w) => w.w >= since && w.c > 0)).length;
      set('contributorsLastYear', active, client.url(statsPath));
    } else {
      const commitsPath = `/repos/${repo}/commits?since=${yearAgo.toISOString()}&per_page=100`;
      const { items, complete } = await client.paginate<ApiCommit>(commitsPath, {
        maxPages: opts.maxCommitPages ?? 100,
      });
      const authors = new Set(items.map((c) => c.author?.login ?? c.commit.author?.email ?? 'unknown'));
      set(
        'contributorsLastYear',
        authors.size,
        client.url(commitsPath),
        complete ? undefined : `lower bound: the first ${items.length} commits of the year were read`,
      );
    }

    // Commits in the last 52 weeks (default branch).
    const activityPath = `/repos/${repo}/stats/commit_activity`;
    const activity = await client.stats<Array<{ total: number; week: number }>>(activityPath);
    if (activity) {
      set(
        'commitsLastYear',
        activity.filter((w) => w.week >= since - 7 * 86_400).reduce((s, w) => s + w.total, 0),
        client.url(activityPath),
      );
    }

    for (const state of ['open', 'closed'] as const) {
      const p = `/search/issues?q=${encodeURIComponent(`repo:${repo} type:issue state:${state}`)}&per_page=1`;
      const s = await client.get<ApiSearch>(p);
      set(state === 'open' ? 'openIssues' : 'closedIssues', s.body.total_count, client.url(p));
    }
  }

  const text = readFileSync(opts.file, 'utf8');
  const doc = parseDocument(text);
  for (const u of updates) setFact(doc, u, today);
  writeFileSync(opts.file, doc.toString({ lineWidth: 0 }));
  return { updates, requests: client.requests, written: true };
}

/** Sets value/source/asOf of one fact in place (keeping its style and comments); a note about an unknown value goes. */
function setFact(doc: Document, u: FactUpdate, today: string): void {
  const path = ['projects', u.project, 'facts', u.key];
  const existing = doc.getIn(path, true);
  const asOf = new Scalar(today);
  asOf.type = Scalar.QUOTE_SINGLE;
  if (isMap(existing)) {
    const wasUnknown = existing.get('value') === UNKNOWN;
    existing.set('value', doc.createNode(u.after));
    existing.set('source', u.source);
    existing.set('asOf', asOf);
    if (u.note !== undefined) existing.set('note', u.note);
    else if (wasUnknown && existing.has('note')) existing.delete('note');
    return;
  }
  const node = doc.createNode({
    value: u.after,
    source: u.source,
    asOf: today,
    ...(u.note ? { note: u.note } : {}),
  });
  const asOfPair = node.items.find((p) => isScalar(p.key) && p.key.value === 'asOf');
  if (asOfPair) asOfPair.value = asOf;
  doc.setIn(path, node);
}
