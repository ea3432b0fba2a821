/**
 * The results file (`results/<run-id>/results.json`), versioned. Every stage after measurement
 * (stats, compare, scoring, report) reads only this. Documented in docs/results.md; bump
 * RESULTS_SCHEMA_VERSION on any incompatible change.
 */
import type { PathKind } from '../cluster/driver.js';
import type { AdminTierApi, Protocol } from '../netpol/types.js';
import type { Scenario } from '../scenario/schema.js';

export const RESULTS_SCHEMA_VERSION = 5;

/**
 * Versions this cnibench reads. Version 1 files (written before interleaved blocks and paired
 * baselines) are read as they are: they have no `schedule` or `paired`, so compare reports their
 * absolute figures only. Version 2 files recorded the old adaptive rule (a CI-width target per
 * candidate, `LegacyAdaptiveOutcome`): compare reads their samples as a fixed design (one look).
 * Version 3 records the sequential design (`AdaptiveOutcome`), the analysis's figure comparisons with
 * their minimum detectable effect, and A/A counts of figure verdicts, and cost (`cost`,
 * `derivedFrom`, the cost figures; absent in older files). Version 4 says what produced the file
 * (`origin`: a scenario or a compliance check) instead of top-level `scenarioFile` and `scenario`;
 * older files are read into `origin` (results/origin.ts). Version 5 renamed the local engine's own
 * policy-state figure (`policy-scale/policies=N/policy-memory`, metric `policy-memory`) to
 * `…/policy-state`, metric `policy-state-bytes`, so it cannot be taken for the dataplane memory
 * figure `memory-per-kpolicy`; older files are read as they are. `--resume` continues runs of the
 * current version only.
 */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2, 3, 4, 5];

/**
 * Summary statistics of one measurement's samples (warm-up samples excluded), as stored in the results
 * file; computed by the statistics stage (`src/stats/summary.ts`).
 */
export interface Summary {
  n: number;
  mean: number;
  median: number;
  stdev: number;
  /** Coefficient of variation: stdev / mean. */
  cv: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  /** 95% confidence interval of the mean (t-based). */
  ci95: [number, number];
  /** 95% bootstrap confidence interval of the median. */
  ci95Median: [number, number];
  /** Indexes (into samples) of IQR outliers: flagged, never dropped. */
  outliers: number[];
  /**
   * False when the CIs could not be estimated (a single sample): they are then [x, x] and must be
   * shown as "n/a". Absent in summaries written before this field existed (treat as n > 1).
   */
  ciDefined?: boolean;
  /** How ci95Median was computed (percentile bootstrap), so it can be reproduced. */
  bootstrap?: { resamples: number; seed: number };
  /** Interquartile range Q3 − Q1 (type-7 quartiles). */
  iqr?: number;
  /** Outlier fences [Q1 − 1.5·IQR, Q3 + 1.5·IQR]. */
  outlierFences?: [number, number];
}

export interface Provenance {
  cnibenchVersion: string;
  gitCommit: string | null;
  hostname: string;
  kernel: string;
  os: string;
  nodeVersion: string;
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  /** Versions of the external tools used (iperf3, nft, ip, helm, kubectl server...). */
  tools: Record<string, string>;
  cluster: {
    kind: 'local' | 'kube';
    context?: string;
    serverVersion?: string;
    nodes?: number;
  };
  startedAt: string;
  endedAt?: string;
}

export interface Mismatch {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
  expected: boolean;
  observed: boolean;
  /** e.g. "timeout", "refused", "answered by x/b" */
  detail?: string;
}

