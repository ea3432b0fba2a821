/**
 * `cnibench rbac`: prints the minimal RBAC (ServiceAccount, ClusterRole, ClusterRoleBinding) the
 * harness needs on a real cluster, generated from the same permission list the preflight checks.
 * deploy/rbac.yaml is this command's output with the defaults.
 */
import { defineCommand } from '../command.js';
import { renderRbac } from '../../cluster/kube/permissions.js';

const rbac = defineCommand({
  command: 'rbac',
  describe: 'Print the minimal RBAC manifest the harness needs on a real cluster (kubectl apply -f -)',
  builder: (y) =>
    y
      .option('namespace', {
        type: 'string',
        default: 'default',
        describe: 'Namespace of the ServiceAccount',
      })
      .option('name', {
        type: 'string',
        default: 'cnibench',
        describe: 'Name of the ServiceAccount, ClusterRole and binding',
      }),
  handler: (args) => {
    process.stdout.write(renderRbac({ namespace: args.namespace, name: args.name }));
  },
});

export const commands = [rbac];
