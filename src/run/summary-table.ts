/** The table `cnibench run` prints at the end: conformance and every figure per candidate, side by side. */
import type { ResultsFile } from '../results/schema.js';

function fmt(v: number): string {
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(2);
}

export function formatSummaryTable(r: ResultsFile): string {
  const names = r.candidates.map((c) => c.name);
  const rows: string[][] = [['', ...names]];
  rows.push([
    'NetworkPolicy conformance',
    ...r.candidates.map((c) =>
      c.conformance
        ? `${c.conformance.passed}/${c.conformance.cases - c.conformance.skipped} pass, ${c.conformance.skipped} skip`
        : '—',
    ),
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
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row) =>
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '),
    )
    .join('\n');
}
