/** The table `cnibench run` prints at the end: conformance and every figure per candidate, side by side. */
import type { CandidateResult, CaseResult, ResultsFile } from '../results/schema.js';
import { isNetworkPolicyCase, tallyCases } from '../scoring/tally.js';

/** "12/14 pass, 2 skip" over the conformance cases `keep` accepts (and ", 3 unsupported" when any). */
function conformanceCell(c: CandidateResult, keep: (r: CaseResult) => boolean): string {
  if (!c.conformance) return '—';
  const t = tallyCases(c.conformance.caseResults, keep);
  if (t.passed + t.failed + t.skipped + t.unsupported === 0) return '—';
  return `${t.passed}/${t.passed + t.failed} pass, ${t.skipped} skip${t.unsupported > 0 ? `, ${t.unsupported} unsupported` : ''}`;
}

function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

export function formatSummaryTable(r: ResultsFile): string {
  const names = r.candidates.map((c) => c.name);
  const header = ['', ...names];
  const rows: string[][] = [header];
  rows.push([
    'NetworkPolicy conformance',
    ...r.candidates.map((c) => conformanceCell(c, isNetworkPolicyCase)),
  ]);
  if (r.candidates.some((c) => c.conformance?.caseResults.some((x) => !isNetworkPolicyCase(x))))
    rows.push([
      'Admin tier conformance',
      ...r.candidates.map((c) => conformanceCell(c, (x) => !isNetworkPolicyCase(x))),
    ]);
  const keys: Array<{ id: string; label: string }> = [];
  for (const c of r.candidates) {
    for (const m of c.measurements) {
      if (!keys.some((k) => k.id === m.id))
        keys.push({ id: m.id, label: `${m.id} (${m.unit}, median [95% CI])` });
    }
  }
  for (const k of keys) {
    rows.push([
      k.label,
      ...r.candidates.map((c) => {
        const m = c.measurements.find((x) => x.id === k.id);
        if (!m) return '—';
        const [lo, hi] = m.summary.ci95Median;
        return `${fmt(m.summary.median)} [${fmt(lo)}, ${fmt(hi)}]`;
      }),
    ]);
  }
  for (const c of r.candidates) {
    for (const e of c.errors)
      rows.push([`error in ${e.step}`, ...names.map((n) => (n === c.name ? e.message.slice(0, 60) : ''))]);
  }
  // Every row has one cell per column of the header.
  const widths = header.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  '),
    )
    .join('\n');
}
