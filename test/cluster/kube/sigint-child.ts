/**
 * Child process for sigint.test.ts: creates a run's namespaces and pods on the fake API server whose
 * kubeconfig is argv[2], prints READY, and waits to be interrupted. As in `cnibench run`, the run's
 * interrupt guard owns the signals and calls the driver's cleanup (the driver installs no handler).
 */
import { KubeDriver } from '../../../src/cluster/kube/driver.js';
import { installInterruptGuard } from '../../../src/context/signals.js';
import { clusterConfig, sampleCase } from './helpers.js';

const guard = installInterruptGuard();
const [, , kubeconfig, runId] = process.argv;
if (kubeconfig === undefined || runId === undefined)
  throw new Error('usage: sigint-child.js <kubeconfig> <run-id>');
const driver = new KubeDriver(clusterConfig(kubeconfig), { runId });
guard.add('kube cluster', () => driver.cleanup());
await driver.ensureLayout(sampleCase(), guard.signal);
process.stdout.write('READY\n');
setInterval(() => undefined, 1000);
