/**
 * Entry point of the report stage: results files → scoring → the requested formats in outDir.
 * Returns the paths written (report.md, decision-record.md, report.html, report.json, junit.xml,
 * measurements.csv and the chart PNGs).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ResultsFile } from '../results/schema.js';
import type { ScoringConfig } from '../scenario/schema.js';
import type { LoadedFacts } from '../scoring/facts.js';
import { renderMarkdownBlocks, type ChartRef } from './blocks.js';
import { renderCharts } from './charts.js';
import { renderCsv } from './csv.js';
import { renderDecisionRecord } from './decision-record.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { buildModel, isCheckReport } from './model.js';
import { reportBlocks } from './sections.js';

export const REPORT_FORMATS = ['md', 'html', 'json', 'junit', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  outDir: string;
  formats?: readonly ReportFormat[];
  /** Render chart PNGs (and embed them in HTML). Default true. */
  charts?: boolean;
  /** Loaded facts, a facts file path, or null for none; default: the scenario's factsFile. */
  facts?: LoadedFacts | string | null;
  /** Overrides the first results file's scenario scoring config. */
  scoring?: ScoringConfig;
  now?: Date;
}

export async function renderReports(results: ResultsFile[], opts: RenderOptions): Promise<string[]> {
  const formats = opts.formats ?? REPORT_FORMATS;
  const model = buildModel(results, { facts: opts.facts, scoring: opts.scoring, now: opts.now });
  mkdirSync(opts.outDir, { recursive: true });
  const written: string[] = [];
  const write = (name: string, text: string) => {
    const p = path.join(opts.outDir, name);
    writeFileSync(p, text);
    written.push(p);
  };
  const needCharts = (opts.charts ?? true) && (formats.includes('md') || formats.includes('html'));
  const charts: ChartRef[] = needCharts ? await renderCharts(model, opts.outDir) : [];
  written.push(...charts.map((c) => path.join(opts.outDir, c.file)));
  const blocks = reportBlocks(model);
  const chartMap = new Map(charts.map((c) => [c.id, c]));
  if (formats.includes('md') && isCheckReport(model)) {
    // A compliance check decides nothing between candidates: no decision record.
    write('report.md', renderMarkdownBlocks(blocks, chartMap));
  } else if (formats.includes('md')) {
    const record = renderDecisionRecord(model);
    write(
      'report.md',
      `${renderMarkdownBlocks(blocks, chartMap)}\n## Decision record\n\nReady to paste into a standards repository (also written as decision-record.md).\n\n${record}`,
    );
    write('decision-record.md', record);
  }
  if (formats.includes('html')) write('report.html', renderHtml(model, blocks, charts));
  if (formats.includes('json')) write('report.json', renderJson(model));
  if (formats.includes('junit')) write('junit.xml', renderJunit(model));
  if (formats.includes('csv')) write('measurements.csv', renderCsv(model));
  return written;
}

/** Reads a results file (or a run directory holding results.json), checking the schema version. */
/** Reading results is the results stage's job; re-exported for the report command. */
export { readResultsFile } from '../results/store.js';
