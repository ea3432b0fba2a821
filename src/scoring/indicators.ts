/**
 * The indicator catalogue: every indicator of every built-in criterion, its weight inside the
 * criterion, its documented normalisation to 0–100 (mirrored in docs/scoring.md; a test checks
 * every id appears there) and how its value is computed. OSS-health indicators follow the sections
 * of the SCS open-source health check (scs-0008, draft decision record).
 */
import type { CandidateResult } from '../results/schema.js';
import { isKnown, type Fact, type FactsLookup, knownFact } from './facts.js';
import { DECLARED_CAPABILITIES, MEASURED_FEATURES, measuredCell } from './features.js';
import {
  policyScaleRetention,
  programmingLatencyScore,
  relativeToBest,
  throughputVsBaseline,
  type PerfValue,
} from './performance.js';
import type { Ties } from './ties.js';
import type { IndicatorDefinition, IndicatorValue } from './types.js';

interface IndicatorContext {
  candidate: CandidateResult;
  all: readonly CandidateResult[];
  lookup: FactsLookup;
  now: Date;
  /** Which candidates tie on a figure (equivalent or inconclusive); absent: none do. */
  ties?: Ties;
}

export interface Indicator extends IndicatorDefinition {
  compute(ctx: IndicatorContext): Omit<IndicatorValue, 'indicator' | 'criterion' | 'weight'>;
}

const clamp = (x: number) => Math.max(0, Math.min(100, x));

/** Licenses approved by the OSI that projects in this field use; anything else scores 0 (not open source). */
const OSI_LICENSES = new Set([
  'Apache-2.0',
  'MIT',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'LGPL-2.1-only',
  'LGPL-3.0-only',
  'MPL-2.0',
  'EPL-2.0',
  'AGPL-3.0-only',
  'ISC',
]);
const PERMISSIVE = new Set(['Apache-2.0', 'MIT', 'BSD-2-Clause', 'BSD-3-Clause', 'ISC']);

function perf(v: PerfValue) {
  return { score: v.score === null ? null : clamp(v.score), raw: v.raw, note: v.note };
}

/** A facts-based indicator: looks the fact up and maps a known value to 0–100. */
function factIndicator(
  def: IndicatorDefinition & { fact: string; group?: 'facts' | 'capabilities' },
  map: (value: Fact['value'], ctx: IndicatorContext, fact: Fact) => number | null,
  describe: (value: Fact['value']) => string = (v) => (Array.isArray(v) ? v.join(', ') : String(v)),
): Indicator {
  return {
    ...def,
    compute(ctx) {
      const { lookup } = ctx;
      if (lookup.kind === 'not-applicable') return { score: null, raw: 'n/a', note: lookup.reason };
      if (lookup.kind === 'missing')
        return { score: null, raw: 'no facts', note: `no entry "${lookup.key}" in the facts file` };
      const fact = lookup.project[def.group ?? 'facts'][def.fact];
      const known = knownFact(fact);
      if (!known)
        return {
          score: null,
          raw: 'unknown',
          note: fact?.note ?? `fact "${def.fact}" missing`,
          asOf: fact?.asOf,
        };
      const score = map(known.value, ctx, known);
      const m = known.measured;
      return {
        score: score === null ? null : clamp(score),
        raw: describe(known.value),
        // A measured fact names its repository and commit in place of a URL.
        source: known.source ?? (m ? `git ${m.repository}@${m.commit.slice(0, 12)}` : undefined),
        asOf: known.asOf,
        note:
          score === null
            ? `cannot interpret ${JSON.stringify(known.value)}`
            : m
              ? `measured from git, window ${m.window} (${m.by})`
              : known.note,
      };
    },
  };
}

const num = (v: Fact['value']): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: Fact['value']): number | null => (v === true ? 100 : v === false ? 0 : null);

/** Years between a YYYY-MM(-DD) date and now. */
function yearsSince(v: Fact['value'], now: Date): number | null {
  if (typeof v !== 'string' || !/^\d{4}-\d{2}(-\d{2})?$/.test(v)) return null;
  const t = Date.parse(v.length === 7 ? `${v}-01T00:00:00Z` : `${v}T00:00:00Z`);
  return (now.getTime() - t) / (365.25 * 86_400_000);
}

