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
  WorkloadKind,
} from '../../src/results/schema.js';
import { scenarioSchema } from '../../src/run/scenario-file.js';
import type { ScenarioInput } from '../../src/scenario/schema.js';
import { summarize } from '../../src/stats/summary.js';
import type { PathKind } from '../../src/cluster/driver.js';

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
): ResultsFile {
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
    scenarioFile: 'scenarios/synthetic.yaml',
    scenario: scenarioSchema().parse(input),
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
export function syntheticTwoCni(scenario: Partial<ScenarioInput> = {}): ResultsFile {
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
export function syntheticLocal(): ResultsFile {
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

/**
 * The two local profiles with one cross-node throughput sample per interleaved block: candidate
 * samples `a` and `b`, a shared `baseline`; every sample in its own block (0, 1, …).
 */
export function syntheticScheduledLocal(a: number[], b: number[], baseline: number[]): ResultsFile {
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
