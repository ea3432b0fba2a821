/**
 * `cnibench run`: executes a scenario's plan step by step — cluster, candidates, workloads, report —
 * writing every finished step to the results file at once, so a crash keeps what was measured and
 * `--resume` continues where the run stopped.
 */
import path from 'node:path';
import { buildPlan, candidateLabel, describeWorkload, type PlanStep } from '../plan/build.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { Candidate, Scenario, Workload } from '../scenario/schema.js';
import {
  RESULTS_SCHEMA_VERSION,
  type CandidateResult,
  type Measurement,
  type ResultsFile,
} from '../results/schema.js';
import { ResultsStore } from '../results/store.js';
import { InputError, messageOf } from '../util/errors.js';
import { resumeRun, startRun, type RunContext } from '../context/run-context.js';
import type { Progress } from '../context/progress.js';
import type { InterruptGuard } from '../context/signals.js';
import { newBlockSeed } from '../workloads/sampling.js';
import { analyzeRun } from './analysis.js';
import { openCandidateCluster, type CandidateCluster } from './candidate-cluster.js';
import { executeWorkload, type WorkloadArm } from './execute-workload.js';

export interface RunOptions {
  resultsRoot: string;
  /** Run id (directory name under resultsRoot) of an interrupted run to continue. */
  resume?: string;
  /** `--aa`: the scenario's first candidate twice, as two candidates (loaded.scenario is already so). */
  aaOf?: string;
  /** `--planted P`: as aaOf, and the second copy carries a handicap of P % (planted.ts). */
  planted?: { of: string; handicapped: string; percent: number };
  progress: Progress;
  guard: InterruptGuard;
}

export interface RunOutcome {
  store: ResultsStore;
  /** Whether any candidate failed a check (conformance mismatch or a workload error). */
  checksFailed: boolean;
}

/** A workload step of one candidate, with the cluster it runs on. */
interface StepOf {
  candidate: Candidate;
  step: PlanStep;
  cluster: CandidateCluster;
}

/**
 * The candidates measured together. On the local cluster every candidate's cluster can exist at once,
 * so all are one group and their perf workloads run in interleaved blocks; on a real cluster only one
 * CNI is installed at a time, so each candidate is its own group (its samples are still paired with
 * baseline samples of the same turn).
 */
function candidateGroups(s: Scenario): Candidate[][] {
  return s.cluster.kind === 'local' && s.statistics.interleave
    ? [s.candidates]
    : s.candidates.map((c) => [c]);
}

export async function runScenario(loaded: LoadedScenario, opts: RunOptions): Promise<RunOutcome> {
  const { scenario } = loaded;
  const { progress, guard } = opts;
  const ctx = opts.resume ? reopen(loaded, opts) : start(loaded, opts);
  const { store } = ctx;
  const seed = store.data.interleaving?.seed ?? 0;

  const plan = buildPlan(scenario);
  for (const group of candidateGroups(scenario)) {
    guard.signal.throwIfAborted();
    for (const c of group) ensureCandidateEntry(store, c);
    const pendingOf = (c: Candidate) =>
      plan.filter(
        (st) =>
          st.kind === 'workload' &&
          st.candidate === c.name &&
          !candidateEntry(store, c.name).completedSteps.includes(st.id),
      );
    const active = group.filter((c) => pendingOf(c).length > 0);
    for (const c of group) {
      if (!active.includes(c)) progress.info(`${c.name}: every workload already done (resumed run)`);
    }
    if (active.length === 0) continue;

    const clusters = new Map<string, CandidateCluster>();
    // A cluster still being opened when Ctrl-C comes is closed once it is open: the clean-up waits for
    // the opening, not only for clusters already in the map.
    const opening = new Map<string, Promise<CandidateCluster>>();
    const removeCleanups = active.map((c) =>
      guard.add(`${c.name} cluster`, async () => {
        const cluster = await opening.get(c.name)?.catch(() => undefined);
        await cluster?.close();
      }),
    );
    try {
      for (const c of active) {
        guard.signal.throwIfAborted();
        progress.step(`${candidateLabel(c)}: preparing the cluster`);
        const open = openCandidateCluster(scenario, c, store, progress, guard.signal);
        opening.set(c.name, open);
        clusters.set(c.name, await open);
        progress.done();
      }
      for (const [wi, workload] of scenario.workloads.entries()) {
        const steps: StepOf[] = active.flatMap((candidate) => {
          const step = pendingOf(candidate).find((st) => st.workloadIndex === wi);
          const cluster = clusters.get(candidate.name);
          return step && cluster ? [{ candidate, step, cluster }] : [];
        });
        if (steps.length === 0) continue;
        // Conformance checks each cluster on its own; perf workloads interleave the candidates.
        if (workload.kind === 'conformance') {
          for (const st of steps) await runStep(store, scenario, workload, [st], seed, opts);
        } else await runStep(store, scenario, workload, steps, seed, opts);
      }
      for (const c of active) await clusters.get(c.name)?.finish(progress);
    } finally {
      for (const c of active) await clusters.get(c.name)?.close();
      for (const remove of removeCleanups) remove();
    }
  }

  ctx.end('complete');
  try {
    const analysis = analyzeRun(store.data);
    store.update((r) => {
      r.analysis = analysis;
    });
  } catch (err) {
    progress.warn(`comparison of the candidates failed: ${messageOf(err)}`);
  }
  const checksFailed = store.data.candidates.some(
    (c) => (c.conformance?.failed ?? 0) > 0 || c.errors.length > 0,
  );
  return { store, checksFailed };
}

