/**
 * `cnibench cleanup`: removes what cnibench left behind after a crash or a killed run. Locally:
 * every network namespace (with its links, routes and nft tables) and agent process whose name starts
 * with `cnb-` (or with --run-id / --prefix, to remove one run only). Each cluster kind is one branch of
 * the handler (`cleanupBranches`), so the real-cluster branch (--context) slots in beside the local one.
 */
import type { CommandModule } from 'yargs';
import { cleanupLocal, type CleanupReport } from '../../cluster/local/cleanup.js';
import { NAME_PREFIX, checkRunId } from '../../cluster/local/names.js';
import { EnvironmentError, InputError } from '../../util/errors.js';

export interface CleanupArgs {
  'run-id'?: string;
  prefix?: string;
  json?: boolean;
  /** Real clusters (handled by the kube branch when present). */
  context?: string;
}

/** One way of cleaning up: `applies` picks it from the arguments; the first that applies runs. */
export interface CleanupBranch {
  name: string;
  applies(argv: CleanupArgs): boolean;
  run(argv: CleanupArgs): Promise<void>;
}

function printLocal(report: CleanupReport, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const n = report.netns.length + report.nftTables.length + report.links.length;
  if (n === 0) {
    process.stdout.write('cleanup: nothing to remove on this machine\n');
    return;
  }
  for (const ns of report.netns) process.stdout.write(`removed network namespace ${ns}\n`);
  for (const t of report.nftTables) process.stdout.write(`removed nft table ${t}\n`);
  for (const l of report.links) process.stdout.write(`removed link ${l}\n`);
  if (report.processes.length > 0)
    process.stdout.write(`stopped ${report.processes.length} process(es): ${report.processes.join(' ')}\n`);
}

export const localBranch: CleanupBranch = {
  name: 'local',
  applies: (argv) => argv.context === undefined,
  async run(argv) {
    if (argv['run-id'] && argv.prefix) throw new InputError('give either --run-id or --prefix, not both');
    const prefix = argv['run-id'] ? `${checkRunId(argv['run-id'])}-` : (argv.prefix ?? NAME_PREFIX);
    if (!prefix.startsWith(NAME_PREFIX)) {
      throw new InputError(
        `--prefix "${prefix}" must start with ${NAME_PREFIX} (cnibench never touches other objects)`,
      );
    }
    if (process.getuid?.() !== 0)
      throw new EnvironmentError('cleanup of the local cluster needs root; run as root');
    printLocal(await cleanupLocal({ prefix }), argv.json);
  },
};

/** Branches in order; a real-cluster branch is added in front of `localBranch`. */
export const cleanupBranches: CleanupBranch[] = [localBranch];

const cleanupCommand: CommandModule<object, CleanupArgs> = {
  command: 'cleanup',
  describe: 'Remove everything cnibench left behind (local network namespaces, nft tables, agent processes)',
  builder: (y) =>
    y
      .option('run-id', { type: 'string', describe: 'only objects of this run (cnb-xxxxxx)' })
      .option('prefix', {
        type: 'string',
        describe: `only objects whose names start with this (default ${NAME_PREFIX})`,
      })
      .option('json', { type: 'boolean', describe: 'print what was removed as JSON' }) as never,
  handler: async (argv) => {
    const branch = cleanupBranches.find((b) => b.applies(argv));
    if (!branch) throw new InputError('cleanup: no cleanup applies to these options');
    await branch.run(argv);
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [cleanupCommand];
