/**
 * Child process for sigint.test.ts: creates a run's namespaces and pods on the fake API server whose
 * kubeconfig is argv[2], prints READY, and waits to be interrupted (the driver's default signal
 * handling must then clean up and exit 130).
 */
import { KubeDriver } from '../../src/cluster/kube/driver.js';
import { clusterConfig, sampleCase } from './helpers.js';

const driver = new KubeDriver(clusterConfig(process.argv[2]), { runId: process.argv[3] });
await driver.ensureLayout(sampleCase());
process.stdout.write('READY\n');
setInterval(() => undefined, 1000);
