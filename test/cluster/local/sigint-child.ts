/**
 * Child process of sigint.netns.test.ts (does nothing unless CNB_SIGINT_CHILD_RUN_ID is set, because the
 * test runner also loads every file under test/): a conformance run on the local cluster with the
 * run's interrupt guard, printing RUNNING once a few cases are done so the parent can interrupt it.
 */
import { LocalDriver } from '../../../src/cluster/local/driver.js';
import { builtinSuite, filterByTags } from '../../../src/netpol/suite/index.js';
import { installInterruptGuard } from '../../../src/context/signals.js';
import { runConformance } from '../../../src/workloads/conformance/run.js';

const runId = process.env.CNB_SIGINT_CHILD_RUN_ID;
if (runId) {
  const guard = installInterruptGuard();
  const driver = new LocalDriver({ runId, mode: 'vxlan' });
  guard.add('local cluster', () => driver.cleanup());
  runConformance(driver, filterByTags(builtinSuite(), { protocols: ['TCP', 'UDP'] }), {
    probeTimeoutMs: 1000,
    convergenceTimeoutMs: 5000,
    concurrency: 64,
    protocols: ['TCP', 'UDP'],
    signal: guard.signal,
    onProgress: (p) => {
      if (p.index === 2) process.stdout.write('RUNNING\n');
    },
  }).then(
    async () => {
      // Finished before the parent interrupted: still clean up, and say so.
      await guard.runAll();
      process.stdout.write('FINISHED\n');
    },
    (err: unknown) => {
      // The guard is cleaning up and will exit with 130; only unexpected errors are reported.
      if (!guard.signal.aborted) {
        process.stderr.write(`child failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    },
  );
}
