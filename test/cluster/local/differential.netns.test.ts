/**
 * Differential test: random NetworkPolicy sets (seeded, reproducible) applied to each local policy
 * engine (nftables on the routed profile, eBPF on the VXLAN one) and probed on every pair, TCP and UDP 80/81, against the exact model; then
 * random admin-tier sets (ClusterNetworkPolicy or AdminNetworkPolicy/BaselineAdminNetworkPolicy,
 * with NetworkPolicies in the way) on network-policy-api's conformance layout. A disagreement is
 * shrunk (policies, rules, peers, ports, excepts removed while it persists) and written as a case
 * file that `cnibench` can replay.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { LocalDriver } from '../../../src/cluster/local/driver.js';
import type { PolicyCase } from '../../../src/netpol/types.js';
import { seededRandom } from '../../../src/stats/prng.js';
import { runCase, type ConformanceOptions } from '../../../src/workloads/conformance/run.js';
import { netnsWithPrefix, testRunId } from './helpers.js';
import { ADMIN_DIFF_PROBES, randomAdminCase, shrinkAdminSteps } from './admin-policy-gen.js';
import { randomCase, shrinkSteps } from './policy-gen.js';
import { checkCaseText, caseToYaml } from '../../../src/netpol/case-file.js';

const SEED = Number(process.env.CNB_DIFF_SEED ?? 20261124);
const CASES = Number(process.env.CNB_DIFF_CASES ?? 300);
const ADMIN_CASES = Number(process.env.CNB_DIFF_ADMIN_CASES ?? 200);
const EBPF_CASES = Number(process.env.CNB_DIFF_EBPF_CASES ?? 200);
const EBPF_ADMIN_CASES = Number(process.env.CNB_DIFF_EBPF_ADMIN_CASES ?? 200);

const ENGINES = [
  { mode: 'routed', engine: 'nftables', cases: CASES, adminCases: ADMIN_CASES },
  { mode: 'vxlan', engine: 'ebpf', cases: EBPF_CASES, adminCases: EBPF_ADMIN_CASES },
] as const;

const opts: ConformanceOptions = {
  probeTimeoutMs: 1000,
  // Both engines apply synchronously; the retry window only absorbs a stale conntrack entry now and then.
  convergenceTimeoutMs: 1500,
  concurrency: 64,
  protocols: ['TCP', 'UDP'],
};

for (const { mode, engine, cases: CASES, adminCases: ADMIN_CASES } of ENGINES)
  describe(`differential: ${engine} dataplane vs model`, () => {
    const runId = testRunId();
    const driver = new LocalDriver({ runId, mode, engine });
    before(() => driver.preflight());
    after(async () => {
      await driver.cleanup();
      assert.deepEqual(await netnsWithPrefix(runId), []);
    });

    async function fails(c: PolicyCase): Promise<boolean> {
      return (await runCase(driver, c, opts)).result.status === 'fail';
    }

    async function shrink(c: PolicyCase, steps = shrinkSteps): Promise<PolicyCase> {
      let current = c;
      for (let progress = true; progress;) {
        progress = false;
        for (const smaller of steps(current)) {
          if (await fails(smaller)) {
            current = smaller;
            progress = true;
            break;
          }
        }
      }
      return current;
    }

    test(`${CASES} random policy sets agree with the model (seed ${SEED})`, async () => {
      const rand = seededRandom(SEED);
      const problems: string[] = [];
      let probes = 0;
      for (let i = 0; i < CASES; i++) {
        const c = randomCase(rand, `random-${SEED}-${i}`);
        const run = await runCase(driver, c, opts);
        probes += run.result.probes;
        if (run.result.status === 'pass') continue;
        assert.equal(run.result.status, 'fail', run.result.skipReason);
        const minimal = problems.length < 3 ? await shrink(c) : c;
        const final = await runCase(driver, minimal, opts);
        const file = join(tmpdir(), `${c.name}.yaml`);
        writeFileSync(
          file,
          `# mismatches: ${JSON.stringify(final.result.mismatches)}\n${stringify(minimal)}`,
        );
        problems.push(
          `${c.name}: ${final.result.mismatches.length} mismatches; minimal case: ${file}\n${stringify(minimal)}`,
        );
      }
      assert.equal(probes, CASES * 72 * 4, 'every ordered pair (no self pairs) × 4 probes');
      assert.deepEqual(problems, []);
    });

    test(`${ADMIN_CASES} random admin-tier policy sets agree with the model (seed ${SEED})`, async () => {
      const rand = seededRandom(SEED + 1);
      const problems: string[] = [];
      let probes = 0;
      let unsupported = 0;
      for (let i = 0; i < ADMIN_CASES; i++) {
        const c = randomAdminCase(rand, `random-admin-${SEED}-${i}`);
        // Every generated set is one the API server (and cnibench's validator) would accept.
        assert.deepEqual(checkCaseText(`${c.name}.yaml`, caseToYaml(c)).problems, [], c.name);
        const run = await runCase(driver, c, opts);
        probes += run.result.probes;
        if (run.result.status === 'unsupported') unsupported++;
        if (run.result.status === 'pass') continue;
        assert.equal(run.result.status, 'fail', run.result.skipReason ?? run.result.unsupportedReason);
        const minimal = problems.length < 3 ? await shrink(c, shrinkAdminSteps) : c;
        const final = await runCase(driver, minimal, opts);
        const file = join(tmpdir(), `${c.name}.yaml`);
        writeFileSync(
          file,
          `# mismatches: ${JSON.stringify(final.result.mismatches)}\n${caseToYaml(minimal)}`,
        );
        problems.push(
          `${c.name}: ${final.result.mismatches.length} mismatches; minimal case: ${file}\n${caseToYaml(minimal)}`,
        );
      }
      assert.equal(unsupported, 0);
      assert.equal(
        probes,
        ADMIN_CASES * 56 * ADMIN_DIFF_PROBES.length,
        'every ordered pair (no self pairs) × 3 probes',
      );
      assert.deepEqual(problems, []);
    });
  });
