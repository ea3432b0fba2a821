/**
 * Runs one workload of a scenario on the clusters of one or more candidates and returns what each
 * measured. Conformance runs on each candidate's cluster in turn; the perf workloads measure every
 * candidate given in interleaved blocks (workloads/sampling.ts). The workloads themselves know nothing
 * of scenarios' repetitions defaults, progress displays or results files; this is where those meet.
 */
import os from 'node:os';
import type { ClusterDriver, PathKind, PerfTopology } from '../cluster/driver.js';
import { workloadRepetitions } from '../plan/build.js';
import type { ConformanceResult, Measurement } from '../results/schema.js';
import { isDuet, type Scenario, type Workload } from '../scenario/schema.js';
import { throughputLoad } from '../workloads/conformance/load.js';
import { runConformance } from '../workloads/conformance/run.js';
import { conformanceOptions, selectCases } from '../workloads/conformance/select.js';
import { runLatency } from '../workloads/latency/run.js';
import { runPolicyScale } from '../workloads/scale/run.js';
import { runThroughput } from '../workloads/throughput/run.js';
import { cpuPlacement } from '../workloads/tools/cpu-placement.js';
import type { PlantedHandicap } from '../workloads/tools/planted.js';
import {
  workloadPaths,
  type ArmMeasurement,
  type PerfArm,
  type PerfRunOptions,
} from '../workloads/tools/measure.js';
import { workloadBudget } from '../workloads/sampling.js';
import type { Progress } from '../context/progress.js';

/** One candidate's cluster as a workload sees it. */
export interface WorkloadArm {
  /** The candidate's name. */
  name: string;
  driver: ClusterDriver;
  /** argv prefix that runs the pod agent inside a pod of this driver. */
  agentCommand: string[];
  /** Perf pods are made once per cluster and shared by the perf workloads. */
  perf: (paths: PathKind[]) => Promise<PerfTopology>;
}

export interface WorkloadContext {
  progress: Progress;
  signal: AbortSignal;
  /** Seed of the blocks' order (results.json `interleaving.seed`). */
  seed: number;
  /** Measurement ids a candidate already saved (a resumed run does not measure them again). */
  isDone?: (candidate: string, id: string) => boolean;
  /** Saves a measurement the moment it is complete. */
  onMeasurement?: (candidate: string, m: Measurement) => void;
  /** `run --planted P`: the candidate with a known handicap. */
  planted?: PlantedHandicap;
}

export interface WorkloadOutcome {
  conformance?: ConformanceResult;
  measurements: Measurement[];
  /** One line for the progress display. */
  summary: string;
}

function byArm(
  arms: readonly WorkloadArm[],
  ms: ArmMeasurement[],
  what: string,
): Map<string, WorkloadOutcome> {
  return new Map(
    arms.map((a) => {
      const mine = ms.filter((x) => x.arm === a.name).map((x) => x.measurement);
      return [a.name, { measurements: mine, summary: `${mine.length} measurements${what}` }];
    }),
  );
}

/**
 * About how many comparisons `compare` will adjust together for this scenario: one per figure and
 * candidate besides the baseline (the sequential stopping rule decides at alpha over this many).
 */
function comparisonsOf(s: Scenario, candidates: number): number {
  let figures = 0;
  for (const w of s.workloads) {
    const paths = 'paths' in w ? w.paths.length : 1;
    if (w.kind === 'throughput') figures += w.streams.length * paths * (w.protocol === 'UDP' ? 3 : 1);
    else if (w.kind === 'latency') figures += paths * (w.mode === 'rr' ? 2 : 1);
    else if (w.kind === 'policy-scale')
      figures +=
        w.counts.length * w.measure.reduce((n, m) => n + (m === 'rr' ? 2 : m === 'programming' ? 2 : 1), 0);
  }
  return Math.max(1, figures * Math.max(1, candidates - 1));
}

