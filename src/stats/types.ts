/** The summary record is part of the results schema; the statistics stage computes it. */
export type { Summary } from '../results/schema.js';
