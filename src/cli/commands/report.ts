/** `cnibench report RESULTS...`: scoring and reports (md, html, json, junit, csv) from results files. */
import path from 'node:path';
import { defineCommand } from '../command.js';
import { readResultsFile, renderReports, REPORT_FORMATS, type ReportFormat } from '../../report/render.js';
import { reportSettingsOf } from '../../results/origin.js';
import { InputError } from '../../util/errors.js';

function parseFormats(value: string | undefined): ReportFormat[] | undefined {
  if (value === undefined) return undefined;
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = list.filter((f) => !(REPORT_FORMATS as readonly string[]).includes(f));
  if (bad.length > 0 || list.length === 0) {
    throw new InputError(
      `--format: unknown format ${bad.map((b) => `"${b}"`).join(', ') || '(empty)'}; choose from ${REPORT_FORMATS.join(', ')}`,
    );
  }
  return list as ReportFormat[];
}

const report = defineCommand({
  command: 'report <results..>',
  describe:
    'Score the candidates and write the reports (Markdown, self-contained HTML, JSON, JUnit XML, CSV)',
  builder: (y) =>
    y
      .positional('results', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'results.json files or run directories',
      })
      .option('format', {
        type: 'string',
        describe: `comma-separated: ${REPORT_FORMATS.join(',')} (default: the scenario's report.formats; a check's: md,html,json,junit)`,
      })
      .option('out', { type: 'string', describe: 'output directory (default: <first run directory>/report)' })
      .option('facts', { type: 'string', describe: "facts file (default: the scenario's scoring.factsFile)" })
      .option('charts', { type: 'boolean', default: true, describe: 'render charts (--no-charts to skip)' }),
  handler: async (argv) => {
    const results = argv.results.map(readResultsFile);
    const [first] = results;
    const [firstPath] = argv.results;
    // yargs demands at least one (`<results..>`); this only narrows the types.
    if (first === undefined || firstPath === undefined) throw new InputError('report: name a results file');
    const settings = reportSettingsOf(first.origin);
    const formats = parseFormats(argv.format) ?? settings.formats;
    const firstDir = firstPath.endsWith('.json') ? path.dirname(firstPath) : firstPath;
    const outDir = argv.out ?? path.join(firstDir, 'report');
    const files = await renderReports(results, {
      outDir,
      formats,
      charts: argv.charts && settings.charts,
      facts: argv.facts,
    });
    process.stdout.write(
      `Wrote ${files.length} files to ${outDir}:\n${files.map((f) => `  ${path.relative(outDir, f)}`).join('\n')}\n`,
    );
  },
});

export const commands = [report];
