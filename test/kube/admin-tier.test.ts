/**
 * The kube driver and the admin tier, until real clusters are supported: it declares no admin-tier
 * API (saying the harness, not the cluster, lacks it), refuses admin-tier objects in setPolicies,
 * and the conformance workload reports admin-tier cases on it as unsupported without touching the
 * cluster. No API server is needed: an unsupported case never reaches one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeDriver } from '../../src/cluster/kube/driver.js';
import { adminTierSuite } from '../../src/netpol/suite/index.js';
import { runConformance } from '../../src/workloads/conformance/run.js';
import { clusterConfig } from './helpers.js';

const driver = () => new KubeDriver(clusterConfig('/nonexistent/kubeconfig'));

test('the kube driver declares no admin-tier API, and says the harness is why', () => {
  const caps = driver().capabilities();
  assert.deepEqual(caps.adminTier, []);
  assert.equal(caps.adminTierUnsupported?.by, 'driver');
});

test('setPolicies refuses admin-tier objects instead of silently dropping them', async () => {
  const c = adminTierSuite('v1alpha2')[0];
  assert.ok(c);
  await assert.rejects(
    driver().setPolicies([], [], undefined, { clusterNetworkPolicies: c.clusterNetworkPolicies }),
    /does not apply admin-tier policies yet/,
  );
});

test('admin-tier cases on the kube driver are unsupported (by the driver), never failed or passed', async () => {
  const cases = [...adminTierSuite('v1alpha2').slice(0, 3), ...adminTierSuite('v1alpha1').slice(0, 3)];
  const r = await runConformance(driver(), cases, {
    probeTimeoutMs: 100,
    convergenceTimeoutMs: 100,
    concurrency: 1,
    protocols: ['TCP', 'UDP', 'SCTP'],
  });
  assert.equal(r.unsupported, 6);
  assert.equal(r.passed + r.failed + r.skipped, 0);
  for (const c of r.caseResults) {
    assert.equal(c.status, 'unsupported');
    assert.equal(c.unsupportedBy, 'driver');
    assert.match(
      c.unsupportedReason ?? '',
      /^policy\.networking\.k8s\.io\/v1alpha[12] .*: the kube driver does not apply admin-tier policies yet$/,
    );
  }
});
