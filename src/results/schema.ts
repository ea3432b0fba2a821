/**
 * The results file (`results/<run-id>/results.json`), versioned. Every stage after measurement
 * (stats, compare, scoring, report) reads only this. Documented in docs/results.md; bump
 * RESULTS_SCHEMA_VERSION on any incompatible change.
 */
import type { PathKind } from '../cluster/driver.js';
import type { Protocol } from '../netpol/types.js';
import type { Scenario } from '../scenario/schema.js';

export const RESULTS_SCHEMA_VERSION = 1;

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
  /** Time from applying the case's policies to the first probe round matching the model; null if never. */
  programmingLatencyMs: number | null;
  /** Mismatches of the last probe round (empty on pass). */
  mismatches: Mismatch[];
  probes: number;
  durationMs: number;
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
  adaptive?: { targetCiPercent: number; maxSamples: number; reached: boolean };
}

export interface CandidateResult {
  name: string;
  cni: string;
  /** How reports must name it, e.g. "local reference profile (routed)" or "Calico v3.29.1". */
  label: string;
  version?: string;
  /** Versions actually running, read from the cluster after install. */
  installedVersions?: Record<string, string>;
  settings: Record<string, unknown>;
  conformance?: ConformanceResult;
  measurements: Measurement[];
  /** Ids of finished steps, for --resume. */
  completedSteps: string[];
  errors: Array<{ step: string; message: string }>;
}

export interface ResultsFile {
  schemaVersion: typeof RESULTS_SCHEMA_VERSION;
  runId: string;
  scenarioFile: string;
  /** The scenario as run (after defaults). */
  scenario: Scenario;
  status: 'running' | 'complete' | 'interrupted' | 'failed';
  provenance: Provenance;
  candidates: CandidateResult[];
}
