/**
 * A stand-in for `kind create cluster --name cnibench` (no default CNI) for the end-to-end run test:
 * the fake API server with a tainted control-plane node and two workers, the controllers a cluster
 * runs (CRDs established, rollouts reported, a Tigera operator creating calico-system; from
 * test/cni/fake-controllers.ts), the exec dataplane of fake-dataplane.ts, a kubeconfig whose
 * *current* context is some other, unreachable cluster (so only `--context kind-cnibench` works),
 * a CNI cache pre-filled with the Calico operator manifests (as `cnibench cni fetch` leaves it), and a
 * fake `helm` on a private PATH directory that records its argv and creates what the Cilium chart would.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { scenarioSchema } from '../../src/run/scenario-file.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { startControllers } from '../cni/fake-controllers.js';
import { cacheCalico } from '../cni/helpers.js';
import { FakeApiServer } from '../cluster/kube/fake-apiserver.js';
import { fakeDataplane, type DataplaneOptions, type FakeDataplane } from './fake-dataplane.js';
import { CLI_MAIN, repoPath } from '../helpers/paths.js';

export const CONTEXT = 'kind-cnibench';
/** The Calico release of scenarios/kind-calico-vs-cilium.yaml. */
export const CALICO_VERSION = 'v3.32.1';
const FAKE_HELM = repoPath('test/fixtures/cni/fake-helm/fake-helm.mjs');

export interface HelmCall {
  argv: string[];
  values?: string;
}

export interface FakeKind {
  api: FakeApiServer;
  dataplane: FakeDataplane;
  dir: string;
  kubeconfig: string;
  /** Environment for the cnibench child process: fake helm first on PATH, the pre-filled cache. */
  env: Record<string, string>;
  helmCalls(): HelmCall[];
  close(): Promise<void>;
}

export async function startFakeKind(dataplane: DataplaneOptions = {}): Promise<FakeKind> {
  const api = await FakeApiServer.start({
    gitVersion: 'v1.31.2',
    nodes: [
      {
        name: 'cnibench-control-plane',
        ip: '172.18.0.2',
        labels: { 'node-role.kubernetes.io/control-plane': '' },
        taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      },
      { name: 'cnibench-worker', ip: '172.18.0.3' },
      { name: 'cnibench-worker2', ip: '172.18.0.4' },
    ],
  });
  for (const name of ['default', 'kube-system', 'kube-public'])
    api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  const dp = fakeDataplane(api, dataplane);
  api.onExec = dp.handler;
  const controllers = startControllers(api, { rolloutDelayMs: 20, calicoVersion: CALICO_VERSION });

  const dir = mkdtempSync(path.join(tmpdir(), 'cnibench-e2e-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText(api.url), { mode: 0o600 });

  // The cache as `cnibench cni fetch calico --version v3.32.1` leaves it (here from the stand-ins).
  const cache = path.join(dir, 'cache');
  await cacheCalico(cache, CALICO_VERSION);

  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const helmLog = path.join(dir, 'helm.log');
  writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE_HELM}" "$@"\n`);
  chmodSync(path.join(bin, 'helm'), 0o755);

  return {
    api,
    dataplane: dp,
    dir,
    kubeconfig,
    env: {
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      CNIBENCH_CACHE: cache,
      FAKE_HELM_LOG: helmLog,
      // Nothing from the test environment may pick another cluster.
      KUBECONFIG: path.join(dir, 'no-such-kubeconfig'),
    },
    helmCalls: () =>
      existsSync(helmLog)
        ? readFileSync(helmLog, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as HelmCall)
        : [],
    close: async () => {
      await controllers.stop();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * kind's context plus a production-looking one that is current and unreachable (port 9, discard).
 * The kind cluster comes first: the fake helm script reads the first server in the file.
 */
function kubeconfigText(server: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      { name: CONTEXT, cluster: { server, 'insecure-skip-tls-verify': true } },
      { name: 'prod', cluster: { server: 'http://127.0.0.1:9', 'insecure-skip-tls-verify': true } },
    ],
    users: [
      { name: CONTEXT, user: { token: 'kind-token' } },
      { name: 'prod-admin', user: { token: 'prod-token' } },
    ],
    contexts: [
      { name: CONTEXT, context: { cluster: CONTEXT, user: CONTEXT } },
      { name: 'prod', context: { cluster: 'prod', user: 'prod-admin' } },
    ],
    'current-context': 'prod',
  });
}

/**
 * scenarios/kind-calico-vs-cilium.yaml made quick: `edit` changes the parsed document (few cases,
 * 1 s durations, 2 repetitions); the result is written next to the kubeconfig.
 */
export function writeScenario(fk: FakeKind, name: string, edit: (doc: ScenarioInput) => void): string {
  const doc: unknown = parse(readFileSync(repoPath('scenarios/kind-calico-vs-cilium.yaml'), 'utf8'));
  if (!isScenarioInput(doc)) throw new Error('scenarios/kind-calico-vs-cilium.yaml is not a valid scenario');
  edit(doc);
  const file = path.join(fk.dir, `${name}.yaml`);
  writeFileSync(file, stringify(doc));
  return file;
}

/** A document the scenario schema accepts is a scenario as written (before defaults are applied). */
const isScenarioInput = (doc: unknown): doc is ScenarioInput => scenarioSchema().safeParse(doc).success;

/** The scenario's kube cluster block (the kind scenario's), for edits. */
export function kubeClusterOf(doc: ScenarioInput) {
  if (doc.cluster?.kind !== 'kube') throw new Error(`scenario ${doc.name} does not run on a kube cluster`);
  return doc.cluster;
}

/** Runs the built CLI (`cnibench ...`) as a child process against the fake cluster. */
export async function runCnibench(fk: FakeKind, args: string[]) {
  return execa(process.execPath, [CLI_MAIN, ...args], {
    reject: false,
    cwd: fk.dir,
    env: { ...process.env, ...fk.env },
    timeout: 120_000,
  });
}

/** `cnibench run SCENARIO` on the fake cluster's context, results in `resultsDir`, then `extra` options. */
export function runScenario(fk: FakeKind, scenario: string, resultsDir: string, extra: string[] = []) {
  const args = [
    'run',
    scenario,
    '--context',
    CONTEXT,
    '--kubeconfig',
    fk.kubeconfig,
    '--results-dir',
    resultsDir,
  ];
  return runCnibench(fk, [...args, ...extra]);
}

/**
 * The cluster as a provider runs it, with its CNI already installed (what `cnibench check` meets):
 * Calico's node agent DaemonSet, so detection names it and the fake dataplane answers as Calico.
 */
export function preinstallCalico(fk: FakeKind, version = CALICO_VERSION): void {
  fk.api.store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'calico-system' } });
  fk.api.store.create({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'calico-node', namespace: 'calico-system' },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'calico-node' } },
      template: {
        metadata: { labels: { 'k8s-app': 'calico-node' } },
        spec: { containers: [{ name: 'calico-node', image: `quay.io/calico/node:${version}` }] },
      },
    },
  });
}
