/**
 * Differential test of multi-step cases: random sequences of 3 to 6 steps (seeded, reproducible;
 * steps-gen.ts) run on the local cluster's nftables dataplane, each step's probes against the
 * model's table for the state after it. Pods are relabelled in place and policies replaced while
 * they keep running, as a user would. A disagreement is written as a case file `cnibench netpol
 * expect` / `explain --step N` can replay. Flows are not held here (that is the suite's test).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalDriver } from '../../../src/cluster/local/driver.js';
import { caseToYaml, checkCaseText } from '../../../src/netpol/case-file.js';
import { seededRandom } from '../../../src/stats/prng.js';
import { runCase, type ConformanceOptions } from '../../../src/workloads/conformance/run.js';
import { netnsWithPrefix, testRunId } from './helpers.js';
import { randomStepsCase } from './steps-gen.js';

const SEED = Number(process.env.CNB_DIFF_SEED ?? 20261204);
const SEQUENCES = Number(process.env.CNB_DIFF_STEP_CASES ?? 100);

const opts: ConformanceOptions = {
  // A denied probe waits this out; locally an allowed one answers in milliseconds.
  probeTimeoutMs: 700,
  convergenceTimeoutMs: 3000,
  concurrency: 64,
  protocols: ['TCP', 'UDP'],
  holdFlows: false,
};

describe('differential: multi-step cases on the nftables dataplane vs the model', () => {
  const runId = testRunId();
  const driver = new LocalDriver({ runId, mode: 'routed' });
  before(() => driver.preflight());
  after(async () => {
    await driver.cleanup();
    assert.deepEqual(await netnsWithPrefix(runId), []);
  });

  test(`${SEQUENCES} random sequences of 3-6 steps agree with the model (seed ${SEED})`, async () => {
    const rand = seededRandom(SEED);
    const problems: string[] = [];
    let states = 0;
    for (let i = 0; i < SEQUENCES; i++) {
      const c = randomStepsCase(rand, `random-steps-${SEED}-${i}`);
      const n = c.steps?.length ?? 0;
      assert.ok(n >= 3 && n <= 6, `${c.name}: ${n} steps`);
      // Every generated sequence is one cnibench's validator accepts.
      assert.deepEqual(checkCaseText(`${c.name}.yaml`, caseToYaml(c)).problems, [], c.name);
      const run = await runCase(driver, c, opts);
      states += run.result.steps?.length ?? 0;
      if (run.result.status === 'pass') {
        assert.equal(run.result.steps?.length, n + 1);
        continue;
      }
      const failed = run.result.steps?.find((s) => s.status === 'fail');
      const file = join(tmpdir(), `${c.name}.yaml`);
      writeFileSync(
        file,
        `# step ${failed?.step}: ${JSON.stringify(failed?.mismatches.slice(0, 5))}\n${caseToYaml(c)}`,
      );
      problems.push(`${c.name}: step ${failed?.step} disagrees with the model; case: ${file}`);
    }
    assert.deepEqual(problems, []);
    assert.ok(states >= SEQUENCES * 4, `${states} states probed`);
  });
});
