/**
 * `cnibench check scs-0219`: the cluster as it is, against the SCS KaaS networking standard. Another
 * orchestration of the same stages `cnibench run` uses, not a new stage: the kube driver (cluster/),
 * CNI detection (cni/detect.ts, instead of an install), the conformance workload (workloads/), the
 * results file (results/) and the report renderers (report/); only the order differs (no install,
 * no uninstall, no perf workloads, no scoring) and what it prints at the end: the SCS verdict lines.
 *
 * stdout carries only the verdict lines (`<testcase-id>: PASS|FAIL|ABORT`, what the SCS runner parses);
 * everything else goes to stderr. Results are saved case by case, so a crash keeps what was measured.
 */
import path from 'node:path';
import { KubeDriver, type KubeProgress } from '../cluster/kube/driver.js';
import { KubeAccessError, type KubeConnection } from '../cluster/kube/client.js';
import { detectCnis, detectedTitle, type DetectedCni } from '../cni/detect.js';
import { builtinSuite } from '../netpol/suite/index.js';
import { renderReports } from '../report/render.js';
import { adminTierApisRecord, describeAdminTierApis } from '../results/admin-tier-apis.js';
import type {
  AdminTierCanary,
  CaseResult,
  CheckOrigin,
  ComplianceCheck,
  NetworkPolicyCanary,
} from '../results/schema.js';
import { shortRunId } from '../results/store.js';
import { startRun, type RunContext } from '../context/run-context.js';
import type { Progress } from '../context/progress.js';
import type { InterruptGuard } from '../context/signals.js';
import { kubeClusterSchema, type KubeClusterConfig } from '../scenario/schema.js';
import { CnibenchError, EnvironmentError, InputError, messageOf } from '../util/errors.js';
import { runConformance, summarizeCases } from '../workloads/conformance/run.js';
import { conformanceOptions, selectCases } from '../workloads/conformance/select.js';
import { standingExceptions, type IpBlockMode } from './exceptions.js';
import { formatSummary, verdictLines } from './output.js';
import {
  AGGREGATE_ID,
  groupsFor,
  isTestcaseId,
  REQUIREMENT,
  STANDARD,
  TESTCASE_IDS,
  type SuiteNarrowing,
  type TestcaseId,
  type WorkloadTiming,
} from './scs-0219.js';
import { evaluateCheck, type Evaluation, type GroupOutcome } from './verdicts.js';

/**
 * The check's default conformance lanes. `cnibench run` keeps 1 (cases one at a time) because it
 * reports programming latency, which concurrent cases perturb; the check reports pass/fail only, so
 * it runs 4 cases at once (36 conformance pods; docs/probing.md).
 */
export const CHECK_LANES = 4;

export interface CheckOptions {
  /** Testcase ids given as arguments (as the SCS runner passes them); empty: all. */
  testcases: readonly string[];
  kubeconfig?: string;
  context?: string;
  imageRegistry?: string;
  probeMode?: 'agent' | 'agnhost';
  /** Conformance lanes (cases in flight at once); default CHECK_LANES. */
  lanes?: number;
  narrowing: SuiteNarrowing;
  timing: WorkloadTiming;
  /** Where results/<run-id>/ goes. */
  resultsRoot: string;
  /** Render report.md, report.html, report.json and junit.xml (default true). */
  report: boolean;
  /** How the standard's ipBlock exceptions apply (check/exceptions.ts); default `sonobuoy`. */
  ipBlockException?: IpBlockMode;
  /**
   * false: leave the optional ids (scs-0219-networkpolicy-sctp) out, neither run nor printed. The SCS
   * runner exits 1 on any FAIL line, even of an id listed under `preview` (docs/scs.md).
   */
  optional?: boolean;
  /**
   * The NetworkPolicy canary before the NetworkPolicy cases (default true): on a cluster that enforces
   * no NetworkPolicy, the cases expecting a denial fail with its evidence instead of being probed.
   * false (--no-canary): every case is probed anyway.
   */
  canary?: boolean;
}

export interface CheckIo {
  /** The verdict lines, and nothing else. */
  out: NodeJS.WritableStream;
  /** Summary, exceptions, mismatches, WARNING and CRITICAL lines. */
  err: NodeJS.WritableStream;
  progress: Progress;
  guard: InterruptGuard;
  /** Compiled agent entry point for the kube driver (tests); default: the driver's own. */
  agentEntry?: string;
}

export interface CheckOutcome {
  exitCode: number;
  /** The run directory (absent when even it could not be made). */
  dir?: string;
}

const CANDIDATE = 'cluster';
const REPORT_FORMATS = ['md', 'html', 'json', 'junit'] as const;

