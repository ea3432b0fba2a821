/**
 * `cnibench run`: executes a scenario's plan step by step — cluster, candidates, workloads, report —
 * writing every finished step to the results file at once, so a crash keeps what was measured and
 * `--resume` continues where the run stopped.
 */
import path from 'node:path';
import { buildPlan, candidateLabel } from '../plan/build.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { Candidate, Scenario } from '../scenario/schema.js';
import { collectProvenance } from '../results/provenance.js';
import {
  RESULTS_SCHEMA_VERSION,
  type CandidateResult,
  type Measurement,
  type ResultsFile,
} from '../results/schema.js';
import { newRunId, ResultsStore } from '../results/store.js';
import { InputError } from '../util/errors.js';
import type { Progress } from './progress.js';
import type { InterruptGuard } from './signals.js';
import { openCandidateCluster, type CandidateCluster } from './candidate-cluster.js';
import { executeWorkload } from './execute-workload.js';

export interface RunOptions {
  resultsRoot: string;
  /** Run id (directory name under resultsRoot) of an interrupted run to continue. */
  resume?: string;
  progress: Progress;
  guard: InterruptGuard;
}

export interface RunOutcome {
  store: ResultsStore;
  /** Whether any candidate failed a check (conformance mismatch or a workload error). */
  checksFailed: boolean;
}

export async function runScenario(loaded: LoadedScenario, opts: RunOptions): Promise<RunOutcome> {
  const { scenario } = loaded;
  const { progress, guard } = opts;
  const store = opts.resume ? reopen(loaded, opts) : createStore(loaded, opts.resultsRoot);
  progress.info(`run ${store.data.runId}: results in ${store.dir}`);
  const unmark = guard.add('results status', () =>
    store.update((r) => {
      r.status = 'interrupted';
      r.provenance.endedAt = new Date().toISOString();
    }),
  );

  const plan = buildPlan(scenario);
  for (const candidate of scenario.candidates) {
    guard.signal.throwIfAborted();
    ensureCandidateEntry(store, candidate);
    const pending = plan.filter(
      (st) =>
        st.kind === 'workload' &&
        st.candidate === candidate.name &&
        !candidateEntry(store, candidate.name).completedSteps.includes(st.id),
    );
    if (pending.length === 0) {
      progress.info(`${candidate.name}: every workload already done (resumed run)`);
      continue;
    }
    let cluster: CandidateCluster | null = null;
    const removeCleanup = guard.add(`${candidate.name} cluster`, async () => {
      await cluster?.close();
    });
    try {
      progress.step(`${candidateLabel(candidate)}: preparing the cluster`);
      cluster = await openCandidateCluster(scenario, candidate, store, progress, guard.signal);
      progress.done();
      for (const st of pending) {
        guard.signal.throwIfAborted();
        const workload = scenario.workloads[st.workloadIndex!];
        progress.step(st.title);
        try {
          const saved = new Set(candidateEntry(store, candidate.name).measurements.map((m) => m.id));
          const outcome = await executeWorkload(cluster.driver, workload, scenario, {
            progress,
            signal: guard.signal,
            agentCommand: cluster.agentCommand,
            // Drivers make the perf pods once and reuse them; every perf workload asks for its paths.
            perf: (paths) => cluster!.driver.preparePerf(paths, guard.signal),
            // Measurements of a killed attempt at this step are kept and not measured again.
            isDone: (id) => saved.has(id),
            onMeasurement: (m) => saveMeasurements(store, candidate.name, [m]),
          });
          saveMeasurements(store, candidate.name, outcome.measurements);
          store.update((r) => {
            const c = r.candidates.find((x) => x.name === candidate.name)!;
            if (outcome.conformance) c.conformance = outcome.conformance;
            c.completedSteps.push(st.id);
          });
          progress.done(outcome.summary);
        } catch (err) {
          if (guard.signal.aborted) throw err;
          const message = err instanceof Error ? err.message : String(err);
          progress.warn(`${st.title} failed: ${message}`);
          store.update((r) => {
            r.candidates.find((x) => x.name === candidate.name)!.errors.push({ step: st.id, message });
          });
        }
      }
      await cluster.finish(progress);
    } finally {
      await cluster?.close();
      removeCleanup();
    }
  }

  store.update((r) => {
    r.status = 'complete';
    r.provenance.endedAt = new Date().toISOString();
  });
  unmark();
  const checksFailed = store.data.candidates.some(
    (c) => (c.conformance?.failed ?? 0) > 0 || c.errors.length > 0,
  );
  return { store, checksFailed };
}

function createStore(loaded: LoadedScenario, resultsRoot: string): ResultsStore {
  const s = loaded.scenario;
  const runId = newRunId();
  const initial: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId,
    scenarioFile: loaded.file,
    scenario: s,
    status: 'running',
    provenance: collectProvenance(
      s.cluster.kind === 'local'
        ? { kind: 'local', nodes: s.cluster.nodes }
        : { kind: 'kube', ...(s.cluster.context ? { context: s.cluster.context } : {}) },
      s.cluster.kind === 'local' ? ['iperf3', 'nft', 'ip'] : ['helm'],
    ),
    candidates: [],
  };
  return ResultsStore.create(resultsRoot, initial);
}

function reopen(loaded: LoadedScenario, opts: RunOptions): ResultsStore {
  const store = ResultsStore.open(path.join(opts.resultsRoot, opts.resume!));
  if (JSON.stringify(store.data.scenario) !== JSON.stringify(loaded.scenario)) {
    throw new InputError(
      `cannot resume ${opts.resume}: ${loaded.file} differs from the scenario that run started with (start a new run, or restore the file)`,
    );
  }
  if (store.data.status === 'complete')
    throw new InputError(`run ${opts.resume} is already complete; nothing to resume`);
  store.update((r) => {
    r.status = 'running';
  });
  return store;
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
    const entry = r.candidates.find((x) => x.name === candidate)!;
    entry.measurements = [...entry.measurements.filter((m) => !ids.has(m.id)), ...ms];
  });
}

function candidateEntry(store: ResultsStore, name: string): CandidateResult {
  return store.data.candidates.find((c) => c.name === name)!;
}

function ensureCandidateEntry(store: ResultsStore, c: Candidate): void {
  if (store.data.candidates.some((x) => x.name === c.name)) return;
  store.update((r) => {
    r.candidates.push({
      name: c.name,
      cni: c.cni,
      label: candidateLabel(c),
      ...('version' in c ? { version: c.version } : {}),
      settings: { ...(c.settings as Record<string, unknown>) },
      measurements: [],
      completedSteps: [],
      errors: [],
    });
  });
}

export type { Scenario };
