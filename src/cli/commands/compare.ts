/** `cnibench compare RESULTS...`: candidates' measurements side by side with CIs, tests and verdicts. */
import path from 'node:path';
import { defineCommand } from '../command.js';
import { scenarioOf } from '../../results/origin.js';
import { readResultsFile } from '../../results/store.js';
import { ADJUST_METHODS } from '../../stats/adjust.js';
import { formatCompareReport, warningBanner } from '../../compare/format.js';
import { compareRuns, type LoadedRun } from '../../compare/results-compare.js';
import { InputError } from '../../util/errors.js';

/** Accepts a run directory or a results.json path. */
function loadRun(dirOrFile: string): LoadedRun {
  const results = readResultsFile(dirOrFile);
  const source = dirOrFile.endsWith('.json') ? dirOrFile : path.join(dirOrFile, 'results.json');
  return { source, results };
}

const compare = defineCommand({
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
      .option('alpha', {
        type: 'number',
        describe:
          "significance level of the tests, after adjustment (default: the first run's scenario, else 0.05)",
      })
      .option('adjust', {
        choices: ADJUST_METHODS,
        describe:
          "multiple-comparison control over all rows: bh (Benjamini–Hochberg, false discovery rate) or holm (family-wise); default: the first run's scenario, else bh",
      })
      .option('margin', {
        type: 'number',
        describe:
          'equivalence margin, % of the baseline candidate’s figure (default: the scenario’s, else 5)',
      })
      .option('drift-tolerance', {
        type: 'number',
        describe:
          'baselines differing by more than this % are environment drift (default: the scenario’s, else 5)',
      })
      .option('output', {
        choices: ['table', 'json', 'md'] as const,
        default: 'table' as const,
        describe: 'output format',
      })
      .check((a) => {
        if (a.alpha !== undefined && !(a.alpha > 0 && a.alpha < 1))
          throw new InputError(`--alpha must be between 0 and 1 (got ${a.alpha})`);
        if (a.margin !== undefined && !(a.margin >= 0 && a.margin < 100))
          throw new InputError(`--margin must be a percentage from 0 to below 100 (got ${a.margin})`);
        const tol = a['drift-tolerance'];
        if (tol !== undefined && !(tol > 0 && tol <= 100))
          throw new InputError(`--drift-tolerance must be a percentage above 0 (got ${tol})`);
        return true;
      }),
  handler: (argv) => {
    const runs = argv.results.map(loadRun);
    // Version-1 files and checks have no statistics section: the documented defaults apply.
    const first = runs[0];
    const st = first ? scenarioOf(first.results)?.statistics : undefined;
    const report = compareRuns(runs, {
      baseline: argv.baseline,
      alpha: argv.alpha ?? st?.alpha,
      adjust: argv.adjust ?? st?.adjust,
      margin: (argv.margin ?? st?.equivalenceMargin ?? 5) / 100,
      driftTolerance: (argv['drift-tolerance'] ?? st?.driftTolerance ?? 5) / 100,
    });
    // The provenance warning also goes to stderr so it is seen even when stdout is piped into a file.
    for (const line of warningBanner(report)) process.stderr.write(`${line}\n`);
    process.stdout.write(`${formatCompareReport(report, argv.output)}\n`);
  },
});

export const commands = [compare];