export async function executeWorkload(
  arms: readonly WorkloadArm[],
  w: Workload,
  s: Scenario,
  ctx: WorkloadContext,
): Promise<Map<string, WorkloadOutcome>> {
  const perfOpts: PerfRunOptions = {
    signal: ctx.signal,
    seed: ctx.seed,
    isDone: ctx.isDone,
    onMeasurement: ctx.onMeasurement,
    onProgress: (line: string) => ctx.progress.info(line),
    decision: {
      alpha: s.statistics.alpha,
      margin: s.statistics.equivalenceMargin / 100,
      familySize: comparisonsOf(s, arms.length),
    },
    ...(ctx.planted ? { planted: ctx.planted } : {}),
  };
  const reps = workloadRepetitions(w, s);
  // The time budget is the workload's; its units (one per stream count) share it in turn.
  perfOpts.budget = workloadBudget(reps, w.kind === 'throughput' ? w.streams.length : 1);
  if (w.kind !== 'conformance') {
    // Perf processes pinned per candidate: apart (duet) or client and server on their own CPUs.
    const cpus = os.availableParallelism();
    await Promise.all(
      arms.map(
        // Duet needs two candidates measured together; one alone keeps its client and server apart.
        (a, i) =>
          a.driver.placePerf?.(cpuPlacement(i, isDuet(reps) && arms.length > 1, cpus), ctx.signal) ??
          Promise.resolve(),
      ),
    );
  }
  const perfArms = async (paths: PathKind[]): Promise<PerfArm[]> => {
    const out: PerfArm[] = [];
    for (const a of arms) {
      out.push({
        name: a.name,
        driver: a.driver,
        agentCommand: a.agentCommand,
        topology: await a.perf(paths),
      });
    }
    return out;
  };
  const who = arms.length > 1 ? `, ${arms.length} candidates interleaved` : '';
  switch (w.kind) {
    case 'conformance': {
      const out = new Map<string, WorkloadOutcome>();
      for (const a of arms) {
        let done = 0; // cases finish out of suite order when the driver runs lanes
        const cases = selectCases(w);
        // Multi-step cases measure their time to enforce with throughput on the same nodes
        // (docs/policy-change.md); the cross-node perf pair is the one that crosses both nodes.
        const load = cases.some((c) => (c.steps?.length ?? 0) > 0)
          ? throughputLoad(a.driver, async () => {
              const t = await a.perf(['cross-node']);
              const pair = t.pairs.find((p) => p.path === 'cross-node');
              if (!pair) throw new Error('no cross-node perf pair for the policy-change load');
              return pair;
            })
          : undefined;
        const result = await runConformance(a.driver, cases, {
          ...conformanceOptions(w, s.cluster.probeConcurrency),
          ...(load ? { load } : {}),
          signal: ctx.signal,
          // A real cluster may enforce no NetworkPolicy at all (networkpolicy-canary.ts); the local one always does.
          networkPolicyCanary: a.driver.kind === 'kube' && w.networkPolicyCanary,
          onNetworkPolicyCanary: (k) =>
            ctx.progress.info(`NetworkPolicy canary on ${a.name}: ${k.outcome} (${k.detail})`),
          onProgress: (p) => ctx.progress.update(++done, p.total, `${p.name}: ${p.result.status}`),
          onCanary: (k) =>
            ctx.progress.info(`admin tier ${k.api} canary on ${a.name}: ${k.outcome} (${k.detail})`),
        });
        out.set(a.name, {
          conformance: result,
          measurements: [],
          summary: `${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped${result.unsupported ? `, ${result.unsupported} unsupported` : ''} of ${result.cases} cases`,
        });
      }
      return out;
    }
    case 'throughput':
      return byArm(arms, await runThroughput(await perfArms(workloadPaths(w)), w, reps, perfOpts), who);
    case 'latency':
      return byArm(arms, await runLatency(await perfArms(workloadPaths(w)), w, reps, perfOpts), who);
    case 'policy-scale': {
      const ms = await runPolicyScale(arms, w, reps, perfOpts);
      return byArm(arms, ms, ` over ${w.counts.length} steps${who}`);
    }
  }
}
