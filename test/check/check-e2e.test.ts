/**
 * `cnibench check scs-0219` end to end, through the built executable, against the fake API server
 * standing in for a provider's cluster that already runs Calico (fake-kind.ts, preinstallCalico), its
 * probes answered by the NetworkPolicy model (fake-dataplane.ts). One cluster, four checks in turn:
 * - the CNI enforces NetworkPolicy: PASS, exit 0, the admin tier (its CRDs not installed) only
 *   a WARNING;
 * - the ClusterNetworkPolicy CRD installed (network-policy-api v0.2.0, from ../shared/upstream) and
 *   enforced: the SHOULD passes;
 * - the same CNI made to ignore every policy, asked for the one id the SCS runner passes: FAIL, exit
 *   1, the first mismatching pairs on stderr and in the report, `netpol explain --run` on the case;
 * - the credentials lose a permission: ABORT, exit 3, one CRITICAL line naming it;
 * - a kubeconfig whose server is gone (connection refused): ABORT, exit 3.
 * Every output is read with the SCS runner's own rule (scs-runner-parse.ts). Each check runs one case
 * per group (--max-cases 1) to keep the file at a few seconds.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import yargs from 'yargs';
import { CHECK_LANES } from '../../src/check/run-check.js';
import { checkCommand } from '../../src/cli/commands/check.js';
import { connect } from '../../src/cluster/kube/client.js';
import { toClientModel, waitCrdsEstablished } from '../../src/cni/apply.js';
import { netpolCommands } from '../../src/cli/commands/netpol.js';
import type { ResultsFile } from '../../src/results/schema.js';
import type { DataplaneOptions } from '../e2e/fake-dataplane.js';
import { CONTEXT, preinstallCalico, runCnibench, startFakeKind, type FakeKind } from '../e2e/fake-kind.js';
import { crdSkipReason, UPSTREAM_DIR } from '../netpol/crd-check.js';
import { parseScsOutput } from './scs-runner-parse.js';

const ALL_IDS = [
  'kaas-networking-check',
  'scs-0219-admin-policy',
  'scs-0219-networkpolicy',
  'scs-0219-networkpolicy-sctp',
];

interface Check {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  runDir?: string;
  results?: ResultsFile;
}

/** A stream that hands what is written to `onText`. */
const sink = (onText: (t: string) => void) =>
  new Writable({
    write(chunk: Buffer | string, _enc, done) {
      onText(String(chunk));
      done();
    },
  });

/**
 * One check. The first runs the built executable (so stdout is shown to carry nothing but verdict
 * lines, whatever the libraries print); the others run the same command in this process, which saves
 * a Node start each.
 */
async function check(
  fk: FakeKind,
  name: string,
  opts: {
    context?: string;
    kubeconfig?: string;
    ids?: string[];
    inProcess?: boolean;
    extra?: string[];
    maxCases?: number;
  } = {},
): Promise<Check> {
  const resultsDir = path.join(fk.dir, `results-${name}`);
  const args = [
    'check',
    'scs-0219',
    '-k',
    opts.kubeconfig ?? fk.kubeconfig,
    '--context',
    opts.context ?? CONTEXT,
    '--results-dir',
    resultsDir,
    '--quiet',
    '--max-cases',
    String(opts.maxCases ?? 1),
    '--convergence-timeout',
    '1',
    ...(opts.extra ?? []),
    ...(opts.ids ?? []),
  ];
  let out: Check;
  if (opts.inProcess) {
    out = { exitCode: undefined, stdout: '', stderr: '' };
    const io = {
      out: sink((t) => (out.stdout += t)),
      err: sink((t) => (out.stderr += t)),
      setExitCode: (code: number) => {
        out.exitCode = code;
      },
    };
    await yargs(args).strict().exitProcess(false).command(checkCommand(io)).parseAsync();
  } else {
    const run = await runCnibench(fk, args);
    out = { exitCode: run.exitCode, stdout: String(run.stdout), stderr: String(run.stderr) };
  }
  const first = existsSync(resultsDir) ? readdirSync(resultsDir)[0] : undefined;
  if (first === undefined) return out;
  const runDir = path.join(resultsDir, first);
  return {
    ...out,
    runDir,
    results: JSON.parse(readFileSync(path.join(runDir, 'results.json'), 'utf8')) as ResultsFile,
  };
}

