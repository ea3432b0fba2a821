/** Records produced by the scoring stage; the report stage reads only these (plus the results). */

/** One indicator's value for one candidate, normalised to 0–100, or missing with the reason. */
export interface IndicatorValue {
  indicator: string;
  criterion: string;
  weight: number;
  /** 0–100, or null when there is no data (never silently zero). */
  score: number | null;
  /** The raw value as shown to a reader, e.g. "Apache-2.0", "42 contributors", "0.93 × baseline". */
  raw: string;
  source?: string;
  asOf?: string;
  /** Why the score is null, or a note on how it was derived. */
  note?: string;
}

export interface IndicatorDefinition {
  id: string;
  criterion: string;
  /** Relative weight inside its criterion. */
  weight: number;
  title: string;
  /** The documented scale (also in docs/scoring.md). */
  scale: string;
  /** Where the value comes from: measured results or the facts file. */
  origin: 'measured' | 'facts';
}

export interface CriterionScore {
  criterion: string;
  /** Weighted mean of the indicators compared (0–100), or null when none had data. */
  score: number | null;
  /** Share (0–1) of this criterion's indicator weight for which this candidate has data. */
  coverage: number;
  /**
   * 95 % interval of the score over block-bootstrap replicates of the measurements
   * (scoring/uncertainty.ts); equal to [score, score] where nothing measured enters it.
   */
  interval?: ScoreInterval | null;
}

interface ScoreInterval {
  lo: number;
  hi: number;
}

export interface CandidateScore {
  /** Candidate name (unique in the merged results). */
  name: string;
  label: string;
  cni: string;
  /** Facts-based criteria do not apply (local reference profile); the reason, shown in reports. */
  notApplicable?: string;
  /** Whether it takes part in the decision (reference profiles do not when real candidates exist). */
  eligible: boolean;
  indicators: IndicatorValue[];
  criteria: CriterionScore[];
  /** Weighted total over the criteria compared (0–100); null when no criterion could be compared. */
  total: number | null;
  /** 95 % interval of the total over block-bootstrap replicates of the measurements. */
  totalInterval?: ScoreInterval | null;
  /** Share (0–1) of all indicator weight (criterion weight × indicator weight) with data. */
  confidence: number;
  rank: number | null;
}

export interface WeightShift {
  /** Criteria weight is taken from, with the amount (in the scenario's weight units). */
  from: Array<{ criterion: string; amount: number }>;
  to: string;
  /** Total weight moved, in the scenario's weight units. */
  amount: number;
  /** amount as a share of the total weight (0–1); the L1 distance of the normalised weights is twice this. */
  share: number;
  /** The candidate that would then tie with (and beyond it overtake) the winner. */
  newWinner: string;
}

/**
 * Whether the leader's total is separated from the runner-up's once measurement uncertainty is
 * counted: the 95 % bootstrap intervals of the difference of totals, with and without ties, both lie
 * above 0.
 */
export interface ScoreSeparation {
  leader: string;
  runnerUp: string;
  /** Leader's total − runner-up's total (points of 100), from the point estimates. */
  difference: number;
  /** 95 % interval of that difference over the replicates. */
  interval: ScoreInterval;
  /**
   * 95 % interval of the difference when no figure ties: figures the comparison could not tell apart
   * score by their medians. How far the totals could differ — what the measurements cannot exclude.
   */
  untiedInterval: ScoreInterval;
  separated: boolean;
  /** Share (0–1) of untied replicates in which the leader ranks strictly first. */
  leaderFirstShare: number;
  resamples: number;
  seed: number;
}

export interface SensitivityResult {
  winner: string | null;
  /** Null when no weight change among the compared criteria can change the winner. */
  minimalShift: WeightShift | null;
  /** Why minimalShift is null, or how it was computed. */
  note: string;
  /** Ranking (best first, candidate names) under each criterion alone; candidates without a score omitted. */
  perCriterion: Array<{ criterion: string; ranking: Array<{ name: string; score: number }> }>;
}

type Requirement = 'MUST' | 'SHOULD' | 'MAY';
type FitStatus = 'met' | 'not-met' | 'unknown' | 'not-applicable';

export interface StandardsCheck {
  id: string;
  requirement: Requirement;
  text: string;
  status: FitStatus;
  evidence: string;
  source?: string;
}

export interface StandardsFit {
  standard: string;
  title: string;
  url: string;
  candidates: Array<{ name: string; checks: StandardsCheck[] }>;
}

export interface FeatureCell {
  feature: string;
  /** measured: pass rate over non-skipped cases with the tag; declared: from the facts file. */
  origin: 'measured' | 'declared';
  /** `observed`: a behaviour recorded as it is (e.g. cut or kept), neither good nor bad, never scored. */
  status:
    'supported' | 'partial' | 'unsupported' | 'unknown' | 'not-measured' | 'not-applicable' | 'observed';
  /** For measured features, e.g. "12/12 passed (3 skipped)"; for declared ones the note. */
  detail: string;
  source?: string;
  asOf?: string;
  passRate?: number;
}

export interface FeatureMatrix {
  features: Array<{ id: string; title: string; origin: 'measured' | 'declared' }>;
  candidates: Array<{ name: string; cells: FeatureCell[] }>;
}

export interface ScoringResult {
  generatedAt: string;
  factsFile: string | null;
  factsVersion: number | null;
  /** Criterion → weight as configured (0 allowed). */
  weights: Record<string, number>;
  /** Criteria that entered the totals, and those left out with the reason. */
  comparedCriteria: string[];
  excludedCriteria: Array<{ criterion: string; reason: string }>;
  /** Indicators left out of the comparison because an eligible candidate had no data for them. */
  excludedIndicators: Array<{ indicator: string; missingFor: string[] }>;
  indicatorDefinitions: IndicatorDefinition[];
  candidates: CandidateScore[];
  /**
   * The candidate named the winner: the leader, when its total is separated from the runner-up's
   * (see `separation`); null when they cannot be told apart or nothing could be scored.
   */
  winner: string | null;
  /** The highest total by point estimate, separated or not. */
  leader: string | null;
  /** Leader against runner-up with measurement uncertainty; null with fewer than two ranked. */
  separation: ScoreSeparation | null;
  /** True when only reference profiles were compared: a rehearsal, not a product decision. */
  referenceOnly: boolean;
  sensitivity: SensitivityResult;
  /** The criteria that decide between the winner and the runner-up, largest contribution first. */
  decisiveCriteria: Array<{ criterion: string; contribution: number }>;
  features: FeatureMatrix;
  standards: StandardsFit;
  staleFacts: Array<{ project: string; key: string; asOf: string; ageDays: number }>;
  warnings: string[];
}
