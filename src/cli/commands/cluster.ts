/**
 * `cnibench cluster kind-config`: a kind cluster configuration for evaluating CNIs: kindnet disabled,
 * the candidates' pod subnet, kube-proxy mode, N workers. cnibench does not run kind itself:
 * `kind create cluster --config FILE` does, and the context becomes kind-<name>.
 */
import { writeFileSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { stringify } from 'yaml';
import { KUBE_PROXY_MODES, kindConfig, kindSettingsForScenario } from '../../cni/kind-config.js';
import { loadScenario } from '../../run/scenario-file.js';

const kindConfigCmd = defineCommand({
  command: 'kind-config',
  describe: 'Print (or write) a kind cluster config with the default CNI disabled, for cnibench candidates',
  builder: (y) =>
    y
      .option('workers', { type: 'number', default: 2, describe: 'worker nodes besides the control plane' })
      .option('out', { type: 'string', describe: 'write to this file instead of stdout' })
      .option('name', { type: 'string', default: 'cnibench', describe: 'cluster name (context kind-<name>)' })
      .option('scenario', {
        type: 'string',
        describe: "take pod subnet and kube-proxy mode from this scenario's candidates",
      })
      .option('candidate', {
        type: 'string',
        describe: 'with --scenario: size the cluster for this candidate only',
      })
      .option('pod-subnet', {
        type: 'string',
        describe: "pod CIDR (default: the candidates', else 10.244.0.0/16)",
      })
      .option('kube-proxy-mode', {
        type: 'string',
        choices: KUBE_PROXY_MODES,
        describe: 'kube-proxy mode (none for Cilium kube-proxy replacement)',
      }),
  handler: (argv) => {
    const fromScenario = argv.scenario
      ? kindSettingsForScenario(loadScenario(argv.scenario).scenario, argv.candidate)
      : undefined;
    const config = kindConfig({
      workers: argv.workers,
      name: argv.name,
      podSubnet: argv['pod-subnet'] ?? fromScenario?.podSubnet,
      kubeProxyMode: argv['kube-proxy-mode'] ?? fromScenario?.kubeProxyMode,
    });
    const text = `# kind create cluster --config <this file>   (context: kind-${argv.name})\n${stringify(config)}`;
    if (argv.out) {
      writeFileSync(argv.out, text);
      process.stderr.write(`cnibench: wrote ${argv.out}\n`);
    } else process.stdout.write(text);
  },
});

const cluster = defineCommand({
  command: 'cluster <command>',
  describe: 'Helpers for the clusters cnibench runs on',
  builder: (y) => y.command(kindConfigCmd).demandCommand(1),
  handler: () => undefined,
});

export const commands = [cluster];
