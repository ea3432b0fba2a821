/** `cnibench facts refresh|check`: the declared facts file (data/cni-facts.yaml). */
import { defineCommand } from '../command.js';
import { loadFacts, staleFacts } from '../../scoring/facts.js';
import { refreshFacts } from '../../scoring/refresh.js';
import { measureRepository } from '../../scoring/git/measure.js';
import { writeMeasuredFacts } from '../../scoring/measured-facts.js';
import { InputError } from '../../util/errors.js';

const DEFAULT_FILE = 'data/cni-facts.yaml';

const refresh = defineCommand({
  command: 'refresh',
  describe:
    'Update release, contributor, commit and issue facts from the GitHub REST API (GITHUB_TOKEN optional)',
  builder: (y) =>
    y
      .option('file', {
        type: 'string',
        default: DEFAULT_FILE,
        describe: 'facts file to update in place (comments are kept)',
      })
      .option('api-url', {
        type: 'string',
        default: 'https://api.github.com',
        describe: 'GitHub API base URL',
      })
      .option('project', {
        type: 'string',
        array: true,
        describe: 'only these projects (keys under projects:)',
      }),
  handler: async (argv) => {
    const r = await refreshFacts({
      file: argv.file,
      apiUrl: argv['api-url'],
      token: process.env.GITHUB_TOKEN || undefined,
      projects: argv.project,
    });
    for (const u of r.updates) {
      const changed = JSON.stringify(u.before) !== JSON.stringify(u.after);
      process.stdout.write(
        `${u.project}.${u.key}: ${JSON.stringify(u.before)} -> ${JSON.stringify(u.after)}${changed ? '' : ' (unchanged)'}\n`,
      );
    }
    process.stdout.write(
      `${argv.file}: ${r.updates.length} facts refreshed with ${r.requests} API requests\n`,
    );
  },
});

const check = defineCommand({
  command: 'check',
  describe: 'Validate the facts file and list unknown and stale facts',
  builder: (y) =>
    y
      .option('file', { type: 'string', default: DEFAULT_FILE })
      .option('max-age-days', { type: 'number', default: 180, describe: 'facts read longer ago are stale' }),
  handler: (argv) => {
    const { facts } = loadFacts(argv.file);
    for (const [name, p] of Object.entries(facts.projects)) {
      const all = { ...p.facts, ...p.capabilities };
      const unknown = Object.entries(all)
        .filter(([, f]) => f.value === 'unknown')
        .map(([k]) => k);
      process.stdout.write(
        `${name}: ${Object.keys(all).length} facts, ${unknown.length} unknown${unknown.length ? ` (${unknown.join(', ')})` : ''}\n`,
      );
    }
    const stale = staleFacts(facts, argv['max-age-days'], new Date());
    for (const s of stale)
      process.stdout.write(`stale: ${s.project}.${s.key} as of ${s.asOf} (${s.ageDays} days)\n`);
    process.stdout.write(`${argv.file}: valid (factsVersion ${facts.factsVersion}), ${stale.length} stale\n`);
  },
});

/** YYYY-MM-DD → the end of that day (UTC): a commit made that day is "as of" it. */
function endOfDay(text: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`)))
    throw new InputError(`--as-of "${text}": expected a date YYYY-MM-DD`);
  return new Date(Date.parse(`${text}T23:59:59Z`));
}

const measure = defineCommand({
  command: 'measure',
  describe:
    'Measure activity, contributors, organisations, releases and process signals from a local clone or mirror (offline, pinned to a commit)',
  builder: (y) =>
    y
      .option('git', { type: 'string', demandOption: true, describe: 'path of a clone or bare mirror' })
      .option('project', {
        type: 'string',
        describe: 'facts key to write (calico, cilium, …); without it the facts are printed, not written',
      })
      .option('as-of', {
        type: 'string',
        describe: 'measure as of this date (YYYY-MM-DD); default the newest commit',
      })
      .option('window-months', { type: 'number', default: 12, describe: 'window of whole calendar months' })
      .option('repository', {
        type: 'string',
        describe:
          "how the provenance names the repository (default: the facts project's repo, else origin URL or folder name)",
      })
      .option('file', { type: 'string', default: DEFAULT_FILE, describe: 'facts file to update in place' }),
  handler: async (argv) => {
    const asOf = argv['as-of'] === undefined ? undefined : endOfDay(argv['as-of']);
    const started = Date.now();
    const progress = (msg: string) =>
      process.stderr.write(`facts measure: ${msg} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    const declaredRepo =
      argv.project === undefined ? undefined : loadFacts(argv.file).facts.projects[argv.project]?.repo;
    const m = await measureRepository({
      git: argv.git,
      asOf,
      windowMonths: argv['window-months'],
      repository: argv.repository ?? declaredRepo,
      onProgress: progress,
    });
    const p = m.provenance;
    process.stdout.write(`${p.repository} at ${p.commit} (window ${p.window}, ${p.by})\n`);
    for (const [k, v] of Object.entries(m.facts)) process.stdout.write(`  ${k}: ${JSON.stringify(v)}\n`);
    for (const n of m.notMeasured) process.stdout.write(`  ${n.key}: not measured: ${n.reason}\n`);
    if (m.activity.commits === 0) process.stdout.write(`note: no commit in the window ${p.window}\n`);
    if (argv.project === undefined) {
      process.stdout.write('not written: name the facts key with --project to write these facts\n');
      return;
    }
    const r = writeMeasuredFacts(argv.file, argv.project, m);
    for (const w of r.warnings) process.stderr.write(`warning: ${w}\n`);
    process.stdout.write(`${argv.file}: ${r.written.length} measured facts of ${argv.project} written\n`);
  },
});

const facts = defineCommand({
  command: 'facts <command>',
  describe: 'Maintain the declared facts file used for scoring',
  builder: (y) => y.command(refresh).command(check).command(measure).demandCommand(1),
  handler: () => {},
});

export const commands = [facts];