export interface CaseResult {
  name: string;
  tags: string[];
  /**
   * unsupported: the cluster does not enforce what the case needs (an admin-tier API the driver or
   * CNI does not support); neither a failure nor a skip of the run's own choosing. Absent from
   * results written before the admin tier existed.
   */
  status: 'pass' | 'fail' | 'skip' | 'unsupported';
  skipReason?: string;
  /** Why the case is unsupported (status unsupported). */
  unsupportedReason?: string;
  /**
   * Who lacks the support: `driver` (the harness cannot apply it on this kind of cluster: not
   * measured) or `cluster` (the cluster, i.e. its CNI, does not enforce it: measured).
   */
  unsupportedBy?: 'driver' | 'cluster';
  /** Probes (port/protocol entries) of the case not run, as the driver cannot probe their protocol; the rest were. */
  probesNotRun?: { count: number; reason: string };
  /**
   * A failed case that stopped probing before the convergence timeout, because every mismatch was of a
   * kind an earlier case of the workload showed for the whole timeout (workloads/conformance/budget.ts).
   */
  convergenceCutShort?: { afterMs: number; reason: string };
  /**
   * A failed case that was not probed, and why: the NetworkPolicy canary showed the cluster enforces
   * no NetworkPolicy (workloads/conformance/networkpolicy-canary.ts), and the case expects a denial.
   * Absent for cases that ran, and in results written before the canary existed.
   */
  failReason?: string;
  /** Time from applying the case's policies to the first probe round matching the model; null if never. */
  programmingLatencyMs: number | null;
  /** Mismatches of the last probe round (empty on pass). */
  mismatches: Mismatch[];
  probes: number;
  durationMs: number;
  /**
   * The case's pods as the cluster made them: logical key ("x/a") and real IP, what the model was
   * evaluated against; `netpol explain --run` explains a mismatch with them. Absent for cases not run
   * and in results written before it existed.
   */
  pods?: CasePodAddress[];
  /**
   * A multi-step case (docs/policy-change.md): one entry per step, step 0 being the case before any
   * change. The case passes when every step does; `programmingLatencyMs` is step 0's and
   * `mismatches` those of the first step that failed. Absent for static cases and in files written
   * before multi-step cases existed.
   */
  steps?: StepResult[];
}

/** One step of a multi-step case. */
export interface StepResult {
  /** 0: the case before any change; n: after the case's n-th step. */
  step: number;
  name?: string;
  /** What the step changes, e.g. `label:pod`, `create:NetworkPolicy`, `update:ClusterNetworkPolicy+label:namespace`; `initial` for step 0. */
  kind: string;
  status: 'pass' | 'fail';
  /**
   * Time to enforce: from the first API call (or local dataplane call) of the change to the first
   * probe round that matches the model for the state after it; null if none did within the
   * convergence timeout. For step 0 this is the programming latency.
   */
  timeToEnforceMs: number | null;
  /** Throughput ran on the same nodes during the step (`load` of the conformance result). */
  underLoad: boolean;
  /** Mismatches of the step's last probe round (empty on pass). */
  mismatches: Mismatch[];
  probes: number;
  /** Pairs the step turned from allowed to denied (per probe port and protocol). */
  newDenials?: number;
  /** Established flows held open across the change, for steps that turn an allow into a deny. */
  heldFlows?: HeldFlowOutcome[];
  /** Why flows could not be held on this step (e.g. the driver has no agent to hold them). */
  heldFlowsNotMeasured?: string;
}

/**
 * What happened to a long-lived flow, established before a change that denies it: `cut` (no answer
 * after the change was enforced), `kept` (answers went on, e.g. connection tracking lets the flow
 * through), `not-established` (it never got an answer before the change: nothing to judge). A
 * behaviour, not a verdict: upstream leaves it to the implementation.
 */
export interface HeldFlowOutcome {
  from: string;
  to: string;
  port: number;
  protocol: 'TCP' | 'UDP';
  outcome: 'cut' | 'kept' | 'not-established';
  /** Answers received before the change and after it was enforced. */
  answersBefore: number;
  answersAfter: number;
  /** How the flow ended, if it did (reset, closed by the other side). */
  error?: string;
}

/** The throughput that ran beside the multi-step cases (their steps' time to enforce is under this load). */
export interface ConformanceLoad {
  path: string;
  tool: string;
  /** Gbit/s of each finished load run, in order. */
  gbps: number[];
  /** Why the load stopped early or could not run, if it did. */
  error?: string;
}

