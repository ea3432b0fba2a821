/**
 * The scenario file's shape, as a zod schema: the single source of the TypeScript type, of runtime
 * validation, and of the published JSON Schema (`cnibench schema`). Every object is strict: an unknown
 * key is an error, because a typo must never silently change a benchmark.
 */
import { z } from 'zod';
import { DNS1123_LABEL_PATTERN } from '../util/k8s-names.js';

const seconds = (what: string) =>
  z.number({ error: `expected a positive number of seconds (${what})` }).positive({
    error: 'expected a positive number of seconds',
  });

const positiveInt = z
  .number()
  .int({ error: 'expected a whole number' })
  .positive({ error: 'expected a positive whole number' });

const imagesSchema = z
  .strictObject({
    agent: z.string().min(1).optional(),
    iperf3: z.string().min(1).optional(),
    agnhost: z.string().min(1).optional(),
    netperf: z.string().min(1).optional(),
  })
  .describe('Container images used on real clusters; each rewritten by imageRegistry when set.');

const localClusterSchema = z
  .strictObject({
    kind: z.literal('local'),
    nodes: z.number().int().min(2, { error: 'the local cluster needs at least 2 nodes' }).max(8).default(2),
    /** Pod CIDR of the whole local cluster; each node gets a /24 of it. */
    podCidr: z.string().default('10.244.0.0/16'),
    /** Cap on parallel probes. */
    probeConcurrency: positiveInt.default(64),
  })
  .describe('The embedded local cluster: nodes and pods as Linux network namespaces on this machine.');

/** Bounds of `conformanceLanes` (and of `cnibench check --lanes`): 8 lanes are 72 conformance pods. */
export const CONFORMANCE_LANES = { min: 1, max: 8 } as const;

export const kubeClusterSchema = z
  .strictObject({
    kind: z.literal('kube'),
    kubeconfig: z
      .string()
      .optional()
      .describe('Path to a kubeconfig; default: KUBECONFIG or ~/.kube/config.'),
    context: z.string().optional(),
    namespacePrefix: z.string().regex(DNS1123_LABEL_PATTERN).max(20).default('cnb'),
    imageRegistry: z
      .string()
      .optional()
      .describe('Rewrites every image (harness, CNI) to this registry or pull-through cache.'),
    imagePullSecrets: z.array(z.string()).default([]),
    images: imagesSchema.default({}),
    probeMode: z
      .enum(['agent', 'agnhost'])
      .default('agent')
      .describe(
        'How conformance probes run. agent: one exec per source pod and round, running all its probes at once in a cnibench agent container beside the agnhost servers. agnhost: one exec of agnhost connect per probe (upstream images only; much slower).',
      ),
    probeConcurrency: positiveInt
      .default(16)
      .describe(
        'Probe execs in flight at once: source pods probed in parallel (probeMode agent) or single probes (agnhost).',
      ),
    conformanceLanes: z
      .number()
      .int()
      .min(CONFORMANCE_LANES.min)
      .max(CONFORMANCE_LANES.max)
      .default(1)
      .describe(
        'Conformance cases in flight at once, each lane in its own namespaces (<prefix>-<runid>-l<k>-x, ...). 1 (default) keeps the measured programming latency free of contention between cases; cnibench check uses 4. See docs/probing.md.',
      ),
    readyTimeout: seconds('readyTimeout').default(600),
  })
  .describe('A real Kubernetes cluster reached through its API.');

const clusterSchema = z.discriminatedUnion('kind', [localClusterSchema, kubeClusterSchema]);

const localProfileSettings = z.strictObject({
  /** MTU of pod interfaces. */
  mtu: positiveInt.max(65535).optional(),
});

