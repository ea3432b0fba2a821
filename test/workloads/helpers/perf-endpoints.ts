import { perfPorts, type PerfEndpoints } from '../../../src/workloads/scale/layout.js';

/**
 * The shape the local driver gives its perf pods (client and servers in one namespace), for the
 * policy-scale generator's tests and benchmark, which need endpoints but no cluster.
 */
export const LOCAL_PERF_ENDPOINTS: PerfEndpoints = {
  clientNamespace: 'cnibench-perf',
  clientName: 'client',
  clientIp: '10.244.0.2',
  serverNamespace: 'cnibench-perf',
  serverName: 'server-remote',
  serverIp: '10.244.1.2',
  ports: perfPorts(),
};
