/**
 * The admin tier as scored and reported (SYNTHETIC case results): the SCS-0219 SHOULD and the
 * feature cell are measured from the admin-tier groups, with unsupported-by-cluster a measured
 * absence and unsupported-by-driver "not measured"; the NetworkPolicy MUST ignores admin-tier cases;
 * the report has the section, the summary sentence and the unsupported cases.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readAdminTier, adminTierCell, adminTierStandardsCheck } from '../../src/scoring/admin-tier.js';
import { standardsFit } from '../../src/scoring/standards.js';
import { featureMatrix } from '../../src/scoring/features.js';
import { buildModel } from '../../src/report/model.js';
import { reportBlocks } from '../../src/report/sections.js';
import { renderMarkdownBlocks } from '../../src/report/blocks.js';
import { formatSummaryTable } from '../../src/run/summary-table.js';
import type { CaseResult } from '../../src/results/schema.js';
import { candidate, caseResult, conformance, resultsFile } from './synthetic.js';

const NP = ['direction:ingress', 'protocol:tcp'];
const CNP = ['cluster-network-policy', 'tier:admin', 'action:deny', 'protocol:tcp'];
const ANP = ['admin-network-policy', 'tier:baseline', 'action:accept', 'protocol:udp'];

const unsupported = (name: string, tags: string[], by: 'driver' | 'cluster', reason: string): CaseResult => ({
  ...caseResult(name, tags, 'unsupported'),
  unsupportedReason: reason,
  unsupportedBy: by,
});

function cand(name: string, cases: CaseResult[]) {
  const conf = conformance(cases);
  const u = cases.filter((c) => c.status === 'unsupported').length;
  return candidate({
    name,
    cni: 'calico',
    label: name,
    conformance: u > 0 ? { ...conf, unsupported: u } : conf,
  });
}

const npOk = [caseResult('np-1', NP, 'pass'), caseResult('np-2', NP, 'pass')];

describe('admin tier: measured, not declared', () => {
  test('supported: one API version ran and passed, the other unsupported by the cluster', () => {
    const c = cand('a', [
      ...npOk,
      caseResult('cnp-1', CNP, 'pass'),
      caseResult('cnp-2', CNP, 'pass'),
      unsupported('anp-1', ANP, 'cluster', 'canary not blocked'),
    ]);
    assert.equal(readAdminTier(c).verdict, 'supported');
    const check = adminTierStandardsCheck(c);
    assert.equal(check.status, 'met');
    assert.equal(check.requirement, 'SHOULD');
    assert.match(
      check.evidence,
      /ClusterNetworkPolicy v1alpha2: 2\/2 passed; AdminNetworkPolicy\/BaselineAdminNetworkPolicy v1alpha1: not enforced by the cluster \(canary not blocked\)/,
    );
    assert.equal(adminTierCell(c, 'admin.tier').status, 'supported');
  });

  test('failing: not met, a partial feature with the best pass rate', () => {
    const c = cand('b', [...npOk, caseResult('cnp-1', CNP, 'pass'), caseResult('cnp-2', CNP, 'fail')]);
    assert.equal(adminTierStandardsCheck(c).status, 'not-met');
    const cell = adminTierCell(c, 'admin.tier');
    assert.equal(cell.status, 'partial');
    assert.equal(cell.passRate, 0.5);
  });

  test('the cluster enforces neither version: not met, not supported (score 0)', () => {
    const c = cand('c', [
      ...npOk,
      unsupported('cnp-1', CNP, 'cluster', 'no CRD'),
      unsupported('anp-1', ANP, 'cluster', 'no CRD'),
    ]);
    assert.equal(adminTierStandardsCheck(c).status, 'not-met');
    assert.deepEqual([adminTierCell(c, 'x').status, adminTierCell(c, 'x').passRate], ['unsupported', 0]);
  });

  test('the harness cannot apply it (kube driver today), or no admin case ran: unknown, not measured', () => {
    const byDriver = cand('d', [
      ...npOk,
      unsupported('cnp-1', CNP, 'driver', 'the kube driver does not apply admin-tier policies yet'),
    ]);
    assert.equal(adminTierStandardsCheck(byDriver).status, 'unknown');
    assert.equal(adminTierCell(byDriver, 'x').status, 'not-measured');
    assert.equal(adminTierCell(byDriver, 'x').passRate, undefined);
    const none = cand('e', npOk);
    assert.equal(adminTierStandardsCheck(none).status, 'unknown');
    assert.match(adminTierStandardsCheck(none).evidence, /not run/);
  });

  test('the NetworkPolicy MUST and the NetworkPolicy features count NetworkPolicy cases only', () => {
    const c = cand('f', [...npOk, caseResult('cnp-1', [...CNP, 'direction:ingress'], 'fail')]);
    const fit = standardsFit([{ result: c, lookup: { kind: 'missing', key: 'calico' } }]);
    const checks = fit.candidates[0]?.checks ?? [];
    assert.equal(checks[0]?.id, 'scs-0219.networkpolicy');
    assert.equal(checks[0]?.status, 'met');
    assert.match(checks[0]?.evidence ?? '', /all 2 NetworkPolicy cases run passed/);
    assert.equal(checks[1]?.id, 'scs-0219.adminnetworkpolicy');
    assert.equal(checks[1]?.status, 'not-met');
    const m = featureMatrix([{ result: c, lookup: { kind: 'missing', key: 'calico' } }]);
    const ingress = m.candidates[0]?.cells[m.features.findIndex((f) => f.id === 'np.ingress')];
    assert.equal(ingress?.detail, '2/2 passed');
    const admin = m.candidates[0]?.cells[m.features.findIndex((f) => f.id === 'admin.tier')];
    assert.equal(admin?.status, 'unsupported');
  });
});

describe('admin tier in the report and the end-of-run table', () => {
  const r = resultsFile([
    cand('calico', [
      ...npOk,
      caseResult('cnp-1', CNP, 'pass'),
      unsupported('anp-1', ANP, 'cluster', 'the canary pair was not blocked'),
    ]),
    cand('cilium', [
      ...npOk,
      unsupported('cnp-1', CNP, 'driver', 'the kube driver does not apply admin-tier policies yet'),
    ]),
  ]);

  test('summary sentence, section with per-version table and the unsupported cases', () => {
    const md = renderMarkdownBlocks(reportBlocks(buildModel([r], { facts: null })), new Map());
    assert.match(
      md,
      /Admin tier \(ClusterNetworkPolicy or AdminNetworkPolicy\/BaselineAdminNetworkPolicy, an SCS-0219 SHOULD\), measured: calico: supported, conformance passed .*; cilium: not measured/,
    );
    assert.match(md, /## Admin tier \(ClusterNetworkPolicy, AdminNetworkPolicy\)/);
    assert.match(md, /\| calico \| ClusterNetworkPolicy v1alpha2 \| 1 \| 0 \| 0 \| 0 \| ✔ all passed \|/);
    assert.match(
      md,
      /\| calico \| AdminNetworkPolicy\/BaselineAdminNetworkPolicy v1alpha1 \| 0 \| 0 \| 0 \| 1 \| ✘ not enforced: the canary pair was not blocked \|/,
    );
    assert.match(
      md,
      /### Unsupported cases\n\n\| Candidate \| Case \| Reason \|\n\| --- \| --- \| --- \|\n\| calico \| anp-1 \| the canary pair was not blocked \|/,
    );
    // The NetworkPolicy per-tag table does not mix in admin-tier tags.
    const npTable = md.slice(md.indexOf('### NetworkPolicy per tag'), md.indexOf('## Admin tier'));
    assert.doesNotMatch(npTable, /tier:admin/);
  });

  test('the end-of-run table has an admin-tier row', () => {
    const table = formatSummaryTable(r);
    assert.match(table, /NetworkPolicy conformance\s+2\/2 pass, 0 skip\s+2\/2 pass, 0 skip/);
    assert.match(
      table,
      /Admin tier conformance\s+1\/1 pass, 0 skip, 1 unsupported\s+0\/0 pass, 0 skip, 1 unsupported/,
    );
  });
});
