/**
 * The run context `cnibench run` and `cnibench check` share: the results directory with its
 * provenance, written from the first moment (so a crash keeps what was measured), the one Ctrl-C and
 * SIGTERM handler with its clean-up registry (signals.ts), and progress (progress.ts). Both commands
 * open it the same way and end it the same way; a Ctrl-C marks the results `interrupted`.
 *
 * Where it sits: check/ and run/ are siblings, two orders of the same stages, so what they share sits
 * below both, in a room of its own. It is more than storage (the interrupt guard and progress are no
 * concern of results/), and it uses only results/ and util/ beneath it, so every import still runs
 * downward: cli → check/run → context → report → … → results → … → util.
 */
import { collectProvenance } from '../results/provenance.js';
import { RESULTS_SCHEMA_VERSION, type Provenance, type ResultsFile } from '../results/schema.js';
import { newRunId, ResultsStore } from '../results/store.js';
import { CnibenchError, EnvironmentError, messageOf } from '../util/errors.js';
import type { Progress } from './progress.js';
import type { InterruptGuard } from './signals.js';

export interface RunContext {
  readonly store: ResultsStore;
  readonly progress: Progress;
  readonly guard: InterruptGuard;
  /**
   * Records how the run ended (status and end time); from then on a Ctrl-C no longer marks it
   * interrupted.
   */
  end(status: 'complete' | 'failed'): void;
}

/** What a new results file holds besides its id, status and provenance, which the context adds. */
type RunRecord = Omit<ResultsFile, 'schemaVersion' | 'runId' | 'status' | 'provenance'>;

export interface StartOptions {
  /** Where results/<run-id>/ goes. */
  resultsRoot: string;
  /** The command, as the first progress line names it: "run" or "check". */
  command: string;
  record: RunRecord;
  /** The cluster as the provenance records it, and the host tools whose versions it records. */
  cluster: Provenance['cluster'];
  tools?: string[];
  progress: Progress;
  guard: InterruptGuard;
}

/**
 * Opens the results directory of a new run. A directory that cannot be written is an environment
 * problem (exit 3), named with its path.
 */
export function startRun(opts: StartOptions): RunContext {
  const initial: ResultsFile = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: newRunId(),
    status: 'running',
    provenance: collectProvenance(opts.cluster, opts.tools ?? []),
    ...opts.record,
  };
  let store: ResultsStore;
  try {
    store = ResultsStore.create(opts.resultsRoot, initial);
  } catch (err) {
    if (err instanceof CnibenchError) throw err;
    throw new EnvironmentError(`cannot write the results to ${opts.resultsRoot}: ${messageOf(err)}`);
  }
  return open(store, opts.command, opts.progress, opts.guard);
}

/** Continues a run whose results directory is open already (`run --resume`): it is running again. */
export function resumeRun(
  store: ResultsStore,
  command: string,
  progress: Progress,
  guard: InterruptGuard,
): RunContext {
  store.update((r) => {
    r.status = 'running';
  });
  return open(store, command, progress, guard);
}

function open(store: ResultsStore, command: string, progress: Progress, guard: InterruptGuard): RunContext {
  progress.info(`${command} ${store.data.runId}: results in ${store.dir}`);
  // Registered first, so it runs last on Ctrl-C: the clean-ups of what the run made come before it.
  const unmark = guard.add('results status', () =>
    store.update((r) => {
      r.status = 'interrupted';
      r.provenance.endedAt = new Date().toISOString();
    }),
  );
  return {
    store,
    progress,
    guard,
    end(status) {
      store.update((r) => {
        r.status = status;
        r.provenance.endedAt = new Date().toISOString();
      });
      unmark();
    },
  };
}