/** Runs one workload step for one or more candidates (interleaved) and saves what it measured. */
async function runStep(
  store: ResultsStore,
  scenario: Scenario,
  workload: Workload,
  steps: StepOf[],
  seed: number,
  opts: RunOptions,
): Promise<void> {
  const { progress, guard } = opts;
  guard.signal.throwIfAborted();
  const first = steps[0];
  if (!first) return;
  const title =
    steps.length === 1
      ? first.step.title
      : `${steps.map((x) => x.candidate.name).join(', ')} interleaved: ${describeWorkload(workload)}`;
  progress.step(title);
  try {
    const saved = new Map(
      steps.map((x) => [
        x.candidate.name,
        new Set(candidateEntry(store, x.candidate.name).measurements.map((m) => m.id)),
      ]),
    );
    const arms: WorkloadArm[] = steps.map(({ candidate, cluster }) => ({
      name: candidate.name,
      driver: cluster.driver,
      agentCommand: cluster.agentCommand,
      // Drivers make the perf pods once and reuse them; every perf workload asks for its paths.
      perf: (paths) => cluster.driver.preparePerf(paths, guard.signal),
    }));
    const planted = store.data.planted;
    const outcomes = await executeWorkload(arms, workload, scenario, {
      progress,
      signal: guard.signal,
      seed,
      ...(planted
        ? {
            planted: {
              arm: planted.handicapped,
              percent: planted.percent,
              onPlanted: (h) => {
                store.update((r) => {
                  r.planted?.handicaps.push(h);
                });
                progress.info(
                  `planted: ${h.figure} of ${planted.handicapped}: ${h.mechanism === 'rate-cap' ? `rate cap ${((h.capBitsPerSecond ?? 0) / 1e9).toFixed(3)} Gbit/s` : `busy-wait ${h.serviceUs ?? 0} µs`} (warm-up ${h.warmup.toFixed(2)} ${h.unit})`,
                );
              },
            },
          }
        : {}),
      // Measurements of a killed attempt at this step are kept and not measured again.
      isDone: (name, id) => saved.get(name)?.has(id) ?? false,
      onMeasurement: (name, m) => saveMeasurements(store, name, [m]),
    });
    const summaries: string[] = [];
    for (const { candidate, step } of steps) {
      const outcome = outcomes.get(candidate.name);
      if (!outcome) continue;
      saveMeasurements(store, candidate.name, outcome.measurements);
      store.update((r) => {
        const c = r.candidates.find((x) => x.name === candidate.name);
        if (!c) return;
        if (outcome.conformance) c.conformance = outcome.conformance;
        c.completedSteps.push(step.id);
      });
      summaries.push(steps.length === 1 ? outcome.summary : `${candidate.name}: ${outcome.summary}`);
    }
    progress.done(summaries.join('; '));
  } catch (err) {
    if (await guard.failedByInterrupt()) throw err;
    const message = messageOf(err);
    progress.warn(`${title} failed: ${message}`);
    store.update((r) => {
      for (const { candidate, step } of steps) {
        r.candidates.find((x) => x.name === candidate.name)?.errors.push({ step: step.id, message });
      }
    });
  }
}

