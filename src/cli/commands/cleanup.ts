/**
 * `cnibench cleanup`: removes what cnibench left behind after a crash or a killed run. Locally:
 * every network namespace (with its links, routes and nft tables) and agent process whose name starts
 * with `cnb-` (or with --run-id / --prefix, to remove one run only). Each cluster kind is one branch of
 * the handler (`cleanupBranches`), so the real-cluster branch (--context) slots in beside the local one.
 */
import type { Argv } from 'yargs';
import { defineCommand, type ArgsOf } from '../command.js';
import { cleanupLocal, type CleanupReport } from '../../cluster/local/cleanup.js';
import { NAME_PREFIX, checkRunId } from '../../cluster/local/names.js';
import { cleanupKube } from '../../cluster/kube/cleanup.js';
import { EnvironmentError, InputError } from '../../util/errors.js';

const cleanupOptions = (y: Argv) =>
  y
    .option('run-id', {
      type: 'string',
      describe: 'only objects of this run (cnb-xxxxxx, or the run id of its results directory)',
    })
    .option('context', { type: 'string', describe: 'clean a real cluster: this kubeconfig context' })
    .option('kubeconfig', { type: 'string', describe: 'clean a real cluster: this kubeconfig file' })
    .option('prefix', {
      type: 'string',
      describe: `only objects whose names start with this (default ${NAME_PREFIX})`,
    })
    .option('json', { type: 'boolean', describe: 'print what was removed as JSON' });

type CleanupArgs = ArgsOf<typeof cleanupOptions>;

/** Accepts the object id (cnb-a1b2c3) or the results directory's run id (20261124-221503-a1b2c3). */
function objectRunIdArg(id: string): string {
  const m = /^\d{8}-\d{6}-([0-9a-f]{6})$/.exec(id);
  return m ? `${NAME_PREFIX}${m[1]}` : id;
}

/**
 * The name prefix of a run's local objects. A run's id (cnb-a1b2c3, 6 hex digits) covers every
 * candidate's cluster of that run (cnb-a1b2c30-…, cnb-a1b2c31-…); a longer id is one cluster.
 */
export function localRunPrefix(id: string): string {
  const objectId = checkRunId(objectRunIdArg(id));
  return /^cnb-[0-9a-f]{6}$/.test(objectId) ? objectId : `${objectId}-`;
}

/** One way of cleaning up: `applies` picks it from the arguments; the first that applies runs. */
interface CleanupBranch {
  name: string;
  applies(argv: CleanupArgs): boolean;
  run(argv: CleanupArgs): Promise<void>;
}

function printLocal(report: CleanupReport, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return;
  }
  const n = report.netns.length + report.nftTables.length + report.links.length + report.cgroups.length;
  if (n === 0) {
    process.stdout.write('cleanup: nothing to remove on this machine\n');
    return;
  }
  for (const ns of report.netns) process.stdout.write(`removed network namespace ${ns}\n`);
  for (const t of report.nftTables) process.stdout.write(`removed nft table ${t}\n`);
  for (const c of report.cgroups) process.stdout.write(`removed cgroup ${c}\n`);
  for (const l of report.links) process.stdout.write(`removed link ${l}\n`);
  if (report.processes.length > 0)
    process.stdout.write(`stopped ${report.processes.length} process(es): ${report.processes.join(' ')}\n`);
}

const localBranch: CleanupBranch = {
  name: 'local',
  applies: (argv) => argv.context === undefined,
  async run(argv) {
    if (argv['run-id'] && argv.prefix) throw new InputError('give either --run-id or --prefix, not both');
    const prefix = argv['run-id'] ? localRunPrefix(argv['run-id']) : (argv.prefix ?? NAME_PREFIX);
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

/** A real cluster: deletes the namespaces labelled app.kubernetes.io/managed-by=cnibench (of one run with --run-id). */
const kubeBranch: CleanupBranch = {
  name: 'kube',
  applies: (argv) => argv.context !== undefined || argv.kubeconfig !== undefined,
  async run(argv) {
    if (argv.prefix)
      throw new InputError('--prefix applies to the local cluster only; use --run-id on real clusters');
    const report = await cleanupKube({
      context: argv.context,
      kubeconfig: argv.kubeconfig,
      // On clusters the run's objects carry the 6 hex digits of its id (cnb-<hex>-x namespaces).
      ...(argv['run-id'] ? { runId: objectRunIdArg(argv['run-id']).replace(/^cnb-/, '') } : {}),
      onProgress: (m) => process.stderr.write(`cleanup: ${m}\n`),
    });
    if (argv.json) {
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      return;
    }
    if (report.namespaces.length === 0)
      process.stdout.write('cleanup: no cnibench namespaces on this cluster\n');
    for (const o of report.clusterObjects ?? []) process.stdout.write(`deleted ${o}\n`);
    for (const ns of report.namespaces) process.stdout.write(`deleted namespace ${ns}\n`);
    for (const ns of report.remaining) process.stdout.write(`still terminating: namespace ${ns}\n`);
  },
};

/** Branches in order: the first that applies runs. */
const cleanupBranches: CleanupBranch[] = [kubeBranch, localBranch];

const cleanupCommand = defineCommand({
  command: 'cleanup',
  describe:
    'Remove everything cnibench left behind: local network namespaces, nft tables and agent processes, or (--context) labelled namespaces on a real cluster',
  builder: cleanupOptions,
  handler: async (argv) => {
    const branch = cleanupBranches.find((b) => b.applies(argv));
    if (!branch) throw new InputError('cleanup: no cleanup applies to these options');
    await branch.run(argv);
  },
});

export const commands = [cleanupCommand];