const calicoSettings = z.strictObject({
  encapsulation: z.enum(['VXLAN', 'VXLANCrossSubnet', 'IPIP', 'IPIPCrossSubnet', 'None']).default('VXLAN'),
  dataplane: z.enum(['Iptables', 'Nftables', 'BPF']).default('Iptables'),
  podCidr: z.string().default('192.168.0.0/16'),
  mtu: positiveInt.max(65535).optional(),
  /**
   * Local file or URL of the tigera-operator manifest (for sites without internet). From v3.30 the
   * CRDs are a second file, operator-crds.yaml, looked for next to it (or from `cnibench cni fetch`).
   */
  manifest: z.string().optional(),
  apiServer: z.boolean().default(true),
  /**
   * Evaluate with ClusterNetworkPolicy (network-policy-api v1alpha2) served: from v3.32 the operator's
   * own CRDs carry it, so nothing extra is installed. Refused for older versions.
   */
  clusterNetworkPolicy: z.boolean().default(false),
});

const ciliumSettings = z.strictObject({
  routingMode: z.enum(['tunnel', 'native']).default('tunnel'),
  tunnelProtocol: z.enum(['vxlan', 'geneve']).default('vxlan'),
  kubeProxyReplacement: z.boolean().default(false),
  encryption: z.enum(['none', 'wireguard', 'ipsec']).default('none'),
  hubble: z.boolean().default(false),
  ipv4NativeRoutingCidr: z.string().optional(),
  /** Local path or URL of the chart (.tgz) for sites without internet. */
  chart: z.string().optional(),
  /** Extra Helm values merged last. */
  values: z.record(z.string(), z.unknown()).optional(),
  /**
   * Enable ClusterNetworkPolicy (1.20+): chart value k8sClusterNetworkPolicy.enabled, and cnibench
   * installs the network-policy-api v0.2.0 CRD. Refused for older versions.
   */
  clusterNetworkPolicy: z.boolean().default(false),
});

const candidateBase = {
  name: z
    .string()
    .regex(DNS1123_LABEL_PATTERN, { error: 'expected a lower-case name (letters, digits, -)' })
    .max(30),
  /** Uninstall the CNI after evaluating it (real clusters). */
  uninstallAfter: z.boolean().default(true),
  /** Install even if another CNI is present (real clusters). */
  force: z.boolean().default(false),
  /** Declared facts override: key of data/cni-facts.yaml to score against (defaults to cni). */
  facts: z.string().optional(),
};

export const candidateSchema = z.discriminatedUnion('cni', [
  z.strictObject({
    ...candidateBase,
    cni: z.literal('local-routed'),
    settings: localProfileSettings.default({}),
  }),
  z.strictObject({
    ...candidateBase,
    cni: z.literal('local-vxlan'),
    settings: localProfileSettings.default({}),
  }),
  z.strictObject({
    ...candidateBase,
    cni: z.literal('calico'),
    version: z.string().regex(/^v?\d+\.\d+\.\d+$/, { error: 'expected a pinned version like v3.32.1' }),
    settings: calicoSettings.default(calicoSettings.parse({})),
  }),
  z.strictObject({
    ...candidateBase,
    cni: z.literal('cilium'),
    version: z.string().regex(/^v?\d+\.\d+\.\d+$/, { error: 'expected a pinned version like 1.20.0' }),
    settings: ciliumSettings.default(ciliumSettings.parse({})),
  }),
]);

const adaptiveSchema = z
  .strictObject({
    /** The planned maximum of measured blocks: sampling stops here at the latest. */
    maxSamples: positiveInt.max(1000).default(10),
  })
  .describe(
    'Sequential sampling: after `count` blocks, keep adding blocks while a comparison between candidates is undecided (neither better, worse nor equivalent, with group-sequential boundaries), up to maxSamples blocks or maxDuration.',
  );

const DEFAULT_ADAPTIVE = { maxSamples: 10 } as const;

/** "90s", "6m", "1h", "1.5m": a duration in seconds, minutes or hours. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(s|m|h)$/;

/** Seconds of a duration string matching DURATION_PATTERN. */
export function durationSeconds(text: string): number {
  const m = DURATION_PATTERN.exec(text);
  if (!m) throw new RangeError(`not a duration: ${text}`);
  const unit = m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1;
  return Number(m[1]) * unit;
}

