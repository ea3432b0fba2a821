/**
 * SYNTHETIC results for tests of scoring and reports. Nothing here was measured: the numbers are
 * made up so that the expected scores can be computed by hand in the tests.
 */
import type {
  CandidateResult,
  CaseResult,
  Measurement,
  Mismatch,
  ResultsFile,
  ScenarioOrigin,
  WorkloadKind,
} from '../../src/results/schema.js';
import { scenarioSchema } from '../../src/run/scenario-file.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { summarize } from '../../src/stats/summary.js';
import type { PathKind } from '../../src/cluster/driver.js';

/** A results file of a scenario run, so tests read its scenario without narrowing. */
type ScenarioResults = ResultsFile & { origin: ScenarioOrigin };

function measurement(
  o: {
    id?: string;
    workload: WorkloadKind;
    path: PathKind;
    metric: string;
    unit: string;
    higherIsBetter: boolean;
    parameters?: Measurement['parameters'];
  },
  samples: number[],
): Measurement {
  return {
    id: o.id ?? `${o.workload}/${o.path}/${o.metric}/${JSON.stringify(o.parameters ?? {})}`,
    workload: o.workload,
    path: o.path,
    metric: o.metric,
    unit: o.unit,
    higherIsBetter: o.higherIsBetter,
    parameters: o.parameters ?? {},
    tool: { name: 'synthetic' },
    samples,
    warmup: [],
    summary: summarize(samples),
  };
}

export function caseResult(
  name: string,
  tags: string[],
  status: CaseResult['status'],
  o: { mismatches?: Mismatch[]; skipReason?: string; programmingLatencyMs?: number | null } = {},
): CaseResult {
  return {
    name,
    tags,
    status,
    skipReason: o.skipReason,
    programmingLatencyMs: o.programmingLatencyMs ?? (status === 'pass' ? 120 : null),
    mismatches: o.mismatches ?? [],
    probes: 9,
    durationMs: 300,
  };
}

export function conformance(cases: CaseResult[]): NonNullable<CandidateResult['conformance']> {
  return {
    cases: cases.length,
    passed: cases.filter((c) => c.status === 'pass').length,
    failed: cases.filter((c) => c.status === 'fail').length,
    skipped: cases.filter((c) => c.status === 'skip').length,
    durationMs: cases.reduce((s, c) => s + c.durationMs, 0),
    failures: cases.filter((c) => c.status === 'fail'),
    caseResults: cases,
  };
}

export function candidate(
  o: Partial<CandidateResult> & { name: string; cni: string; label: string },
): CandidateResult {
  return { settings: {}, measurements: [], completedSteps: [], errors: [], ...o };
}

export function resultsFile(
  candidates: CandidateResult[],
  scenario: Partial<ScenarioInput> = {},
): ScenarioResults {
  const input: ScenarioInput = {
    name: 'synthetic scenario',
    cluster: { kind: 'kube' },
    candidates: candidates.map((c): ScenarioInput['candidates'][number] =>
      c.cni === 'calico' || c.cni === 'cilium'
        ? { name: c.name, cni: c.cni, version: c.version ?? '1.0.0' }
        : // The other candidates of the synthetic results are local reference profiles.
          ({ name: c.name, cni: c.cni } as ScenarioInput['candidates'][number]),
    ),
    workloads: [{ kind: 'conformance' }],
    ...scenario,
  };
  return {
    schemaVersion: 1,
    runId: 'synthetic-run',
    origin: { kind: 'scenario', file: 'scenarios/synthetic.yaml', scenario: scenarioSchema().parse(input) },
    status: 'complete',
    provenance: {
      cnibenchVersion: '0.1.0',
      gitCommit: null,
      hostname: 'synthetic-host',
      kernel: '6.1.0',
      os: 'Debian',
      nodeVersion: 'v20.20.0',
      cpus: 2,
      cpuModel: 'synthetic CPU',
      memoryBytes: 4e9,
      tools: { iperf3: '3.12' },
      cluster: { kind: 'kube', serverVersion: 'v1.31.0', nodes: 2 },
      startedAt: '2026-11-01T10:00:00.000Z',
      endedAt: '2026-11-01T11:00:00.000Z',
    },
    candidates,
  };
}