interface CasePodAddress {
  key: string;
  ip: string;
}

export interface ConformanceResult {
  cases: number;
  passed: number;
  failed: number;
  skipped: number;
  /** Cases with status unsupported (absent in results written before that status existed). */
  unsupported?: number;
  durationMs: number;
  failures: CaseResult[];
  caseResults: CaseResult[];
  /** The throughput run beside the multi-step cases (absent when none ran, or none was asked for). */
  load?: ConformanceLoad;
  /**
   * The admin-tier canaries run before the first case of each admin-tier API version the driver can
   * apply (docs/admin-tier.md); absent when no admin-tier case ran.
   */
  adminTierCanaries?: AdminTierCanary[];
  /**
   * The NetworkPolicy canary run before the NetworkPolicy cases (docs/scs.md); absent when it was not
   * run (--no-canary, the local cluster) and in results written before it existed.
   */
  networkPolicyCanary?: NetworkPolicyCanary;
}

/**
 * Whether the cluster enforces NetworkPolicy at all, measured: a deny-all-ingress NetworkPolicy
 * alone in `namespace` must block `blocked` while `control` (the reverse pair) still connects.
 * not-enforced: blocked still connected when the convergence timeout ended while control connected;
 * the cases that expect a denial are then failed with `failReason`, not probed.
 */
export interface NetworkPolicyCanary extends Omit<AdminTierCanary, 'api'> {
  /** The namespace whose ingress it denied (absent when no pair could be probed). */
  namespace?: string;
}

/** One probe of a canary: from, to (pod keys), port and protocol. */
export interface CanaryProbe {
  from: string;
  to: string;
  port: number;
  protocol: Protocol;
}

/**
 * Whether the cluster enforces an admin-tier API version, measured: one Admin-tier Deny rule alone
 * (every NetworkPolicy removed) must block `blocked`, a pair nothing else denies, while `control`
 * (the reverse pair, which the rule does not cover) still connects.
 */
export interface AdminTierCanary {
  api: 'v1alpha1' | 'v1alpha2';
  /**
   * enforced: blocked was blocked while control connected; not-enforced: blocked still connected
   * when the convergence timeout ended (that version's cases are then `unsupported`, by `cluster`);
   * inconclusive: blocked was blocked but control never connected either (the cases run anyway), or
   * the case offered no pair to probe.
   */
  outcome: 'enforced' | 'not-enforced' | 'inconclusive';
  /** The case whose pods it ran on (the first case of that API version). */
  case: string;
  /** The policy applied, e.g. `ClusterNetworkPolicy "cnibench-canary" (Admin tier, priority 0): ingress Deny`. */
  policy: string;
  blocked?: CanaryProbe;
  control?: CanaryProbe;
  /** Probe rounds run. */
  rounds: number;
  /** From applying the policy to the round that decided (enforced), or to the last round. */
  durationMs: number;
  /** What the last round saw, in words. */
  detail: string;
}

export type WorkloadKind = 'throughput' | 'latency' | 'connection-rate' | 'policy-programming';

