/**
 * Runs one workload of a scenario on a cluster driver and returns what it measured. The workloads
 * themselves know nothing of scenarios' repetitions defaults, progress displays or results files;
 * this is where those meet.
 */
import type { ClusterDriver, PathKind, PerfTopology } from '../cluster/driver.js';
import { builtinSuite, filterByTags } from '../netpol/suite/index.js';
import type { ConformanceResult, Measurement } from '../results/schema.js';
import type { Scenario, Workload } from '../scenario/schema.js';
import { runConformance } from '../workloads/conformance/run.js';
import { runLatency } from '../workloads/latency/run.js';
import { runPolicyScale } from '../workloads/scale/run.js';
import { runThroughput } from '../workloads/throughput/run.js';
import { workloadPaths } from '../workloads/tools/measure.js';
import type { Progress } from './progress.js';

export interface WorkloadContext {
  progress: Progress;
  signal: AbortSignal;
  /** argv prefix that runs the pod agent inside a pod of this driver. */
  agentCommand: string[];
  /** Measurement ids already saved (a resumed run does not measure them again). */
  isDone?: (id: string) => boolean;
  /** Saves a measurement the moment it is complete. */
  onMeasurement?: (m: Measurement) => void;
  /** Perf pods are made once per cluster and shared by the perf workloads. */
  perf: (paths: PathKind[]) => Promise<PerfTopology>;
}

export interface WorkloadOutcome {
  conformance?: ConformanceResult;
  measurements: Measurement[];
  /** One line for the progress display. */
  summary: string;
}

export async function executeWorkload(
  driver: ClusterDriver,
  w: Workload,
  s: Scenario,
  ctx: WorkloadContext,
): Promise<WorkloadOutcome> {
  const perfOpts = {
    agentCommand: ctx.agentCommand,
    signal: ctx.signal,
    isDone: ctx.isDone,
    onMeasurement: ctx.onMeasurement,
    onProgress: (line: string) => ctx.progress.info(line),
  };
  switch (w.kind) {
    case 'conformance': {
      const all = builtinSuite();
      let cases = filterByTags(all, { tags: w.tags, excludeTags: w.excludeTags, protocols: w.protocols });
      if (w.maxCases > 0) cases = cases.slice(0, w.maxCases);
      const result = await runConformance(driver, cases, {
        probeTimeoutMs: w.probeTimeout * 1000,
        convergenceTimeoutMs: w.convergenceTimeout * 1000,
        concurrency: s.cluster.probeConcurrency,
        protocols: w.protocols,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress.update(p.index + 1, p.total, `${p.name}: ${p.result.status}`),
      });
      return {
        conformance: result,
        measurements: [],
        summary: `${result.passed} passed, ${result.failed} failed, ${result.skipped} skipped${result.unsupported ? `, ${result.unsupported} unsupported` : ''} of ${result.cases} cases`,
      };
    }
    case 'throughput': {
      const topology = await ctx.perf(workloadPaths(w));
      const ms = await runThroughput(driver, topology, w, s.repetitions, perfOpts);
      return { measurements: ms, summary: `${ms.length} measurements` };
    }
    case 'latency': {
      const topology = await ctx.perf(workloadPaths(w));
      const ms = await runLatency(driver, topology, w, s.repetitions, perfOpts);
      return { measurements: ms, summary: `${ms.length} measurements` };
    }
    case 'policy-scale': {
      const ms = await runPolicyScale(driver, w, s.repetitions, perfOpts);
      return { measurements: ms, summary: `${ms.length} measurements over ${w.counts.length} steps` };
    }
  }
}
