/** `cnibench detect`: which CNI (and version, from the image tag) a cluster already runs. */
import { defineCommand } from '../command.js';
import { connect } from '../../cluster/kube/client.js';
import { detectCnis } from '../../cni/detect.js';

const detect = defineCommand({
  command: 'detect',
  describe:
    'Report the CNI already installed on a cluster (calico, cilium, flannel, weave, kindnet, ...) and its version',
  builder: (y) =>
    y
      .option('context', { type: 'string', describe: 'kubeconfig context (default: the current context)' })
      .option('kubeconfig', {
        type: 'string',
        describe: 'kubeconfig file (default: KUBECONFIG or ~/.kube/config)',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
  handler: async (argv) => {
    const conn = connect({ kubeconfig: argv.kubeconfig, context: argv.context });
    const found = await detectCnis(conn);
    if (argv.json) {
      process.stdout.write(
        `${JSON.stringify({ context: conn.context, server: conn.server, cnis: found }, null, 2)}\n`,
      );
      return;
    }
    if (found.length === 0) {
      process.stdout.write(
        `context "${conn.context}": no known CNI DaemonSet found (nodes stay NotReady until one is installed)\n`,
      );
      return;
    }
    process.stdout.write(`context "${conn.context}":\n`);
    for (const d of found)
      process.stdout.write(
        `  ${d.cni} ${d.version}  (DaemonSet ${d.namespace}/${d.name}, image ${d.image})\n`,
      );
  },
});

export const commands = [detect];
