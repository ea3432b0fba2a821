/**
 * A Markdown decision record that follows the sections of the SCS decision-record template
 * (Standards/scs-XXXX-vN-decision-record-template.md in SovereignCloudStack/standards, after scs-0001):
 * front matter, Abstract, Terminology, Context (with the options, criteria and weights, evidence),
 * Decision, Consequences, Related Documents; ready to submit and edit. It states what was measured and
 * what was declared, and says plainly when only reference profiles were compared.
 */
import { escapeMarkdown as e } from './escape.js';
import { num, pct, score, scoreWithInterval } from './format.js';
import { labelOf, type ReportModel } from './model.js';

export function renderDecisionRecord(m: ReportModel): string {
  const s = m.scoring;
  const winner = s.candidates.find((c) => c.name === s.winner);
  const eligible = s.candidates.filter((c) => c.eligible);
  const lines: string[] = [
    '---',
    `title: CNI plugin for SCS KaaS clusters (${e(m.title)})`,
    'type: Decision Record',
    'status: Draft',
    'track: KaaS',
    '---',
    '',
    '## Abstract',
    '',
    `Which CNI plugin SCS KaaS clusters use by default, chosen among ${s.candidates.length} option(s) by weighted criteria ` +
      'from measurements of NetworkPolicy conformance and performance and from declared facts about maturity, ' +
      'acceptance and open-source health.',
    '',
    '## Terminology',
    '',
    'CNI (Container Network Interface) plugin',
    '  The component that gives pods their network and enforces NetworkPolicy in a Kubernetes cluster.',
    '',
    'NetworkPolicy conformance',
    '  The share of policy cases in which every probed pod pair behaved as the `networking.k8s.io/v1` model says.',
    '',
    'Confidence',
    '  How much of an option’s score rests on measured or sourced data rather than defaults.',
    '',
    '## Context',
    '',
    'A KaaS offering needs one CNI plugin it can operate and support. The SCS KaaS networking standard ' +
      '(scs-0219-v1, Stable since 2024-11-21) requires full `networking.k8s.io/v1` NetworkPolicy support (MUST) and recommends ' +
      'AdminNetworkPolicy/BaselineAdminNetworkPolicy and a managed Ingress controller option (SHOULD). ' +
      'Open-source health is judged along the SCS open-source health check (scs-0008, a draft decision record): the Four Opens, ' +
      'maturity, security, activity and lock-in risk.',
    '',
    `This record was drafted by cnibench from ${m.runs.length} measurement run(s) (${m.runs.map((r) => e(r.runId)).join(', ')}) on ${s.generatedAt.slice(0, 10)}.`,
    '',
    '### Options considered',
    '',
    ...s.candidates.map(
      (c) =>
        `- ${e(c.label)}${c.notApplicable ? ` — stand-in, not a decision option: ${e(c.notApplicable)}` : ''}`,
    ),
    '',
    '### Criteria and weights',
    '',
    '| Criterion | Weight | In the totals |',
    '| --- | ---: | --- |',
    ...Object.entries(s.weights).map(([k, w]) => {
      const ex = s.excludedCriteria.find((x) => x.criterion === k);
      return `| ${e(k)} | ${num(w)} | ${ex ? `no: ${e(ex.reason)}` : 'yes'} |`;
    }),
    '',
    'Indicator scales and sources: see the full cnibench report (section "Evidence per indicator") and docs/scoring.md.',
    '',
    '### Evidence',
    '',
    `| Option | Total | Confidence | ${s.comparedCriteria.map(e).join(' | ')} | scs-0219 NetworkPolicy (MUST) |`,
    `| --- | ---: | ---: | ${s.comparedCriteria.map(() => '---:').join(' | ')} | --- |`,
    ...eligible.map((c) => {
      const np = s.standards.candidates.find((x) => x.name === c.name)?.checks[0];
      const crit = s.comparedCriteria.map((k) => {
        const x = c.criteria.find((y) => y.criterion === k);
        return x ? scoreWithInterval(x.score, x.interval) : score(null);
      });
      return `| ${e(c.label)} | ${scoreWithInterval(c.total, c.totalInterval)} | ${pct(c.confidence)} | ${crit.join(' | ')} | ${np ? `${np.status}: ${e(np.evidence)}` : 'n/a'} |`;
    }),
    '',
    'Totals and criterion scores are given with their 95 % interval over block-bootstrap replicates of the measurements, where measurements enter them.',
    '',
  ];
  const shift = s.sensitivity.minimalShift;
  lines.push(
    shift
      ? `Sensitivity: moving ${num(shift.amount)} weight points from ${shift.from.map((f) => e(f.criterion)).join(' and ')} to ${e(shift.to)} would make ${e(labelOf(m, shift.newWinner))} tie with the ${s.winner ? 'winner' : 'leader on point estimates'}.`
      : `Sensitivity: ${e(s.sensitivity.note)}.`,
    '',
  );
  if (s.staleFacts.length > 0)
    lines.push(`Stale facts (older than the configured maximum age): ${s.staleFacts.length}.`, '');
  lines.push('## Decision', '');
  if (s.referenceOnly) {
    lines.push(
      'No decision: only local reference profiles were measured. They are stand-ins that rehearse the method; rerun with the real CNI plugins on a Kubernetes cluster.',
      '',
    );
  } else if (winner) {
    const np = s.standards.candidates.find((x) => x.name === winner.name)?.checks[0];
    lines.push(
      `Proposed: ${e(winner.label)} (score ${score(winner.total)} / 100, confidence ${pct(winner.confidence)}).` +
        (s.decisiveCriteria.length > 0
          ? ` Decisive: ${s.decisiveCriteria.map((d) => e(d.criterion)).join(', ')}.`
          : ''),
      '',
    );
    if (np && np.status !== 'met') {
      lines.push(
        `Caveat: the MUST of scs-0219 (NetworkPolicy) is ${np.status} for this option: ${e(np.evidence)}.`,
        '',
      );
    }
  } else if (s.separation && s.leader) {
    const sep = s.separation;
    lines.push(
      `No decision on the evidence alone: ${e(labelOf(m, sep.leader))} leads ${e(labelOf(m, sep.runnerUp))} by ${sep.difference.toFixed(1)} points, ` +
        `but with the measurements' uncertainty the difference lies between ${sep.interval.lo.toFixed(1)} and ${sep.interval.hi.toFixed(1)} points (95 %), so the two are not separated. ` +
        'Decide on criteria outside this record, or measure again with more blocks.',
      '',
    );
  } else lines.push('No decision: no option could be scored.', '');
  lines.push(
    '## Consequences',
    '',
    '- Clusters are built and tested with the chosen plugin; its NetworkPolicy conformance is re-measured with every version upgrade (cnibench run).',
    '- The facts behind maturity, acceptance and OSS health are refreshed (`cnibench facts refresh`) and reviewed before the record is revisited.',
    `- The decision is sensitive to the weights as stated above; a change of priorities by that amount reopens it.`,
    '',
    '## Related Documents',
    '',
    '- [scs-0219-v1: KaaS Networking Standard](https://docs.scs.community/standards/scs-0219-v1-kaas-networking)',
    '- [scs-0008-v1: Open Source Software Health Check](https://docs.scs.community/standards/scs-0008-v1-oss-health)',
    '- The full cnibench report of the runs named above (report.md, report.html) and their results.json.',
    '',
  );
  return lines.join('\n');
}
