/**
 * What the check prints. stdout: one `<testcase-id>: PASS|FAIL|ABORT` line per requested id, the
 * form the SCS runner (Tests/scs-compliance-check.py) reads: it splits each stdout line once from the
 * right at ':' and looks the right part up among PASS, FAIL and ABORT. stderr: a summary for people.
 * The runner also counts stdout and stderr lines starting (case-insensitively) with info, warning,
 * error or critical, so no summary line starts with one of those words; WARNING (an unmet SHOULD or
 * optional part, a narrowed suite) and CRITICAL (the check could not run) are written on purpose. A
 * FAIL gets no ERROR line: the runner counts failed verdicts itself ("need not be reported
 * redundantly on the error channel").
 */
import path from 'node:path';
import type { CheckVerdict, ResultsFile } from '../results/schema.js';
import { STANDARD, type TestcaseId } from './scs-0219.js';
import { printedVerdicts, type Evaluation } from './verdicts.js';

/** How many mismatching pairs the summary shows. */
const FIRST_MISMATCHES = 10;

export function verdictLines(verdicts: readonly CheckVerdict[], requested: readonly TestcaseId[]): string {
  return printedVerdicts(verdicts, requested)
    .map((v) => `${v.id}: ${v.verdict}\n`)
    .join('');
}

const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));

/** `cnibench netpol explain` for one mismatch of a run, as a command line to copy. */
function explainCommand(
  dir: string,
  caseName: string,
  m: { from: string; to: string; port: number; protocol: string },
): string {
  const rel = path.relative(process.cwd(), dir) || '.';
  return `cnibench netpol explain --run ${rel} --case ${caseName} --from ${m.from} --to ${m.to} --port ${m.port} --protocol ${m.protocol}`;
}

/** The stderr summary of a check that ran: cluster, verdicts, exceptions, first mismatches, files. */
export function formatSummary(r: ResultsFile, ev: Evaluation, dir: string, written: string[]): string {
  const c = r.candidates[0];
  const p = r.provenance.cluster;
  const lines: string[] = [
    '',
    `SCS ${STANDARD} (KaaS networking) on context "${p.context ?? '?'}", Kubernetes ${p.serverVersion ?? '?'}`,
    `CNI: ${c && c.cni !== 'unknown' ? c.label : 'not recognised (no known CNI DaemonSet)'}`,
  ];
  const w = Math.max(...ev.verdicts.map((v) => v.id.length));
  for (const v of ev.verdicts)
    lines.push(
      `  ${pad(v.requirement === 'aggregate' ? '=' : v.requirement, 9)} ${pad(v.id, w)}  ${pad(v.verdict === 'none' ? '-' : v.verdict, 5)}  ${v.summary}`,
    );
  lines.push(`Exceptions (the standard's test's, docs/scs.md):`);
  for (const x of r.check?.exceptions ?? []) {
    const cases = ev.excepted.filter((e) => e.exception === x.id).map((e) => e.case);
    lines.push(`  - ${x.text}${cases.length > 0 ? `; excepted here: ${cases.join(', ')}` : ''}`);
  }
  const npCanary = c?.conformance?.networkPolicyCanary;
  if (npCanary)
    lines.push(
      `NetworkPolicy canary (${npCanary.policy}, on the pods of ${npCanary.case}): ${npCanary.outcome} after ${(npCanary.durationMs / 1000).toFixed(1)} s, ${npCanary.rounds} probe round${npCanary.rounds === 1 ? '' : 's'}: ${npCanary.detail}`,
    );
  const notProbed = ev.failing.filter(({ result }) => result.failReason !== undefined);
  const first = notProbed[0];
  if (first)
    lines.push(
      `${notProbed.length} failing case${notProbed.length === 1 ? '' : 's'} not probed (--no-canary probes them): ${first.result.failReason ?? ''}`,
    );
  const pairs = ev.failing.flatMap(({ group, result }) =>
    result.mismatches.map((m) => ({ group, name: result.name, m })),
  );
  if (pairs.length > 0) {
    lines.push(
      `First mismatching pairs (${Math.min(FIRST_MISMATCHES, pairs.length)} of ${pairs.length}; expected by the NetworkPolicy model, observed on the cluster):`,
    );
    for (const { group, name, m } of pairs.slice(0, FIRST_MISMATCHES))
      lines.push(
        `  ${group} ${name}: ${m.from} -> ${m.to} ${m.port}/${m.protocol}: expected ${m.expected ? 'allow' : 'deny'}, observed ${m.observed ? 'allow' : 'deny'}${m.detail ? ` (${m.detail})` : ''}`,
      );
    const first = pairs[0];
    if (first) lines.push(`  why the model decides so: ${explainCommand(dir, first.name, first.m)}`);
  }
  const rel = path.relative(process.cwd(), dir) || '.';
  lines.push(
    `Results: ${path.join(rel, 'results.json')}${written.length > 0 ? ` (and ${written.map((f) => path.basename(f)).join(', ')})` : ''}`,
  );
  return `${lines.join('\n')}\n`;
}
