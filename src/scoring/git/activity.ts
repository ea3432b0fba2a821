/**
 * Activity, contributors and organisational diversity over a window of whole calendar months
 * (docs/scoring.md, "Measured from git"). Pure: commits in, figures out.
 */
import type { CommitRecord } from './history.js';
import { INDEPENDENT, isBot, organisationOf } from './orgs.js';

export interface Window {
  /** First instant of the window (inclusive), ISO. */
  from: string;
  /** The as-of instant (inclusive), ISO. */
  to: string;
  months: number;
}

/** `months` whole calendar months ending with the month of `asOf` (UTC). */
export function windowEnding(asOf: Date, months: number): Window {
  const from = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - (months - 1), 1));
  return { from: from.toISOString(), to: asOf.toISOString(), months };
}

const monthOf = (t: number) => new Date(t * 1000).toISOString().slice(0, 7);

interface MonthActivity {
  month: string;
  commits: number;
  contributors: number;
}

export interface Activity {
  commits: number;
  monthly: MonthActivity[];
  monthsWithoutCommits: number;
  /** Distinct human authors (by e-mail) with a commit in the window. */
  activeContributors: number;
  /** Of those, the ones whose first commit in the whole history falls in the window. */
  newContributors: number;
  /** CHAOSS contributor absence factor: fewest authors who made 50 % of the window's commits. */
  contributorAbsenceFactor: number;
  /** Share (0–1) of the window's human commits from the largest organisation (independents excluded). */
  largestOrganisationShare: number;
  largestOrganisation: string | null;
  /** Fewest organisations that made 80 % of the window's human commits (independents count as one). */
  organisationsFor80Percent: number;
  /** Commits by organisation, largest first (independent included). */
  organisations: Array<{ name: string; commits: number }>;
}

/** Fewest items (largest first) whose counts reach `share` of the total. */
function fewestFor(counts: number[], share: number): number {
  const sorted = [...counts].sort((a, b) => b - a);
  const total = sorted.reduce((a, b) => a + b, 0);
  if (total === 0) return 0;
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) {
    sum += sorted[i] ?? 0;
    if (sum >= share * total) return i + 1;
  }
  return sorted.length;
}

export function measureActivity(commits: readonly CommitRecord[], window: Window): Activity {
  const from = Date.parse(window.from) / 1000;
  const to = Date.parse(window.to) / 1000;
  const firstSeen = new Map<string, number>();
  for (const c of commits) {
    const seen = firstSeen.get(c.email);
    if (seen === undefined || c.time < seen) firstSeen.set(c.email, c.time);
  }
  const inWindow = commits.filter((c) => c.time >= from && c.time <= to);
  const humans = inWindow.filter((c) => !isBot(c.name, c.email));
  const byMonth = new Map<string, { commits: number; authors: Set<string> }>();
  const start = new Date(window.from);
  for (let i = 0; i < window.months; i++) {
    const m = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + i, 1))
      .toISOString()
      .slice(0, 7);
    byMonth.set(m, { commits: 0, authors: new Set() });
  }
  for (const c of inWindow) {
    const b = byMonth.get(monthOf(c.time));
    if (!b) continue;
    b.commits++;
    if (!isBot(c.name, c.email)) b.authors.add(c.email);
  }
  const monthly = [...byMonth].map(([month, b]) => ({
    month,
    commits: b.commits,
    contributors: b.authors.size,
  }));
  const perAuthor = new Map<string, number>();
  for (const c of humans) perAuthor.set(c.email, (perAuthor.get(c.email) ?? 0) + 1);
  const perOrg = new Map<string, number>();
  for (const c of humans) {
    const o = organisationOf(c.email);
    perOrg.set(o, (perOrg.get(o) ?? 0) + 1);
  }
  const organisations = [...perOrg]
    .map(([name, n]) => ({ name, commits: n }))
    .sort((a, b) => b.commits - a.commits || a.name.localeCompare(b.name));
  const companies = organisations.filter((o) => o.name !== INDEPENDENT);
  const largest = companies[0];
  return {
    commits: inWindow.length,
    monthly,
    monthsWithoutCommits: monthly.filter((m) => m.commits === 0).length,
    activeContributors: perAuthor.size,
    newContributors: [...perAuthor.keys()].filter((e) => (firstSeen.get(e) ?? 0) >= from).length,
    contributorAbsenceFactor: fewestFor([...perAuthor.values()], 0.5),
    largestOrganisationShare: largest && humans.length > 0 ? largest.commits / humans.length : 0,
    largestOrganisation: largest?.name ?? null,
    organisationsFor80Percent: fewestFor(
      organisations.map((o) => o.commits),
      0.8,
    ),
    organisations,
  };
}
