/**
 * From the conformance results of a compliance check to its verdicts: PASS, FAIL or ABORT per testcase
 * id, the exceptions applied, the WARNING lines and the exit status. Pure, so the mapping can be
 * tested case by case (docs/scs.md has it as a table):
 *
 * - MUST (scs-0219-networkpolicy): PASS when every NetworkPolicy case that ran passed or is excepted,
 *   FAIL when one failed, ABORT when it could not run (or no case ran). kaas-networking-check takes
 *   this verdict, and so does the exit status: 0 PASS, 1 FAIL, 3 ABORT. When only finer ids without
 *   the MUST are asked for, the exit status follows theirs (1 on a FAIL, else 3 on an ABORT, else 0).
 * - SHOULD (scs-0219-admin-policy), read as the report reads the admin tier (scoring/admin-tier.ts):
 *   PASS when the cases of an API version the cluster serves all passed; FAIL when they ran and some
 *   failed (the cluster claims the API and enforces it wrongly); no verdict when the cluster does not
 *   enforce it, or this cnibench cannot apply it there. The standard asks CSPs to provide a plugin
 *   that "supports or is working on support" for these resources: a probe can confirm support, and
 *   can catch a wrong implementation, but cannot tell "working on support" from no plans, so a missing
 *   admin tier gets no verdict. Every outcome but PASS is also a WARNING line, never an error: a SHOULD
 *   never fails the MUST.
 * - optional (scs-0219-networkpolicy-sctp): PASS or FAIL as measured, plus a WARNING when not PASS;
 *   it never counts toward the MUST.
 */
import type { PolicyCase } from '../netpol/types.js';
import type { CaseResult, CheckVerdict, ExceptedCase } from '../results/schema.js';
import { readAdminTierOf } from '../scoring/admin-tier.js';
import { ExitCode, type ExitCodeValue } from '../util/errors.js';
import { exceptionFor, type IpBlockMode } from './exceptions.js';
import {
  AGGREGATE_ID,
  GROUP_IDS,
  GROUP_TITLE,
  REQUIREMENT,
  type GroupId,
  type SuiteNarrowing,
  type TestcaseId,
} from './scs-0219.js';

export interface GroupOutcome {
  id: GroupId;
  /** Results of the cases that ran (every case of the group when it finished). */
  cases: CaseResult[];
  /** Why the group stopped before its end (the cluster or this machine failed), if it did. */
  error?: string;
}

export interface VerdictInput {
  /** Testcase ids asked for; empty: all. */
  requested: readonly TestcaseId[];
  /** The groups the requested ids need, as far as they ran. */
  groups: GroupOutcome[];
  /** The built-in case of a result, for the exceptions (undefined: unknown, no exception applies). */
  caseOf: (name: string) => PolicyCase | undefined;
  /** The check could not start (unreachable cluster, missing permission): every verdict is ABORT. */
  abort?: string;
  narrowed?: SuiteNarrowing;
  /** How the standard's ipBlock exceptions apply (exceptions.ts); default `sonobuoy`. */
  ipBlock?: IpBlockMode;
  /** false: the optional ids (SCTP) are left out, neither run nor printed (default true). */
  optional?: boolean;
}