export interface Measurement {
  /** Stable id of the step that produced it (used by --resume). */
  id: string;
  workload: WorkloadKind;
  path: PathKind;
  /** e.g. "throughput", "rtt", "connections", "udp-loss", "jitter", "programming-latency" */
  metric: string;
  /** e.g. "Gbit/s", "us", "conn/s", "%", "ms" */
  unit: string;
  /** Whether a larger value is better (throughput) or worse (latency). */
  higherIsBetter: boolean;
  /** Workload parameters (the configuration): streams, protocol, payload, number of policies installed... */
  parameters: Record<string, string | number | boolean>;
  /**
   * What the tool observed beside the samples, not configuration: retransmits, packets, round trips,
   * percentiles pooled over every round trip, what one sample is. Never used to pair measurements.
   */
  details?: Record<string, string | number>;
  tool: { name: string; version?: string };
  samples: number[];
  /** Warm-up samples: run and kept, excluded from the summary. */
  warmup: number[];
  summary: Summary;
  adaptive?: AdaptiveOutcome | LegacyAdaptiveOutcome;
  /** Block and position of each sample (same index as `samples`); absent in version-1 files. */
  schedule?: SamplePlacement[];
  /** The paired baseline sample of each sample; absent for the baseline path and without a baseline. */
  paired?: PairedBaseline;
  /**
   * What each measured run cost (same index as `samples`), read before and after the run; on the
   * figure the run measured (e.g. the throughput of a path), absent where the cluster offers no cost
   * counters and in files before version 3 (docs/cost.md).
   */
  cost?: SampleCost;
  /**
   * For a derived figure (a cost figure such as CPU seconds per Gbit): the id of the measurement whose
   * runs it was computed from, run for run. Absent for measured figures.
   */
  derivedFrom?: string;
}

/** The cost of each run of a measurement (docs/cost.md); arrays have the index of `samples`. */
export interface SampleCost {
  /** How the counters were read, e.g. "cgroup v1 cpuacct, cgroup v1 memory.kmem, /proc/stat softirq". */
  method: string;
  /** CPU seconds the run cost: the difference of the counters read before and after it. */
  cpuSeconds: number[];
  /** A breakdown of the CPU (`pods`, `softirq`, `dataplane` locally; `nodes`, `pods` on real clusters). */
  cpuParts: Record<string, number[]>;
  /** Memory the policy dataplane held, read just before each run (bytes); absent when not readable. */
  dataplaneMemoryBytes?: number[];
}

/** Where one sample was taken in the interleaved schedule (docs/statistics.md, "Blocks"). */
export interface SamplePlacement {
  /**
   * The repetition block, counted per measurement from 0: samples of different candidates with the
   * same measurement id and block were measured in the same block, one candidate after the other.
   */
  block: number;
  /** This candidate's turn in the block's seeded shuffled order (0 = first). */
  position: number;
}

/** The baseline-path samples measured in the same turn as each sample (same index as `samples`). */
interface PairedBaseline {
  /** Id of the baseline-path measurement they belong to, e.g. `throughput/tcp/streams=1/baseline`. */
  id: string;
  samples: number[];
}

/**
 * How sequential sampling ended for a measurement (docs/statistics.md, "Sequential sampling"). The
 * design (first look, planned maximum) is what compare needs to read the looks back.
 */
export interface AdaptiveOutcome {
  rule: 'group-sequential';
  /** First look: the blocks measured before any stop (the scenario's `count`). */
  minBlocks: number;
  /** The planned maximum (`adaptive.maxSamples`): information fraction = blocks / maxBlocks. */
  maxBlocks: number;
  /** Level the stopping rule decided at (alpha over the unit's comparisons). */
  alpha: number;
  /** Blocks measured. */
  blocks: number;
  /** Why sampling stopped. */
  stopped: 'decided' | 'max-blocks' | 'budget' | 'single-candidate';
  /** Whether this figure's comparisons were all decided when sampling stopped. */
  decided: boolean;
  /** The time budget of the workload's blocks, seconds (scenario `repetitions.maxDuration`). */
  maxDurationSeconds?: number;
}

/** The old adaptive rule's record (results version 2): each candidate's own CI width. */
export interface LegacyAdaptiveOutcome {
  targetCiPercent: number;
  maxSamples: number;
  reached: boolean;
  ciPercent?: number;
}

/** The drift of one figure: the candidates' paired baselines differ (same hardware, other moment). */
interface DriftWarning {
  /** Compare row key (workload|path|metric|parameters). */
  key: string;
  /** Measurement id of the figure. */
  measurement: string;
  candidate: string;
  /** The baseline candidate of the comparison. */
  against: string;
  /** Relative difference of the candidates' baselines (candidate / against − 1). */
  relativeDifference: number | null;
  /** Raw p-value of the test between the two baseline series. */
  p: number | null;
  /** The tolerance it was held against (fraction). */
  tolerance: number;
  /** One sentence for people, as compare and the report print it. */
  sentence: string;
}

