/**
 * The documented real-cluster path, end to end:
 *
 *   cnibench run scenarios/kind-calico-vs-cilium.yaml --context kind-cnibench
 *
 * driven through the built CLI (a child process) against the fake API server standing in for a kind
 * cluster without a CNI (fake-kind.ts): preflight, install Calico from the cached operator manifest,
 * conformance + throughput + latency on it, clean-up, uninstall Calico, install Cilium with helm,
 * the same evaluation, uninstall, reports. Probes are answered by the NetworkPolicy model over what
 * the fake API server stores, iperf3 and the agent by their real output (fake-dataplane.ts), so every
 * stage runs the production code; only the cluster and the tools' processes are simulated.
 *
 * The whole run is checked in both probe modes: `agent` (the default, one exec per source pod and
 * round) and `agnhost` (one `agnhost connect` exec per probe).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { HARNESS_PERMISSIONS } from '../../src/cluster/kube/permissions.js';
import { builtinSuite, filterByTags } from '../../src/netpol/suite/index.js';
import type { ResultsFile } from '../../src/results/schema.js';
import type { RecordedRequest } from '../cluster/kube/fake-apiserver.js';
import { parseProbeArgs } from '../../src/agent/probe.js';
import type { ProbeMode } from '../../src/cluster/kube/probe-round.js';
import type { ExecLogEntry } from './fake-dataplane.js';
import {
  CONTEXT,
  kubeClusterOf,
  runScenario,
  startFakeKind,
  writeScenario,
  type FakeKind,
} from './fake-kind.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { asModel, at } from '../cluster/kube/fake-models.js';
import { asInstallation } from '../cni/calico-models.js';
import { must } from '../helpers/must.js';

const MIRROR = 'mirror.local:5000';
const CASE_TAGS = ['peer:namespace-selector'];
const MAX_CASES = 3;
const PATHS = ['same-node', 'cross-node', 'baseline'] as const;
/** One SelfSubjectAccessReview per verb of every permission the harness needs. */
const PERMISSIONS_CHECKED = HARNESS_PERMISSIONS.flatMap((p) => p.verbs).length;

/** The cases the scenario selects, as the run must select them. */
const expectedCases = filterByTags(builtinSuite(), {
  tags: CASE_TAGS,
  excludeTags: [],
  protocols: ['TCP', 'UDP'],
})
  .slice(0, MAX_CASES)
  .map((c) => c.name);

/** The shipped scenario, made quick: a few cases whose policies use namespace selectors, 1 s runs, 2 samples. */
function quick(doc: ScenarioInput, probeMode: ProbeMode): void {
  const cluster = kubeClusterOf(doc);
  cluster.probeMode = probeMode;
  doc.workloads = doc.workloads.map((w) => {
    switch (w.kind) {
      case 'conformance':
        return { ...w, tags: CASE_TAGS, maxCases: MAX_CASES, convergenceTimeout: 5 };
      case 'throughput':
      case 'latency':
        return { ...w, duration: 1 };
      default:
        return w;
    }
  });
  doc.repetitions = { count: 2, warmup: 1, adaptive: false };
  cluster.readyTimeout = 60;
}

const runDirOf = (resultsDir: string) =>
  path.join(resultsDir, must(readdirSync(resultsDir)[0], `a run directory in ${resultsDir}`));
/** The protocols a probe exec asked for: agnhost's --protocol, or the agent batch's targets. */
const probedProtocols = (e: ExecLogEntry): string[] =>
  e.kind === 'probe'
    ? [(e.command.find((a) => a.startsWith('--protocol=')) ?? '').slice('--protocol='.length).toUpperCase()]
    : (parseProbeArgs(e.command.slice(3)).targets ?? []).map((t) => t.protocol);
const index = (reqs: RecordedRequest[], method: string, re: RegExp) =>
  reqs.findIndex((r) => r.method === method && re.test(r.path));

