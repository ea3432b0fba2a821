/**
 * The built-in conformance suite on the local cluster: every TCP/UDP case must pass on the routed
 * profile (the whole suite), on the VXLAN + eBPF profile (the whole suite: NetworkPolicy and both
 * admin-tier groups) and on the VXLAN + nftables profile (a slice, to keep CI fast); SCTP cases are skipped with the driver's reason, since this kernel/agent has no SCTP.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LocalDriver } from '../../../src/cluster/local/driver.js';
import { builtinSuite, filterByTags } from '../../../src/netpol/suite/index.js';
import { runConformance, type ConformanceOptions } from '../../../src/workloads/conformance/run.js';
import { netnsWithPrefix, testRunId } from './helpers.js';

const opts: ConformanceOptions = {
  probeTimeoutMs: 1000,
  convergenceTimeoutMs: 5000,
  concurrency: 64,
  protocols: ['TCP', 'UDP'],
};

function failuresText(failures: Array<{ name: string; mismatches: unknown[] }>): string {
  return failures.map((f) => `${f.name}: ${JSON.stringify(f.mismatches.slice(0, 5))}`).join('\n');
}

describe('built-in suite on the local cluster', () => {
  const drivers: LocalDriver[] = [];
  after(async () => {
    for (const d of drivers) {
      await d.cleanup();
      assert.deepEqual(await netnsWithPrefix(d.runId), []);
    }
  });

  test('routed profile: every TCP/UDP case passes', async () => {
    const driver = new LocalDriver({ runId: testRunId(), mode: 'routed' });
    drivers.push(driver);
    await driver.preflight();
    // The multi-step policy-change group has its own test on both profiles (policy-change.netns.test.ts).
    const cases = filterByTags(builtinSuite(), { protocols: ['TCP', 'UDP'], excludeTags: ['policy-change'] });
    assert.ok(cases.length > 100, `suite has ${cases.length} TCP/UDP cases`);
    const result = await runConformance(driver, cases, opts);
    assert.equal(result.failed, 0, failuresText(result.failures));
    assert.equal(result.passed, cases.length);
    for (const c of result.caseResults) {
      assert.ok(c.programmingLatencyMs !== null && c.programmingLatencyMs >= 0, c.name);
      assert.ok(c.probes > 0, c.name);
    }
    // Denials are exercised, not just allowed traffic: the suite has cases where most pairs are denied.
    assert.ok(cases.some((c) => c.policies.length > 0));
  });

  test('vxlan + ebpf profile (Cilium-like): every TCP/UDP case passes, admin tier included', async () => {
    const driver = new LocalDriver({ runId: testRunId(), mode: 'vxlan', engine: 'ebpf' });
    drivers.push(driver);
    await driver.preflight();
    const cases = filterByTags(builtinSuite(), { protocols: ['TCP', 'UDP'] });
    assert.ok(
      cases.some((c) => c.clusterNetworkPolicies && c.adminNetworkPolicies === undefined),
      'v1alpha2 cases',
    );
    assert.ok(
      cases.some((c) => c.adminNetworkPolicies ?? c.baselineAdminNetworkPolicy),
      'v1alpha1 cases',
    );
    const result = await runConformance(driver, cases, opts);
    assert.equal(result.failed, 0, failuresText(result.failures));
    assert.equal(result.passed, cases.length);
  });

  test('vxlan profile: a slice of the suite passes; SCTP cases are skipped with a reason', async () => {
    const driver = new LocalDriver({ runId: testRunId(), mode: 'vxlan', engine: 'nftables' });
    drivers.push(driver);
    await driver.preflight();
    assert.ok(!driver.capabilities().protocols.includes('SCTP'));
    const all = builtinSuite();
    const sctp = all.filter((c) => c.probes.every((p) => p.protocol === 'SCTP')).slice(0, 2);
    assert.ok(sctp.length > 0, 'the suite has SCTP cases');
    const cases = [
      ...filterByTags(all, { protocols: ['TCP', 'UDP'], excludeTags: ['policy-change'] }).filter(
        (_, i) => i % 8 === 0,
      ),
      ...sctp,
    ];
    const result = await runConformance(driver, cases, { ...opts, protocols: ['TCP', 'UDP', 'SCTP'] });
    assert.equal(result.failed, 0, failuresText(result.failures));
    assert.equal(result.skipped, sctp.length);
    for (const c of result.caseResults.filter((r) => r.status === 'skip')) {
      assert.equal(c.skipReason, 'protocol SCTP not supported by this driver');
    }
    assert.equal(result.passed, cases.length - sctp.length);
  });
});
