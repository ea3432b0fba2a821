/** `cnibench validate`, `cnibench plan` and `cnibench schema`: scenario files without touching anything. */
import type { CommandModule } from 'yargs';
import { defineCommand } from '../command.js';
import { loadScenario, scenarioJsonSchema } from '../../run/scenario-file.js';
import { buildPlan, formatPlan, localProfilesNeedingBpf } from '../../plan/build.js';
import { planDetailSources } from '../../plan/details.js';

const validate = defineCommand({
  command: 'validate <file>',
  describe: 'Check a scenario file; reports every problem with file, line, column and field',
  builder: (y) =>
    y.positional('file', { type: 'string', demandOption: true, describe: 'scenario YAML file' }),
  handler: (argv) => {
    const { scenario } = loadScenario(argv.file);
    process.stdout.write(
      `${argv.file}: valid scenario "${scenario.name}" (${scenario.candidates.length} candidates, ${scenario.workloads.length} workloads, cluster ${scenario.cluster.kind})\n`,
    );
    const bpf = localProfilesNeedingBpf(scenario);
    if (bpf.length > 0)
      process.stdout.write(
        `needs BPF (CAP_BPF and CAP_NET_ADMIN, tc clsact; scripts/setup.sh local builds the object): ${bpf.join(', ')}\n`,
      );
  },
});

const plan = defineCommand({
  command: 'plan <file>',
  describe: 'Print, without touching anything, what a run of the scenario would do, in order',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the plan as JSON' }),
  handler: async (argv) => {
    const { scenario } = loadScenario(argv.file);
    const steps = buildPlan(scenario, await planDetailSources(scenario));
    process.stdout.write(
      argv.json
        ? `${JSON.stringify(steps, null, 2)}\n`
        : `Plan for "${scenario.name}" (${argv.file}):\n${formatPlan(steps)}\n`,
    );
  },
});

const schema: CommandModule<object, object> = {
  command: 'schema',
  describe: 'Print the JSON Schema of scenario files (for editor autocompletion)',
  handler: () => {
    process.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  },
};

export const commands = [validate, plan, schema];
