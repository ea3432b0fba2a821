/** Shared fixtures for the kube driver tests: a temp kubeconfig, a scenario cluster block, a case. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedCase, ResolvedPod } from '../../../src/netpol/types.js';
import { kubeClusterSchema, type KubeClusterConfig } from '../../../src/scenario/schema.js';
import { FakeApiServer, type FakeApiServerOptions } from './fake-apiserver.js';

export interface FakeCluster {
  api: FakeApiServer;
  kubeconfig: string;
  dir: string;
  close(): Promise<void>;
}

export async function startFakeCluster(opts: FakeApiServerOptions = {}): Promise<FakeCluster> {
  const api = await FakeApiServer.start(opts);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cnb-kube-test-'));
  const kubeconfig = await api.writeKubeconfig(dir);
  return {
    api,
    kubeconfig,
    dir,
    close: async () => {
      await api.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export function clusterConfig(kubeconfig: string, extra: Record<string, unknown> = {}): KubeClusterConfig {
  return kubeClusterSchema.parse({ kind: 'kube', kubeconfig, context: 'fake', readyTimeout: 10, ...extra });
}

function pod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ports: ResolvedPod['ports'],
): ResolvedPod {
  return { namespace, name, key: `${namespace}/${name}`, labels, ip: '', ports };
}

/** Two namespaces, three pods serving TCP 80 and UDP 81, one policy using a namespace-name selector. */
export function sampleCase(): ResolvedCase {
  const ports: ResolvedPod['ports'] = [
    { name: 'serve-80-tcp', port: 80, protocol: 'TCP' },
    { name: 'serve-81-udp', port: 81, protocol: 'UDP' },
  ];
  return {
    name: 'sample',
    tags: [],
    namespaces: {
      x: { 'kubernetes.io/metadata.name': 'x', team: 'blue' },
      y: { 'kubernetes.io/metadata.name': 'y', team: 'red' },
    },
    pods: [
      pod('x', 'a', { pod: 'a' }, ports),
      pod('x', 'b', { pod: 'b' }, ports),
      pod('y', 'a', { pod: 'a' }, ports),
    ],
    policies: [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-from-y', namespace: 'x' },
        spec: {
          podSelector: { matchLabels: { pod: 'a' } },
          policyTypes: ['Ingress'],
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }],
              ports: [{ protocol: 'TCP', port: 'serve-80-tcp' }],
            },
          ],
        },
      },
    ],
    probes: [
      { port: 80, protocol: 'TCP' },
      { port: 81, protocol: 'UDP' },
    ],
  };
}
