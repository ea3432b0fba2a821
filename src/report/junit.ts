/**
 * JUnit XML for CI dashboards: one <testsuite> per candidate, one <testcase> per conformance case;
 * a failing case carries its mismatch list, a skipped case its reason. A compliance check adds a
 * suite of its verdicts first.
 */
import type { CandidateResult, ComplianceCheck, Mismatch } from '../results/schema.js';
import { escapeXml as x } from './escape.js';
import type { ReportModel } from './model.js';

const secs = (ms: number) => (ms / 1000).toFixed(3);

function mismatchText(ms: Mismatch[]): string {
  return ms
    .map(
      (m) =>
        `${m.from} -> ${m.to} ${m.port}/${m.protocol}: expected ${m.expected ? 'allow' : 'deny'}, observed ${m.observed ? 'allow' : 'deny'}${m.detail ? ` (${m.detail})` : ''}`,
    )
    .join('\n');
}

function suite(c: CandidateResult, timestamp: string): string {
  const k = c.conformance!;
  const cases = k.caseResults.map((r) => {
    const open = `    <testcase classname="${x(`cnibench.${c.name}`)}" name="${x(r.name)}" time="${secs(r.durationMs)}"`;
    const props = `      <properties><property name="tags" value="${x(r.tags.join(','))}"/><property name="probes" value="${r.probes}"/>${
      r.programmingLatencyMs !== null
        ? `<property name="programmingLatencyMs" value="${r.programmingLatencyMs}"/>`
        : ''
    }</properties>`;
    if (r.status === 'pass') return `${open}>\n${props}\n    </testcase>`;
    if (r.status === 'skip')
      return `${open}>\n${props}\n      <skipped message="${x(r.skipReason ?? 'skipped')}"/>\n    </testcase>`;
    // JUnit has no "unsupported": it is reported as skipped, with the reason, never as a failure.
    if (r.status === 'unsupported')
      return `${open}>\n${props}\n      <skipped message="${x(`unsupported: ${r.unsupportedReason ?? 'not enforced here'}`)}"/>\n    </testcase>`;
    const n = r.mismatches.length;
    return `${open}>\n${props}\n      <failure message="${x(`${n} mismatch${n === 1 ? '' : 'es'} with the NetworkPolicy model`)}" type="mismatch">${x(mismatchText(r.mismatches))}</failure>\n    </testcase>`;
  });
  return [
    `  <testsuite name="${x(c.label)}" tests="${k.cases}" failures="${k.failed}" errors="0" skipped="${k.skipped + (k.unsupported ?? 0)}" time="${secs(k.durationMs)}" timestamp="${x(timestamp)}">`,
    ...cases,
    '  </testsuite>',
  ].join('\n');
}

/**
 * A compliance check's verdicts as one suite: PASS passes, FAIL fails, ABORT is an error (the check
 * could not run), and an id without a verdict (an unsupported SHOULD) is skipped with its warning.
 */
function checkSuite(
  check: ComplianceCheck,
  timestamp: string,
): { xml: string; failures: number; errors: number; skipped: number } {
  const count = (v: string) => check.verdicts.filter((x) => x.verdict === v).length;
  const cases = check.verdicts.map((v) => {
    const open = `    <testcase classname="${x(`scs.${check.standard}`)}" name="${x(v.id)}" time="0">`;
    const body =
      v.verdict === 'FAIL'
        ? `\n      <failure message="${x(v.summary)}" type="${x(v.requirement)}"/>\n    `
        : v.verdict === 'ABORT'
          ? `\n      <error message="${x(v.summary)}" type="abort"/>\n    `
          : v.verdict === 'none'
            ? `\n      <skipped message="${x(`no verdict: ${v.summary}`)}"/>\n    `
            : '';
    return `${open}${body}</testcase>`;
  });
  const failures = count('FAIL');
  const errors = count('ABORT');
  const skipped = count('none');
  return {
    xml: [
      `  <testsuite name="${x(`SCS ${check.standard} verdicts`)}" tests="${check.verdicts.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="0" timestamp="${x(timestamp)}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n'),
    failures,
    errors,
    skipped,
  };
}

export function renderJunit(m: ReportModel): string {
  const cands = m.candidates.filter((c) => c.conformance);
  const checks = m.runs.flatMap((r) => (r.check ? [checkSuite(r.check, r.provenance.startedAt)] : []));
  const verdictCount = m.runs.reduce((s, r) => s + (r.check?.verdicts.length ?? 0), 0);
  const tests = cands.reduce((s, c) => s + c.conformance!.cases, 0) + verdictCount;
  const failures =
    cands.reduce((s, c) => s + c.conformance!.failed, 0) + checks.reduce((s, c) => s + c.failures, 0);
  const errors = checks.reduce((s, c) => s + c.errors, 0);
  const skipped =
    cands.reduce((s, c) => s + c.conformance!.skipped + (c.conformance!.unsupported ?? 0), 0) +
    checks.reduce((s, c) => s + c.skipped, 0);
  const started = (name: string) =>
    m.runs.find((r) => r.candidates.includes(name))?.provenance.startedAt ?? m.scoring.generatedAt;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`cnibench conformance: ${m.title}`)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...checks.map((c) => c.xml),
    ...cands.map((c) => suite(c, started(c.name))),
    '</testsuites>',
    '',
  ].join('\n');
}
