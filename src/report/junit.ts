/**
 * JUnit XML for CI dashboards: one <testsuite> per candidate, one <testcase> per conformance case;
 * a failing case carries its mismatch list, a skipped case its reason. A compliance check adds a
 * suite of its verdicts first. Built with xmlbuilder2, which escapes text and attributes and declares
 * the encoding.
 */
import { create } from 'xmlbuilder2';

/** An element under construction; derived from the public `create` (the package exports no type for it). */
type XMLBuilder = ReturnType<typeof create>;
import type {
  CandidateResult,
  CaseResult,
  ComplianceCheck,
  ConformanceResult,
  Mismatch,
} from '../results/schema.js';
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

function testcase(parent: XMLBuilder, c: CandidateResult, r: CaseResult): void {
  const tc = parent.ele('testcase', {
    classname: `cnibench.${c.name}`,
    name: r.name,
    time: secs(r.durationMs),
  });
  const props = tc.ele('properties');
  props.ele('property', { name: 'tags', value: r.tags.join(',') });
  props.ele('property', { name: 'probes', value: String(r.probes) });
  if (r.programmingLatencyMs !== null)
    props.ele('property', { name: 'programmingLatencyMs', value: String(r.programmingLatencyMs) });
  switch (r.status) {
    case 'pass':
      return;
    case 'skip':
      tc.ele('skipped', { message: r.skipReason ?? 'skipped' });
      return;
    // JUnit has no "unsupported": it is reported as skipped, with the reason, never as a failure.
    case 'unsupported':
      tc.ele('skipped', { message: `unsupported: ${r.unsupportedReason ?? 'not enforced here'}` });
      return;
    default: {
      // Failed without being probed (the NetworkPolicy canary): the reason is the evidence.
      if (r.failReason !== undefined) {
        tc.ele('failure', { message: r.failReason, type: 'not-enforced' }).txt(r.failReason);
        return;
      }
      const n = r.mismatches.length;
      tc.ele('failure', {
        message: `${n} mismatch${n === 1 ? '' : 'es'} with the NetworkPolicy model`,
        type: 'mismatch',
      }).txt(mismatchText(r.mismatches));
    }
  }
}

const skippedOf = (k: ConformanceResult) => k.skipped + (k.unsupported ?? 0);

/** A compliance check's verdict counts: FAIL fails, ABORT is an error, no verdict is skipped. */
function checkCounts(check: ComplianceCheck): {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
} {
  const count = (v: string) => check.verdicts.filter((x) => x.verdict === v).length;
  return {
    tests: check.verdicts.length,
    failures: count('FAIL'),
    errors: count('ABORT'),
    skipped: count('none'),
  };
}

/**
 * A compliance check's verdicts as one suite: PASS passes, FAIL fails, ABORT is an error (the check
 * could not run), and an id without a verdict (an unsupported SHOULD) is skipped with its warning.
 */
function checkSuite(parent: XMLBuilder, check: ComplianceCheck, timestamp: string): void {
  const n = checkCounts(check);
  const suite = parent.ele('testsuite', {
    name: `SCS ${check.standard} verdicts`,
    tests: String(n.tests),
    failures: String(n.failures),
    errors: String(n.errors),
    skipped: String(n.skipped),
    time: '0',
    timestamp,
  });
  for (const v of check.verdicts) {
    const tc = suite.ele('testcase', { classname: `scs.${check.standard}`, name: v.id, time: '0' });
    if (v.verdict === 'FAIL') tc.ele('failure', { message: v.summary, type: v.requirement });
    else if (v.verdict === 'ABORT') tc.ele('error', { message: v.summary, type: 'abort' });
    else if (v.verdict === 'none') tc.ele('skipped', { message: `no verdict: ${v.summary}` });
  }
}

export function renderJunit(m: ReportModel): string {
  const suites = m.candidates.flatMap((c) => (c.conformance ? [{ c, k: c.conformance }] : []));
  const checks = m.runs.flatMap((r) =>
    r.check ? [{ check: r.check, started: r.provenance.startedAt }] : [],
  );
  const checkTotals = checks.map(({ check }) => checkCounts(check));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const started = (name: string) =>
    m.runs.find((r) => r.candidates.includes(name))?.provenance.startedAt ?? m.scoring.generatedAt;
  // Characters XML 1.0 cannot carry at all (control characters in a probe's output) become U+FFFD.
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele(
    'testsuites',
    {
      name: `cnibench conformance: ${m.title}`,
      tests: String(sum(suites.map(({ k }) => k.cases)) + sum(checkTotals.map((t) => t.tests))),
      failures: String(sum(suites.map(({ k }) => k.failed)) + sum(checkTotals.map((t) => t.failures))),
      errors: String(sum(checkTotals.map((t) => t.errors))),
      skipped: String(sum(suites.map(({ k }) => skippedOf(k))) + sum(checkTotals.map((t) => t.skipped))),
    },
  );
  for (const { check, started: at } of checks) checkSuite(root, check, at);
  for (const { c, k } of suites) {
    const suite = root.ele('testsuite', {
      name: c.label,
      tests: String(k.cases),
      failures: String(k.failed),
      errors: '0',
      skipped: String(skippedOf(k)),
      time: secs(k.durationMs),
      timestamp: started(c.name),
    });
    for (const r of k.caseResults) testcase(suite, c, r);
  }
  return `${root.end({ prettyPrint: true })}\n`;
}
