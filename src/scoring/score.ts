/**
 * From measurements and facts to a decision. Per candidate: indicator scores (0–100 or no data) →
 * criterion scores → weighted total, with a confidence (share of indicator weight with data).
 *
 * Comparison rule (why totals are fair): an indicator enters the comparison only when every
 * candidate taking part in the decision has data for it; the others are listed as excluded, never
 * scored as zero. A criterion with no comparable indicator is left out of the totals, and its
 * weight with it (also listed). Local reference profiles take part only when no real CNI does.
 */
import {
  BUILTIN_CRITERIA,
  type Candidate,
  type ScoringConfig,
  type StatisticsConfig,
} from '../scenario/schema.js';
import type { CandidateResult } from '../results/schema.js';
import { factsFor, staleFacts, type FactsLookup, type LoadedFacts } from './facts.js';
import { featureMatrix } from './features.js';
import { customIndicator, indicatorsOf, type Indicator } from './indicators.js';
import { minimalWeightShift, perCriterionRankings } from './sensitivity.js';
import { standardsFit } from './standards.js';
import { performanceTies, type Ties } from './ties.js';
import type {
  CandidateScore,
  CriterionScore,
  IndicatorValue,
  ScoreSeparation,
  ScoringResult,
} from './types.js';
import {
  bootstrapScores,
  hasMeasurementNoise,
  percentileInterval,
  SCORE_SEED,
  type ReplicateScores,
} from './uncertainty.js';

const NO_SCORES: ReplicateScores = { total: null, criteria: {} };

/**
 * Leader against runner-up over the replicates: the difference of totals with its 95 % interval, and
 * how often the leader ranks first. Without replicates (nothing measured twice) the point difference
 * is exact: facts carry no sampling noise.
 */
function separationOf(
  ranked: ReadonlyArray<CandidateScore & { total: number }>,
  replicates: ReadonlyArray<Map<string, ReplicateScores>>,
  untied: () => ReadonlyArray<Map<string, ReplicateScores>>,
): ScoreSeparation | null {
  const [first, second] = ranked;
  if (!first || !second) return null;
  const diffOf = (rep: Map<string, ReplicateScores>): number[] => {
    const a = rep.get(first.name)?.total ?? null;
    const b = rep.get(second.name)?.total ?? null;
    return a === null || b === null ? [] : [a - b];
  };
  const difference = first.total - second.total;
  const diffs = replicates.flatMap(diffOf);
  const interval = percentileInterval(diffs) ?? { lo: difference, hi: difference };
  const free = replicates.length > 0 ? untied() : [];
  const untiedInterval = percentileInterval(free.flatMap(diffOf)) ?? interval;
  // Strictly ahead of every other candidate, in replicates where no figure ties.
  const firstIn = (rep: Map<string, ReplicateScores>): boolean => {
    const a = rep.get(first.name)?.total ?? null;
    return a !== null && ranked.every((c) => c === first || (rep.get(c.name)?.total ?? -Infinity) < a);
  };
  return {
    leader: first.name,
    runnerUp: second.name,
    difference,
    interval,
    untiedInterval,
    // Strictly above 0, with and without ties: an interval touching 0 does not separate, and neither
    // does a lead that figures not yet told apart could undo.
    separated: difference > 0 && interval.lo > 0 && untiedInterval.lo > 0,
    leaderFirstShare: free.length > 0 ? free.filter(firstIn).length / free.length : difference > 0 ? 1 : 0,
    resamples: replicates.length,
    seed: SCORE_SEED,
  };
}

export interface ScoreInput {
  candidates: CandidateResult[];
  /** The scenario's candidates, for the `facts` key override (defaults to the cni). */
  scenarioCandidates?: Candidate[];
  config: ScoringConfig;
  facts?: LoadedFacts;
  now?: Date;
  /** The comparison settings whose verdicts decide ties in the performance criterion. */
  statistics?: StatisticsConfig;
}

function criteriaOf(config: ScoringConfig): Array<{ name: string; indicators: Indicator[] }> {
  return [
    ...BUILTIN_CRITERIA.map((name) => ({ name: String(name), indicators: indicatorsOf(name) })),
    ...config.customCriteria.map((c) => ({
      name: c.name,
      indicators: c.indicators.map((i) => customIndicator(c.name, i)),
    })),
  ];
}

function weightedMean(values: Array<{ weight: number; score: number }>): number | null {
  const w = values.reduce((s, v) => s + v.weight, 0);
  return w > 0 ? values.reduce((s, v) => s + v.weight * v.score, 0) / w : null;
}