const measuredFeatureIndicators: Indicator[] = MEASURED_FEATURES.map((f) => ({
  id: `features.${f.id}`,
  criterion: 'features',
  weight: 2,
  title: `${f.title} (measured)`,
  scale: `100 × pass rate of the non-skipped conformance cases tagged ${f.tags.join(' or ')}; no case run = no data`,
  origin: 'measured' as const,
  compute: ({ candidate }: IndicatorContext) => {
    const cell = measuredCell(candidate, f);
    return cell.passRate === undefined
      ? { score: null, raw: cell.detail, note: 'not measured' }
      : { score: 100 * cell.passRate, raw: cell.detail };
  },
}));

const declaredFeatureIndicators: Indicator[] = DECLARED_CAPABILITIES.map((c) =>
  factIndicator(
    {
      id: `features.${c.id}`,
      criterion: 'features',
      weight: 1,
      title: `${c.title} (declared)`,
      scale: 'supported 100, partial 50, not supported 0, unknown = no data',
      origin: 'facts',
      fact: c.id,
      group: 'capabilities',
    },
    (v) => (v === true ? 100 : v === 'partial' ? 50 : v === false ? 0 : null),
    (v) => (v === true ? 'yes' : v === false ? 'no' : String(v)),
  ),
);

const BASE_INDICATORS: readonly Indicator[] = [
  ...measuredFeatureIndicators,
  ...declaredFeatureIndicators,

  // --- performance (measured) ---
  {
    id: 'performance.throughput',
    criterion: 'performance',
    weight: 3,
    title: 'Throughput vs. baseline',
    scale:
      'min(100, 100 × median / median of the bare baseline path with the same parameters), mean over paths and stream counts; without a baseline: 100 × value / best candidate',
    origin: 'measured',
    compute: ({ candidate, all, ties }) => perf(throughputVsBaseline(candidate, all, ties)),
  },
  {
    id: 'performance.latencyP99',
    criterion: 'performance',
    weight: 3,
    title: 'Request/response latency p99',
    scale: '100 × best candidate p99 / this p99 (same path and payload), mean over paths',
    origin: 'measured',
    compute: ({ candidate, all, ties }) =>
      perf(relativeToBest(candidate, all, 'rtt', 'p99', false, undefined, ties)),
  },
  {
    id: 'performance.connectionRate',
    criterion: 'performance',
    weight: 2,
    title: 'Connection rate (connect/request/response/close)',
    scale: '100 × median / best candidate median (same path), mean over paths',
    origin: 'measured',
    compute: ({ candidate, all, ties }) =>
      perf(relativeToBest(candidate, all, 'connections', 'median', true, undefined, ties)),
  },
  {
    id: 'performance.programmingLatency',
    criterion: 'performance',
    weight: 2,
    title: 'Policy programming latency',
    scale:
      '100 × best candidate median / this median (policy-programming workload at the smallest policy count, else the median over conformance cases)',
    origin: 'measured',
    compute: ({ candidate, all }) => perf(programmingLatencyScore(candidate, all)),
  },
  {
    id: 'performance.policyScale',
    criterion: 'performance',
    weight: 2,
    title: 'Performance retained at scale (policies installed)',
    scale:
      'min(100, 100 × value at the largest policy count / value at the smallest), inverted for lower-is-better metrics, mean over metrics',
    origin: 'measured',
    compute: ({ candidate }) => perf(policyScaleRetention(candidate)),
  },

  // --- maturity (facts) ---
  factIndicator(
    {
      id: 'maturity.cncfStatus',
      criterion: 'maturity',
      weight: 2,
      title: 'CNCF maturity level',
      scale: 'graduated 100, incubating 70, sandbox 40, not a CNCF project 0',
      origin: 'facts',
      fact: 'cncfStatus',
    },
    (v) => ({ graduated: 100, incubating: 70, sandbox: 40, none: 0 })[String(v)] ?? null,
  ),
  factIndicator(
    {
      id: 'maturity.stableAge',
      criterion: 'maturity',
      weight: 2,
      title: 'Time since first stable release',
      scale: '100 × years since the first stable (1.0) release / 8, capped at 100',
      origin: 'facts',
      fact: 'firstStableRelease',
    },
    (v, ctx) => {
      const y = yearsSince(v, ctx.now);
      return y === null ? null : (100 * y) / 8;
    },
  ),
  factIndicator(
    {
      id: 'maturity.releaseCadence',
      criterion: 'maturity',
      weight: 2,
      title: 'Release cadence',
      scale: '100 × releases (non-draft, non-prerelease) in the last 365 days / 12, capped at 100',
      origin: 'facts',
      fact: 'releasesLastYear',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : (100 * n) / 12;
    },
  ),
  factIndicator(
    {
      id: 'maturity.recentRelease',
      criterion: 'maturity',
      weight: 1,
      title: 'Latest release is recent',
      scale: '100 if the latest release is at most 90 days old, 0 at 365 days or more, linear between',
      origin: 'facts',
      fact: 'latestReleaseDate',
    },
    (v, ctx) => {
      const y = yearsSince(v, ctx.now);
      if (y === null) return null;
      const days = y * 365.25;
      return days <= 90 ? 100 : days >= 365 ? 0 : (100 * (365 - days)) / 275;
    },
  ),

  factIndicator(
    {
      id: 'maturity.supportWindow',
      criterion: 'maturity',
      weight: 1,
      title: 'Support window of a minor release line (measured from git)',
      scale:
        '100 × median days from a closed minor line’s first release to its last patch / 365, capped at 100',
      origin: 'facts',
      fact: 'supportWindowDays',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : (100 * n) / 365;
    },
  ),

  // --- acceptance (facts) ---
  factIndicator(
    {
      id: 'acceptance.adopters',
      criterion: 'acceptance',
      weight: 2,
      title: 'Public adopters',
      scale: 'number of organisations publicly listed as users; 100 at 100 or more, linear',
      origin: 'facts',
      fact: 'adopters',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : n;
    },
  ),
  factIndicator(
    {
      id: 'acceptance.managedOfferings',
      criterion: 'acceptance',
      weight: 2,
      title: 'Managed Kubernetes offerings built on it',
      scale: '25 per hyperscaler/managed offering that ships it, capped at 100',
      origin: 'facts',
      fact: 'managedOfferings',
    },
    (v) => (Array.isArray(v) ? 25 * v.length : null),
  ),
  factIndicator(
    {
      id: 'acceptance.stars',
      criterion: 'acceptance',
      weight: 1,
      title: 'Visibility (GitHub stars)',
      scale: '100 × log10(1 + stars) / log10(1 + 50000), capped at 100',
      origin: 'facts',
      fact: 'stars',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : (100 * Math.log10(1 + n)) / Math.log10(50_001);
    },
  ),

  // --- OSS health (SCS-0008: Four Opens, maturity, security, activity, lock-in) ---
  factIndicator(
    {
      id: 'ossHealth.osiLicense',
      criterion: 'ossHealth',
      weight: 2,
      title: 'Open source: OSI-approved license',
      scale: '100 if the SPDX license is OSI-approved, else 0',
      origin: 'facts',
      fact: 'license',
    },
    (v) => (typeof v === 'string' ? (OSI_LICENSES.has(v) ? 100 : 0) : null),
  ),
  factIndicator(
    {
      id: 'ossHealth.noOpenCore',
      criterion: 'ossHealth',
      weight: 2,
      title: 'Open source: no open-core lock-in of needed features',
      scale: 'no commercial-only features 100, some 50, significant 0',
      origin: 'facts',
      fact: 'openCoreFeatures',
    },
    (v) => ({ none: 100, some: 50, significant: 0 })[String(v)] ?? null,
  ),
  factIndicator(
    {
      id: 'ossHealth.openCommunity',
      criterion: 'ossHealth',
      weight: 2,
      title: 'Open community: maintainers spread over companies',
      scale: '20 per company employing maintainers, capped at 100 (5 or more)',
      origin: 'facts',
      fact: 'maintainerCompanies',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : 20 * n;
    },
  ),
  factIndicator(
    {
      id: 'ossHealth.openDevelopment',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Open development: documented contribution process',
      scale: 'yes 100, no 0',
      origin: 'facts',
      fact: 'contributionGuide',
    },
    bool,
  ),
  factIndicator(
    {
      id: 'ossHealth.openDesign',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Open design: public proposal process',
      scale: 'yes 100, no 0',
      origin: 'facts',
      fact: 'designProcess',
    },
    bool,
  ),
  factIndicator(
    {
      id: 'ossHealth.securityPolicy',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Security: published security contact and response policy',
      scale: 'yes 100, no 0',
      origin: 'facts',
      fact: 'securityPolicy',
    },
    bool,
  ),
  factIndicator(
    {
      id: 'ossHealth.sbom',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Security: SBOM published with releases',
      scale: 'yes 100, no 0',
      origin: 'facts',
      fact: 'sbom',
    },
    bool,
  ),
  factIndicator(
    {
      id: 'ossHealth.ci',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Maturity: public CI',
      scale: 'yes 100, no 0',
      origin: 'facts',
      fact: 'ci',
    },
    bool,
  ),
  factIndicator(
    {
      id: 'ossHealth.contributors',
      criterion: 'ossHealth',
      weight: 2,
      title: 'Activity: contributors in the last year',
      scale: '100 × distinct commit authors in the last 365 days / 200, capped at 100',
      origin: 'facts',
      fact: 'contributorsLastYear',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : n / 2;
    },
  ),
  factIndicator(
    {
      id: 'ossHealth.commits',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Activity: commits in the last year',
      scale: '100 × commits to the default branch in the last 52 weeks / 2000, capped at 100',
      origin: 'facts',
      fact: 'commitsLastYear',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : n / 20;
    },
  ),
  {
    id: 'ossHealth.issueClosure',
    criterion: 'ossHealth',
    weight: 1,
    title: 'Activity: issues closed',
    scale: '100 × closed issues / (open + closed issues)',
    origin: 'facts',
    compute: ({ lookup }) => {
      if (lookup.kind === 'not-applicable') return { score: null, raw: 'n/a', note: lookup.reason };
      if (lookup.kind === 'missing') return { score: null, raw: 'no facts' };
      const open = lookup.project.facts.openIssues;
      const closed = lookup.project.facts.closedIssues;
      const o = open && isKnown(open) ? num(open.value) : null;
      const c = closed && isKnown(closed) ? num(closed.value) : null;
      if (o === null || c === null || !closed) {
        return { score: null, raw: 'unknown', note: 'openIssues/closedIssues not known' };
      }
      return {
        score: o + c === 0 ? null : (100 * c) / (o + c),
        raw: `${c} closed, ${o} open`,
        source: closed.source ?? undefined,
        asOf: closed.asOf,
      };
    },
  },
  factIndicator(
    {
      id: 'ossHealth.governance',
      criterion: 'ossHealth',
      weight: 2,
      title: 'Lock-in: neutral governance (no single vendor controls it)',
      scale: 'foundation-governed 100, multi-vendor 70, single-vendor 30',
      origin: 'facts',
      fact: 'governance',
    },
    (v) => ({ foundation: 100, 'multi-vendor': 70, 'single-vendor': 30 })[String(v)] ?? null,
  ),
  factIndicator(
    {
      id: 'ossHealth.forkability',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Lock-in: can be forked and taken over',
      scale: 'permissive OSI license 100, other OSI license 70, not OSI 0',
      origin: 'facts',
      fact: 'license',
    },
    (v) => (typeof v !== 'string' ? null : PERMISSIVE.has(v) ? 100 : OSI_LICENSES.has(v) ? 70 : 0),
  ),
];