export interface Evaluation {
  /** One per testcase id the requested ids cover, in TESTCASE_IDS order. */
  verdicts: CheckVerdict[];
  excepted: ExceptedCase[];
  /** WARNING lines, without the prefix. */
  warnings: string[];
  /** Cases that failed and count (MUST, then optional), for the first mismatching pairs. */
  failing: Array<{ group: GroupId; result: CaseResult }>;
  exitCode: ExitCodeValue;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

interface NetworkPolicyTally {
  ran: number;
  failing: CaseResult[];
  excepted: ExceptedCase[];
  skipped: number;
}

function tallyNetworkPolicy(
  cases: CaseResult[],
  caseOf: VerdictInput['caseOf'],
  mode: IpBlockMode,
): NetworkPolicyTally {
  const failing: CaseResult[] = [];
  const excepted: ExceptedCase[] = [];
  for (const r of cases.filter((x) => x.status === 'fail')) {
    const c = caseOf(r.name);
    const x = c && exceptionFor(c, r, mode);
    if (x) excepted.push({ case: r.name, ...x });
    else failing.push(r);
  }
  return {
    ran: cases.filter((r) => r.status === 'pass' || r.status === 'fail').length,
    failing,
    excepted,
    skipped: cases.filter((r) => r.status === 'skip').length,
  };
}

function networkPolicyVerdict(
  g: GroupOutcome,
  t: NetworkPolicyTally,
): Omit<CheckVerdict, 'id' | 'requirement'> {
  const what = g.id === 'scs-0219-networkpolicy-sctp' ? 'NetworkPolicy SCTP' : 'NetworkPolicy';
  const extra = [
    t.excepted.length > 0 ? `${t.excepted.length} excepted` : '',
    t.skipped > 0 ? `${t.skipped} skipped (not measured)` : '',
  ].filter(Boolean);
  const tail = extra.length > 0 ? ` (${extra.join(', ')})` : '';
  if (g.error) return { verdict: 'ABORT', summary: `could not run: ${g.error}` };
  if (t.ran === 0) return { verdict: 'ABORT', summary: `no ${what} case ran${tail}` };
  if (t.failing.length > 0)
    return {
      verdict: 'FAIL',
      summary: `${t.failing.length} of ${plural(t.ran, `${what} case`)} failed${tail}`,
    };
  return {
    verdict: 'PASS',
    summary: `${t.ran === 1 ? 'the' : `all ${t.ran}`} ${plural(t.ran, `${what} case`).replace(/^\d+ /, '')} passed${tail}`,
  };
}

function adminVerdict(g: GroupOutcome): { v: Omit<CheckVerdict, 'id' | 'requirement'>; warning?: string } {
  const id = 'scs-0219-admin-policy (SHOULD)';
  if (g.error)
    return {
      v: { verdict: 'ABORT', summary: `could not run: ${g.error}` },
      warning: `${id} could not be checked: ${g.error}`,
    };
  const r = readAdminTierOf(g.cases);
  switch (r.verdict) {
    case 'supported':
      return { v: { verdict: 'PASS', summary: r.evidence } };
    case 'failing':
      return {
        v: { verdict: 'FAIL', summary: r.evidence },
        warning: `${id} not met: the cluster serves the admin tier but does not enforce it as specified: ${r.evidence}`,
      };
    case 'unsupported':
      return {
        v: { verdict: 'none', summary: `the cluster does not enforce it: ${r.evidence}` },
        warning: `${id}: the cluster does not enforce it (${r.evidence}); the standard also accepts a plugin that is working on support, which a probe cannot see`,
      };
    case 'not-measured': {
      const byDriver = g.cases.find((c) => c.status === 'unsupported' && c.unsupportedBy !== 'cluster');
      const summary = byDriver
        ? `not checked by this cnibench build: ${byDriver.unsupportedReason ?? 'unsupported'}`
        : `not checked: ${r.evidence}`;
      return { v: { verdict: 'none', summary }, warning: `${id} ${summary}` };
    }
  }
}

/** The verdicts, exceptions, warnings and exit status of a check. */
export function evaluateCheck(input: VerdictInput): Evaluation {
  const all = input.requested.length === 0 || input.requested.includes(AGGREGATE_ID);
  const covered = GROUP_IDS.filter(
    (g) =>
      (all || input.requested.includes(g)) && (input.optional !== false || REQUIREMENT[g] !== 'optional'),
  );
  const warnings: string[] = [];
  if (input.narrowed) {
    const n = input.narrowed;
    const how = [
      n.tags.length > 0 ? `--tag ${n.tags.join(' ')}` : '',
      n.excludeTags.length > 0 ? `--exclude-tag ${n.excludeTags.join(' ')}` : '',
      n.maxCases > 0 ? `--max-cases ${n.maxCases}` : '',
    ].filter(Boolean);
    warnings.push(`the suite was narrowed (${how.join(', ')}): the verdicts cover only the cases selected`);
  }
  if (input.abort !== undefined) {
    const summary = `could not run: ${input.abort}`;
    const verdicts: CheckVerdict[] = [
      ...covered.map((id) => ({ id, requirement: REQUIREMENT[id], verdict: 'ABORT' as const, summary })),
      ...(all
        ? [{ id: AGGREGATE_ID, requirement: 'aggregate' as const, verdict: 'ABORT' as const, summary }]
        : []),
    ];
    return { verdicts, excepted: [], warnings, failing: [], exitCode: ExitCode.environment };
  }

  const verdicts: CheckVerdict[] = [];
  const excepted: ExceptedCase[] = [];
  const failing: Evaluation['failing'] = [];
  for (const id of covered) {
    const g = input.groups.find((x) => x.id === id) ?? {
      id,
      cases: [],
      error: 'not run',
    };
    const requirement = REQUIREMENT[id];
    if (id === 'scs-0219-admin-policy') {
      const { v, warning } = adminVerdict(g);
      verdicts.push({ id, requirement, ...v });
      if (warning) warnings.push(warning);
      continue;
    }
    const t = tallyNetworkPolicy(g.cases, input.caseOf, input.ipBlock ?? 'sonobuoy');
    const v = networkPolicyVerdict(g, t);
    verdicts.push({ id, requirement, ...v });
    excepted.push(...t.excepted);
    for (const r of t.failing) failing.push({ group: id, result: r });
    if (requirement === 'optional' && v.verdict !== 'PASS')
      warnings.push(
        `${id} (optional, ${GROUP_TITLE[id]}): ${v.verdict}: ${v.summary}; SCTP is optional in the standard's test and does not count toward ${AGGREGATE_ID}`,
      );
    if (requirement === 'MUST' && v.verdict === 'PASS' && t.skipped > 0)
      warnings.push(`${id} (MUST): ${plural(t.skipped, 'case')} skipped, not measured`);
  }

  const must = verdicts.find((v) => v.id === 'scs-0219-networkpolicy');
  if (all && must)
    verdicts.push({
      id: AGGREGATE_ID,
      requirement: 'aggregate',
      verdict: must.verdict,
      summary: must.summary,
    });
  // The MUST decides when it was checked; otherwise (only finer ids asked for) the ids asked for do.
  const deciding = must ? [must] : verdicts;
  const exitCode = deciding.some((v) => v.verdict === 'FAIL')
    ? ExitCode.checkFailed
    : deciding.some((v) => v.verdict === 'ABORT')
      ? ExitCode.environment
      : ExitCode.ok;
  return { verdicts, excepted, warnings, failing, exitCode };
}

/** The ids whose verdict lines go to stdout: the requested ones (all when none), with a verdict. */
export function printedVerdicts(
  verdicts: readonly CheckVerdict[],
  requested: readonly TestcaseId[],
): CheckVerdict[] {
  return verdicts.filter(
    (v) =>
      v.verdict !== 'none' && (requested.length === 0 || (requested as readonly string[]).includes(v.id)),
  );
}
