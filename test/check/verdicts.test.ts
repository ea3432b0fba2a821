/**
 * The pure mapping from a compliance check's case results to its SCS verdicts, exit status, warnings
 * and exceptions (src/check/verdicts.ts, exceptions.ts), case by case as docs/scs.md tabulates it, and
 * the verdict lines read back with the SCS runner's own rule.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  exceptedByIpBlock,
  ipBlockBlind,
  SONOBUOY_OK_TO_FAIL,
  standingExceptions,
} from '../../src/check/exceptions.js';
import { verdictLines } from '../../src/check/output.js';
import { groupsFor } from '../../src/check/scs-0219.js';
import { evaluateCheck, type GroupOutcome } from '../../src/check/verdicts.js';
import { resolveCase } from '../../src/netpol/resolve.js';
import { builtinSuite } from '../../src/netpol/suite/index.js';
import { isAllowed } from '../../src/netpol/truth-table.js';
import type { PolicyCase } from '../../src/netpol/types.js';
import type { CaseResult, Mismatch } from '../../src/results/schema.js';
import { selectCases } from '../../src/workloads/conformance/select.js';
import { parseScsOutput } from './scs-runner-parse.js';
import { must } from '../helpers/must.js';

const suite = builtinSuite();
const byName = new Map(suite.map((c) => [c.name, c]));
const caseOf = (n: string) => byName.get(n);

function result(name: string, status: CaseResult['status'], extra: Partial<CaseResult> = {}): CaseResult {
  return {
    name,
    tags: byName.get(name)?.tags ?? [],
    status,
    programmingLatencyMs: status === 'pass' ? 5 : null,
    mismatches: [],
    probes: 4,
    durationMs: 10,
    ...extra,
  };
}

const mismatch: Mismatch = {
  from: 'x/a',
  to: 'x/b',
  port: 80,
  protocol: 'TCP',
  expected: false,
  observed: true,
};
const np = (...cases: CaseResult[]): GroupOutcome => ({ id: 'scs-0219-networkpolicy', cases });
const sctp = (...cases: CaseResult[]): GroupOutcome => ({ id: 'scs-0219-networkpolicy-sctp', cases });
const admin = (...cases: CaseResult[]): GroupOutcome => ({ id: 'scs-0219-admin-policy', cases });
const cnp = suite.find((c) => c.tags?.includes('cluster-network-policy'));
assert.ok(cnp);
const unsupported = (by: 'driver' | 'cluster') =>
  result(cnp.name, 'unsupported', { unsupportedBy: by, unsupportedReason: `not here (${by})` });

const verdictsOf = (e: ReturnType<typeof evaluateCheck>) => e.verdicts.map((v) => [v.id, v.verdict]);

describe('check verdicts (scs-0219)', () => {
  test('MUST passes, SHOULD unsupported by the driver, optional SCTP fails: PASS, exit 0, two warnings', () => {
    const e = evaluateCheck({
      requested: [],
      caseOf,
      groups: [
        np(result('upstream-default-deny-ingress', 'pass'), result('upstream-default-deny-all', 'pass')),
        admin(unsupported('driver')),
        sctp(
          result('upstream-sctp-default-deny', 'fail', { mismatches: [{ ...mismatch, protocol: 'SCTP' }] }),
        ),
      ],
    });
    assert.deepEqual(verdictsOf(e), [
      ['scs-0219-networkpolicy', 'PASS'],
      ['scs-0219-admin-policy', 'none'],
      ['scs-0219-networkpolicy-sctp', 'FAIL'],
      ['kaas-networking-check', 'PASS'],
    ]);
    assert.equal(e.exitCode, 0);
    assert.equal(e.warnings.length, 2);
    assert.match(
      e.warnings[0] ?? '',
      /^scs-0219-admin-policy \(SHOULD\) not checked by this cnibench build: not here \(driver\)/,
    );
    assert.match(
      e.warnings[1] ?? '',
      /^scs-0219-networkpolicy-sctp \(optional.*does not count toward kaas-networking-check/,
    );
    // The SCTP failure is listed for the mismatching pairs, but does not decide.
    assert.deepEqual(
      e.failing.map((f) => f.group),
      ['scs-0219-networkpolicy-sctp'],
    );
  });

  test('a cluster that does not enforce the admin tier: no verdict line, a WARNING saying so', () => {
    const e = evaluateCheck({
      requested: [],
      caseOf,
      groups: [np(result('upstream-default-deny-all', 'pass')), admin(unsupported('cluster'))],
    });
    assert.equal(e.verdicts.find((v) => v.id === 'scs-0219-admin-policy')?.verdict, 'none');
    assert.match(e.warnings.join('\n'), /scs-0219-admin-policy \(SHOULD\): the cluster does not enforce it/);
    assert.doesNotMatch(verdictLines(e.verdicts, []), /admin-policy/);
  });

  test('admin tier served and wrongly enforced: FAIL on its id and a WARNING, the MUST still decides', () => {
    const e = evaluateCheck({
      requested: [],
      caseOf,
      groups: [
        np(result('upstream-default-deny-all', 'pass')),
        admin(result(cnp.name, 'fail', { mismatches: [mismatch] })),
      ],
    });
    assert.equal(e.verdicts.find((v) => v.id === 'scs-0219-admin-policy')?.verdict, 'FAIL');
    assert.equal(e.verdicts.find((v) => v.id === 'kaas-networking-check')?.verdict, 'PASS');
    assert.equal(e.exitCode, 0);
    assert.match(e.warnings.join('\n'), /scs-0219-admin-policy \(SHOULD\) not met/);
  });

  test('a failing NetworkPolicy case: FAIL, exit 1', () => {
    const e = evaluateCheck({
      requested: [],
      caseOf,
      groups: [
        np(
          result('upstream-default-deny-all', 'fail', { mismatches: [mismatch] }),
          result('upstream-default-deny-ingress', 'pass'),
        ),
      ],
    });
    assert.equal(e.verdicts.find((v) => v.id === 'kaas-networking-check')?.verdict, 'FAIL');
    assert.equal(
      e.verdicts.find((v) => v.id === 'scs-0219-networkpolicy')?.summary,
      '1 of 2 NetworkPolicy cases failed',
    );
    assert.equal(e.exitCode, 1);
  });

  test('the MUST stopped by the cluster, or nothing ran: ABORT, exit 3', () => {
    const stopped = evaluateCheck({
      requested: [],
      caseOf,
      groups: [{ ...np(), error: 'API server went away' }],
    });
    assert.equal(stopped.verdicts.find((v) => v.id === 'kaas-networking-check')?.verdict, 'ABORT');
    assert.equal(stopped.exitCode, 3);
    const none = evaluateCheck({
      requested: [],
      caseOf,
      groups: [np(result('upstream-default-deny-all', 'skip'))],
    });
    assert.equal(none.verdicts.find((v) => v.id === 'scs-0219-networkpolicy')?.verdict, 'ABORT');
  });

  test('could not start: every requested id ABORT, exit 3', () => {
    const e = evaluateCheck({
      requested: ['kaas-networking-check'],
      caseOf,
      groups: [],
      abort: 'cannot reach the API server',
    });
    assert.equal(verdictLines(e.verdicts, ['kaas-networking-check']), 'kaas-networking-check: ABORT\n');
    assert.equal(e.exitCode, 3);
  });

  test('only finer ids asked for: those are checked and printed, and decide the exit status', () => {
    const groups = groupsFor(['scs-0219-admin-policy'], { tags: [], excludeTags: [], maxCases: 0 });
    assert.deepEqual(
      groups.map((g) => g.id),
      ['scs-0219-admin-policy'],
    );
    const e = evaluateCheck({
      requested: ['scs-0219-admin-policy'],
      caseOf,
      groups: [admin(result(cnp.name, 'fail', { mismatches: [mismatch] }))],
    });
    assert.deepEqual(verdictsOf(e), [['scs-0219-admin-policy', 'FAIL']]);
    assert.equal(e.exitCode, 1);
  });

  test('the groups: the MUST leaves out SCTP and the admin tier, SCTP is its own optional id', () => {
    const groups = groupsFor([], { tags: [], excludeTags: [], maxCases: 0 });
    const cases = (id: string) =>
      groups.find((g) => g.id === id)?.workloads.flatMap((w) => selectCases(w, suite)) ?? [];
    const must = cases('scs-0219-networkpolicy');
    assert.ok(must.length > 100);
    assert.ok(
      must.every(
        (c) =>
          !c.tags?.some(
            (t) => t.startsWith('tier:') || t === 'cluster-network-policy' || t === 'admin-network-policy',
          ),
      ),
    );
    const protocols = (id: string) => groups.find((g) => g.id === id)?.workloads.flatMap((w) => w.protocols);
    assert.deepEqual(protocols('scs-0219-networkpolicy'), ['TCP', 'UDP']);
    assert.deepEqual(protocols('scs-0219-networkpolicy-sctp'), ['SCTP']);
    assert.ok(cases('scs-0219-networkpolicy-sctp').length > 0);
    assert.ok(cases('scs-0219-admin-policy').length > 0);
  });

  test('verdict lines read back by the SCS runner’s rule, ids with a verdict only', () => {
    const e = evaluateCheck({
      requested: [],
      caseOf,
      groups: [
        np(result('upstream-default-deny-all', 'fail', { mismatches: [mismatch] })),
        admin(unsupported('driver')),
        sctp(),
      ],
    });
    const scs = parseScsOutput(verdictLines(e.verdicts, []), '');
    assert.deepEqual(
      [...scs.results],
      [
        ['scs-0219-networkpolicy', -1],
        ['scs-0219-networkpolicy-sctp', 0],
        ['kaas-networking-check', -1],
      ],
    );
  });
});

/** The mismatches a dataplane that never matches ipBlock peers against pods shows on this case. */
function blindMismatches(c: PolicyCase): Mismatch[] {
  const real = resolveCase(c);
  const blind = ipBlockBlind(real);
  return real.probes.flatMap((probe) =>
    real.pods.flatMap((from) =>
      real.pods.flatMap((to) => {
        const expected = isAllowed(real, from.key, to.key, probe);
        const observed = isAllowed(blind, from.key, to.key, probe);
        return expected === observed ? [] : [{ from: from.key, to: to.key, ...probe, expected, observed }];
      }),
    ),
  );
}

