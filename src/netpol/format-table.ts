/**
 * Truth tables for people: one grid per probe, sources down the side and destinations across the
 * top, so a row reads "what can this pod reach". Also the per-probe counts `netpol suite expect`
 * prints.
 */
import { textTable } from '../util/table.js';
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
  const dests = [...new Set(rows.flatMap(([, row]) => Object.keys(row)))];
  // Every destination column as wide as the widest, so the marks form a square grid.
  return textTable(
    rows.map(([s, row]) => [s, ...dests.map((d) => (row[d] === undefined ? '?' : row[d] ? yes : no))]),
    { head: ['from\\to', ...dests], gap: 1, uniformWidth: true },
  );
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