function start(loaded: LoadedScenario, opts: RunOptions): RunContext {
  const s = loaded.scenario;
  return startRun({
    resultsRoot: opts.resultsRoot,
    command: 'run',
    record: {
      origin: { kind: 'scenario', file: loaded.file, scenario: s },
      candidates: [],
      interleaving: {
        seed: s.statistics.seed ?? newBlockSeed(),
        candidates: candidateGroups(s).flatMap((g) => (g.length > 1 ? g.map((c) => c.name) : [])),
      },
      ...(opts.aaOf ? { aa: { of: opts.aaOf } } : {}),
      ...(opts.planted ? { planted: { ...opts.planted, handicaps: [] } } : {}),
    },
    cluster:
      s.cluster.kind === 'local'
        ? { kind: 'local', nodes: s.cluster.nodes }
        : { kind: 'kube', ...(s.cluster.context ? { context: s.cluster.context } : {}) },
    tools: s.cluster.kind === 'local' ? ['iperf3', 'nft', 'ip'] : ['helm'],
    progress: opts.progress,
    guard: opts.guard,
  });
}

function reopen(loaded: LoadedScenario, opts: RunOptions): RunContext {
  const id = opts.resume ?? '';
  const store = ResultsStore.open(path.join(opts.resultsRoot, id));
  if (store.data.schemaVersion !== RESULTS_SCHEMA_VERSION) {
    throw new InputError(
      `cannot resume ${id}: it was written by an older cnibench (results schemaVersion ${store.data.schemaVersion}, before ${store.data.schemaVersion < 2 ? 'interleaved blocks' : store.data.schemaVersion < 3 ? 'cost figures' : store.data.schemaVersion < 4 ? 'the origin record' : 'the policy-state figure was renamed'}); start a new run`,
    );
  }
  if ((store.data.aa?.of ?? null) !== (opts.aaOf ?? null)) {
    throw new InputError(
      `cannot resume ${id}: ${store.data.aa ? 'it is an A/A run: give --aa again' : 'it is not an A/A run: leave out --aa'}`,
    );
  }
  const was = store.data.planted;
  if ((was?.percent ?? null) !== (opts.planted?.percent ?? null)) {
    throw new InputError(
      `cannot resume ${id}: ${was ? `it is a planted run: give --planted ${was.percent} again` : 'it is not a planted run: leave out --planted'}`,
    );
  }
  if (store.data.origin.kind !== 'scenario')
    throw new InputError(
      `cannot resume ${id}: it is a compliance check (${store.data.origin.command}), not a run`,
    );
  if (JSON.stringify(store.data.origin.scenario) !== JSON.stringify(loaded.scenario)) {
    throw new InputError(
      `cannot resume ${opts.resume}: ${loaded.file} differs from the scenario that run started with (start a new run, or restore the file)`,
    );
  }
  if (store.data.status === 'complete')
    throw new InputError(`run ${opts.resume} is already complete; nothing to resume`);
  return resumeRun(store, 'run', opts.progress, opts.guard);
}

/** Adds measurements, replacing any saved under the same id (the same figure measured again). */
function saveMeasurements(store: ResultsStore, candidate: string, ms: Measurement[]): void {
  if (ms.length === 0) return;
  const ids = new Set(ms.map((m) => m.id));
  const c = candidateEntry(store, candidate);
  const unchanged = ms.every((m) =>
    c.measurements.some((x) => x.id === m.id && JSON.stringify(x) === JSON.stringify(m)),
  );
  if (unchanged) return;
  store.update((r) => {
    const entry = r.candidates.find((x) => x.name === candidate);
    if (entry) entry.measurements = [...entry.measurements.filter((m) => !ids.has(m.id)), ...ms];
  });
}

function candidateEntry(store: ResultsStore, name: string): CandidateResult {
  const c = store.data.candidates.find((x) => x.name === name);
  if (!c) throw new Error(`results have no candidate ${name}`);
  return c;
}

function ensureCandidateEntry(store: ResultsStore, c: Candidate): void {
  if (store.data.candidates.some((x) => x.name === c.name)) return;
  store.update((r) => {
    r.candidates.push({
      name: c.name,
      cni: c.cni,
      label: candidateCopyLabel(store.data, c),
      ...('version' in c ? { version: c.version } : {}),
      settings: { ...(c.settings as Record<string, unknown>) },
      measurements: [],
      completedSteps: [],
      errors: [],
    });
  });
}

/** Copies of one candidate (A/A, planted) must not look like one candidate in reports. */
function candidateCopyLabel(r: ResultsFile, c: Candidate): string {
  if (r.planted) {
    const handicap = c.name === r.planted.handicapped ? `, ${r.planted.percent}% planted handicap` : '';
    return `${candidateLabel(c)} [${c.name}${handicap}]`;
  }
  return r.aa ? `${candidateLabel(c)} [${c.name}]` : candidateLabel(c);
}
