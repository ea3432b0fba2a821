/**
 * `cnibench install CANDIDATE [--scenario FILE] [--version V]` installs one real-cluster CNI candidate
 * (of a scenario, or with default settings) on its cluster and waits until it is ready; `--dry-run`
 * prints everything it would apply, in order, offline.
 * `cnibench uninstall CANDIDATE --scenario FILE` removes it again.
 */
import type { Argv } from 'yargs';
import { defineCommand, type ArgsOf } from '../command.js';
import { connect } from '../../cluster/kube/client.js';
import { renderPlan } from '../../cni/dry-run.js';
import type { InstallProgress } from '../../cni/installer.js';
import { prepareInputs } from '../../cni/prepare.js';
import { cniNames, installerFor } from '../../cni/registry.js';
import { installCandidate, uninstallCandidate } from '../../cni/session.js';
import { candidateSchema, loadScenario } from '../../run/scenario-file.js';
import { assertSupported, newestSupported } from '../../scenario/cni-versions.js';
import {
  isKubeCandidate,
  kubeClusterSchema,
  PINNED_VERSION,
  type KubeCandidate,
  type KubeClusterConfig,
} from '../../scenario/schema.js';
import { InputError } from '../../util/errors.js';

type CommonArgs = ArgsOf<typeof candidateOptions>;

/**
 * The candidate and its cluster settings, with command-line overrides applied. Without a scenario the
 * candidate is a registered CNI (`calico`, `cilium`, …) with default settings on the current kubeconfig
 * context.
 */
export function selectCandidate(args: CommonArgs): { candidate: KubeCandidate; cluster: KubeClusterConfig } {
  let candidate: KubeCandidate;
  let base: KubeClusterConfig;
  // Checked before anything parses the candidate, so a malformed --version is the same one-line exit 2
  // with or without --scenario.
  if (args.version !== undefined) assertPinned(args.version);
  if (args.scenario === undefined) {
    if (!cniNames().includes(args.candidate))
      throw new InputError(
        `without --scenario the candidate is one of ${cniNames().join(', ')} (default settings), not "${args.candidate}"`,
      );
    const version = args.version ?? newestSupported(installerFor(args.candidate).matrix);
    // The format first: the schema would refuse a malformed version with a ZodError, not one line.
    assertPinned(version);
    const parsed = candidateSchema().parse({ name: args.candidate, cni: args.candidate, version });
    if (!isKubeCandidate(parsed)) throw new InputError(`${args.candidate} is not a real-cluster CNI`);
    candidate = parsed;
    base = kubeClusterSchema.parse({ kind: 'kube' });
  } else {
    const { scenario } = loadScenario(args.scenario);
    const found = scenario.candidates.find((c) => c.name === args.candidate);
    if (!found) {
      throw new InputError(
        `${args.scenario}: no candidate named "${args.candidate}" (have: ${scenario.candidates.map((c) => c.name).join(', ')})`,
      );
    }
    if (!isKubeCandidate(found)) {
      throw new InputError(
        `${args.scenario}: candidate "${found.name}" is ${found.cni}, a local profile; only ${cniNames().join(', ')} are installed on clusters`,
      );
    }
    if (scenario.cluster.kind !== 'kube')
      throw new InputError(`${args.scenario}: cluster.kind must be kube to install ${found.cni}`);
    candidate = args.version !== undefined ? { ...found, version: args.version } : found;
    base = scenario.cluster;
  }
  assertPinned(candidate.version);
  assertSupported(installerFor(candidate.cni).matrix, candidate.version);
  const cluster: KubeClusterConfig = {
    ...base,
    ...(args['image-registry'] !== undefined ? { imageRegistry: args['image-registry'] } : {}),
    ...(args.context !== undefined ? { context: args.context } : {}),
    ...(args.kubeconfig !== undefined ? { kubeconfig: args.kubeconfig } : {}),
  };
  return { candidate, cluster };
}

function assertPinned(version: string): void {
  if (!PINNED_VERSION.test(version))
    throw new InputError(`--version: expected a pinned version like v3.32.1, got "${version}"`);
}