for (const probeMode of ['agent', 'agnhost'] as const)
  describe(`cnibench run --context kind-cnibench: Calico, then Cilium, on the fake API server (probe mode ${probeMode})`, () => {
    let fk: FakeKind;
    let run: Awaited<ReturnType<typeof runScenario>>;
    let results: ResultsFile;
    let runDir: string;
    let reqs: RecordedRequest[];

    before(async () => {
      fk = await startFakeKind();
      const scenario = writeScenario(fk, 'kind-quick', (doc) => quick(doc, probeMode));
      const resultsDir = path.join(fk.dir, 'results');
      run = await runScenario(fk, scenario, resultsDir, ['--image-registry', MIRROR]);
      runDir = runDirOf(resultsDir);
      results = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsFile;
      reqs = fk.api.requests;
    });
    after(async () => {
      await fk?.close();
    });

    test('exits 0 with a complete results file and the summary table', () => {
      assert.equal(run.exitCode, 0, `stderr:\n${run.stderr}`);
      assert.equal(results.status, 'complete');
      assert.deepEqual(
        results.candidates.map((c) => [c.name, c.errors]),
        [
          ['calico', []],
          ['cilium', []],
        ],
      );
      assert.match(
        run.stdout,
        new RegExp(
          `NetworkPolicy conformance +${MAX_CASES}/${MAX_CASES} pass, 0 skip +${MAX_CASES}/${MAX_CASES} pass`,
        ),
      );
      // The overrides are recorded as run; the context is the one given, not the kubeconfig's current one.
      const scenario = results.origin.kind === 'scenario' ? results.origin.scenario : undefined;
      assert.equal(scenario?.cluster.kind, 'kube');
      assert.equal(results.provenance.cluster.context, CONTEXT);
      assert.equal(results.provenance.cluster.serverVersion, 'v1.31.2');
      assert.deepEqual(
        scenario?.cluster.kind === 'kube' && [scenario.cluster.context, scenario.cluster.imageRegistry],
        [CONTEXT, MIRROR],
      );
    });

    test('preflight checks every permission before each candidate touches the cluster', () => {
      const isSsar = (r: RecordedRequest) => r.method === 'POST' && /selfsubjectaccessreviews$/.test(r.path);
      const ssar = reqs.filter(isSsar);
      // Per candidate: the harness's own permissions, then what installing that CNI needs (derived from
      // its plan; test/cni/permissions.test.ts checks that it covers every call).
      const firstSsar = reqs.indexOf(must(ssar[0], 'a SelfSubjectAccessReview'));
      const firstWrite = reqs.findIndex((r) => r.method !== 'GET' && !isSsar(r));
      assert.ok(firstSsar < firstWrite, 'permissions are checked before the first write');
      const firstCrdApply = index(reqs, 'PATCH', /\/customresourcedefinitions\//);
      const harnessChecks = PERMISSIONS_CHECKED;
      const calicoChecks = reqs.slice(0, firstCrdApply).filter(isSsar).length;
      assert.ok(
        calicoChecks > harnessChecks,
        'installer permissions are checked before anything of Calico is applied',
      );
      // The second preflight (Cilium's) follows Calico's uninstall.
      const secondSsar = reqs.indexOf(must(ssar[calicoChecks], "Cilium's first SelfSubjectAccessReview"));
      assert.ok(secondSsar > index(reqs, 'DELETE', /\/installations\/default$/));
    });

    test('Calico: operator manifest from the cache with images on the mirror, then Installation and APIServer', () => {
      const applied = (re: RegExp) => {
        const r = reqs.find(
          (x) => x.method === 'PATCH' && re.test(x.path) && x.query.fieldManager === 'cnibench',
        );
        assert.ok(r, `no server-side apply to ${re}`);
        assert.equal(r.contentType, 'application/apply-patch+yaml');
        return r.body;
      };
      applied(/\/customresourcedefinitions\/installations\.operator\.tigera\.io$/);
      assert.equal(at(applied(/^\/api\/v1\/namespaces\/tigera-operator$/), 'kind'), 'Namespace');
      const operator = asModel(
        'Deployment',
        applied(/\/namespaces\/tigera-operator\/deployments\/tigera-operator$/),
      );
      assert.equal(operator.spec?.template.spec?.containers[0]?.image, `${MIRROR}/tigera/operator:v1.36.2`);
      const installation = asInstallation(applied(/\/operator\.tigera\.io\/v1\/installations\/default$/));
      assert.equal(installation.spec.registry, `${MIRROR}/`);
      assert.deepEqual(
        installation.spec.calicoNetwork.ipPools.map((p) => [p.cidr, p.encapsulation]),
        [['10.244.0.0/16', 'VXLAN']],
      );
      assert.equal(installation.spec.calicoNetwork.linuxDataplane, 'Iptables');
      applied(/\/operator\.tigera\.io\/v1\/apiservers\/default$/);
      // The harness's own pods also come from the mirror.
      const podImages = reqs
        .filter((r) => r.method === 'POST' && /\/pods$/.test(r.path))
        .flatMap((r) =>
          (r.body as { spec: { containers: Array<{ image: string }> } }).spec.containers.map((c) => c.image),
        );
      assert.ok(podImages.length > 0);
      for (const image of podImages) assert.ok(image.startsWith(`${MIRROR}/`), image);
    });

    test('the running versions are recorded for each candidate', () => {
      const [calico, cilium] = results.candidates;
      assert.deepEqual(calico?.installedVersions, {
        'calico-node': 'v3.32.1',
        'tigera-operator': 'v1.36.2',
        'calico-kube-controllers': 'v3.32.1',
        'calico-typha': 'v3.32.1',
      });
      assert.deepEqual(cilium?.installedVersions, {
        cilium: 'v1.20.0',
        'cilium-envoy': 'v1.37.5',
        'cilium-operator': 'v1.20.0',
      });
    });

    test('conformance passes on both, with every case probed on the candidate it belongs to', () => {
      assert.equal(expectedCases.length, MAX_CASES);
      for (const c of results.candidates) {
        const conf = must(c.conformance, 'conformance');
        assert.deepEqual(
          [conf.cases, conf.passed, conf.failed, conf.skipped],
          [MAX_CASES, MAX_CASES, 0, 0],
          c.name,
        );
        assert.deepEqual(
          conf.caseResults.map((r) => r.name),
          expectedCases,
        );
        for (const r of conf.caseResults) {
          assert.equal(r.probes, 9 * 8 * 4, `${c.name} ${r.name}: 9 pods, every ordered pair, 4 probes`);
          assert.ok(r.programmingLatencyMs !== null && r.programmingLatencyMs >= 0);
        }
        const execs = fk.dataplane.log.filter(
          (e) => (e.kind === 'probe' || e.kind === 'probe-batch') && e.cni === c.name,
        );
        const probes = execs.reduce((n, e) => n + (e.probes ?? 0), 0);
        // The NetworkPolicy canary first (kube driver): enforced at once, one round of its two probes.
        const canary = must(conf.networkPolicyCanary, 'the NetworkPolicy canary');
        assert.deepEqual([canary.outcome, canary.rounds], ['enforced', 1], canary.detail);
        assert.equal(probes, MAX_CASES * 9 * 8 * 4 + 2, `${c.name}: one round per case, and the canary's`);
        // agent: one exec per source pod and round (the canary's two probes: two sources); agnhost: one per probe.
        assert.equal(execs.length, probeMode === 'agent' ? MAX_CASES * 9 + 2 : probes, c.name);
        assert.ok(execs.every((e) => e.kind === (probeMode === 'agent' ? 'probe-batch' : 'probe')));
      }
      assert.ok(
        fk.dataplane.log.every((e) => e.cni !== undefined),
        'no exec ran without a CNI',
      );
      // Both protocols were probed.
      const protocols = new Set(
        fk.dataplane.log
          .filter((e) => e.kind === 'probe' || e.kind === 'probe-batch')
          .flatMap(probedProtocols),
      );
      assert.deepEqual([...protocols].sort(), ['TCP', 'UDP']);
    });

    test('throughput and latency: every id and path, 2 samples after 1 warm-up, figures from the tools', () => {
      const ids = [
        ...[1, 4].flatMap((n) =>
          PATHS.flatMap((p) => [
            `throughput/tcp/streams=${n}/${p}`,
            `throughput/tcp-cpu-per-gbit/streams=${n}/${p}`,
          ]),
        ),
        ...PATHS.flatMap((p) => [
          `latency/rr/payload=1/${p}`,
          `latency/rr-p99/payload=1/${p}`,
          `latency/rr-cpu-per-transaction/payload=1/${p}`,
        ]),
      ].sort();
      const summaryApi = 'kubelet stats/summary (nodes/proxy)';
      for (const c of results.candidates) {
        assert.deepEqual(c.measurements.map((m) => m.id).sort(), ids, c.name);
        for (const m of c.measurements) {
          assert.equal(m.samples.length, 2, m.id);
          assert.equal(m.path, m.id.split('/').at(-1));
          if (m.derivedFrom !== undefined) {
            // Cost figures: CPU from the kubelet summary, read before and after each run.
            assert.equal(m.tool?.name, summaryApi, m.id);
            assert.ok(
              m.samples.every((x) => x > 0),
              `${m.id}: ${m.samples.join(', ')}`,
            );
            continue;
          }
          assert.equal(m.warmup?.length, 1, m.id);
          assert.equal(m.tool?.name, m.workload === 'throughput' ? 'iperf3' : 'cnibench-agent');
        }
        const tcp = must(
          c.measurements.find((m) => m.id === 'throughput/tcp/streams=1/cross-node'),
          `${c.name}'s cross-node TCP measurement`,
        );
        assert.equal(tcp.tool?.version, '3.12');
        // On a real cluster each candidate is its own block; each pod-path sample is paired with the
        // host-network baseline sample of the same turn.
        assert.deepEqual(tcp.schedule, [
          { block: 0, position: 0 },
          { block: 1, position: 0 },
        ]);
        const base = c.measurements.find((m) => m.id === 'throughput/tcp/streams=1/baseline');
        assert.deepEqual(tcp.paired, { id: base?.id, samples: base?.samples });
        assert.equal(tcp.unit, 'Gbit/s');
        // Every sample has its CPU: the nodes' (the pods' inside), from the summary API's counters.
        const cost = must(tcp.cost, `${c.name}'s CPU of the TCP runs`);
        assert.equal(cost.method, summaryApi);
        assert.equal(cost.cpuSeconds.length, 2);
        assert.deepEqual(cost.cpuSeconds, cost.cpuParts.nodes);
        cost.cpuSeconds.forEach((s, i) =>
          assert.ok(s > must(cost.cpuParts.pods?.[i]), 'pods are inside nodes'),
        );
      }
      // Each candidate's figures are what its dataplane answered (the fake gives Cilium 10% more
      // throughput and 10% lower round-trip times).
      const median = (cand: string, id: string) =>
        must(
          must(
            results.candidates.find((c) => c.name === cand),
            cand,
          ).measurements.find((m) => m.id === id),
          `${cand} ${id}`,
        ).summary.median;
      const tput =
        median('cilium', 'throughput/tcp/streams=4/same-node') /
        median('calico', 'throughput/tcp/streams=4/same-node');
      assert.ok(tput > 1.05 && tput < 1.15, `throughput ratio ${tput}`);
      const rtt =
        median('cilium', 'latency/rr/payload=1/cross-node') /
        median('calico', 'latency/rr/payload=1/cross-node');
      assert.ok(rtt > 0.85 && rtt < 0.95, `rtt ratio ${rtt}`);
      // The clients ran where each path says: same node, other node, host network.
      const clients = (kind: string) =>
        new Set(fk.dataplane.log.filter((e) => e.kind === kind).map((e) => e.pod.split('/')[1]));
      assert.deepEqual([...clients('iperf3-client')].sort(), [
        'host-client-b',
        'perf-client-a',
        'perf-client-b',
      ]);
      assert.deepEqual([...clients('agent-client')].sort(), [
        'host-client-b',
        'perf-client-a',
        'perf-client-b',
      ]);
      const createdPods = reqs
        .filter((r) => r.method === 'POST' && /\/pods$/.test(r.path))
        .map((r) => asModel('Pod', r.body));
      const nodeOf = (name: string) =>
        must(
          createdPods.find((p) => p.metadata?.name === name),
          `the pod ${name} created`,
        ).spec?.nodeName;
      assert.equal(nodeOf('perf-client-a'), nodeOf('perf-server-a'));
      assert.notEqual(nodeOf('perf-client-b'), nodeOf('perf-server-a'));
      assert.notEqual(
        nodeOf('perf-server-a'),
        'cnibench-control-plane',
        'the tainted control plane is not used',
      );
    });

    test('Calico is gone before helm installs Cilium, with the generated values and the context', () => {
      const calicoGone = index(
        reqs,
        'DELETE',
        /\/namespaces\/tigera-operator\/deployments\/tigera-operator$/,
      );
      const installationGone = index(reqs, 'DELETE', /\/installations\/default$/);
      const ciliumCreated = reqs.findIndex(
        (r) =>
          r.method === 'PATCH' &&
          /\/kube-system\/daemonsets\/cilium$/.test(r.path) &&
          r.query.fieldManager === 'helm',
      );
      assert.ok(
        installationGone > 0 && installationGone < calicoGone,
        'the Installation goes before its operator',
      );
      assert.ok(calicoGone < ciliumCreated, 'Calico is uninstalled before Cilium is installed');
      // Calico's conformance namespaces were deleted before its uninstall.
      const nsDeletes = reqs.filter(
        (r) => r.method === 'DELETE' && /^\/api\/v1\/namespaces\/cnb-/.test(r.path),
      );
      assert.ok(reqs.indexOf(must(nsDeletes[0], 'a namespace DELETE')) < installationGone);

      const calls = fk.helmCalls().filter((c) => c.argv[0] !== 'version');
      assert.deepEqual(
        calls.map((c) => c.argv.slice(0, 2).join(' ')),
        ['upgrade --install', 'uninstall cilium'],
      );
      const install = must(calls[0], 'the helm install');
      const uninstall = must(calls[1], 'the helm uninstall');
      const valuesFile = install.argv[install.argv.indexOf('--values') + 1];
      assert.deepEqual(install.argv, [
        'upgrade',
        '--install',
        'cilium',
        'cilium',
        '--repo',
        'https://helm.cilium.io/',
        '--version',
        '1.20.0',
        '--namespace',
        'kube-system',
        '--values',
        valuesFile,
        '--kubeconfig',
        fk.kubeconfig,
        '--kube-context',
        CONTEXT,
      ]);
      const values: unknown = parse(must(install.values, 'the values helm was given'));
      assert.equal(at(values, 'routingMode'), 'tunnel');
      assert.equal(at(values, 'tunnelProtocol'), 'vxlan');
      assert.equal(at(values, 'kubeProxyReplacement'), false);
      assert.equal(at(values, 'ipam', 'mode'), 'kubernetes');
      assert.equal(at(values, 'hubble', 'enabled'), false);
      assert.equal(at(values, 'image', 'repository'), `${MIRROR}/cilium/cilium`);
      assert.ok(uninstall.argv.includes('--kube-context') && uninstall.argv.includes(CONTEXT));
    });

    test('nothing of the run or of either CNI is left on the cluster', () => {
      const left = fk.api.store.all();
      const managed = left.filter((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'cnibench');
      assert.deepEqual(managed, []);
      assert.deepEqual(
        left
          .filter((o) => o.metadata.namespace?.startsWith('cnb-'))
          .map((o) => `${o.kind} ${o.metadata.name}`),
        [],
      );
      const namespaces = fk.api.store.list('v1', 'Namespace').map((n) => n.metadata.name);
      assert.deepEqual(namespaces.sort(), ['default', 'kube-public', 'kube-system']);
      const kinds = new Set(left.map((o) => o.kind));
      for (const k of [
        'Installation',
        'APIServer',
        'DaemonSet',
        'Deployment',
        'CustomResourceDefinition',
        'ClusterRole',
      ])
        assert.ok(!kinds.has(k), `a ${k} is left`);
      // The namespaces were deleted by the run, each once per candidate.
      const deleted = reqs.filter(
        (r) => r.method === 'DELETE' && /^\/api\/v1\/namespaces\/cnb-[^/]+$/.test(r.path),
      );
      assert.equal(deleted.length, 2 * 4, 'x, y, z and perf, for each candidate');
    });

    test('reports are written next to results.json', () => {
      for (const f of ['report.md', 'report.html', 'junit.xml', 'report.json', 'measurements.csv'])
        assert.ok(existsSync(path.join(runDir, f)), `${f} missing`);
      const md = readFileSync(path.join(runDir, 'report.md'), 'utf8');
      assert.match(md, /Calico v3\.32\.1/);
      assert.match(md, /Cilium 1\.20\.0/);
      const junit = readFileSync(path.join(runDir, 'junit.xml'), 'utf8');
      assert.match(junit, new RegExp(`<testsuites [^>]*tests="${2 * MAX_CASES}" failures="0"`));
      for (const name of expectedCases) assert.ok(junit.includes(`name="${name}"`), name);
      assert.match(readFileSync(path.join(runDir, 'report.html'), 'utf8'), /<html/i);
    });
  });

type ReportFormats = NonNullable<NonNullable<ScenarioInput['report']>['formats']>;

/**
 * `cnibench run` of the shipped scenario cut down to Calico and a few conformance cases; results in
 * `<fk.dir>/results`.
 */
function runCalicoOnly(
  fk: FakeKind,
  name: string,
  conformance: Record<string, unknown> = { maxCases: 1 },
  formats: ReportFormats = ['json'],
) {
  const scenario = writeScenario(fk, name, (doc) => {
    doc.candidates = doc.candidates.filter((c) => c.name === 'calico');
    doc.workloads = [{ kind: 'conformance', tags: CASE_TAGS, ...conformance }];
    kubeClusterOf(doc).readyTimeout = 60;
    doc.report = { formats, charts: false };
  });
  return runScenario(fk, scenario, path.join(fk.dir, 'results'));
}

describe('a dataplane that drops traffic the policies allow', () => {
  test('the conformance failure is recorded, reported, and the run exits 1', async (t) => {
    // A broken CNI: TCP port 80 into namespace y never arrives.
    const fk = await startFakeKind({
      drop: (_src, dst, p) => /-y$/.test(dst.namespace) && p.protocol === 'TCP' && p.port === 80,
    });
    t.after(() => fk.close());
    const resultsDir = path.join(fk.dir, 'results');
    const r = await runCalicoOnly(fk, 'kind-broken', { maxCases: 2, convergenceTimeout: 1 }, ['md', 'junit']);
    assert.equal(r.exitCode, 1, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);

    const runDir = runDirOf(resultsDir);
    const res = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(res.status, 'complete');
    const conf = must(res.candidates[0]?.conformance, 'the conformance result');
    assert.equal(conf.cases, 2);
    assert.ok(conf.failed >= 1, JSON.stringify(conf));
    assert.equal(conf.failures.length, conf.failed);
    const mismatches = conf.failures.flatMap((f) => f.mismatches);
    assert.ok(mismatches.length > 0);
    for (const m of mismatches) {
      assert.deepEqual([m.expected, m.observed, m.protocol, m.port], [true, false, 'TCP', 80]);
      assert.match(m.to, /^y\//);
      assert.equal(m.detail, 'timeout');
    }
    const junit = readFileSync(path.join(runDir, 'junit.xml'), 'utf8');
    assert.match(junit, new RegExp(`<testsuites [^>]*failures="${conf.failed}"`));
    // A failed check still cleans up and uninstalls.
    assert.deepEqual(
      fk.api.store
        .list('v1', 'Namespace')
        .map((n) => n.metadata.name)
        .sort(),
      ['default', 'kube-public', 'kube-system'],
    );
  });
});

describe('a conformance workload with networkPolicyCanary: false', () => {
  test('probes its cases without trying the canary first, and records none', async (t) => {
    const fk = await startFakeKind();
    t.after(() => fk.close());
    const r = await runCalicoOnly(fk, 'kind-no-canary', { maxCases: 1, networkPolicyCanary: false });
    assert.equal(r.exitCode, 0, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    const res = JSON.parse(
      readFileSync(path.join(runDirOf(path.join(fk.dir, 'results')), 'results.json'), 'utf8'),
    ) as ResultsFile;
    const conf = must(res.candidates[0]?.conformance, 'the conformance result');
    assert.deepEqual([conf.cases, conf.passed], [1, 1]);
    assert.equal(conf.networkPolicyCanary, undefined);
    const probes = fk.dataplane.log
      .filter((e) => e.kind === 'probe' || e.kind === 'probe-batch')
      .reduce((n, e) => n + (e.probes ?? 0), 0);
    assert.equal(probes, 9 * 8 * 4, "the case's one round, no canary probe");
    assert.doesNotMatch(r.stderr + r.stdout, /NetworkPolicy canary/);
  });
});

describe('credentials that may measure but not install a CNI', () => {
  test('the run stops before applying anything, naming the missing permissions (exit 3)', async (t) => {
    const fk = await startFakeKind();
    t.after(() => fk.close());
    fk.api.deny.push(
      { verb: 'patch', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
      { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
    );
    const before = fk.api.store.all().length;
    const r = await runCalicoOnly(fk, 'kind-no-admin');
    assert.equal(r.exitCode, 3, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    assert.match(
      r.stderr,
      /lack 2 permission\(s\) installing a CNI needs: cannot patch customresourcedefinitions\.apiextensions\.k8s\.io \(cluster-wide\); cannot escalate clusterroles\.rbac\.authorization\.k8s\.io \(cluster-wide\)\. Run with cluster-admin credentials/,
    );
    // Nothing of Calico was applied, and the harness's own namespaces were removed again.
    assert.equal(fk.api.store.list('operator.tigera.io/v1', 'Installation').length, 0);
    assert.equal(fk.api.store.all().length, before);
  });
});

describe('credentials that may not read the kubelet summary', () => {
  test('the run stops at the preflight with exit 3, one line naming nodes/proxy', async (t) => {
    const fk = await startFakeKind();
    t.after(() => fk.close());
    fk.api.deny.push({ verb: 'get', resource: 'nodes', subresource: 'proxy' });
    const r = await runCalicoOnly(fk, 'kind-no-proxy');
    assert.equal(r.exitCode, 3, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => /error|cannot|lack/i.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      must(lines[0]),
      /lack 1 permission\(s\) the harness needs: cannot get nodes\/proxy \(cluster-wide\)/,
    );
  });
});

describe('an object the cluster refuses', () => {
  test('a 422 from the API server ends the run with exit 1 and one line naming the object and the message', async (t) => {
    const fk = await startFakeKind();
    t.after(() => fk.close());
    // A ValidatingAdmissionPolicy of the cluster refuses the Installation cnibench generates.
    fk.api.admission.push({
      group: 'operator.tigera.io',
      resource: 'installations',
      policy: 'no-vxlan',
      message: 'VXLAN pools are not allowed on this cluster',
    });
    const r = await runCalicoOnly(fk, 'kind-refused');
    assert.equal(r.exitCode, 1, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('cnibench: cannot'));
    assert.deepEqual(lines, [
      `cnibench: cannot apply Installation default: HTTP 422 Invalid: installations.operator.tigera.io "default" is forbidden: ValidatingAdmissionPolicy 'no-vxlan' with binding 'no-vxlan-binding' denied request: VXLAN pools are not allowed on this cluster`,
    ]);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
  });
});