/** OSS-health indicators measured from the project's own git history (`facts measure`). */
const GIT_HEALTH: Indicator[] = [
  factIndicator(
    {
      id: 'ossHealth.contributorAbsence',
      criterion: 'ossHealth',
      weight: 2,
      title: 'Activity: contributor absence factor (CHAOSS)',
      scale: '100 × fewest authors who made 50 % of the window’s commits / 10, capped at 100',
      origin: 'facts',
      fact: 'contributorAbsenceFactor',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : 10 * n;
    },
  ),
  factIndicator(
    {
      id: 'ossHealth.organisationalDiversity',
      criterion: 'ossHealth',
      weight: 2,
      title: 'Lock-in: organisational diversity of commits',
      scale:
        '100 × (1 − largest organisation’s share of commits) / 0.6, capped at 100 (a share of 40 % or less scores 100)',
      origin: 'facts',
      fact: 'largestOrganisationShare',
    },
    (v) => {
      const n = num(v);
      return n === null || n < 0 || n > 1 ? null : (100 * (1 - n)) / 0.6;
    },
    (v) => `${Math.round(100 * (num(v) ?? 0))}% of commits from the largest organisation`,
  ),
  factIndicator(
    {
      id: 'ossHealth.newContributors',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Activity: new contributors in the window',
      scale: '100 × authors whose first commit falls in the window / 50, capped at 100',
      origin: 'facts',
      fact: 'newContributorsLastYear',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : 2 * n;
    },
  ),
  factIndicator(
    {
      id: 'ossHealth.continuity',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Activity: months without commits',
      scale: '100 × (1 − months without a commit / 12)',
      origin: 'facts',
      fact: 'monthsWithoutCommits',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : 100 * (1 - n / 12);
    },
  ),
  factIndicator(
    {
      id: 'ossHealth.codeOfConduct',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Open community: code of conduct in the repository',
      scale: 'yes 100, no 0',
      origin: 'facts',
      fact: 'codeOfConduct',
    },
    bool,
  ),
  factIndicator(
    {
      id: 'ossHealth.fuzzing',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Security: fuzzing (oss-fuzz or Go fuzz targets)',
      scale: 'yes 100, no 0',
      origin: 'facts',
      fact: 'fuzzing',
    },
    bool,
  ),
  factIndicator(
    {
      id: 'ossHealth.pinnedActions',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Security: CI actions pinned by commit SHA',
      scale: '100 × share of GitHub Actions `uses:` pinned by a full commit SHA',
      origin: 'facts',
      fact: 'pinnedActionsShare',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : 100 * n;
    },
  ),
  factIndicator(
    {
      id: 'ossHealth.signedReleases',
      criterion: 'ossHealth',
      weight: 1,
      title: 'Security: signed release tags',
      scale: '100 × share of the window’s release tags that carry a signature',
      origin: 'facts',
      fact: 'signedTagsShare',
    },
    (v) => {
      const n = num(v);
      return n === null ? null : 100 * n;
    },
  ),
];