export const repetitionsSchema = z
  .strictObject({
    /** Blocks per measurement; the minimum (first look) when adaptive. */
    count: positiveInt.max(1000).default(3),
    warmup: z.number().int().min(0).max(100).default(1),
    /** On by default for throughput and latency; `false` takes exactly `count` blocks. */
    adaptive: z.union([z.literal(false), adaptiveSchema]).default({ ...DEFAULT_ADAPTIVE }),
    /**
     * Time budget of the workload's measured blocks when adaptive ("6m", "90s"): no block is started
     * that would end after it (the first `count` blocks always run). Split evenly over the workload's
     * units (one per stream count or payload).
     */
    maxDuration: z
      .string()
      .regex(DURATION_PATTERN, { error: 'expected a duration like "90s", "6m" or "1h"' })
      .optional(),
  })
  .superRefine((r, ctx) => {
    if (r.adaptive !== false && r.count > r.adaptive.maxSamples) {
      ctx.addIssue({
        code: 'custom',
        path: ['count'],
        message: `count (${r.count}, the minimum when adaptive) must not exceed adaptive.maxSamples (${r.adaptive.maxSamples})`,
      });
    }
  });

const workloadRepetitions = repetitionsSchema
  .optional()
  .describe("This workload's repetitions, instead of the scenario's.");

export const statisticsSchema = z
  .strictObject({
    /** Significance level of every test (after multiple-comparison control). */
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** Multiple-comparison control over all rows of one comparison: Holm (family-wise) or Benjamini–Hochberg (false discovery rate). */
    adjust: z.enum(['holm', 'bh']).default('holm'),
    /** The smallest difference that matters, % of the baseline candidate's figure: the equivalence margin. */
    equivalenceMargin: z.number().min(0).lt(100).default(5),
    /** Candidates' baselines differing by more than this % (or significantly) are environment drift. */
    driftTolerance: z.number().positive().max(100).default(5),
    /** Local clusters: every candidate's cluster exists at once and they are measured in alternating, shuffled blocks. */
    interleave: z.boolean().default(true),
    /** Seed of the blocks' shuffled order; default a random one, recorded in results.json. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .optional(),
  })
  .describe('How candidates are measured against each other and compared (docs/statistics.md).');

const pathSchema = z.enum(['same-node', 'cross-node', 'service']);

const conformanceWorkload = z.strictObject({
  kind: z.literal('conformance'),
  /** Run only cases carrying one of these tags (all cases when absent). */
  tags: z.array(z.string()).optional(),
  excludeTags: z.array(z.string()).default([]),
  /** Probe protocols; a driver that cannot do one (SCTP on the local kernel) reports those cases as skipped. */
  protocols: z
    .array(z.enum(['TCP', 'UDP', 'SCTP']))
    .min(1)
    .default(['TCP', 'UDP', 'SCTP']),
  /** At most this many cases (0 = all); for quick runs. */
  maxCases: z.number().int().min(0).default(0),
  probeTimeout: seconds('probeTimeout').default(1),
  /** How long to wait for the dataplane to match the model after applying a case's policies. */
  convergenceTimeout: seconds('convergenceTimeout').default(10),
});

const throughputWorkload = z.strictObject({
  kind: z.literal('throughput'),
  tool: z.enum(['iperf3', 'netperf']).default('iperf3'),
  protocol: z.enum(['TCP', 'UDP']).default('TCP'),
  paths: z.array(pathSchema).min(1).default(['same-node', 'cross-node']),
  streams: z.array(positiveInt.max(128)).min(1).default([1]),
  duration: seconds('duration').default(5),
  /** UDP target rate, iperf3 syntax (e.g. 1G, 500M). */
  udpRate: z
    .string()
    .regex(/^\d+(\.\d+)?[KMG]?$/, { error: 'expected a rate like 1G or 500M' })
    .default('1G'),
  /** Also measure the bare baseline path (two namespaces on one veth / host network). */
  baseline: z.boolean().default(true),
  repetitions: workloadRepetitions,
});

