/**
 * The tables of figures (performance, cost): every one starts with the same columns — who, on which
 * path, with which parameters, how many samples, the median and its CI — and adds its own after them.
 * One place for them, so the sections cannot drift apart in what a figure row says first.
 */
import type { Measurement } from '../results/schema.js';
import type { Block, Cell } from './blocks.js';
import { ci, num, params } from './format.js';

type Align = 'left' | 'right';

const LEAD: ReadonlyArray<[string, Align]> = [
  ['Candidate', 'left'],
  ['Path', 'left'],
  ['Parameters', 'left'],
  ['n', 'right'],
  ['Median', 'right'],
  ['95% CI (median)', 'right'],
];

/** The leading cells of a figure's row, in the order of the leading columns. */
export function figureCells(label: string, x: Measurement): Cell[] {
  return [label, x.path, params(x.parameters), String(x.summary.n), num(x.summary.median), ci(x)];
}

/** A table of figures: the leading columns, then `more` (header and alignment each). */
export function figureTable(more: ReadonlyArray<[string, Align]>, rows: Cell[][]): Block {
  const columns = [...LEAD, ...more];
  return { kind: 'table', headers: columns.map(([h]) => h), rows, align: columns.map(([, a]) => a) };
}
