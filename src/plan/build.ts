/**
 * Turns a scenario into the ordered list of steps a run performs. `cnibench plan` prints it without
 * touching anything, and `cnibench run` executes the same steps, so what is printed is what happens.
 */
import { cniTitle } from '../cni/registry.js';
import {
  isKubeCandidate,
  isLocalCandidate,
  type Candidate,
  type Scenario,
  type Workload,
} from '../scenario/schema.js';
import { localPolicyEngine, localProfileName, localRoutingMode } from '../scenario/local-profile.js';
import { localPolicyEngineOf } from '../cluster/local/engines/registry.js';

/** What setting up a local profile does, and whether it needs BPF (`plan` and `validate` say so). */
function localSetupTitle(c: Candidate): string {
  if (!isLocalCandidate(c)) return '';
  const engine = localPolicyEngineOf(localPolicyEngine(c.cni, c.settings));
  const routing = c.cni === 'local-vxlan' ? 'VXLAN overlay between nodes' : 'plain routes between nodes';
  return `${routing}, ${engine.name} policy dataplane (${engine.capabilities.enforcement})${engine.capabilities.needsBpf ? '; needs BPF' : ''}`;
}

type StepKind = 'preflight' | 'cluster' | 'install' | 'workload' | 'uninstall' | 'report' | 'cleanup';

export interface PlanStep {
  /** Stable id; a run records finished workload steps under it so `--resume` can skip them. */
  id: string;
  kind: StepKind;
  candidate?: string;
  /** Index into scenario.workloads, for workload steps. */
  workloadIndex?: number;
  title: string;
  details: string[];
}

/** Extra lines a stage contributes to the plan (e.g. the CNI installer's manifests and Helm values). */
export interface PlanDetailSources {
  install?: (candidate: Candidate, scenario: Scenario) => string[];
  uninstall?: (candidate: Candidate, scenario: Scenario) => string[];
  cluster?: (scenario: Scenario) => string[];
}

function workloadStepId(candidate: string, index: number, w: Workload): string {
  return `${candidate}/${index}-${w.kind}`;
}

export function candidateLabel(c: Candidate): string {
  if (isKubeCandidate(c)) return `${cniTitle(c.cni)} ${c.version}`;
  return localProfileName(localRoutingMode(c.cni), localPolicyEngine(c.cni, c.settings));
}

/** Candidates whose local profile loads BPF programs (`validate` and `plan` name them). */
export function localProfilesNeedingBpf(s: Scenario): string[] {
  if (s.cluster.kind !== 'local') return [];
  return s.candidates.flatMap((c) =>
    isLocalCandidate(c) && localPolicyEngineOf(localPolicyEngine(c.cni, c.settings)).capabilities.needsBpf
      ? [`${c.name} (${candidateLabel(c)})`]
      : [],
  );
}

export function buildPlan(s: Scenario, sources: PlanDetailSources = {}): PlanStep[] {
  const steps: PlanStep[] = [];
  const cluster = s.cluster;
  steps.push({
    id: 'preflight',
    kind: 'preflight',
    title:
      cluster.kind === 'local'
        ? `check root, iproute2, nftables, iperf3${localProfilesNeedingBpf(s).length > 0 ? ', and that BPF programs load (eBPF policy engine)' : ''}`
        : 'check API reachability, server version and RBAC permissions',
    details: localProfilesNeedingBpf(s).map((c) => `needs BPF: ${c}`),
  });
  steps.push({
    id: 'cluster',
    kind: 'cluster',
    title:
      cluster.kind === 'local'
        ? `create the embedded local cluster: ${cluster.nodes} nodes (network namespaces), pod CIDR ${cluster.podCidr}`
        : `use cluster ${cluster.context ?? '(current context)'} from ${cluster.kubeconfig ?? 'KUBECONFIG or ~/.kube/config'}`,
    details: [...(sources.cluster?.(s) ?? []), ...comparisonDetails(s)],
  });
  for (const c of s.candidates) {
    steps.push({
      id: `${c.name}/install`,
      kind: 'install',
      candidate: c.name,
      title:
        cluster.kind === 'local'
          ? `set up ${candidateLabel(c)}: ${localSetupTitle(c)}`
          : `install ${candidateLabel(c)}${c.force ? ' (even over another CNI)' : ''}`,
      details: sources.install?.(c, s) ?? settingsLines(c),
    });
    s.workloads.forEach((w, i) => {
      steps.push({
        id: workloadStepId(c.name, i, w),
        kind: 'workload',
        candidate: c.name,
        workloadIndex: i,
        title: `${c.name}: ${describeWorkload(w)}`,
        details: workloadDetails(w, s),
      });
    });
    if (cluster.kind === 'kube' && c.uninstallAfter) {
      steps.push({
        id: `${c.name}/uninstall`,
        kind: 'uninstall',
        candidate: c.name,
        title: `uninstall ${candidateLabel(c)}`,
        details: sources.uninstall?.(c, s) ?? [],
      });
    }
  }
  steps.push({
    id: 'report',
    kind: 'report',
    title: `score (weights ${Object.entries(s.scoring.weights)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}) and render ${s.report.formats.join(', ')}${s.report.charts ? ' with charts' : ''}`,
    details: [`facts: ${s.scoring.factsFile} (stale after ${s.scoring.factsMaxAgeDays} days)`],
  });
  steps.push({
    id: 'cleanup',
    kind: 'cleanup',
    title:
      cluster.kind === 'local'
        ? 'remove every namespace, veth and nft table of the run'
        : 'delete every object labelled with the run id',
    details: [],
  });
  return steps;
}

