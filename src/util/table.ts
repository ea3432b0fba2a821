/**
 * The one plain-text table printer of cnibench (cli-table3, borderless): columns aligned by display
 * width (so "µs" and "·" line up), a gap between columns, no trailing spaces.
 */
import Table from 'cli-table3';

type ColumnAlign = 'left' | 'right';

export interface TextTableOptions {
  /** Header row, printed first. */
  head?: string[];
  /** Per column; left when absent. */
  align?: ColumnAlign[];
  /** Spaces between columns (default 2). */
  gap?: number;
  /** A line of dashes under the header, one run per column. */
  headRule?: boolean;
  /** Give every column after the first the width of the widest (a square grid). */
  uniformWidth?: boolean;
}

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '',
};

export function textTable(rows: readonly string[][], opts: TextTableOptions = {}): string {
  const { head, align = [], gap = 2, headRule = false, uniformWidth = false } = opts;
  const all = head ? [head, ...rows] : [...rows];
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(0, ...all.map((r) => width(r[i] ?? ''))));
  const widest = Math.max(0, ...widths.slice(1));
  const table = new Table({
    chars: { ...NO_BORDERS, middle: ' '.repeat(gap) },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    ...(uniformWidth ? { colWidths: widths.map((w, i) => (i > 0 ? widest : w)) } : {}),
    colAligns: Array.from({ length: columns }, (_, i) => align[i] ?? 'left'),
  });
  const rule = head && headRule ? [widths.map((w) => '-'.repeat(w))] : [];
  for (const r of [...(head ? [head] : []), ...rule, ...rows])
    table.push(Array.from({ length: columns }, (_, i) => r[i] ?? ''));
  return table
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

/** Display width as cli-table3 measures it: one per code point (no wide East Asian text here). */
function width(s: string): number {
  return [...s].length;
}