/** The testcase ids asked for, refusing unknown ones (a misconfigured scripts entry: exit 2). */
function parseTestcaseIds(ids: readonly string[]): TestcaseId[] {
  const bad = ids.filter((id) => !isTestcaseId(id));
  if (bad.length > 0)
    throw new InputError(
      `unknown testcase id${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ')}; this check answers ${TESTCASE_IDS.join(', ')}`,
    );
  return [...new Set(ids)].filter(isTestcaseId);
}

const isNarrowed = (n: SuiteNarrowing) => n.tags.length > 0 || n.excludeTags.length > 0 || n.maxCases > 0;

/** What results.json records as the check's origin: the command, the standard and every option. */
function checkOrigin(
  opts: CheckOptions,
  requested: TestcaseId[],
  cluster: KubeClusterConfig,
  choices: { ipBlock: IpBlockMode; optional: boolean },
  narrowed: SuiteNarrowing | undefined,
): CheckOrigin {
  return {
    kind: 'check',
    command: ['cnibench check scs-0219', ...requested].join(' '),
    standard: STANDARD,
    testcases: requested,
    ...(cluster.kubeconfig !== undefined ? { kubeconfig: cluster.kubeconfig } : {}),
    ...(cluster.context !== undefined ? { context: cluster.context } : {}),
    options: {
      lanes: cluster.conformanceLanes,
      probeMode: cluster.probeMode,
      ...(cluster.imageRegistry !== undefined ? { imageRegistry: cluster.imageRegistry } : {}),
      ...opts.timing,
      ipBlockException: choices.ipBlock,
      optional: choices.optional,
      canary: opts.canary ?? true,
      ...(narrowed ? { narrowed } : {}),
      reportFormats: [...REPORT_FORMATS],
      report: opts.report,
    },
  };
}

/** The check's results directory, opened through the run context `run` uses too. */
function startCheck(
  root: string,
  origin: CheckOrigin,
  cluster: KubeClusterConfig,
  progress: Progress,
  guard: InterruptGuard,
): RunContext {
  return startRun({
    resultsRoot: root,
    command: 'check',
    record: {
      origin,
      candidates: [
        {
          name: CANDIDATE,
          cni: 'unknown',
          label: 'the cluster as it is',
          settings: {},
          measurements: [],
          completedSteps: [],
          errors: [],
        },
      ],
    },
    cluster: { kind: 'kube', ...(cluster.context ? { context: cluster.context } : {}) },
    progress,
    guard,
  });
}

const cniTitle = (d: DetectedCni) => `${detectedTitle(d.cni)} ${d.version}`;

/** Names the CNI; a cluster that forbids listing DaemonSets still gets checked, with a warning. */
async function detect(conn: KubeConnection): Promise<{ found: DetectedCni[]; warning?: string }> {
  try {
    return { found: await detectCnis(conn) };
  } catch (err) {
    if (!(err instanceof KubeAccessError)) throw err;
    return {
      found: [],
      warning: `cannot name the CNI (the credentials may not list daemonsets.apps cluster-wide): ${err.message}`,
    };
  }
}

