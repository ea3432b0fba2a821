/** `cnibench compare RESULTS...`: candidates' measurements side by side with CIs, tests and verdicts. */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { readResultsFile } from '../../results/store.js';
import { formatCompareReport, warningBanner, type CompareOutput } from '../../stats/compare-format.js';
import { compareRuns, type LoadedRun } from '../../stats/results-compare.js';
import { InputError } from '../../util/errors.js';

interface CompareArgs {
  results: string[];
  baseline?: string;
  alpha: number;
  output: CompareOutput;
}

/** Accepts a run directory or a results.json path. */
export function loadRun(dirOrFile: string): LoadedRun {
  const results = readResultsFile(dirOrFile);
  const source = dirOrFile.endsWith('.json') ? dirOrFile : path.join(dirOrFile, 'results.json');
  return { source, results };
}

const compare: CommandModule<object, CompareArgs> = {
  command: 'compare <results..>',
  describe:
    'Compare candidates of one or more runs: figures with 95% CIs, relative differences, tests, verdicts',
  builder: (y) =>
    y
      .positional('results', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'results directories (results/<run-id>) or results.json files',
      })
      .option('baseline', {
        type: 'string',
        describe: 'candidate to compare against (name, run-id:name or run id); default: the first',
      })
      .option('alpha', { type: 'number', default: 0.05, describe: 'significance level of the tests' })
      .option('output', {
        choices: ['table', 'json', 'md'] as const,
        default: 'table' as const,
        describe: 'output format',
      })
      .check((a) => {
        if (!(a.alpha > 0 && a.alpha < 1))
          throw new InputError(`--alpha must be between 0 and 1 (got ${a.alpha})`);
        return true;
      }),
  handler: (argv) => {
    const runs = argv.results.map(loadRun);
    const report = compareRuns(runs, { baseline: argv.baseline, alpha: argv.alpha });
    // The provenance warning also goes to stderr so it is seen even when stdout is piped into a file.
    for (const line of warningBanner(report)) process.stderr.write(`${line}\n`);
    process.stdout.write(`${formatCompareReport(report, argv.output)}\n`);
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [compare];
