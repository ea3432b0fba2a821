/**
 * Ctrl-C and SIGTERM during a run: abort the work in progress, run the registered clean-ups (newest
 * first), then exit with 130/143. A second Ctrl-C while cleaning up exits at once and says that
 * `cnibench cleanup` will finish the job.
 */
import { setMaxListeners } from 'node:events';
import { messageOf } from '../util/errors.js';

type Cleanup = () => Promise<void> | void;

export interface InterruptGuard {
  /** Aborted when SIGINT or SIGTERM arrives. */
  readonly signal: AbortSignal;
  /** Registers a clean-up; returns a function that unregisters it (after a normal clean-up). */
  add(name: string, fn: Cleanup): () => void;
  /**
   * Whether a failure that just happened is the interrupt's doing: true once SIGINT or SIGTERM has
   * been seen, waiting at most `graceMs` for it. A terminal's Ctrl-C reaches the whole foreground
   * process group, and a command cnibench is starting at that very moment (before it leaves the
   * group) dies of it; its failure can reach a step before cnibench's own handler has run, and must
   * not be recorded as the step failing.
   */
  failedByInterrupt(graceMs?: number): Promise<boolean>;
  /** Runs the remaining clean-ups now (normal end of a run), newest first. */
  runAll(): Promise<void>;
  /** Stops listening for signals. */
  dispose(): void;
}

export interface InterruptOptions {
  /** Where to say what is happening (stderr by default). */
  log?: (line: string) => void;
  /** Called with the exit code after clean-up; default process.exit. */
  exit?: (code: number) => void;
}

export function installInterruptGuard(opts: InterruptOptions = {}): InterruptGuard {
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const controller = new AbortController();
  // Every concurrent command of a run (dozens of parallel probes and node set-up commands) listens to
  // this signal and removes its listener when done; the default cap of 10 would warn about a leak.
  setMaxListeners(0, controller.signal);
  const cleanups: Array<{ name: string; fn: Cleanup }> = [];
  let cleaning: Promise<void> | null = null;

  const runAll = (): Promise<void> => {
    cleaning ??= (async () => {
      for (let next = cleanups.pop(); next; next = cleanups.pop()) {
        const { name, fn } = next;
        try {
          await fn();
        } catch (err) {
          log(`clean-up of ${name} failed: ${messageOf(err)} (run 'cnibench cleanup')`);
        }
      }
    })();
    return cleaning;
  };

  const onSignal = (sig: NodeJS.Signals) => {
    const code = sig === 'SIGINT' ? 130 : 143;
    if (controller.signal.aborted) {
      log(`${sig} again: exiting without finishing clean-up; run 'cnibench cleanup' to remove what is left`);
      exit(code);
      return;
    }
    log(`${sig}: stopping, cleaning up (press Ctrl-C again to exit at once)...`);
    controller.abort(new Error(`interrupted by ${sig}`));
    void runAll().then(() => exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  return {
    signal: controller.signal,
    add(name, fn) {
      const entry = { name, fn };
      cleanups.push(entry);
      return () => {
        const i = cleanups.indexOf(entry);
        if (i >= 0) cleanups.splice(i, 1);
      };
    },
    failedByInterrupt(graceMs = 2000) {
      const { signal } = controller;
      if (signal.aborted) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve(false);
        }, graceMs);
        const onAbort = () => {
          clearTimeout(timer);
          resolve(true);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    runAll,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