const tput = (path: PathKind, streams: number, samples: number[]) =>
  measurement(
    {
      workload: 'throughput',
      path,
      metric: 'throughput',
      unit: 'Gbit/s',
      higherIsBetter: true,
      parameters: { protocol: 'TCP', streams },
    },
    samples,
  );
const rtt = (path: PathKind, samples: number[]) =>
  measurement(
    {
      workload: 'latency',
      path,
      metric: 'rtt',
      unit: 'us',
      higherIsBetter: false,
      parameters: { mode: 'rr', payloadBytes: 1 },
    },
    samples,
  );
const scale = (policies: number, samples: number[]) =>
  measurement(
    {
      workload: 'throughput',
      path: 'cross-node',
      metric: 'throughput',
      unit: 'Gbit/s',
      higherIsBetter: true,
      parameters: { protocol: 'TCP', streams: 1, policies },
    },
    samples,
  );
const prog = (policies: number, samples: number[]) =>
  measurement(
    {
      workload: 'policy-programming',
      path: 'cross-node',
      metric: 'programming-latency',
      unit: 'ms',
      higherIsBetter: false,
      parameters: { policies },
    },
    samples,
  );

/** A full two-CNI synthetic run (calico vs cilium) with one failing case and one skipped SCTP case. */
export function syntheticTwoCni(scenario: Partial<ScenarioInput> = {}): ScenarioResults {
  const cases = (failEgress: boolean): CaseResult[] => [
    caseResult('ingress-deny-all', ['direction:ingress', 'peer:none', 'protocol:tcp'], 'pass'),
    caseResult(
      'egress-ipblock',
      ['direction:egress', 'peer:ip-block', 'protocol:tcp'],
      failEgress ? 'fail' : 'pass',
      {
        mismatches: failEgress
          ? [
              {
                from: 'x/a',
                to: 'y/b',
                port: 80,
                protocol: 'TCP',
                expected: false,
                observed: true,
                detail: 'answered by y/b',
              },
            ]
          : [],
      },
    ),
    caseResult('named-port', ['direction:ingress', 'port:named', 'protocol:udp'], 'pass'),
    caseResult('port-range', ['direction:ingress', 'port:range', 'protocol:tcp'], 'pass'),
    caseResult('sctp-basic', ['direction:ingress', 'protocol:sctp'], 'skip', {
      skipReason: 'SCTP not enabled on the cluster',
    }),
  ];
  const base = [tput('baseline', 1, [20, 20.5, 19.5]), rtt('baseline', [20, 21, 22])];
  return resultsFile(
    [
      candidate({
        name: 'calico',
        cni: 'calico',
        label: 'Calico v3.29.1',
        version: 'v3.29.1',
        conformance: conformance(cases(true)),
        measurements: [
          ...base,
          tput('cross-node', 1, [9, 9.5, 10]),
          rtt('cross-node', [40, 42, 50]),
          scale(0, [9.5, 9.6, 9.4]),
          scale(100, [8.5, 8.6, 8.4]),
          prog(10, [150, 160, 170]),
          prog(100, [300, 320, 310]),
        ],
      }),
      candidate({
        name: 'cilium',
        cni: 'cilium',
        label: 'Cilium 1.16.5',
        version: '1.16.5',
        conformance: conformance(cases(false)),
        measurements: [
          ...base,
          tput('cross-node', 1, [12, 12.5, 13]),
          rtt('cross-node', [35, 36, 45]),
          scale(0, [12.5, 12.6, 12.4]),
          scale(100, [12, 12.1, 11.9]),
          prog(10, [200, 210, 220]),
          prog(100, [260, 270, 280]),
        ],
      }),
    ],
    scenario,
  );
}

/** A run of the two local reference profiles only (no facts apply). */
export function syntheticLocal(): ScenarioResults {
  return resultsFile(
    [
      candidate({
        name: 'routed',
        cni: 'local-routed',
        label: 'local reference profile (routed)',
        conformance: conformance([caseResult('ingress', ['direction:ingress'], 'pass')]),
        measurements: [tput('baseline', 1, [20, 20, 20]), tput('cross-node', 1, [18, 18, 18])],
      }),
      candidate({
        name: 'vxlan',
        cni: 'local-vxlan',
        label: 'local reference profile (VXLAN)',
        conformance: conformance([caseResult('ingress', ['direction:ingress'], 'pass')]),
        measurements: [tput('baseline', 1, [20, 20, 20]), tput('cross-node', 1, [12, 12, 12])],
      }),
    ],
    { cluster: { kind: 'local' } },
  );
}

