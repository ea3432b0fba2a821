/**
 * Controllers the fake API server does not have, added on top of it (through its object store's event
 * stream) for the installer tests (CRDs are Established by the fake API server itself, as by a real
 * one): the DaemonSet/Deployment controllers reporting a rollout after a delay, and a stand-in Tigera operator
 * that creates calico-system and calico-node for an Installation and removes them when it is deleted.
 * They react to what the code under test sends, so the tests exercise the real wait logic.
 */
import type { FakeApiServer, KubeObject, WatchEvent } from '../kube/fake-apiserver.js';

export interface ControllerOptions {
  /** Delay before a DaemonSet/Deployment reports being rolled out. */
  rolloutDelayMs?: number;
  /** Calico version the stand-in operator deploys (image tag of calico-node). */
  calicoVersion?: string;
  /** Leave these DaemonSets (namespace/name) never ready, to test timeouts. */
  stuck?: string[];
}

export interface Controllers {
  stop(): void;
}

export function startControllers(api: FakeApiServer, opts: ControllerOptions = {}): Controllers {
  const delay = opts.rolloutDelayMs ?? 50;
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms = 0) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const nodeCount = () => api.store.list('v1', 'Node').length;

  const onEvent = (e: WatchEvent) => {
    const o = e.object;
    if (e.type === 'DELETED') {
      if (o.kind === 'Installation') later(() => removeCalicoSystem(api));
      return;
    }
    if (
      o.kind === 'DaemonSet' &&
      !opts.stuck?.includes(`${o.metadata.namespace}/${o.metadata.name}`) &&
      !dsRolledOut(o, nodeCount())
    ) {
      later(() => update(api, o, (cur) => ({ ...cur, status: dsStatus(cur, nodeCount()) })), delay);
    }
    if (o.kind === 'Deployment' && !deployRolledOut(o)) {
      later(() => update(api, o, (cur) => ({ ...cur, status: deployStatus(cur) })), delay);
    }
    if (o.kind === 'Installation' && e.type === 'ADDED')
      later(() => createCalicoSystem(api, o, opts.calicoVersion ?? 'v3.29.1'));
  };
  api.store.events.on('event', onEvent);
  return {
    stop() {
      api.store.events.off('event', onEvent);
      for (const t of timers) clearTimeout(t);
    },
  };
}

function update(api: FakeApiServer, o: KubeObject, fn: (cur: KubeObject) => KubeObject): void {
  const cur = api.store.get(o.apiVersion, o.kind, o.metadata.name, o.metadata.namespace);
  if (cur) api.store.update(fn(cur));
}

function dsStatus(ds: KubeObject, nodes: number) {
  return {
    desiredNumberScheduled: nodes,
    currentNumberScheduled: nodes,
    updatedNumberScheduled: nodes,
    numberReady: nodes,
    numberAvailable: nodes,
    observedGeneration: ds.metadata.generation ?? 1,
  };
}
const dsRolledOut = (ds: KubeObject, nodes: number) =>
  ds.status?.numberAvailable === nodes && ds.status?.observedGeneration === (ds.metadata.generation ?? 1);

function deployStatus(d: KubeObject) {
  const n = d.spec?.replicas ?? 1;
  return {
    replicas: n,
    readyReplicas: n,
    updatedReplicas: n,
    availableReplicas: n,
    observedGeneration: d.metadata.generation ?? 1,
  };
}
const deployRolledOut = (d: KubeObject) =>
  d.status?.readyReplicas === (d.spec?.replicas ?? 1) &&
  d.status?.observedGeneration === (d.metadata.generation ?? 1);

/** What the Tigera operator does for an Installation, reduced to the objects cnibench waits for. */
function createCalicoSystem(api: FakeApiServer, installation: KubeObject, version: string): void {
  const registry: string = installation.spec?.registry ?? 'quay.io/';
  const image = (name: string) => `${registry}calico/${name}:${version}`;
  if (!api.store.get('v1', 'Namespace', 'calico-system')) {
    api.store.create({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'calico-system', labels: { 'kubernetes.io/metadata.name': 'calico-system' } },
    });
  }
  const workload = (kind: 'DaemonSet' | 'Deployment', name: string, container: string): KubeObject => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { name, namespace: 'calico-system' },
    spec: {
      ...(kind === 'Deployment' ? { replicas: 1 } : {}),
      selector: { matchLabels: { 'k8s-app': name } },
      template: {
        metadata: { labels: { 'k8s-app': name } },
        spec: { containers: [{ name, image: image(container) }] },
      },
    },
  });
  api.store.create(workload('DaemonSet', 'calico-node', 'node'));
  api.store.create(workload('Deployment', 'calico-kube-controllers', 'kube-controllers'));
  api.store.create(workload('Deployment', 'calico-typha', 'typha'));
}

function removeCalicoSystem(api: FakeApiServer): void {
  for (const o of api.store.all()) {
    if (o.metadata.namespace === 'calico-system')
      api.store.delete(o.apiVersion, o.kind, o.metadata.name, 'calico-system');
  }
  api.store.delete('v1', 'Namespace', 'calico-system');
}
