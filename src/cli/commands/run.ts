/** `cnibench run SCENARIO`: the whole evaluation — cluster, candidates, workloads, results, report. */
import path from 'node:path';
import type { Argv } from 'yargs';
import { defineCommand, type ArgsOf } from '../command.js';
import type { LoadedScenario } from '../../scenario/load.js';
import { loadScenario } from '../../run/scenario-file.js';
import { runScenario } from '../../run/orchestrate.js';
import { createProgress } from '../../context/progress.js';
import { installInterruptGuard } from '../../context/signals.js';
import { formatSummaryTable } from '../../run/summary-table.js';
import { renderRunReports } from '../../run/render.js';
import { ExitCode, InputError } from '../../util/errors.js';
import type { ResultsFile } from '../../results/schema.js';
import { aaSentence } from '../../compare/format.js';
import { aaScenario } from '../../run/aa.js';
import { checkPlantedPercent, plantedScenario } from '../../run/planted.js';
import { plantedSentence } from '../../report/planted.js';

const runOptions = (y: Argv) =>
  y
    .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
    .option('resume', {
      type: 'string',
      describe: 'continue the interrupted run with this id (a directory under --results-dir)',
    })
    .option('results-dir', {
      type: 'string',
      default: 'results',
      describe: 'where run directories are written',
    })
    .option('report', {
      type: 'boolean',
      default: true,
      describe: 'render the reports at the end (--no-report to skip)',
    })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress output' })
    .option('aa', {
      type: 'boolean',
      default: false,
      describe:
        'A/A check: run the first candidate twice, as two candidates, and report how many comparisons were falsely called better or worse',
    })
    .option('planted', {
      type: 'string',
      describe:
        'planted-effect power check (local cluster): run the first candidate twice, the second copy with a known handicap of this many % (1-90), and report how many figures detect it with the right sign',
    })
    .option('context', {
      type: 'string',
      describe: 'real clusters: kubeconfig context (overrides cluster.context)',
    })
    .option('kubeconfig', {
      type: 'string',
      describe: 'real clusters: kubeconfig file (overrides cluster.kubeconfig)',
    })
    .option('image-registry', {
      type: 'string',
      describe:
        'real clusters: pull every image from this registry or mirror (overrides cluster.imageRegistry)',
    });

type RunArgs = ArgsOf<typeof runOptions>;

const run = defineCommand({
  command: 'run <scenario>',
  describe: "Evaluate the scenario's candidates and write results/<run-id>/ (results.json and reports)",
  builder: runOptions,
  handler: async (argv) => {
    // Nothing is created before the scenario has passed every check.
    const percent = argv.planted === undefined ? undefined : checkPlantedPercent(argv.planted);
    if (percent !== undefined && argv.aa)
      throw new InputError('--aa and --planted are two checks: give one of them');
    const given = withClusterOverrides(loadScenario(argv.scenario), argv);
    const aa = argv.aa ? aaScenario(given) : undefined;
    const planted = percent !== undefined ? plantedScenario(given, percent) : undefined;
    const loaded = aa?.loaded ?? planted?.loaded ?? given;
    const progress = createProgress({ quiet: argv.quiet });
    const guard = installInterruptGuard();
    try {
      const { store, checksFailed } = await runScenario(loaded, {
        resultsRoot: path.resolve(argv['results-dir']),
        resume: argv.resume,
        ...(aa ? { aaOf: aa.of } : {}),
        ...(planted
          ? { planted: { of: planted.of, handicapped: planted.handicapped, percent: planted.percent } }
          : {}),
        progress,
        guard,
      });
      if (argv.report) {
        progress.step('rendering reports');
        const files = await renderRunReports(store);
        progress.done(`${files.length} files in ${path.relative(process.cwd(), store.dir) || '.'}`);
      }
      process.stdout.write(
        `\n${formatSummaryTable(store.data)}\n\n${analysisLines(store.data, store.dir).join('')}results: ${path.relative(process.cwd(), store.file)}\n`,
      );
      if (checksFailed) process.exitCode = ExitCode.checkFailed;
    } finally {
      await guard.runAll();
      guard.dispose();
    }
  },
});

/** What the run's own comparison found: verdict counts, drift, the A/A check (each line ends in \n). */
function analysisLines(r: ResultsFile, dir: string): string[] {
  const a = r.analysis;
  if (!a) return [];
  const v = a.verdicts;
  const lines = [
    `compare (against ${a.baseline}, ${a.adjust}-adjusted): ${v.better ?? 0} better, ${v.worse ?? 0} worse, ${v.equivalent ?? 0} equivalent, ${v.inconclusive ?? 0} inconclusive; environment drift on ${a.drift.length} figure(s) (cnibench compare ${path.relative(process.cwd(), dir) || '.'} for details)`,
  ];
  if (a.aa) lines.push(aaSentence(a.aa));
  if (a.planted) lines.push(plantedSentence(a.planted));
  return [...lines.map((l) => `${l}\n`), '\n'];
}

/** Command-line settings for a real cluster win over the scenario's; they are recorded as run. */
function withClusterOverrides(loaded: LoadedScenario, argv: RunArgs): LoadedScenario {
  const overrides = {
    ...(argv.context !== undefined ? { context: argv.context } : {}),
    ...(argv.kubeconfig !== undefined ? { kubeconfig: argv.kubeconfig } : {}),
    ...(argv['image-registry'] !== undefined ? { imageRegistry: argv['image-registry'] } : {}),
  };
  if (Object.keys(overrides).length === 0) return loaded;
  if (loaded.scenario.cluster.kind !== 'kube') {
    throw new InputError(
      `${loaded.file}: --context, --kubeconfig and --image-registry apply to cluster.kind: kube only`,
    );
  }
  return {
    ...loaded,
    scenario: { ...loaded.scenario, cluster: { ...loaded.scenario.cluster, ...overrides } },
  };
}

export const commands = [run];