/** How the candidates are measured against each other (docs/statistics.md). */
function comparisonDetails(s: Scenario): string[] {
  const st = s.statistics;
  const interleaved = s.cluster.kind === 'local' && st.interleave && s.candidates.length > 1;
  return [
    interleaved
      ? `every candidate's cluster exists at once: perf workloads measure ${s.candidates.map((c) => c.name).join(', ')} in alternating blocks, each in a shuffled order (seed ${st.seed ?? 'random, recorded'})`
      : 'candidates are measured one after the other; each pod-path sample is paired with a baseline sample of the same turn',
    `compare: alpha ${st.alpha} after ${st.adjust === 'holm' ? 'Holm' : 'Benjamini–Hochberg'} adjustment, equivalence margin ±${st.equivalenceMargin}%, drift tolerance ${st.driftTolerance}%`,
  ];
}

function settingsLines(c: Candidate): string[] {
  return Object.entries(c.settings ?? {}).map(
    ([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`,
  );
}

export function describeWorkload(w: Workload): string {
  switch (w.kind) {
    case 'conformance': {
      // maxCases trims the selection: say so rather than call it the whole suite.
      const which = w.tags
        ? `tags ${w.tags.join(', ')}`
        : w.maxCases > 0
          ? 'built-in suite'
          : 'whole built-in suite: NetworkPolicy and the admin tier';
      const cap = w.maxCases > 0 ? `, at most ${w.maxCases} cases` : '';
      const without = w.excludeTags.length > 0 ? `, without ${w.excludeTags.join(', ')}` : '';
      return `conformance (${which}${cap}${without}; ${w.protocols.join('/')})`;
    }
    case 'throughput':
      return `${w.tool} ${w.protocol} throughput, streams ${w.streams.join('/')}, on ${[...w.paths, ...(w.baseline ? ['baseline'] : [])].join(', ')}`;
    case 'latency':
      return `${w.mode === 'rr' ? 'request/response latency' : 'connection rate'} (${w.payloadBytes} B) on ${[...w.paths, ...(w.baseline ? ['baseline'] : [])].join(', ')}`;
    case 'policy-scale':
      return `policy-scale sweep over ${w.counts.join(', ')} policies on ${w.path}: ${w.measure.join(', ')}`;
  }
}

/** The repetitions a workload runs with: its own, else the scenario's. */
export function workloadRepetitions(w: Workload, s: Scenario): Scenario['repetitions'] {
  return ('repetitions' in w ? w.repetitions : undefined) ?? s.repetitions;
}

function workloadDetails(w: Workload, s: Scenario): string[] {
  const reps = workloadRepetitions(w, s);
  // The policy-scale sweep takes exactly `count` samples: it compares policy counts, not candidates.
  const sampling =
    reps.adaptive && w.kind !== 'policy-scale'
      ? `${reps.count} to ${reps.adaptive.maxSamples} blocks${reps.maxDuration ? ` within ${reps.maxDuration}` : ''}, until every comparison between candidates is decided (group-sequential), after ${reps.warmup} warm-up`
      : `${reps.count} samples after ${reps.warmup} warm-up`;
  switch (w.kind) {
    case 'conformance':
      return [
        `probe timeout ${w.probeTimeout}s, convergence timeout ${w.convergenceTimeout}s${w.maxCases ? `, at most ${w.maxCases} cases` : ''}`,
        ...(w.excludeTags.length ? [`excluding tags ${w.excludeTags.join(', ')}`] : []),
      ];
    case 'throughput':
      return [`${w.duration}s per sample${w.protocol === 'UDP' ? ` at ${w.udpRate}bit/s` : ''}; ${sampling}`];
    case 'latency':
      return [`${w.duration}s per sample; ${sampling}`];
    case 'policy-scale':
      return [`${w.duration}s per sample; ${sampling}`];
  }
}

export function formatPlan(steps: PlanStep[]): string {
  const lines: string[] = [];
  steps.forEach((st, i) => {
    lines.push(`${String(i + 1).padStart(2)}. ${st.title}`);
    for (const d of st.details) lines.push(`      ${d}`);
  });
  return lines.join('\n');
}