const latencyWorkload = z.strictObject({
  kind: z.literal('latency'),
  /** rr: request/response round trips (TCP_RR-like); crr: connect-request-response-close rate (TCP_CRR-like). */
  mode: z.enum(['rr', 'crr']).default('rr'),
  paths: z.array(pathSchema).min(1).default(['same-node', 'cross-node']),
  duration: seconds('duration').default(3),
  payloadBytes: positiveInt.max(65536).default(1),
  baseline: z.boolean().default(true),
  repetitions: workloadRepetitions,
});

const policyScaleWorkload = z.strictObject({
  kind: z.literal('policy-scale'),
  counts: z.array(z.number().int().min(0)).min(1).default([0, 10, 100, 1000]),
  measure: z
    .array(z.enum(['throughput', 'rr', 'crr', 'programming']))
    .min(1)
    .default(['throughput', 'rr', 'crr', 'programming']),
  path: pathSchema.default('cross-node'),
  duration: seconds('duration').default(3),
  /** The sweep takes exactly `count` samples per figure (adaptive sampling does not apply). */
  repetitions: workloadRepetitions,
});

export const workloadSchema = z.discriminatedUnion('kind', [
  conformanceWorkload,
  throughputWorkload,
  latencyWorkload,
  policyScaleWorkload,
]);

export const BUILTIN_CRITERIA = ['features', 'performance', 'maturity', 'acceptance', 'ossHealth'] as const;

export const scoringSchema = z.strictObject({
  /** Weight per criterion (built-in or user-defined); relative, need not sum to 100. */
  weights: z
    .record(z.string(), z.number().min(0, { error: 'weights must be zero or positive' }))
    .default({ features: 25, performance: 25, maturity: 15, acceptance: 15, ossHealth: 20 }),
  /** User-defined criteria: indicators from the facts file, each normalised to 0–100. */
  customCriteria: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        description: z.string().optional(),
        indicators: z.array(z.string().min(1)).min(1),
      }),
    )
    .default([]),
  /** Facts file (relative to the scenario file or the working directory). */
  factsFile: z.string().default('data/cni-facts.yaml'),
  /** Facts older than this are flagged stale. */
  factsMaxAgeDays: positiveInt.default(180),
});

export const reportSchema = z.strictObject({
  formats: z
    .array(z.enum(['md', 'html', 'json', 'junit', 'csv']))
    .default(['md', 'html', 'json', 'junit', 'csv']),
  charts: z.boolean().default(true),
});

export const scenarioSchema = z
  .strictObject({
    name: z.string().min(1),
    description: z.string().optional(),
    cluster: clusterSchema.default({
      kind: 'local',
      nodes: 2,
      podCidr: '10.244.0.0/16',
      probeConcurrency: 64,
    }),
    candidates: z.array(candidateSchema).min(1, { error: 'expected at least one candidate' }),
    workloads: z.array(workloadSchema).min(1, { error: 'expected at least one workload' }),
    repetitions: repetitionsSchema.default({ count: 3, warmup: 1, adaptive: { ...DEFAULT_ADAPTIVE } }),
    statistics: statisticsSchema.default(statisticsSchema.parse({})),
    scoring: scoringSchema.default(scoringSchema.parse({})),
    report: reportSchema.default(reportSchema.parse({})),
  })
  .describe('A cnibench scenario: what to evaluate, where, how, and how to score it.');

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Candidate = z.infer<typeof candidateSchema>;
export type Workload = z.infer<typeof workloadSchema>;
export type KubeClusterConfig = z.infer<typeof kubeClusterSchema>;
export type LocalClusterConfig = z.infer<typeof localClusterSchema>;
export type Repetitions = z.infer<typeof repetitionsSchema>;
export type StatisticsConfig = z.infer<typeof statisticsSchema>;
export type ScoringConfig = z.infer<typeof scoringSchema>;
export type CalicoSettings = z.infer<typeof calicoSettings>;
export type CiliumSettings = z.infer<typeof ciliumSettings>;