export const INDICATORS: readonly Indicator[] = [...BASE_INDICATORS, ...GIT_HEALTH];

export function indicatorsOf(criterion: string): Indicator[] {
  return INDICATORS.filter((i) => i.criterion === criterion);
}

/**
 * Indicators of a user-defined criterion: each name is a built-in indicator id (its score is reused)
 * or a fact key (`facts.<key>`, `capabilities.<key>` or a bare key looked up in facts then
 * capabilities) whose value is a number already on 0–100 or a boolean (100/0).
 */
export function customIndicator(criterion: string, name: string): Indicator {
  const builtin = INDICATORS.find((i) => i.id === name);
  if (builtin) return { ...builtin, id: `${criterion}:${name}`, criterion, weight: 1 };
  const [group, key] = name.startsWith('facts.')
    ? (['facts', name.slice(6)] as const)
    : name.startsWith('capabilities.')
      ? (['capabilities', name.slice(13)] as const)
      : ([undefined, name] as const);
  return {
    id: `${criterion}:${name}`,
    criterion,
    weight: 1,
    title: name,
    scale: 'fact value taken as is: a number on 0–100 (clamped), true 100, false 0',
    origin: 'facts',
    compute({ lookup }) {
      if (lookup.kind === 'not-applicable') return { score: null, raw: 'n/a', note: lookup.reason };
      if (lookup.kind === 'missing') return { score: null, raw: 'no facts' };
      const fact = group
        ? lookup.project[group][key]
        : (lookup.project.facts[key] ?? lookup.project.capabilities[key]);
      const known = knownFact(fact);
      if (!known) return { score: null, raw: 'unknown', note: fact ? fact.note : `no fact "${name}"` };
      const v = known.value;
      const score = typeof v === 'number' ? clamp(v) : typeof v === 'boolean' ? (v ? 100 : 0) : null;
      return {
        score,
        raw: String(v),
        source: known.source ?? undefined,
        asOf: known.asOf,
        note: score === null ? 'not a number or boolean: cannot be scored' : known.note,
      };
    },
  };
}