/**
 * The A/A check of `cnibench run --aa`: the same candidate twice, so every better/worse is false.
 * Counts figure verdicts (one per figure; version 3), not tests.
 */
export interface AaCheck {
  /** The scenario candidate that ran twice. */
  candidate: string;
  /** Comparisons made (absolute and baseline-normalized, every row). */
  comparisons: number;
  /** Comparisons called better or worse after adjustment. */
  falseDiscoveries: number;
  /** Which ones, as compare names them. */
  discoveries: string[];
  alpha: number;
  adjust: string;
  margin: number;
}

/** A handicap `run --planted` put in place (docs/statistics.md, "Planted-effect check"). */
export interface PlantedHandicapRecord {
  /** Measurement id of the figure it worsens, e.g. `throughput/tcp/streams=1/cross-node`. */
  figure: string;
  /** rate-cap: tbf on the server pod's veth; service-time: a busy-wait in the agent client. */
  mechanism: 'rate-cap' | 'service-time';
  /** The warm-up figure it was sized from (median of every candidate's warm-up runs of the unit). */
  warmup: number;
  /** Unit of `warmup`: Gbit/s, us or conn/s. */
  unit: string;
  /** rate-cap: the cap, bit/s. */
  capBitsPerSecond?: number;
  /** service-time: µs of busy-wait added to every round trip or connection. */
  serviceUs?: number;
  /** The figure's intended change in %: −P for throughput and connection rate, +P for round trips. */
  intendedPercent: number;
}

/** Set by `run --planted P`: the first candidate twice, the second copy with a known handicap. */
interface PlantedRun {
  /** The scenario candidate that ran twice. */
  of: string;
  /** The copy that carries the handicap (the second). */
  handicapped: string;
  /** P, %. */
  percent: number;
  /** Every handicap as put in place, in order (a figure measured again appears again; the last counts). */
  handicaps: PlantedHandicapRecord[];
}

/** What the run's comparison made of the planted handicap: how many handicapped figures it saw. */
export interface PlantedCheck {
  candidate: string;
  handicapped: string;
  percent: number;
  /** Figures that carried a handicap (and were compared). */
  figures: number;
  /** Of them, called worse for the handicapped copy: detected with the right sign. */
  detected: number;
  /** Called better: the wrong sign. */
  wrongSign: number;
  /** Equivalent or inconclusive: not seen. */
  missed: number;
  /** The same counts per workload kind (throughput, latency, connection-rate). */
  byWorkload: Record<string, { figures: number; detected: number; wrongSign: number }>;
  /** Each handicapped figure and its verdict. */
  outcomes: Array<{ figure: string; verdict: string; intendedPercent: number }>;
}

/** The comparison computed when the run finished (what compare prints for this file alone). */
export interface RunAnalysis {
  generatedAt: string;
  baseline: string;
  alpha: number;
  adjust: string;
  margin: number;
  driftTolerance: number;
  /** Comparisons in the family: one per figure and candidate. */
  comparisons: number;
  verdicts: Record<string, number>;
  drift: DriftWarning[];
  /** One per figure and candidate compared (version 3). */
  figures?: FigureAnalysis[];
  /** Level the minimum detectable effects are stated at (alpha / comparisons). */
  mdeLevel?: number;
  aa?: AaCheck;
  planted?: PlantedCheck;
}

