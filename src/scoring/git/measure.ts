/**
 * `cnibench facts measure`: OSS-health and maturity facts computed from a project's own git history,
 * pinned to a commit, so that anyone with a clone (or an air-gapped mirror) gets the same values.
 * One streamed `git log` for the history, one `git for-each-ref` for the tags, a few reads of the tree.
 */
import { basename, resolve } from 'node:path';
import { InputError } from '../../util/errors.js';
import { cnibenchVersion } from '../../util/version.js';
import type { FactsHistory, FactValue, MeasuredProvenance } from '../facts.js';
import { measureActivity, windowEnding, type Activity } from './activity.js';
import { gitText } from './git.js';
import { readHistory, type RepositoryHistory } from './history.js';
import { measureReleases, type ReleaseFigures } from './releases.js';
import { readSignals, type ProcessSignals } from './signals.js';

export interface MeasureOptions {
  /** Path of a clone or bare mirror. */
  git: string;
  /** Measure as of this date (end of that day, UTC); default the newest commit. */
  asOf?: Date;
  /** Window in whole calendar months ending with the as-of month (default 12). */
  windowMonths?: number;
  /** How the provenance names the repository (default: its origin URL, else the folder's name). */
  repository?: string;
  onProgress?: (message: string) => void;
}

export interface MeasuredProject {
  provenance: MeasuredProvenance;
  /** Facts-file key → measured value. */
  facts: Record<string, FactValue>;
  /** What could not be measured from this repository, and why. */
  notMeasured: Array<{ key: string; reason: string }>;
  history: FactsHistory;
  /** The figures behind the facts, for a reader (printed by the CLI). */
  activity: Activity;
  releases: ReleaseFigures;
  signals: ProcessSignals;
  shallow: boolean;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

export async function measureRepository(opts: MeasureOptions): Promise<MeasuredProject> {
  const months = opts.windowMonths ?? 12;
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw new InputError(`--window-months must be a whole number from 1 to 120 (got ${months})`);
  const repo = resolve(opts.git);
  // Not a repository (or no git): one line, before any progress is shown.
  await gitText(repo, ['rev-parse', '--git-dir']);
  opts.onProgress?.(`reading the history of ${repo}`);
  const h: RepositoryHistory = await readHistory(repo, {
    asOf: opts.asOf,
    onProgress: (n) => opts.onProgress?.(`read ${n.toLocaleString('en-US')} commits`),
  });
  if (h.commit === '') {
    throw new InputError(
      `${repo}: no commit${opts.asOf ? ` at or before ${opts.asOf.toISOString().slice(0, 10)}` : ''}: nothing to measure`,
    );
  }
  // As of the date given, else of the commit measured (its committer time): the same commit and
  // options give the same facts, byte for byte.
  const asOf = opts.asOf ?? new Date(h.commitTime * 1000);
  const asOfTime = Math.floor(asOf.getTime() / 1000);
  const window = windowEnding(asOf, months);
  const provenance: MeasuredProvenance = {
    repository: opts.repository ?? h.origin ?? basename(repo).replace(/\.git$/, ''),
    commit: h.commit,
    window: `${window.from.slice(0, 10)}..${window.to.slice(0, 10)}`,
    by: `cnibench ${cnibenchVersion()}`,
  };
  const activity = measureActivity(h.commits, window);
  const releases = measureReleases(h.tags, asOfTime, Date.parse(window.from) / 1000);
  opts.onProgress?.('reading the tree at the measured commit');
  const signals = await readSignals(repo, h.commit);

  const facts: Record<string, FactValue> = {};
  const notMeasured: MeasuredProject['notMeasured'] = [];
  const oldest = h.commits.reduce((m, c) => Math.min(m, c.time), Infinity);
  // A shallow clone cuts history off: what needs the whole of it (or reaches past the cut) is not measured.
  const windowComplete = !h.shallow || oldest <= Date.parse(window.from) / 1000;
  if (windowComplete) {
    facts.commitsLastYear = activity.commits;
    facts.contributorsLastYear = activity.activeContributors;
    facts.monthsWithoutCommits = activity.monthsWithoutCommits;
    facts.contributorAbsenceFactor = activity.contributorAbsenceFactor;
    facts.largestOrganisationShare = round3(activity.largestOrganisationShare);
    if (activity.largestOrganisation !== null) facts.largestOrganisation = activity.largestOrganisation;
    facts.organisationsFor80Percent = activity.organisationsFor80Percent;
  } else {
    for (const key of [
      'commitsLastYear',
      'contributorsLastYear',
      'contributorAbsenceFactor',
      'organisationsFor80Percent',
    ])
      notMeasured.push({
        key,
        reason: 'shallow clone: its history does not reach back to the start of the window',
      });
  }
  if (h.shallow) {
    notMeasured.push({
      key: 'newContributorsLastYear',
      reason: 'shallow clone: first commits of authors are cut off',
    });
    notMeasured.push({ key: 'firstStableRelease', reason: 'shallow clone: early history is cut off' });
  } else {
    facts.newContributorsLastYear = activity.newContributors;
    if (releases.firstStable) facts.firstStableRelease = releases.firstStable;
  }
  if (releases.releases.length === 0) {
    for (const key of [
      'latestRelease',
      'latestReleaseDate',
      'releasesLastYear',
      'minorReleaseIntervalDays',
      'supportWindowDays',
    ])
      notMeasured.push({ key, reason: 'no release tags (vX.Y.Z) in the repository' });
  } else {
    if (releases.latest) {
      facts.latestRelease = releases.latest.tag;
      facts.latestReleaseDate = releases.latest.date;
    }
    facts.releasesLastYear = releases.releasesInWindow;
    if (releases.minorIntervalDays !== null) facts.minorReleaseIntervalDays = releases.minorIntervalDays;
    else notMeasured.push({ key: 'minorReleaseIntervalDays', reason: 'fewer than two minor release lines' });
    if (releases.supportWindowDays !== null) facts.supportWindowDays = releases.supportWindowDays;
    else notMeasured.push({ key: 'supportWindowDays', reason: 'no minor line closed for a year yet' });
    if (releases.signedShare !== null) facts.signedTagsShare = round3(releases.signedShare);
  }
  if (signals.license) facts.license = signals.license;
  else
    notMeasured.push({
      key: 'license',
      reason: signals.licenseFile
        ? `${signals.licenseFile}: license text not recognised`
        : 'no LICENSE file at the top level',
    });
  facts.securityPolicy = signals.securityPolicy;
  facts.contributionGuide = signals.contributionGuide;
  facts.designProcess = signals.designDocs;
  facts.governanceFile = signals.governanceFile;
  facts.codeOfConduct = signals.codeOfConduct;
  facts.ci = signals.ci;
  facts.fuzzing = signals.fuzzing;
  // Absence of a generator in the build files does not show that no SBOM is published elsewhere.
  if (signals.sbom) facts.sbom = true;
  else
    notMeasured.push({
      key: 'sbom',
      reason: 'no SBOM generator in workflows or build files (one may still run elsewhere)',
    });
  if (signals.pinnedActionsShare !== null) facts.pinnedActionsShare = round3(signals.pinnedActionsShare);
  else notMeasured.push({ key: 'pinnedActionsShare', reason: 'no GitHub Actions workflow uses an action' });
  if (signals.adopters !== null) facts.adopters = signals.adopters;
  else notMeasured.push({ key: 'adopters', reason: 'no ADOPTERS.md or USERS.md' });

  const threeYears = asOfTime - 3 * 365 * 86_400;
  const history: FactsHistory = {
    measured: provenance,
    monthly: windowComplete ? activity.monthly : [],
    releases: releases.releases
      .filter((r) => r.time >= threeYears)
      .map((r) => ({ tag: r.tag, date: r.date })),
  };
  return { provenance, facts, notMeasured, history, activity, releases, signals, shallow: h.shallow };
}