describe('the standard’s ipBlock exception (cilium/cilium#9209)', () => {
  const c = byName.get('ingress-x-all-pods-from-cidr-y-z-on-tcp-80');
  assert.ok(c);
  const pods = resolveCase(c).pods.map((p) => ({ key: p.key, ip: p.ip }));
  const blind = blindMismatches(c);

  test('a dataplane that ignores ipBlock for pods: every mismatch excepted, the MUST passes', () => {
    assert.ok(blind.length > 0);
    const r = result(c.name, 'fail', { mismatches: blind, pods });
    assert.equal(exceptedByIpBlock(c, r), true);
    const e = evaluateCheck({
      requested: [],
      caseOf,
      groups: [np(r, result('upstream-default-deny-all', 'pass'))],
    });
    assert.equal(e.verdicts.find((v) => v.id === 'kaas-networking-check')?.verdict, 'PASS');
    assert.deepEqual(
      e.excepted.map((x) => [x.case, x.exception]),
      [[c.name, 'ipblock-pod-ip']],
    );
    assert.match(e.verdicts[0]?.summary ?? '', /1 excepted/);
  });

  test('any other mistake on an ipBlock case still fails', () => {
    // A pair the blind reading gets right, observed the other way.
    const real = resolveCase(c);
    const probe = real.probes[0];
    assert.ok(probe);
    const pair = real.pods
      .flatMap((f) => real.pods.map((t) => ({ f: f.key, t: t.key })))
      .find(({ f, t }) => isAllowed(real, f, t, probe) === isAllowed(ipBlockBlind(real), f, t, probe));
    assert.ok(pair);
    const expected = isAllowed(real, pair.f, pair.t, probe);
    const other: Mismatch = { from: pair.f, to: pair.t, ...probe, expected, observed: !expected };
    assert.equal(exceptedByIpBlock(c, result(c.name, 'fail', { mismatches: [other], pods })), false);
    // A case without ipBlock is never excepted.
    const plain = byName.get('upstream-default-deny-all');
    assert.ok(plain);
    assert.equal(exceptedByIpBlock(plain, result(plain.name, 'fail', { mismatches: [mismatch] })), false);
  });
});

