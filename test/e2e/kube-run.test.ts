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
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { HARNESS_PERMISSIONS } from '../../src/cluster/kube/permissions.js';
import { builtinSuite, filterByTags } from '../../src/netpol/suite/index.js';
import type { ResultsFile } from '../../src/results/schema.js';
import type { RecordedRequest } from '../kube/fake-apiserver.js';
import { CONTEXT, runCnibench, startFakeKind, writeScenario, type FakeKind } from './fake-kind.js';
import { installerPermissions } from '../../src/cni/permissions.js';

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
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function quick(doc: any): void {
  const [conformance, throughput, latency] = doc.workloads;
  Object.assign(conformance, { tags: CASE_TAGS, maxCases: MAX_CASES, convergenceTimeout: 5 });
  throughput.duration = 1;
  latency.duration = 1;
  doc.repetitions = { count: 2, warmup: 1, adaptive: false };
  doc.cluster.readyTimeout = 60;
}

const runDirOf = (resultsDir: string) => path.join(resultsDir, readdirSync(resultsDir)[0]);
const index = (reqs: RecordedRequest[], method: string, re: RegExp) =>
  reqs.findIndex((r) => r.method === method && re.test(r.path));

describe('cnibench run --context kind-cnibench: Calico, then Cilium, on the fake API server', () => {
  let fk: FakeKind;
  let run: Awaited<ReturnType<typeof runCnibench>>;
  let results: ResultsFile;
  let runDir: string;
  let reqs: RecordedRequest[];

  before(async () => {
    fk = await startFakeKind();
    const scenario = writeScenario(fk, 'kind-quick', quick);
    const resultsDir = path.join(fk.dir, 'results');
    run = await runCnibench(fk, [
      'run',
      scenario,
      '--context',
      CONTEXT,
      '--kubeconfig',
      fk.kubeconfig,
      '--image-registry',
      MIRROR,
      '--results-dir',
      resultsDir,
    ]);
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
    assert.equal(results.scenario.cluster.kind, 'kube');
    assert.equal(results.provenance.cluster.context, CONTEXT);
    assert.equal(results.provenance.cluster.serverVersion, 'v1.31.2');
    assert.deepEqual(
      results.scenario.cluster.kind === 'kube' && [
        results.scenario.cluster.context,
        results.scenario.cluster.imageRegistry,
      ],
      [CONTEXT, MIRROR],
    );
  });

  test('preflight checks every permission before each candidate touches the cluster', () => {
    const ssar = reqs.filter((r) => r.method === 'POST' && /selfsubjectaccessreviews$/.test(r.path));
    // Per candidate: the harness's own permissions, then what installing that CNI needs.
    const installChecks = (cni: 'calico' | 'cilium') =>
      installerPermissions(cni).permissions.reduce((n, p) => n + p.verbs.length, 0);
    const calicoChecks = PERMISSIONS_CHECKED + installChecks('calico');
    assert.equal(ssar.length, calicoChecks + PERMISSIONS_CHECKED + installChecks('cilium'));
    const firstSsar = reqs.indexOf(ssar[0]);
    const lastCalicoSsar = reqs.indexOf(ssar[calicoChecks - 1]);
    const firstWrite = reqs.findIndex((r) => r.method !== 'GET' && !/selfsubjectaccessreviews$/.test(r.path));
    assert.ok(firstSsar < firstWrite, 'permissions are checked before the first write');
    assert.ok(
      lastCalicoSsar < index(reqs, 'PATCH', /\/customresourcedefinitions\//),
      'installer permissions are checked before anything of Calico is applied',
    );
    // The second preflight (Cilium's) follows Calico's uninstall.
    const secondSsar = reqs.indexOf(ssar[calicoChecks]);
    assert.ok(secondSsar > index(reqs, 'DELETE', /\/installations\/default$/));
  });

  test('Calico: operator manifest from the cache with images on the mirror, then Installation and APIServer', () => {
    const applied = (re: RegExp) => {
      const r = reqs.find(
        (x) => x.method === 'PATCH' && re.test(x.path) && x.query.fieldManager === 'cnibench',
      );
      assert.ok(r, `no server-side apply to ${re}`);
      assert.equal(r.contentType, 'application/apply-patch+yaml');
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return r.body as any;
    };
    applied(/\/customresourcedefinitions\/installations\.operator\.tigera\.io$/);
    assert.equal(applied(/^\/api\/v1\/namespaces\/tigera-operator$/).kind, 'Namespace');
    const operator = applied(/\/namespaces\/tigera-operator\/deployments\/tigera-operator$/);
    assert.equal(operator.spec.template.spec.containers[0].image, `${MIRROR}/tigera/operator:v1.36.2`);
    const installation = applied(/\/operator\.tigera\.io\/v1\/installations\/default$/);
    assert.equal(installation.spec.registry, `${MIRROR}/`);
    assert.deepEqual(
      installation.spec.calicoNetwork.ipPools.map((p: { cidr: string; encapsulation: string }) => [
        p.cidr,
        p.encapsulation,
      ]),
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
    assert.deepEqual(calico.installedVersions, {
      'calico-node': 'v3.29.1',
      'tigera-operator': 'v1.36.2',
      'calico-kube-controllers': 'v3.29.1',
      'calico-typha': 'v3.29.1',
    });
    assert.deepEqual(cilium.installedVersions, {
      cilium: 'v1.16.5',
      'cilium-envoy': 'v1.30.8',
      'cilium-operator': 'v1.16.5',
    });
  });

  test('conformance passes on both, with every case probed on the candidate it belongs to', () => {
    assert.equal(expectedCases.length, MAX_CASES);
    for (const c of results.candidates) {
      const conf = c.conformance!;
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
      const probes = fk.dataplane.log.filter((e) => e.kind === 'probe' && e.cni === c.name);
      assert.equal(probes.length, MAX_CASES * 9 * 8 * 4, `${c.name}: one round per case`);
    }
    assert.ok(
      fk.dataplane.log.every((e) => e.cni !== undefined),
      'no exec ran without a CNI',
    );
    // Both protocols were probed, as agnhost is told to.
    const protocols = new Set(
      fk.dataplane.log
        .filter((e) => e.kind === 'probe')
        .map((e) => e.command.find((a) => a.startsWith('--protocol='))),
    );
    assert.deepEqual([...protocols].sort(), ['--protocol=tcp', '--protocol=udp']);
  });

  test('throughput and latency: every id and path, 2 samples after 1 warm-up, figures from the tools', () => {
    const ids = [
      ...[1, 4].flatMap((n) => PATHS.map((p) => `throughput/tcp/streams=${n}/${p}`)),
      ...PATHS.flatMap((p) => [`latency/rr/payload=1/${p}`, `latency/rr-p99/payload=1/${p}`]),
    ].sort();
    for (const c of results.candidates) {
      assert.deepEqual(c.measurements.map((m) => m.id).sort(), ids, c.name);
      for (const m of c.measurements) {
        assert.equal(m.samples.length, 2, m.id);
        assert.equal(m.warmup?.length, 1, m.id);
        assert.equal(m.path, m.id.split('/').at(-1));
        assert.equal(m.tool?.name, m.workload === 'throughput' ? 'iperf3' : 'cnibench-agent');
      }
      const tcp = c.measurements.find((m) => m.id === 'throughput/tcp/streams=1/cross-node')!;
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
    }
    // Each candidate's figures are what its dataplane answered (the fake gives Cilium 10% more
    // throughput and 10% lower round-trip times).
    const median = (cand: string, id: string) =>
      results.candidates.find((c) => c.name === cand)!.measurements.find((m) => m.id === id)!.summary.median;
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
    const nodeOf = (name: string) =>
      (
        reqs.find(
          (r) =>
            r.method === 'POST' &&
            /\/pods$/.test(r.path) &&
            (r.body as { metadata: { name: string } }).metadata.name === name,
        )!.body as { spec: { nodeName: string } }
      ).spec.nodeName;
    assert.equal(nodeOf('perf-client-a'), nodeOf('perf-server-a'));
    assert.notEqual(nodeOf('perf-client-b'), nodeOf('perf-server-a'));
    assert.notEqual(
      nodeOf('perf-server-a'),
      'cnibench-control-plane',
      'the tainted control plane is not used',
    );
  });

  test('Calico is gone before helm installs Cilium, with the generated values and the context', () => {
    const calicoGone = index(reqs, 'DELETE', /\/namespaces\/tigera-operator\/deployments\/tigera-operator$/);
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
    assert.ok(reqs.indexOf(nsDeletes[0]) < installationGone);

    const calls = fk.helmCalls().filter((c) => c.argv[0] !== 'version');
    assert.deepEqual(
      calls.map((c) => c.argv.slice(0, 2).join(' ')),
      ['upgrade --install', 'uninstall cilium'],
    );
    const [install, uninstall] = calls;
    const valuesFile = install.argv[install.argv.indexOf('--values') + 1];
    assert.deepEqual(install.argv, [
      'upgrade',
      '--install',
      'cilium',
      'cilium',
      '--repo',
      'https://helm.cilium.io/',
      '--version',
      '1.16.5',
      '--namespace',
      'kube-system',
      '--values',
      valuesFile,
      '--kubeconfig',
      fk.kubeconfig,
      '--kube-context',
      CONTEXT,
    ]);
    const values = parse(install.values!);
    assert.equal(values.routingMode, 'tunnel');
    assert.equal(values.tunnelProtocol, 'vxlan');
    assert.equal(values.kubeProxyReplacement, false);
    assert.equal(values.ipam.mode, 'kubernetes');
    assert.equal(values.hubble.enabled, false);
    assert.equal(values.image.repository, `${MIRROR}/cilium/cilium`);
    assert.ok(uninstall.argv.includes('--kube-context') && uninstall.argv.includes(CONTEXT));
  });

  test('nothing of the run or of either CNI is left on the cluster', () => {
    const left = fk.api.store.all();
    const managed = left.filter((o) => o.metadata.labels?.['app.kubernetes.io/managed-by'] === 'cnibench');
    assert.deepEqual(managed, []);
    assert.deepEqual(
      left.filter((o) => o.metadata.namespace?.startsWith('cnb-')).map((o) => `${o.kind} ${o.metadata.name}`),
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
    assert.match(md, /Calico v3\.29\.1/);
    assert.match(md, /Cilium 1\.16\.5/);
    const junit = readFileSync(path.join(runDir, 'junit.xml'), 'utf8');
    assert.match(junit, new RegExp(`<testsuites [^>]*tests="${2 * MAX_CASES}" failures="0"`));
    for (const name of expectedCases) assert.ok(junit.includes(`name="${name}"`), name);
    assert.match(readFileSync(path.join(runDir, 'report.html'), 'utf8'), /<html/i);
  });
});

describe('a dataplane that drops traffic the policies allow', () => {
  test('the conformance failure is recorded, reported, and the run exits 1', async (t) => {
    // A broken CNI: TCP port 80 into namespace y never arrives.
    const fk = await startFakeKind({
      drop: (_src, dst, p) => /-y$/.test(dst.namespace) && p.protocol === 'TCP' && p.port === 80,
    });
    t.after(() => fk.close());
    const scenario = writeScenario(fk, 'kind-broken', (doc) => {
      doc.candidates = doc.candidates.filter((c: { name: string }) => c.name === 'calico');
      doc.workloads = [{ kind: 'conformance', tags: CASE_TAGS, maxCases: 2, convergenceTimeout: 1 }];
      doc.cluster.readyTimeout = 60;
      doc.report = { formats: ['md', 'junit'], charts: false };
    });
    const resultsDir = path.join(fk.dir, 'results');
    const r = await runCnibench(fk, [
      'run',
      scenario,
      '--context',
      CONTEXT,
      '--kubeconfig',
      fk.kubeconfig,
      '--results-dir',
      resultsDir,
    ]);
    assert.equal(r.exitCode, 1, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);

    const runDir = runDirOf(resultsDir);
    const res = JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsFile;
    assert.equal(res.status, 'complete');
    const conf = res.candidates[0].conformance!;
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

describe('credentials that may measure but not install a CNI', () => {
  test('the run stops before applying anything, naming the missing permissions (exit 3)', async (t) => {
    const fk = await startFakeKind();
    t.after(() => fk.close());
    fk.api.deny.push(
      { verb: 'create', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
      { verb: 'escalate', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
    );
    const scenario = writeScenario(fk, 'kind-no-admin', (doc) => {
      doc.candidates = doc.candidates.filter((c: { name: string }) => c.name === 'calico');
      doc.workloads = [{ kind: 'conformance', tags: CASE_TAGS, maxCases: 1 }];
      doc.report = { formats: ['json'], charts: false };
    });
    const before = fk.api.store.all().length;
    const r = await runCnibench(fk, [
      'run',
      scenario,
      '--context',
      CONTEXT,
      '--kubeconfig',
      fk.kubeconfig,
      '--results-dir',
      path.join(fk.dir, 'results'),
    ]);
    assert.equal(r.exitCode, 3, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    assert.match(
      r.stderr,
      /lack 2 permission\(s\) installing a CNI needs: cannot create customresourcedefinitions\.apiextensions\.k8s\.io \(cluster-wide\); cannot escalate clusterroles\.rbac\.authorization\.k8s\.io \(cluster-wide\)\. Run with cluster-admin credentials/,
    );
    // Nothing of Calico was applied, and the harness's own namespaces were removed again.
    assert.equal(fk.api.store.list('operator.tigera.io/v1', 'Installation').length, 0);
    assert.equal(fk.api.store.all().length, before);
  });
});