/** A cost figure as the workloads derive it (lower is better), with the figure it comes from. */
function costMeasurement(
  o: {
    workload: WorkloadKind;
    path: PathKind;
    metric: string;
    unit: string;
    parameters: Measurement['parameters'];
  },
  from: string,
  samples: number[],
): Measurement {
  return { ...measurement({ ...o, higherIsBetter: false }, samples), derivedFrom: from };
}

/**
 * Two local profiles with cost figures (SYNTHETIC): routed moves 18 Gbit/s cross-node for 0.10 CPU s
 * per Gbit, vxlan 12 Gbit/s for 0.15; CPU per thousand connections 0.4 vs 0.5 s; dataplane memory
 * per thousand policies 2.0 vs 2.0 MiB. Eight samples each, with a little spread.
 */
export function syntheticLocalWithCost(): ScenarioResults {
  const spread = (x: number) =>
    [0.98, 1.01, 1, 0.99, 1.02, 1, 0.97, 1.03].map((f) => Math.round(x * f * 1e4) / 1e4);
  const tcp = { protocol: 'TCP', streams: 1 };
  const profile = (name: string, cni: string, gbit: number, perGbit: number, perK: number) => {
    const t = tput('cross-node', 1, spread(gbit));
    const cpu = spread(perGbit).map((c, i) => Math.round(c * (t.samples[i] ?? 0) * 1e4) / 1e4);
    return candidate({
      name,
      cni,
      label: `local reference profile (${name})`,
      conformance: conformance([caseResult('ingress', ['direction:ingress'], 'pass')]),
      measurements: [
        tput('baseline', 1, spread(20)),
        {
          ...t,
          cost: {
            method: 'synthetic counters',
            cpuSeconds: cpu,
            cpuParts: { pods: cpu.map((c) => c / 2), softirq: cpu.map((c) => c / 2) },
            dataplaneMemoryBytes: cpu.map(() => 1_000_000),
          },
        },
        costMeasurement(
          {
            workload: 'throughput',
            path: 'cross-node',
            metric: 'cpu-per-gbit',
            unit: 'CPU s/Gbit',
            parameters: tcp,
          },
          t.id,
          spread(perGbit),
        ),
        costMeasurement(
          {
            workload: 'connection-rate',
            path: 'cross-node',
            metric: 'cpu-per-kconn',
            unit: 'CPU s/1000 conn',
            parameters: { mode: 'crr', payloadBytes: 1 },
          },
          'connection-rate/crr/payload=1/cross-node',
          spread(perK),
        ),
        costMeasurement(
          {
            workload: 'policy-programming',
            path: 'cross-node',
            metric: 'memory-per-kpolicy',
            unit: 'MiB/1000 policies',
            parameters: { policies: 1000 },
          },
          'policy-scale/policies=1000/throughput/tcp/streams=1/cross-node',
          spread(2),
        ),
      ],
    });
  };
  return resultsFile(
    [profile('routed', 'local-routed', 18, 0.1, 0.4), profile('vxlan', 'local-vxlan', 12, 0.15, 0.5)],
    { cluster: { kind: 'local' } },
  );
}

/**
 * The two local profiles with one cross-node throughput sample per interleaved block: candidate
 * samples `a` and `b`, a shared `baseline`; every sample in its own block (0, 1, …).
 */
export function syntheticScheduledLocal(a: number[], b: number[], baseline: number[]): ScenarioResults {
  const res = syntheticLocal();
  const scheduled = (path: PathKind, samples: number[]): Measurement => ({
    ...tput(path, 1, samples),
    id: `throughput/tcp/streams=1/${path}`,
    schedule: samples.map((_, block) => ({ block, position: 0 })),
  });
  const [routed, vxlan] = res.candidates;
  if (!routed || !vxlan) throw new Error('syntheticLocal has two candidates');
  res.candidates = [
    { ...routed, measurements: [scheduled('baseline', baseline), scheduled('cross-node', a)] },
    { ...vxlan, measurements: [scheduled('baseline', baseline), scheduled('cross-node', b)] },
  ];
  return res;
}
