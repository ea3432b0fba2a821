/**
 * Controllers the fake API server does not have, added on top of it (through its object store's event
 * stream) for the installer tests (CRDs are Established by the fake API server itself, as by a real
 * one): the DaemonSet/Deployment controllers reporting a rollout after a delay (a Deployment whose pods
 * require one node each gets no more ready replicas than there are nodes they may run on, as the
 * scheduler would do), a stand-in Tigera operator that creates calico-system and calico-node for an
 * Installation and removes them when it is deleted, and a stand-in cilium-operator that, once running,
 * registers Cilium's CRDs (cilium.io) and a CiliumNode per node through the API, as the real one does.
 * They react to what the code under test sends, so the tests exercise the real wait logic.
 */
import type { FakeApiServer, KubeObject, WatchEvent } from '../cluster/kube/fake-apiserver.js';
import { asModel, isRecord } from '../cluster/kube/fake-models.js';

export interface ControllerOptions {
  /** Delay before a DaemonSet/Deployment reports being rolled out. */
  rolloutDelayMs?: number;
  /** Calico version the stand-in operator deploys (image tag of calico-node). */
  calicoVersion?: string;
  /** Leave these DaemonSets (namespace/name) never ready, to test timeouts. */
  stuck?: string[];
}

export interface Controllers {
  /** Stops reacting and waits for what a controller is still writing (so no request outlives a test). */
  stop(): Promise<void>;
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
  const inflight = new Set<Promise<void>>();
  let stopped = false;
  const nodeCount = () => api.store.list('v1', 'Node').length;
  const ciliumStarted = new Set<string>();

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
    if (o.kind === 'Deployment' && !deployRolledOut(o, api)) {
      later(() => update(api, o, (cur) => ({ ...cur, status: deployStatus(cur, api) })), delay);
    }
    if (
      o.kind === 'Deployment' &&
      o.metadata.name === 'cilium-operator' &&
      (asModel('Deployment', o).status?.readyReplicas ?? 0) > 0 &&
      !ciliumStarted.has(o.metadata.uid ?? '')
    ) {
      ciliumStarted.add(o.metadata.uid ?? '');
      later(() => {
        const p = registerCiliumCrds(api, () => stopped).finally(() => inflight.delete(p));
        inflight.add(p);
      });
    }
    if (o.kind === 'Installation' && e.type === 'ADDED')
      later(() => createCalicoSystem(api, o, opts.calicoVersion ?? 'v3.29.1'));
  };
  api.store.events.on('event', onEvent);
  return {
    async stop() {
      stopped = true;
      api.store.events.off('event', onEvent);
      for (const t of timers) clearTimeout(t);
      await Promise.allSettled([...inflight]);
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
function dsRolledOut(ds: KubeObject, nodes: number): boolean {
  const status = asModel('DaemonSet', ds).status;
  return status?.numberAvailable === nodes && status.observedGeneration === (ds.metadata.generation ?? 1);
}

/**
 * Replicas that can run: a pod template requiring one node per replica (podAntiAffinity on the host
 * name) fits once per node it tolerates, as the scheduler would place it.
 */
function schedulableReplicas(d: KubeObject, api: FakeApiServer): number {
  const spec = asModel('Deployment', d).spec;
  const want = spec?.replicas ?? 1;
  const pod = spec?.template.spec;
  const perNode = (pod?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(
    (t) => t.topologyKey === 'kubernetes.io/hostname',
  );
  if (!perNode) return want;
  const tolerateAll = (pod?.tolerations ?? []).some((t) => t.operator === 'Exists' && !t.key);
  const nodes = api.store
    .models('Node')
    .filter((n) => tolerateAll || !(n.spec?.taints ?? []).some((t) => t.effect === 'NoSchedule'));
  return Math.min(want, nodes.length);
}

function deployStatus(d: KubeObject, api: FakeApiServer) {
  const n = asModel('Deployment', d).spec?.replicas ?? 1;
  const ready = schedulableReplicas(d, api);
  return {
    replicas: n,
    readyReplicas: ready,
    updatedReplicas: ready,
    availableReplicas: ready,
    unavailableReplicas: n - ready,
    observedGeneration: d.metadata.generation ?? 1,
  };
}
function deployRolledOut(d: KubeObject, api: FakeApiServer): boolean {
  const status = asModel('Deployment', d).status;
  return (
    status?.readyReplicas === schedulableReplicas(d, api) &&
    status.observedGeneration === (d.metadata.generation ?? 1)
  );
}

/** Server-side apply through the API, as a controller (not the test) would write. */
async function applyViaApi(api: FakeApiServer, path: string, body: object): Promise<void> {
  await fetch(`${api.url}${path}?fieldManager=cilium-operator&force=true`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/apply-patch+yaml', 'user-agent': 'cilium-operator' },
    body: JSON.stringify(body),
  });
}

/** Some of the CRDs cilium-operator registers at start-up, and a CiliumNode per node. */
export const CILIUM_RUNTIME_CRDS = ['ciliumnodes', 'ciliumendpoints', 'ciliumidentities'];

async function registerCiliumCrds(api: FakeApiServer, stopped: () => boolean): Promise<void> {
  for (const plural of CILIUM_RUNTIME_CRDS) {
    if (stopped()) return;
    const kind = {
      ciliumnodes: 'CiliumNode',
      ciliumendpoints: 'CiliumEndpoint',
      ciliumidentities: 'CiliumIdentity',
    }[plural];
    await applyViaApi(api, `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${plural}.cilium.io`, {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `${plural}.cilium.io` },
      spec: {
        group: 'cilium.io',
        scope: plural === 'ciliumendpoints' ? 'Namespaced' : 'Cluster',
        names: { kind, plural, singular: plural.replace(/s$/, ''), listKind: `${kind}List` },
        versions: [
          {
            name: 'v2',
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
        ],
      },
    });
  }
  // The API server establishes CRDs asynchronously, as a real one does: wait for the condition.
  const established = (plural: string) =>
    api.store
      .model('CustomResourceDefinition', `${plural}.cilium.io`)
      ?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
  while (!stopped() && !CILIUM_RUNTIME_CRDS.every(established)) await new Promise((r) => setTimeout(r, 5));
  for (const n of api.store.list('v1', 'Node')) {
    if (stopped()) return;
    await applyViaApi(api, `/apis/cilium.io/v2/ciliumnodes/${n.metadata.name}`, {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNode',
      metadata: { name: n.metadata.name },
      spec: { ipam: {} },
    });
  }
}

/** What the Tigera operator does for an Installation, reduced to the objects cnibench waits for. */
function createCalicoSystem(api: FakeApiServer, installation: KubeObject, version: string): void {
  const spec = installation.spec;
  // CalicoRegistry in tigera/operator pkg/components/images.go: docker.io/ up to operator v1.38.6
  // (Calico v3.30.3), quay.io/ from v1.38.7 (Calico v3.30.4).
  const [minor = 0, patch = 0] = (/^v?3\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  const publicRegistry = minor > 30 || (minor === 30 && patch >= 4) ? 'quay.io/' : 'docker.io/';
  const registry = isRecord(spec) && typeof spec.registry === 'string' ? spec.registry : publicRegistry;
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