describe('the Sonobuoy entry’s exceptions, mapped to the cases that transcribe its tests', () => {
  test('each excepted e2e test maps to the upstream-e2e cases whose description names it, and only those', () => {
    const upstream = suite.filter((c) => c.tags?.includes('upstream-e2e'));
    for (const x of SONOBUOY_OK_TO_FAIL) {
      const transcribing = upstream
        .filter((c) => (c.description ?? '').startsWith(x.test))
        .map((c) => c.name);
      assert.deepEqual(x.cases, transcribing, x.test);
      if (x.cases.length === 0) assert.ok(x.note, `${x.test}: says why no case maps`);
    }
    assert.equal(SONOBUOY_OK_TO_FAIL.filter((x) => x.cases.length > 0).length, 4);
  });

  const mapped = must(byName.get('upstream-egress-cidr-except'));
  // Any mistake at all, not only the ipBlock-blind one: the Sonobuoy entry excepts the whole test.
  const anyMistake = result(mapped.name, 'fail', {
    mismatches: [{ ...mismatch, from: 'x/a', to: 'z/c', expected: false, observed: true }],
    pods: resolveCase(mapped).pods.map((p) => ({ key: p.key, ip: p.ip })),
  });
  const other = must(byName.get('ingress-x-all-pods-from-cidr-y-z-on-tcp-80'));
  const blindOther = result(other.name, 'fail', {
    mismatches: blindMismatches(other),
    pods: resolveCase(other).pods.map((p) => ({ key: p.key, ip: p.ip })),
  });
  const must0219 = (ipBlock?: 'sonobuoy' | 'narrow' | 'none') =>
    evaluateCheck({
      requested: ['scs-0219-networkpolicy'],
      caseOf,
      groups: [np(anyMistake, blindOther)],
      ...(ipBlock ? { ipBlock } : {}),
    });

  test('default (sonobuoy): the transcribed test excepted whole, other ipBlock cases for cilium#9209 only', () => {
    const e = must0219();
    assert.equal(e.verdicts[0]?.verdict, 'PASS');
    assert.deepEqual(
      e.excepted.map((x) => [x.case, x.exception]),
      [
        [mapped.name, 'sonobuoy-ipblock-tests'],
        [other.name, 'ipblock-pod-ip'],
      ],
    );
    assert.match(e.excepted[0]?.reason ?? '', /should enforce except clause while egress access/);
    assert.deepEqual(
      standingExceptions('sonobuoy').map((x) => x.id),
      ['sctp-optional', 'sonobuoy-ipblock-tests', 'ipblock-pod-ip'],
    );
  });

  test('narrow (stricter than the Sonobuoy entry): the transcribed case fails on a mistake cilium#9209 does not explain', () => {
    const e = must0219('narrow');
    assert.equal(e.verdicts[0]?.verdict, 'FAIL');
    assert.deepEqual(
      e.excepted.map((x) => x.case),
      [other.name],
    );
  });

  test('none: no ipBlock exception at all', () => {
    const e = must0219('none');
    assert.equal(e.verdicts[0]?.verdict, 'FAIL');
    assert.deepEqual(e.excepted, []);
    assert.match(e.verdicts[0]?.summary ?? '', /^2 of 2 NetworkPolicy cases failed/);
    assert.deepEqual(
      standingExceptions('none').map((x) => x.id),
      ['sctp-optional'],
    );
  });
});

describe('leaving the optional ids out', () => {
  test('optional: false: no SCTP verdict, no SCTP line, no SCTP warning', () => {
    const groups = [np(result('upstream-default-deny-all', 'pass'))];
    const withIt = evaluateCheck({ requested: [], caseOf, groups });
    assert.ok(withIt.verdicts.some((v) => v.id === 'scs-0219-networkpolicy-sctp'));
    const e = evaluateCheck({ requested: [], caseOf, groups, optional: false });
    assert.deepEqual(
      e.verdicts.map((v) => v.id),
      ['scs-0219-networkpolicy', 'scs-0219-admin-policy', 'kaas-networking-check'],
    );
    assert.doesNotMatch(verdictLines(e.verdicts, []), /sctp/);
    assert.ok(!e.warnings.some((w) => w.includes('sctp')), e.warnings.join('\n'));
    assert.equal(e.exitCode, 0);
  });
});
