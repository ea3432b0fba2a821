/** `cnibench facts refresh|check`: the declared facts file (data/cni-facts.yaml). */
import { defineCommand } from '../command.js';
import { loadFacts, staleFacts } from '../../scoring/facts.js';
import { refreshFacts } from '../../scoring/refresh.js';

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

const facts = defineCommand({
  command: 'facts <command>',
  describe: 'Maintain the declared facts file used for scoring',
  builder: (y) => y.command(refresh).command(check).demandCommand(1),
  handler: () => {},
});

export const commands = [facts];
