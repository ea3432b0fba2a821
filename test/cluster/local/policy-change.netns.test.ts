/**
 * The policy-change group (multi-step cases, docs/policy-change.md) on both local profiles: every
 * case passes at every step; steps that turn an allow into a deny hold a TCP connection and a UDP
 * flow across the change, and the local nftables dataplane (which accepts established traffic before
 * any policy) keeps both. The routed run has iperf3 throughput on the cross-node pair meanwhile,
 * as `cnibench run` does, so its times to enforce are under load.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalDriver } from '../../../src/cluster/local/driver.js';
import { builtinSuite, filterByTags } from '../../../src/netpol/suite/index.js';
import { throughputLoad } from '../../../src/workloads/conformance/load.js';
import { runConformance, type ConformanceOptions } from '../../../src/workloads/conformance/run.js';
import { netnsWithPrefix, testRunId } from './helpers.js';

const opts: ConformanceOptions = {
  probeTimeoutMs: 1000,
  convergenceTimeoutMs: 8000,
  concurrency: 64,
  protocols: ['TCP', 'UDP'],
  heldFlowWindowMs: 600,
};

const cases = filterByTags(builtinSuite(), { tags: ['policy-change'] });

describe('policy-change group on the local cluster', () => {
  const drivers: LocalDriver[] = [];
  after(async () => {
    for (const d of drivers) {
      await d.cleanup();
      assert.deepEqual(await netnsWithPrefix(d.runId), []);
    }
  });

  for (const mode of ['routed', 'vxlan'] as const) {
    test(`${mode} profile: every step of every case passes; held flows are kept`, async () => {
      const driver = new LocalDriver({ runId: testRunId(), mode });
      drivers.push(driver);
      await driver.preflight();
      assert.ok(cases.length >= 40);
      const load =
        mode === 'routed'
          ? throughputLoad(driver, async () => {
              const t = await driver.preparePerf(['cross-node']);
              const pair = t.pairs.find((p) => p.path === 'cross-node');
              assert.ok(pair);
              return pair;
            })
          : undefined;
      const result = await runConformance(driver, cases, { ...opts, ...(load ? { load } : {}) });
      const failed = result.caseResults.filter((c) => c.status !== 'pass');
      assert.deepEqual(
        failed.map((c) => `${c.name}: ${JSON.stringify(c.steps?.find((s) => s.status === 'fail'))}`),
        [],
      );
      let held = 0;
      for (const c of result.caseResults) {
        const want = cases.find((x) => x.name === c.name)?.steps?.length ?? 0;
        assert.equal(c.steps?.length, want + 1, c.name);
        for (const s of c.steps ?? []) {
          assert.ok(s.timeToEnforceMs !== null && s.timeToEnforceMs >= 0, `${c.name} step ${s.step}`);
          assert.equal(s.underLoad, mode === 'routed');
          if ((s.newDenials ?? 0) === 0) assert.equal(s.heldFlows, undefined);
          for (const f of s.heldFlows ?? []) {
            held++;
            assert.ok(f.answersBefore > 0, `${c.name} step ${s.step}: ${f.protocol} flow never established`);
            assert.equal(f.outcome, 'kept', `${c.name} step ${s.step} ${f.protocol}: ${JSON.stringify(f)}`);
          }
        }
      }
      assert.ok(held >= 40, `${held} flows held`);
      if (mode === 'routed') {
        assert.ok(result.load, 'the load ran');
        assert.ok(
          (result.load.gbps.length ?? 0) > 0 && result.load.error === undefined,
          JSON.stringify(result.load),
        );
      } else assert.equal(result.load, undefined);
    });
  }
});