export function scoreResults(input: ScoreInput): ScoringResult {
  const now = input.now ?? new Date();
  const { config } = input;
  const facts = input.facts?.facts;
  const warnings: string[] = [];
  const criteria = criteriaOf(config);
  const weights: Record<string, number> = {};
  for (const c of criteria) {
    weights[c.name] = config.weights[c.name] ?? 0;
    if (config.weights[c.name] === undefined && !(BUILTIN_CRITERIA as readonly string[]).includes(c.name)) {
      warnings.push(`criterion "${c.name}" has no weight in scoring.weights: it is shown but does not count`);
    }
  }

  const entries = input.candidates.map((result) => {
    const key = input.scenarioCandidates?.find((c) => c.name === result.name)?.facts ?? result.cni;
    const lookup: FactsLookup = factsFor(facts, key);
    if (lookup.kind === 'missing' && facts)
      warnings.push(`no facts for "${key}" (candidate ${result.label}): facts-based indicators have no data`);
    return { result, lookup };
  });
  if (!facts) warnings.push('no facts file loaded: facts-based indicators have no data');

  const real = entries.filter((e) => e.lookup.kind !== 'not-applicable');
  const referenceOnly = real.length === 0;
  const eligible = new Set((referenceOnly ? entries : real).map((e) => e.result.name));

  // Every indicator for every candidate.
  const ties = performanceTies(input.candidates, input.statistics);
  const valuesOf = (results: readonly CandidateResult[], tieRule: Ties | null = ties) => {
    const out = new Map<string, IndicatorValue[]>();
    entries.forEach((e, i) => {
      const candidate = results[i] ?? e.result;
      const list: IndicatorValue[] = [];
      for (const c of criteria) {
        for (const ind of c.indicators) {
          const v = ind.compute({
            candidate,
            all: results,
            lookup: e.lookup,
            now,
            ties: tieRule ?? undefined,
          });
          list.push({ indicator: ind.id, criterion: c.name, weight: ind.weight, ...v });
        }
      }
      out.set(e.result.name, list);
    });
    return out;
  };
  const values: Map<string, IndicatorValue[]> = valuesOf(input.candidates);
  // Every criterion has a weight (0 when the config names none); see the loop above.
  const weightOf = (criterion: string): number => weights[criterion] ?? 0;
  const scoreOf = (name: string, id: string): number | null =>
    values.get(name)?.find((v) => v.indicator === id)?.score ?? null;

  // The comparable indicators: data for every eligible candidate.
  const excludedIndicators: ScoringResult['excludedIndicators'] = [];
  const compared = new Set<string>();
  for (const c of criteria) {
    for (const ind of c.indicators) {
      const missingFor = [...eligible].filter((n) => scoreOf(n, ind.id) === null);
      if (missingFor.length === 0) compared.add(ind.id);
      else if (missingFor.length < eligible.size) excludedIndicators.push({ indicator: ind.id, missingFor });
    }
  }

  const comparedCriteria: string[] = [];
  const excludedCriteria: ScoringResult['excludedCriteria'] = [];
  for (const c of criteria) {
    if (weightOf(c.name) <= 0) {
      excludedCriteria.push({ criterion: c.name, reason: 'weight 0' });
    } else if (!c.indicators.some((i) => compared.has(i.id))) {
      excludedCriteria.push({
        criterion: c.name,
        reason: referenceOnly
          ? 'no data: the local reference profiles have no facts, and facts-based criteria do not apply to them'
          : 'no indicator with data for every compared candidate',
      });
    } else comparedCriteria.push(c.name);
  }

  const allW = criteria.reduce((s, c) => s + weightOf(c.name), 0);
  /** Criterion scores and the total of one candidate's indicator values. */
  const scoresOf = (vals: IndicatorValue[]): { crit: CriterionScore[]; total: number | null } => {
    const crit: CriterionScore[] = criteria.map((c) => {
      const mine = vals.filter((v) => v.criterion === c.name);
      const totalW = mine.reduce((s, v) => s + v.weight, 0);
      const withData = mine.filter((v) => v.score !== null);
      const coverage = totalW > 0 ? withData.reduce((s, v) => s + v.weight, 0) / totalW : 0;
      const used = withData.filter((v) => compared.has(v.indicator)) as Array<
        IndicatorValue & { score: number }
      >;
      return { criterion: c.name, score: weightedMean(used), coverage };
    });
    const counted = crit.flatMap((c) =>
      comparedCriteria.includes(c.criterion) && c.score !== null
        ? [{ weight: weightOf(c.criterion), score: c.score }]
        : [],
    );
    return { crit, total: weightedMean(counted) };
  };

  // Measurement uncertainty: the same scoring on block-bootstrap replicates (scoring/uncertainty.ts).
  // Once with the ties of the point estimate (the intervals of the scores shown), once without any
  // (how far the totals could differ if the figures the comparison could not tell apart did differ).
  const replicatesOf = (tieRule: Ties | null) =>
    hasMeasurementNoise(input.candidates)
      ? bootstrapScores(input.candidates, (rep) => {
          const repValues = valuesOf(rep, tieRule);
          return new Map(
            entries.map(({ result }) => {
              const { crit, total } = scoresOf(repValues.get(result.name) ?? []);
              return [
                result.name,
                { total, criteria: Object.fromEntries(crit.map((c) => [c.criterion, c.score])) },
              ] as const;
            }),
          );
        })
      : [];
  const replicates = replicatesOf(ties);
  const intervalOf = (name: string, point: number | null, pick: (r: ReplicateScores) => number | null) => {
    if (point === null) return null;
    if (replicates.length === 0) return { lo: point, hi: point };
    return percentileInterval(
      replicates.flatMap((rep) => {
        const v = pick(rep.get(name) ?? NO_SCORES);
        return v === null ? [] : [v];
      }),
    );
  };

  const candidates: CandidateScore[] = entries.map(({ result, lookup }) => {
    const vals = values.get(result.name) ?? [];
    const { crit, total } = scoresOf(vals);
    for (const c of crit)
      c.interval = intervalOf(result.name, c.score, (r) => r.criteria[c.criterion] ?? null);
    const totalInterval = intervalOf(result.name, total, (r) => r.total);
    const confidence = allW > 0 ? crit.reduce((s, c) => s + weightOf(c.criterion) * c.coverage, 0) / allW : 0;
    return {
      name: result.name,
      label: result.label,
      cni: result.cni,
      notApplicable: lookup.kind === 'not-applicable' ? lookup.reason : undefined,
      eligible: eligible.has(result.name),
      indicators: vals,
      criteria: crit,
      total,
      totalInterval,
      confidence,
      rank: null,
    };
  });

  const ranked = candidates
    .filter((c): c is CandidateScore & { total: number } => c.eligible && c.total !== null)
    .sort((a, b) => b.total - a.total || b.confidence - a.confidence || a.name.localeCompare(b.name));
  ranked.forEach((c, i) => (c.rank = i + 1));
  const leader = ranked[0]?.name ?? null;
  const separation = separationOf(ranked, replicates, () => replicatesOf(null));
  // A winner is named only where measurement uncertainty cannot reverse the order.
  const winner = separation ? (separation.separated ? leader : null) : leader;

  const scoreMap = new Map<string, Record<string, number>>();
  for (const c of ranked) {
    scoreMap.set(
      c.name,
      Object.fromEntries(c.criteria.flatMap((x) => (x.score === null ? [] : [[x.criterion, x.score]]))),
    );
  }
  const sens =
    leader && ranked.length > 1
      ? minimalWeightShift({ criteria: comparedCriteria, weights, scores: scoreMap, winner: leader })
      : null;
  const perCriterion = perCriterionRankings(
    criteria.map((c) => c.name),
    new Map(
      candidates
        .filter((c) => c.eligible)
        .map((c) => [c.name, Object.fromEntries(c.criteria.map((x) => [x.criterion, x.score]))]),
    ),
  );

  const decisiveCriteria: ScoringResult['decisiveCriteria'] = [];
  const [first, second] = ranked;
  if (first && second) {
    const sumW = comparedCriteria.reduce((s, c) => s + weightOf(c), 0);
    for (const c of comparedCriteria) {
      const sa = scoreMap.get(first.name)?.[c];
      const sb = scoreMap.get(second.name)?.[c];
      if (sa === undefined || sb === undefined) continue; // a ranked candidate scores every compared criterion
      const contribution = ((sa - sb) * weightOf(c)) / sumW;
      if (contribution > 0) decisiveCriteria.push({ criterion: c, contribution });
    }
    decisiveCriteria.sort((x, y) => y.contribution - x.contribution);
  }

  const stale = facts ? staleFacts(facts, config.factsMaxAgeDays, now) : [];
  if (stale.length > 0)
    warnings.push(`${stale.length} facts are older than ${config.factsMaxAgeDays} days (factsMaxAgeDays)`);
  if (referenceOnly) {
    warnings.push(
      'only local reference profiles were compared: this is a rehearsal of the method, not a decision between CNI plugins',
    );
  }

  return {
    generatedAt: now.toISOString(),
    factsFile: input.facts?.file ?? null,
    factsVersion: facts?.factsVersion ?? null,
    weights,
    comparedCriteria,
    excludedCriteria,
    excludedIndicators,
    indicatorDefinitions: criteria.flatMap((c) =>
      c.indicators.map(({ id, criterion, weight, title, scale, origin }) => ({
        id,
        criterion,
        weight,
        title,
        scale,
        origin,
      })),
    ),
    candidates,
    winner,
    leader,
    separation,
    referenceOnly,
    sensitivity: {
      winner: leader,
      minimalShift: sens?.shift ?? null,
      note: sens?.note ?? (leader ? 'only one candidate compared' : 'no candidate could be scored'),
      perCriterion,
    },
    decisiveCriteria,
    features: featureMatrix(entries),
    standards: standardsFit(entries),
    staleFacts: stale,
    warnings,
  };
}