export async function runScs0219Check(opts: CheckOptions, io: CheckIo): Promise<CheckOutcome> {
  const requested = parseTestcaseIds(opts.testcases);
  const optional = opts.optional ?? true;
  const ipBlock = opts.ipBlockException ?? 'sonobuoy';
  const leftOut = requested.filter(
    (id) => !optional && id !== AGGREGATE_ID && REQUIREMENT[id] === 'optional',
  );
  if (leftOut.length > 0)
    throw new InputError(`--no-optional leaves out the optional ${leftOut.join(', ')}, which was asked for`);
  const groups = groupsFor(requested, opts.narrowing, opts.timing).filter(
    (g) => optional || g.requirement !== 'optional',
  );
  const choices = { ipBlock, optional };
  const suite = builtinSuite();
  const suiteByName = new Map(suite.map((c) => [c.name, c]));
  const selection = groups.map((g) => ({ group: g, cases: g.workloads.map((w) => selectCases(w, suite)) }));
  for (const s of selection) {
    if (s.group.requirement === 'MUST' && s.cases.every((c) => c.length === 0))
      throw new InputError(
        `no NetworkPolicy case left for ${s.group.id} after --tag/--exclude-tag (see cnibench netpol suite list)`,
      );
  }
  const narrowed = isNarrowed(opts.narrowing) ? opts.narrowing : undefined;
  const cluster = kubeClusterSchema.parse({
    kind: 'kube',
    ...(opts.kubeconfig !== undefined ? { kubeconfig: opts.kubeconfig } : {}),
    ...(opts.context !== undefined ? { context: opts.context } : {}),
    ...(opts.imageRegistry !== undefined ? { imageRegistry: opts.imageRegistry } : {}),
    ...(opts.probeMode !== undefined ? { probeMode: opts.probeMode } : {}),
    conformanceLanes: opts.lanes ?? CHECK_LANES,
  });
  const { progress, guard } = io;

  let ctx: RunContext;
  try {
    ctx = startCheck(
      path.resolve(opts.resultsRoot),
      checkOrigin(opts, requested, cluster, choices, narrowed),
      cluster,
      progress,
      guard,
    );
  } catch (err) {
    if (!(err instanceof EnvironmentError)) throw err;
    const ev = evaluateCheck({
      requested,
      groups: [],
      caseOf: () => undefined,
      abort: err.message,
      narrowed,
      ...choices,
    });
    io.err.write(`CRITICAL: ${err.message}\n`);
    io.out.write(verdictLines(ev.verdicts, requested));
    return { exitCode: ev.exitCode };
  }
  const { store } = ctx;

  // Ctrl-C: clean-ups run newest first, so this one, registered before the driver's, says ABORT
  // after the namespaces are gone (the context then marks the results interrupted).
  const removeAbortLines = guard.add('verdict lines', () => {
    const ev = evaluateCheck({
      requested,
      groups: [],
      caseOf: () => undefined,
      abort: 'interrupted',
      narrowed,
      ...choices,
    });
    io.err.write('CRITICAL: interrupted before the check finished\n');
    io.out.write(verdictLines(ev.verdicts, requested));
  });

  const driver = new KubeDriver(cluster, {
    runId: shortRunId(store.data.runId),
    ...(io.agentEntry ? { agentEntry: io.agentEntry } : {}),
    onProgress: (p: KubeProgress) => {
      if (p.phase === 'preflight' || p.phase === 'cleanup') progress.info(p.message);
    },
  });
  const removeCleanup = guard.add('the check’s namespaces', () => driver.cleanup());
  let abort: string | undefined;
  // Until preflight passes nothing is created, and a cluster that cannot be reached cannot be cleaned.
  let connected = false;
  let detectedCnis: DetectedCni[] = [];
  const warnings: string[] = [];
  const outcomes: GroupOutcome[] = [];
  const allCases: CaseResult[] = [];
  const started = performance.now();
  // The admin-tier canaries (whether the cluster enforces what it serves), kept with the cases.
  const canaries: AdminTierCanary[] = [];
  // The NetworkPolicy canary, run once (before the first NetworkPolicy case) and reused by every group.
  let npCanary: NetworkPolicyCanary | undefined;
  const save = () =>
    store.update((r) => {
      const c = r.candidates.find((x) => x.name === CANDIDATE);
      if (!c) return;
      const summary = summarizeCases(allCases, Math.round(performance.now() - started));
      c.conformance = {
        ...summary,
        ...(canaries.length > 0 ? { adminTierCanaries: [...canaries] } : {}),
        ...(npCanary ? { networkPolicyCanary: npCanary } : {}),
      };
    });
  const saveCase = (result: CaseResult) => {
    allCases.push(result);
    save();
  };

  try {
    progress.step('connecting to the cluster');
    try {
      await driver.preflight();
      connected = true;
      const conn = driver.connection();
      const found = await detect(conn);
      detectedCnis = found.found;
      if (found.warning) warnings.push(found.warning);
      // Which admin-tier API the cluster serves decides what the SHOULD can run (capabilities()).
      const admin = adminTierApisRecord(await driver.detectAdminTier());
      progress.info(describeAdminTierApis(admin));
      store.update((r) => {
        r.provenance.cluster = {
          kind: 'kube',
          context: conn.context,
          ...(driver.serverVersion ? { serverVersion: driver.serverVersion } : {}),
        };
        const c = r.candidates.find((x) => x.name === CANDIDATE);
        if (!c) return;
        const main = detectedCnis[0];
        c.cni = detectedCnis.length > 0 ? [...new Set(detectedCnis.map((d) => d.cni))].join('+') : 'unknown';
        c.label =
          detectedCnis.length > 0
            ? `${detectedCnis.map(cniTitle).join(' + ')} (detected on context ${conn.context})`
            : `unrecognised CNI (context ${conn.context})`;
        if (main) c.version = main.version;
        c.adminTierApis = admin;
        c.installedVersions = Object.fromEntries(
          detectedCnis.map((d) => [`${d.namespace}/${d.name}`, d.version]),
        );
      });
      progress.done(
        `${conn.server}, Kubernetes ${driver.serverVersion ?? '?'}; CNI ${detectedCnis.map((d) => `${d.cni} ${d.version}`).join(', ') || 'not recognised'}`,
      );
    } catch (err) {
      if (!(err instanceof CnibenchError) || guard.signal.aborted) throw err;
      abort = err.message;
    }

    let mustFailure: string | undefined;
    for (const { group, cases } of abort === undefined ? selection : []) {
      const outcome: GroupOutcome = { id: group.id, cases: [] };
      outcomes.push(outcome);
      if (mustFailure !== undefined) {
        outcome.error = `not run, as the MUST could not run (${mustFailure})`;
        continue;
      }
      const total = cases.reduce((n, c) => n + c.length, 0);
      progress.step(`${group.id} (${group.requirement}): ${total} case${total === 1 ? '' : 's'}`);
      try {
        let done = 0;
        for (const [i, w] of group.workloads.entries()) {
          const firstOfOutcome = outcome.cases.length;
          const firstOfAll = allCases.length;
          const res = await runConformance(driver, cases[i] ?? [], {
            ...conformanceOptions(w, cluster.probeConcurrency),
            signal: guard.signal,
            networkPolicyCanary: opts.canary ?? true,
            ...(npCanary ? { priorNetworkPolicyCanary: npCanary } : {}),
            onNetworkPolicyCanary: (k) => {
              npCanary = k;
              save();
              progress.info(
                `NetworkPolicy canary: ${k.outcome} after ${(k.durationMs / 1000).toFixed(1)} s (${k.detail})`,
              );
            },
            onProgress: (p) => {
              outcome.cases.push(p.result);
              saveCase(p.result);
              progress.update(++done, total, `${p.name}: ${p.result.status}`);
            },
          });
          // Lanes finish cases out of order; what is kept is in suite order.
          outcome.cases.splice(firstOfOutcome, Infinity, ...res.caseResults);
          allCases.splice(firstOfAll, Infinity, ...res.caseResults);
          if (res.adminTierCanaries?.length) canaries.push(...res.adminTierCanaries);
          save();
        }
        progress.done();
      } catch (err) {
        if (await guard.failedByInterrupt()) throw err;
        const message = messageOf(err);
        outcome.error = message;
        progress.warn(`${group.id} stopped: ${message}`);
        store.update((r) => {
          r.candidates.find((x) => x.name === CANDIDATE)?.errors.push({ step: `check/${group.id}`, message });
        });
        if (group.requirement === 'MUST') mustFailure = message;
      }
    }
  } finally {
    if (!guard.signal.aborted && connected) {
      progress.step('removing the check’s namespaces');
      try {
        await driver.cleanup();
        progress.done();
      } catch (err) {
        progress.warn(`clean-up failed: ${messageOf(err)} (run 'cnibench cleanup --context …')`);
      }
    }
    if (!guard.signal.aborted) removeCleanup();
  }

  const ev: Evaluation = evaluateCheck({
    requested,
    groups: outcomes,
    caseOf: (name) => suiteByName.get(name),
    ...(abort !== undefined ? { abort } : {}),
    ...(narrowed ? { narrowed } : {}),
    ...choices,
  });
  ev.warnings.push(...warnings);
  const check: ComplianceCheck = {
    standard: STANDARD,
    requested,
    verdicts: ev.verdicts,
    exceptions: standingExceptions(ipBlock),
    excepted: ev.excepted,
    warnings: ev.warnings,
    ...(abort !== undefined ? { abort } : {}),
    detected: detectedCnis.map(({ cni, namespace, name, image, version }) => ({
      cni,
      namespace,
      name,
      image,
      version,
    })),
    ...(narrowed ? { narrowed } : {}),
    exitCode: ev.exitCode,
  };
  store.update((r) => {
    r.check = check;
  });
  ctx.end(abort !== undefined ? 'failed' : 'complete');
  removeAbortLines();

  const written: string[] = [];
  if (opts.report) {
    try {
      written.push(
        ...(await renderReports([store.data], {
          outDir: store.dir,
          formats: REPORT_FORMATS,
          charts: false,
          facts: null,
        })),
      );
    } catch (err) {
      progress.warn(`the reports could not be rendered: ${messageOf(err)} (results.json is complete)`);
    }
  }

  if (abort !== undefined) io.err.write(`CRITICAL: ${abort}\n`);
  else io.err.write(formatSummary(store.data, ev, store.dir, written));
  // A group that stopped is an ABORT verdict; its cause is a problem line the runner counts.
  for (const o of outcomes)
    if (o.error !== undefined && !o.error.startsWith('not run'))
      io.err.write(`${REQUIREMENT[o.id] === 'MUST' ? 'CRITICAL' : 'ERROR'}: ${o.id} stopped: ${o.error}\n`);
  for (const w of ev.warnings) io.err.write(`WARNING: ${w}\n`);
  io.out.write(verdictLines(ev.verdicts, requested));
  return { exitCode: ev.exitCode, dir: store.dir };
}
