/**
 * JUnit XML for CI dashboards: one <testsuite> per candidate, one <testcase> per conformance case;
 * a failing case carries its mismatch list, a skipped case its reason. Built with xmlbuilder2, which
 * escapes text and attributes and declares the encoding.
 */
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces.js';
import type { CandidateResult, CaseResult, ConformanceResult, Mismatch } from '../results/schema.js';
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
      const n = r.mismatches.length;
      tc.ele('failure', {
        message: `${n} mismatch${n === 1 ? '' : 'es'} with the NetworkPolicy model`,
        type: 'mismatch',
      }).txt(mismatchText(r.mismatches));
    }
  }
}

const skippedOf = (k: ConformanceResult) => k.skipped + (k.unsupported ?? 0);

export function renderJunit(m: ReportModel): string {
  const suites = m.candidates.flatMap((c) => (c.conformance ? [{ c, k: c.conformance }] : []));
  const started = (name: string) =>
    m.runs.find((r) => r.candidates.includes(name))?.provenance.startedAt ?? m.scoring.generatedAt;
  // Characters XML 1.0 cannot carry at all (control characters in a probe's output) become U+FFFD.
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '\uFFFD' }).ele(
    'testsuites',
    {
      name: `cnibench conformance: ${m.title}`,
      tests: String(suites.reduce((s, { k }) => s + k.cases, 0)),
      failures: String(suites.reduce((s, { k }) => s + k.failed, 0)),
      errors: '0',
      skipped: String(suites.reduce((s, { k }) => s + skippedOf(k), 0)),
    },
  );
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