/** A kubeconfig whose server was there a moment ago: a port just closed, so connections are refused. */
async function goneKubeconfig(fk: FakeKind): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  const file = path.join(fk.dir, 'gone-kubeconfig');
  writeFileSync(
    file,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'gone', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } },
      ],
      users: [{ name: 'gone', user: { token: 't' } }],
      contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'gone' } }],
      'current-context': 'gone',
    }),
  );
  return file;
}

/** `cnibench netpol ...` in this process (the explain command only reads files). */
async function netpol(...args: string[]): Promise<string> {
  let stdout = '';
  await yargs(args)
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .command(netpolCommands({ write: (t: string) => (stdout += t) }, { write: () => true }))
    .parseAsync();
  return stdout;
}

describe('cnibench check scs-0219 against the fake API server with a fake dataplane', () => {
  const dataplane: DataplaneOptions = {};
  let fk: FakeKind;
  let enforcing: Check;
  let ignoring: Check;
  let ignoringCanary: Check;
  let ignoringCanarySeconds = 0;
  let noRbac: Check;
  let unreachable: Check;
  let adminTier: Check | undefined;

  before(async () => {
    fk = await startFakeKind(dataplane);
    preinstallCalico(fk);
    enforcing = await check(fk, 'enforcing');
    dataplane.ignorePolicies = true;
    // As the SCS runner calls it: `{testcases}` expands to the ids of the standard's targets.
    // --no-canary: every case probed, so the mismatching pairs are there to show.
    ignoring = await check(fk, 'ignoring', {
      ids: ['kaas-networking-check'],
      inProcess: true,
      extra: ['--no-canary'],
    });
    // The default: the NetworkPolicy canary decides, the NetworkPolicy cases are not probed.
    const t0 = performance.now();
    ignoringCanary = await check(fk, 'ignoring-canary', {
      ids: ['kaas-networking-check'],
      inProcess: true,
      maxCases: 5,
    });
    ignoringCanarySeconds = (performance.now() - t0) / 1000;
    dataplane.ignorePolicies = false;
    fk.api.deny = [{ verb: 'create', resource: 'networkpolicies' }];
    noRbac = await check(fk, 'no-rbac', { inProcess: true });
    fk.api.deny = [];
    unreachable = await check(fk, 'unreachable', {
      kubeconfig: await goneKubeconfig(fk),
      context: 'gone',
      inProcess: true,
    });
    if (crdSkipReason() === undefined) {
      // The CRD as `kubectl apply` would send it; the fake API server establishes it.
      const crd = parse(
        readFileSync(
          path.join(UPSTREAM_DIR, 'v0.2.0/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml'),
          'utf8',
        ),
      ) as KubernetesObject;
      const conn = connect({ kubeconfig: fk.kubeconfig, context: CONTEXT });
      await conn.objects.create(toClientModel(crd));
      await waitCrdsEstablished([crd], conn, 10_000, 10);
      dataplane.adminTier = { calico: ['v1alpha2'] };
      adminTier = await check(fk, 'admin-tier', { ids: ['scs-0219-admin-policy'], inProcess: true });
    }
  });
  after(async () => {
    await fk?.close();
  });

  test('an enforcing CNI: kaas-networking-check PASS, exit 0, the unsupported SHOULD only a WARNING', () => {
    assert.equal(enforcing.exitCode, 0, enforcing.stderr);
    assert.equal(
      enforcing.stdout,
      // (execa strips the final newline)
      'scs-0219-networkpolicy: PASS\nscs-0219-networkpolicy-sctp: PASS\nkaas-networking-check: PASS',
    );
    const scs = parseScsOutput(enforcing.stdout, enforcing.stderr, ALL_IDS);
    assert.deepEqual(
      [...scs.results],
      [
        ['scs-0219-networkpolicy', 1],
        ['scs-0219-networkpolicy-sctp', 1],
        ['kaas-networking-check', 1],
      ],
    );
    assert.deepEqual(scs.ignored, []);
    // The runner's exit status adds error and critical lines: none. The admin tier is a warning.
    assert.equal(scs.counts.error + scs.counts.critical, 0, enforcing.stderr);
    assert.match(
      enforcing.stderr,
      /^WARNING: scs-0219-admin-policy \(SHOULD\): the cluster does not enforce it .*CRD clusternetworkpolicies\.policy\.networking\.k8s\.io is not installed/m,
    );
    assert.match(enforcing.stderr, /^CNI: Calico v3\.32\.1 \(detected on context kind-cnibench\)$/m);
    assert.match(enforcing.stderr, /SCTP is optional/);
  });

  test('an enforcing CNI: the detected CNI and the verdicts are recorded with the reports', () => {
    const r = enforcing.results;
    assert.ok(r && enforcing.runDir);
    assert.equal(r.status, 'complete');
    assert.deepEqual(
      r.check?.detected.map((d) => [d.cni, d.version, `${d.namespace}/${d.name}`]),
      [['calico', 'v3.32.1', 'calico-system/calico-node']],
    );
    assert.equal(r.candidates[0]?.cni, 'calico');
    // What the cluster served of the admin tier is evidence too: here, no CRD at all.
    assert.deepEqual(r.candidates[0]?.adminTierApis?.served, []);
    assert.match(
      r.candidates[0]?.adminTierApis?.missing.v1alpha2 ?? '',
      /clusternetworkpolicies.* not installed/,
    );
    assert.ok(r.candidates[0]?.adminTierApis?.crds.every((c) => !c.installed));
    assert.match(
      readFileSync(path.join(enforcing.runDir, 'report.md'), 'utf8'),
      /\| Calico v3\.32\.1 \(detected on context kind-cnibench\) \| admin tier: not served; .* \| none installed \|/,
    );
    // The check runs its cases in conformance lanes (docs/probing.md), recorded with the run.
    // What produced the file is the check itself, with its options: no scenario stands in for it.
    assert.equal(r.origin.kind, 'check');
    assert.equal(r.origin.kind === 'check' && r.origin.options.lanes, CHECK_LANES);
    assert.equal(r.origin.kind === 'check' && r.origin.standard, 'scs-0219-v1');
    assert.equal(r.origin.kind === 'check' && r.origin.context, CONTEXT);
    assert.equal('scenario' in r, false);
    assert.deepEqual(
      r.check?.verdicts.map((v) => [v.id, v.requirement, v.verdict]),
      [
        ['scs-0219-networkpolicy', 'MUST', 'PASS'],
        ['scs-0219-admin-policy', 'SHOULD', 'none'],
        ['scs-0219-networkpolicy-sctp', 'optional', 'PASS'],
        ['kaas-networking-check', 'aggregate', 'PASS'],
      ],
    );
    // No CNI was installed or removed: the DaemonSet is still there, nothing was applied to kube-system.
    assert.ok(fk.api.store.get('apps/v1', 'DaemonSet', 'calico-node', 'calico-system'));
    for (const f of ['report.md', 'report.html', 'report.json', 'junit.xml'])
      assert.ok(existsSync(path.join(enforcing.runDir, f)), f);
    const junit = readFileSync(path.join(enforcing.runDir, 'junit.xml'), 'utf8');
    assert.match(
      junit,
      // A passed testcase has no children; the XML builder writes it self-closed.
      /<testcase classname="scs\.scs-0219-v1" name="kaas-networking-check" time="0"\/>/,
    );
    assert.match(
      readFileSync(path.join(enforcing.runDir, 'report.md'), 'utf8'),
      /Compliance check: SCS scs-0219-v1/,
    );
  });

  test('a CNI that enforces nothing: FAIL, exit 1, the first mismatching pairs shown', async () => {
    assert.equal(ignoring.exitCode, 1, ignoring.stderr);
    // Only the id asked for is printed, so the runner ignores nothing.
    assert.equal(ignoring.stdout, 'kaas-networking-check: FAIL\n');
    const scs = parseScsOutput(ignoring.stdout, ignoring.stderr, ['kaas-networking-check']);
    assert.deepEqual([...scs.results], [['kaas-networking-check', -1]]);
    // A FAIL is counted by the runner itself: no ERROR line repeats it.
    assert.equal(scs.counts.error + scs.counts.critical, 0, ignoring.stderr);
    const pair =
      /^ {2}scs-0219-networkpolicy (\S+): (\S+) -> (\S+) (\d+)\/(TCP|UDP): expected deny, observed allow/m.exec(
        ignoring.stderr,
      );
    assert.ok(pair, ignoring.stderr);
    const [, caseName, from, to, port] = pair;
    assert.ok(ignoring.results && ignoring.runDir);
    const failed = ignoring.results.candidates[0]?.conformance?.failures ?? [];
    assert.ok(failed.some((f) => f.name === caseName && f.mismatches.length > 0));
    const report = readFileSync(path.join(ignoring.runDir, 'report.md'), 'utf8');
    assert.match(report, /kaas-networking-check \| the standard’s testcase \| FAIL/);
    assert.ok(
      report.includes(`${from}`) && report.includes(`${to}`),
      'the report lists the mismatching pods',
    );
    assert.match(
      readFileSync(path.join(ignoring.runDir, 'junit.xml'), 'utf8'),
      /<failure message="1 of 1 NetworkPolicy case failed"/,
    );
    // The command printed to copy works on the run: the model's reasoning next to what the cluster did.
    assert.match(
      ignoring.stderr,
      new RegExp(`netpol explain --run \\S+ --case ${caseName} --from ${from} --to ${to} --port ${port}`),
    );
    const explained = await netpol('netpol', 'explain', '--run', ignoring.runDir, '--case', caseName ?? '');
    assert.match(explained, new RegExp(`^run \\S+, cluster, case ${caseName}: fail, \\d+ mismatch`));
    assert.match(explained, new RegExp(`${from} -> ${to} ${port}/\\w+: DENIED`));
    assert.match(explained, /on the cluster: ALLOWED .*a mismatch/);
  });

  test('an enforcing CNI: the NetworkPolicy canary is enforced and recorded, the cases ran', () => {
    const k = enforcing.results?.candidates[0]?.conformance?.networkPolicyCanary;
    assert.equal(k?.outcome, 'enforced', enforcing.stderr);
    assert.match(k?.policy ?? '', /NetworkPolicy "cnibench-np-canary" in namespace \S+/);
    const cases = enforcing.results?.candidates[0]?.conformance?.caseResults ?? [];
    assert.ok(cases.length > 0 && cases.every((c) => c.failReason === undefined && c.status !== 'fail'));
    assert.ok(cases.some((c) => c.probes > 0));
  });

  test('a CNI that enforces nothing, with the canary: FAIL quickly, every NetworkPolicy case failed with the canary reason', () => {
    const c = ignoringCanary;
    assert.equal(c.exitCode, 1, c.stderr);
    assert.equal(c.stdout, 'kaas-networking-check: FAIL\n');
    const scs = parseScsOutput(c.stdout, c.stderr, ['kaas-networking-check']);
    assert.deepEqual([...scs.results], [['kaas-networking-check', -1]]);
    assert.equal(scs.counts.error + scs.counts.critical, 0, c.stderr);
    // Max-cases 5 in three groups with a 1 s convergence timeout: one canary wait, no case probed.
    assert.ok(ignoringCanarySeconds < 30, `${ignoringCanarySeconds} s`);
    const conf = c.results?.candidates[0]?.conformance;
    assert.equal(conf?.networkPolicyCanary?.outcome, 'not-enforced');
    const reason =
      /^not run: the NetworkPolicy canary \(deny-all ingress to \S+\) was still allowed after \d+\.\d s \(.*\): this cluster enforces no NetworkPolicy$/;
    const failed = (conf?.caseResults ?? []).filter((r) => r.status === 'fail');
    assert.ok(failed.length >= 5, JSON.stringify(conf?.caseResults.map((r) => r.status)));
    for (const f of failed) {
      assert.match(f.failReason ?? '', reason, f.name);
      assert.equal(f.probes, 0);
    }
    // Every NetworkPolicy case that expects a denial failed; none was silently skipped.
    assert.equal((conf?.caseResults ?? []).filter((r) => r.status === 'skip').length, 0);
    assert.match(
      c.stderr,
      /^NetworkPolicy canary \(NetworkPolicy "cnibench-np-canary".*\): not-enforced after/m,
    );
    assert.match(
      c.stderr,
      /^\d+ failing cases? not probed \(--no-canary probes them\): not run: the NetworkPolicy canary/m,
    );
    assert.ok(c.runDir);
    const junit = readFileSync(path.join(c.runDir, 'junit.xml'), 'utf8');
    assert.match(
      junit,
      /<failure message="not run: the NetworkPolicy canary \(deny-all ingress to [^"]*this cluster enforces no NetworkPolicy" type="not-enforced"/,
    );
    const report = readFileSync(path.join(c.runDir, 'report.md'), 'utf8');
    assert.match(report, /\d+ cases? failed without being probed: not run: the NetworkPolicy canary/);
    assert.equal(c.results?.check?.verdicts.find((v) => v.id === 'kaas-networking-check')?.verdict, 'FAIL');
  });

  test('missing RBAC: ABORT, exit 3, one line naming the permission', () => {
    assert.equal(noRbac.exitCode, 3, noRbac.stderr);
    const scs = parseScsOutput(noRbac.stdout, noRbac.stderr, ALL_IDS);
    assert.deepEqual(
      [...scs.results],
      [
        ['scs-0219-networkpolicy', 0],
        ['scs-0219-admin-policy', 0],
        ['scs-0219-networkpolicy-sctp', 0],
        ['kaas-networking-check', 0],
      ],
    );
    const critical = noRbac.stderr.split('\n').filter((l) => l.startsWith('CRITICAL'));
    assert.equal(critical.length, 1, noRbac.stderr);
    assert.match(critical[0] ?? '', /networkpolicies/);
    assert.equal(noRbac.results?.status, 'failed');
  });

  test('an unreachable API server: ABORT, exit 3, one line naming it', () => {
    assert.equal(unreachable.exitCode, 3, unreachable.stderr);
    assert.match(unreachable.stdout, /^kaas-networking-check: ABORT$/m);
    const critical = unreachable.stderr.split('\n').filter((l) => l.startsWith('CRITICAL'));
    assert.equal(critical.length, 1, unreachable.stderr);
    assert.match(
      critical[0] ?? '',
      /^CRITICAL: cannot reach the Kubernetes API server at http:\/\/127\.0\.0\.1:\d+ \(context "gone"\).*ECONNREFUSED/,
    );
  });

  test(
    'the ClusterNetworkPolicy CRD served and enforced: scs-0219-admin-policy PASS, exit 0',
    {
      skip: crdSkipReason() ?? false,
    },
    () => {
      const c = adminTier;
      assert.ok(c, 'the admin-tier check ran');
      assert.equal(c.exitCode, 0, c.stderr);
      assert.equal(c.stdout, 'scs-0219-admin-policy: PASS\n');
      const scs = parseScsOutput(c.stdout, c.stderr, ['scs-0219-admin-policy']);
      assert.deepEqual([...scs.results], [['scs-0219-admin-policy', 1]]);
      assert.doesNotMatch(c.stderr, /^WARNING: scs-0219-admin-policy/m);
      const conf = c.results?.candidates[0]?.conformance;
      assert.equal(conf?.adminTierCanaries?.[0]?.outcome, 'enforced', c.stderr);
      const apis = c.results?.candidates[0]?.adminTierApis;
      assert.deepEqual(apis?.served, ['v1alpha2']);
      assert.deepEqual(
        apis?.crds.filter((x) => x.installed).map((x) => [x.crd, x.servedVersions, x.established]),
        [['clusternetworkpolicies.policy.networking.k8s.io', ['v1alpha2'], true]],
      );
    },
  );
});