function stderrProgress(p: InstallProgress): void {
  const count = p.total !== undefined ? ` [${p.done ?? 0}/${p.total}]` : '';
  process.stderr.write(`cnibench: ${p.phase}${count} ${p.message}\n`);
}

const commonOptions = {
  scenario: {
    type: 'string',
    describe:
      'scenario YAML file naming the candidate and the cluster (without it: a CNI such as calico, defaults)',
  },
  version: {
    type: 'string',
    describe:
      "release to install instead of the candidate's (cnibench cni versions lists the supported ones)",
  },
  'image-registry': {
    type: 'string',
    describe: 'pull every image from this registry or mirror (overrides cluster.imageRegistry)',
  },
  context: { type: 'string', describe: 'kubeconfig context (overrides cluster.context)' },
  kubeconfig: { type: 'string', describe: 'kubeconfig file (overrides cluster.kubeconfig)' },
} as const;

/** The candidate and the options install and uninstall share. */
function candidateOptions(y: Argv) {
  return (
    y
      .positional('candidate', {
        type: 'string',
        demandOption: true,
        describe: 'candidate name in the scenario (without --scenario: a CNI, e.g. calico or cilium)',
      })
      // --version is the release here, not the program version.
      .version(false)
      .options(commonOptions)
  );
}

const install = defineCommand({
  command: 'install <candidate>',
  describe: 'Install a real-cluster CNI candidate (Calico, Cilium) on its cluster and wait until it is ready',
  builder: (y) =>
    candidateOptions(y)
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe: 'print what would be applied (offline), change nothing',
      })
      .option('full', {
        type: 'boolean',
        default: false,
        describe: 'with --dry-run: print CRD schemas in full',
      })
      .option('timeout', {
        type: 'number',
        describe: 'seconds to wait for readiness (default cluster.readyTimeout)',
      })
      .option('json', {
        type: 'boolean',
        default: false,
        describe: 'print the result (versions running) as JSON',
      }),
  handler: async (argv) => {
    const { candidate, cluster } = selectCandidate(argv);
    if (argv['dry-run']) {
      const inputs = await prepareInputs(candidate, cluster, { online: false });
      const plan = installerFor(candidate.cni).plan(candidate, cluster, inputs);
      process.stdout.write(renderPlan(plan, { fullCrds: argv.full }));
      return;
    }
    const kube = connect({ kubeconfig: cluster.kubeconfig, context: cluster.context });
    const result = await installCandidate(candidate, cluster, kube, {
      progress: stderrProgress,
      readyTimeoutMs: argv.timeout !== undefined ? argv.timeout * 1000 : undefined,
    });
    if (argv.json) {
      process.stdout.write(
        `${JSON.stringify({ candidate: candidate.name, cni: candidate.cni, requested: candidate.version, readyMs: result.readyMs, installed: result.installed }, null, 2)}\n`,
      );
      return;
    }
    process.stdout.write(
      `${candidate.name}: ${candidate.cni} ready after ${(result.readyMs / 1000).toFixed(1)}s on context "${kube.context}"\n`,
    );
    for (const c of result.installed)
      process.stdout.write(`  ${c.kind} ${c.namespace}/${c.name}: ${c.image} (${c.version})\n`);
  },
});

const uninstall = defineCommand({
  command: 'uninstall <candidate>',
  describe: 'Remove a real-cluster CNI candidate (Calico, Cilium) that cnibench installed',
  builder: (y) =>
    candidateOptions(y).option('timeout', {
      type: 'number',
      describe: 'seconds to wait for removal (default cluster.readyTimeout)',
    }),
  handler: async (argv) => {
    const { candidate, cluster } = selectCandidate(argv);
    const kube = connect({ kubeconfig: cluster.kubeconfig, context: cluster.context });
    const inputs = await prepareInputs(candidate, cluster, { online: true, kube });
    const plan = installerFor(candidate.cni).plan(candidate, cluster, inputs);
    await uninstallCandidate(plan, cluster, kube, {
      progress: stderrProgress,
      readyTimeoutMs: argv.timeout !== undefined ? argv.timeout * 1000 : undefined,
    });
    process.stdout.write(`${candidate.name}: ${candidate.cni} removed from context "${kube.context}"\n`);
  },
});

export const commands = [install, uninstall];
