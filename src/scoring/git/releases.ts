/**
 * Releases from tags (docs/scoring.md, "Measured from git"): a release is a tag `vX.Y.Z` or `X.Y.Z`
 * with no pre-release suffix. Pure: tags in, figures out.
 */
import type { TagRecord } from './history.js';

interface Release {
  tag: string;
  major: number;
  minor: number;
  patch: number;
  /** YYYY-MM-DD (UTC). */
  date: string;
  time: number;
  signed: boolean;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)$/;
const DAY = 86_400;

function releasesOf(tags: readonly TagRecord[], asOfTime: number): Release[] {
  const out: Release[] = [];
  for (const t of tags) {
    const m = SEMVER.exec(t.name);
    if (!m || t.time > asOfTime) continue;
    out.push({
      tag: t.name,
      major: Number(m[1]),
      minor: Number(m[2]),
      patch: Number(m[3]),
      date: new Date(t.time * 1000).toISOString().slice(0, 10),
      time: t.time,
      signed: t.signed,
    });
  }
  return out.sort((a, b) => a.time - b.time || a.tag.localeCompare(b.tag));
}

interface MinorLine {
  line: string;
  first: Release;
  last: Release;
  /** Days from the line's first release to its last patch. */
  supportDays: number;
}

export interface ReleaseFigures {
  releases: Release[];
  latest: Release | null;
  latestAgeDays: number | null;
  releasesInWindow: number;
  /** First release at or above 1.0.0, YYYY-MM. */
  firstStable: string | null;
  lines: MinorLine[];
  /** Median days between the first releases of consecutive minor lines, over the last 5 lines. */
  minorIntervalDays: number | null;
  /**
   * Median support window of the minor lines that are closed (a newer line has been released for a
   * year, so no more patches are expected), over the last 6 such lines.
   */
  supportWindowDays: number | null;
  /** Share (0–1) of releases in the window whose tag is signed. */
  signedShare: number | null;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

export function measureReleases(
  tags: readonly TagRecord[],
  asOfTime: number,
  windowFrom: number,
): ReleaseFigures {
  const releases = releasesOf(tags, asOfTime);
  // The newest release by version among those published last... by date: what a user gets now.
  const latest = releases.at(-1) ?? null;
  const inWindow = releases.filter((r) => r.time >= windowFrom);
  const byLine = new Map<string, Release[]>();
  for (const r of releases) {
    const k = `${r.major}.${r.minor}`;
    byLine.set(k, [...(byLine.get(k) ?? []), r]);
  }
  const lines: MinorLine[] = [...byLine].map(([line, rs]) => {
    const first = rs[0] as Release;
    const last = rs.at(-1) as Release;
    return { line, first, last, supportDays: Math.round((last.time - first.time) / DAY) };
  });
  lines.sort((a, b) => a.first.time - b.first.time);
  const recent = lines.slice(-5);
  const gaps = recent.slice(1).map((l, i) => (l.first.time - (recent[i] as MinorLine).first.time) / DAY);
  const closed = lines.filter((l, i) => {
    const next = lines[i + 1];
    return next !== undefined && asOfTime - next.first.time >= 365 * DAY;
  });
  const firstStable = releases.find((r) => r.major >= 1);
  return {
    releases,
    latest,
    latestAgeDays: latest ? Math.floor((asOfTime - latest.time) / DAY) : null,
    releasesInWindow: inWindow.length,
    firstStable: firstStable ? firstStable.date.slice(0, 7) : null,
    lines,
    minorIntervalDays: gaps.length > 0 ? Math.round(median(gaps) ?? 0) : null,
    supportWindowDays:
      closed.length > 0 ? Math.round(median(closed.slice(-6).map((l) => l.supportDays)) ?? 0) : null,
    signedShare: inWindow.length > 0 ? inWindow.filter((r) => r.signed).length / inWindow.length : null,
  };
}
