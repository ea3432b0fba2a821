/**
 * Truth tables for people: one grid per probe, sources down the side and destinations across the
 * top, so a row reads "what can this pod reach". Also the per-probe counts `netpol suite expect`
 * prints.
 */
import type { Probe, ReachabilityGrid, TruthTable } from './types.js';

export interface GridMarks {
  /** Default ".": quiet, so the denied cells stand out. */
  allowed?: string;
  denied?: string;
}

function formatGrid(grid: ReachabilityGrid, marks: GridMarks = {}): string {
  const yes = marks.allowed ?? '.';
  const no = marks.denied ?? 'X';
  const rows = Object.entries(grid);
  const sources = rows.map(([s]) => s);
  const dests = [...new Set(rows.flatMap(([, row]) => Object.keys(row)))];
  const corner = 'from\\to';
  const rowHead = Math.max(corner.length, ...sources.map((s) => s.length));
  const cell = Math.max(yes.length, no.length, ...dests.map((d) => d.length));
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - s.length));
  const lines = [[pad(corner, rowHead), ...dests.map((d) => pad(d, cell))].join(' ').trimEnd()];
  for (const [s, row] of rows) {
    const cells = dests.map((d) => pad(row[d] === undefined ? '?' : row[d] ? yes : no, cell));
    lines.push([pad(s, rowHead), ...cells].join(' ').trimEnd());
  }
  return lines.join('\n');
}

export function probeLabel(p: Probe): string {
  return `${p.protocol}/${p.port}`;
}

/** Every probe's grid under a heading, with a legend once at the top. */
export function formatTruthTable(t: TruthTable, marks: GridMarks = {}): string {
  const yes = marks.allowed ?? '.';
  const no = marks.denied ?? 'X';
  const out = [
    `case ${t.name}`,
    `legend: ${yes} allowed, ${no} denied; rows are sources (from), columns destinations (to)`,
  ];
  for (const p of t.probes) {
    const { allowed, total } = countGrid(p.allowed);
    out.push('', `${probeLabel(p)}  (${allowed}/${total} allowed)`, formatGrid(p.allowed, marks));
  }
  return out.join('\n');
}

function countGrid(grid: ReachabilityGrid): { allowed: number; total: number } {
  let allowed = 0;
  let total = 0;
  for (const row of Object.values(grid)) {
    for (const v of Object.values(row)) {
      total++;
      if (v) allowed++;
    }
  }
  return { allowed, total };
}

export interface ProbeCount extends Probe {
  allowed: number;
  total: number;
}

export function countTruthTable(t: TruthTable): ProbeCount[] {
  return t.probes.map((p) => ({ port: p.port, protocol: p.protocol, ...countGrid(p.allowed) }));
}