/** One figure's comparison as the run's analysis recorded it (docs/statistics.md). */
export interface FigureAnalysis {
  measurement: string;
  candidate: string;
  against: string;
  verdict: 'better' | 'worse' | 'equivalent' | 'inconclusive';
  /** 'paired' (interleaved blocks) or 'unpaired' (separate runs). */
  design: 'paired' | 'unpaired';
  basis: 'absolute' | 'normalized';
  /** Blocks paired. */
  n: number;
  /** Geometric-mean ratio − 1 (or mean difference / baseline mean for figures that can be 0). */
  relativeDifference: number | null;
  relativeDifferenceCi: [number, number] | null;
  ciLevel: number;
  p: number | null;
  pAdjusted: number | null;
  /** Smallest relative difference detectable with 80% power at mdeLevel with these samples. */
  minimumDetectableEffect: number | null;
  /** Blocks a difference of the margin's size would need (80% power, mdeLevel). */
  blocksForMargin: number | null;
}

export interface CandidateResult {
  name: string;
  cni: string;
  /** How reports must name it, e.g. "local reference profile (routed)" or "Calico v3.29.1". */
  label: string;
  version?: string;
  /** Versions actually running, read from the cluster after install. */
  installedVersions?: Record<string, string>;
  /** Real clusters: the admin-tier APIs the cluster served when it was evaluated (after the install). */
  adminTierApis?: AdminTierApisRecord;
  settings: Record<string, unknown>;
  conformance?: ConformanceResult;
  measurements: Measurement[];
  /** Ids of finished steps, for --resume. */
  completedSteps: string[];
  errors: Array<{ step: string; message: string }>;
}

/** Which admin-tier API versions a real cluster served, read from its CRDs (docs/admin-tier.md). */
export interface AdminTierApisRecord {
  /** Versions cnibench could apply: CRD installed, serving the version, Established. */
  served: AdminTierApi[];
  /** Why each other version could not be applied. */
  missing: Partial<Record<AdminTierApi, string>>;
  /** The CRDs as read (admin-tier-apis.ts maps the kube driver's detection to this saved form). */
  crds: AdminTierCrdRecord[];
}

/** One admin-tier CRD as a real cluster served it, as results.json keeps it. */
interface AdminTierCrdRecord {
  /** The CRD's name (adminnetworkpolicies.policy.networking.k8s.io). */
  crd: string;
  /** False: the CRD is not installed. */
  installed: boolean;
  /** Versions the CRD serves (served: true). */
  servedVersions: string[];
  established: boolean;
  /** The network-policy-api release that generated it (annotation policy.networking.k8s.io/bundle-version). */
  bundleVersion?: string;
  /** Its channel (annotation policy.networking.k8s.io/channel): standard or experimental. */
  channel?: string;
}

export interface ResultsFile {
  /** RESULTS_SCHEMA_VERSION when written by this cnibench; 1 in older files it still reads. */
  schemaVersion: number;
  runId: string;
  /** What produced the file: a scenario run (`cnibench run`) or a compliance check (`cnibench check`). */
  origin: RunOrigin;
  status: 'running' | 'complete' | 'interrupted' | 'failed';
  provenance: Provenance;
  candidates: CandidateResult[];
  /** How the candidates were interleaved (local clusters): the seed of every block's order. */
  interleaving?: { seed: number; candidates: string[] };
  /** Set by `run --aa`: the run measured this scenario candidate twice, as two candidates. */
  aa?: { of: string };
  /** Set by `run --planted P`: as `aa`, but the second copy carries a known handicap of P %. */
  planted?: PlantedRun;
  /** Drift warnings, verdict counts and the A/A check, computed when the run finished. */
  analysis?: RunAnalysis;
  /**
   * Set by `cnibench check` (a compliance check of a cluster as it is, no CNI installed): the verdicts
   * it printed. Its one candidate is the cluster, named by the CNI detected on it.
   */
  check?: ComplianceCheck;
}

export type RunOrigin = ScenarioOrigin | CheckOrigin;

/** A `cnibench run` of a scenario file. */
export interface ScenarioOrigin {
  kind: 'scenario';
  /** Path of the scenario file as given. */
  file: string;
  /** The scenario as run (after defaults). */
  scenario: Scenario;
}

/**
 * A `cnibench check`: what was asked of which cluster, and how. It has no scenario: a check has no
 * candidates to install, no performance workloads and no scoring.
 */
export interface CheckOrigin {
  kind: 'check';
  /** The command as given, e.g. `cnibench check scs-0219 scs-0219-networkpolicy`. */
  command: string;
  /** The standard and its version, e.g. "scs-0219-v1". */
  standard: string;
  /** Testcase ids given on the command line; empty: every id of the check. */
  testcases: string[];
  /** The kubeconfig file given (absent: the default lookup); the context used is provenance.cluster.context. */
  kubeconfig?: string;
  /** The kubeconfig context given (absent: the current context). */
  context?: string;
  options: CheckRunOptions;
}

/** The options a check ran with (docs/scs.md); fields marked so are absent in files before version 4. */
interface CheckRunOptions {
  /** Conformance cases in flight at once. */
  lanes: number;
  probeMode?: 'agent' | 'agnhost';
  imageRegistry?: string;
  /** Seconds per probe and seconds a case may take to match the model (absent: the defaults, 1 and 10). */
  probeTimeout?: number;
  convergenceTimeout?: number;
  /** How the standard's ipBlock exceptions applied (`--ipblock-exception`); absent before version 4. */
  ipBlockException?: 'sonobuoy' | 'narrow' | 'none';
  /** false: the optional ids were left out (`--no-optional`); absent before version 4. */
  optional?: boolean;
  /** false: `--no-canary`, every NetworkPolicy case was probed; absent before the NetworkPolicy canary existed. */
  canary?: boolean;
  /** When --tag/--exclude-tag/--max-cases narrowed the suite. */
  narrowed?: { tags: string[]; excludeTags: string[]; maxCases: number };
  /** The report formats a check renders (`cnibench report` renders these again); a check draws no charts. */
  reportFormats: Scenario['report']['formats'];
  /** false: `--no-report`, none was rendered when the check ended. */
  report: boolean;
}

/** What a compliance check decided (docs/scs.md). */
export interface ComplianceCheck {
  /** The standard checked, e.g. "scs-0219-v1". */
  standard: string;
  /** Testcase ids given on the command line; empty: every id of the check. */
  requested: string[];
  /** One per testcase id of the check, requested or not (requested ones are printed on stdout). */
  verdicts: CheckVerdict[];
  /** The exceptions of the standard's test the check follows (docs/scs.md). */
  exceptions: Array<{ id: string; text: string; source: string }>;
  /** Cases that failed but do not count, each with the standard's exception that covers it. */
  excepted: ExceptedCase[];
  /** The WARNING lines printed (without the "WARNING: " prefix). */
  warnings: string[];
  /** Why the check could not run, when its MUST verdict is ABORT. */
  abort?: string;
  /** Every known CNI node agent found on the cluster (empty: none recognised). */
  detected: Array<{ cni: string; namespace: string; name: string; image: string; version: string }>;
  /** When --tag/--exclude-tag/--max-cases narrowed the suite: what was asked (verdicts cover only that). */
  narrowed?: { tags: string[]; excludeTags: string[]; maxCases: number };
  exitCode: number;
}

export interface CheckVerdict {
  /** Testcase id, e.g. "kaas-networking-check", "scs-0219-networkpolicy". */
  id: string;
  /** MUST and SHOULD as the standard says; optional: excepted by the standard's test (SCTP); aggregate: the standard's own testcase. */
  requirement: 'MUST' | 'SHOULD' | 'optional' | 'aggregate';
  /** PASS, FAIL or ABORT as printed; none: no verdict line (an unsupported SHOULD, only a WARNING). */
  verdict: 'PASS' | 'FAIL' | 'ABORT' | 'none';
  /** One sentence: what was measured. */
  summary: string;
}

export interface ExceptedCase {
  /** Case name (a CaseResult of the check's candidate). */
  case: string;
  /** Id of the exception (docs/scs.md), e.g. "ipblock-pod-ip". */
  exception: string;
  reason: string;
}
