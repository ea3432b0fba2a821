/**
 * The scenario file's shape, as a zod schema: the single source of the TypeScript type, of runtime
 * validation, and of the published JSON Schema (`cnibench schema`). Every object is strict: an unknown
 * key is an error, because a typo must never silently change a benchmark.
 */
import { z } from 'zod';
import { DNS1123_LABEL_PATTERN } from '../util/k8s-names.js';
import { LOCAL_POLICY_ENGINES } from './local-profile.js';
import type { CniDescriptor, ScenarioExtensions } from './extensions.js';

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
    /** A netperf container in the perf pods, for a netperf tool driver (none is registered yet). */
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
  policyEngine: z
    .enum(LOCAL_POLICY_ENGINES)
    .optional()
    .describe(
      "The policy engine of this local reference profile: nftables (in the nodes' forward hook) or ebpf (tc programs on the pod veths, needs BPF). Default: nftables for local-routed, ebpf for local-vxlan.",
    ),
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

/** The local reference profiles of the embedded cluster (src/cluster/local), built in. */
const LOCAL_PROFILES = ['local-routed', 'local-vxlan'] as const;

const localCandidateSchemas = LOCAL_PROFILES.map((cni) =>
  z.strictObject({ ...candidateBase, cni: z.literal(cni), settings: localProfileSettings.default({}) }),
);

/** A pinned release: "v3.32.1" or "1.20.0" (a leading v is optional). */
export const PINNED_VERSION = /^v?\d+\.\d+\.\d+$/;

/** A candidate of a real-cluster CNI, as its descriptor's settings schema reads it. */
function kubeCandidateSchema(d: CniDescriptor) {
  return z.strictObject({
    ...candidateBase,
    cni: z.literal(d.name),
    version: z
      .string()
      .regex(PINNED_VERSION, { error: `expected a pinned version like ${d.versionExample}` }),
    settings: d.settings.default(d.settings.parse({})),
  });
}

/**
 * The candidate of a real-cluster CNI as the stages after validation see it: a CNI's installer reads
 * its own settings with its own schema (src/cni/<name>/settings.ts), so nothing between knows them.
 */
const kubeCandidateShape = z.strictObject({
  ...candidateBase,
  cni: z.string(),
  version: z.string(),
  settings: z.record(z.string(), z.unknown()).default({}),
});

/** Every candidate a scenario may name: the local profiles and each described real-cluster CNI. */
export function candidateSchemaFor(cnis: readonly CniDescriptor[]): z.ZodType<Candidate, CandidateInput> {
  const [first, ...rest] = localCandidateSchemas;
  if (!first) throw new Error('no local profile');
  return z.discriminatedUnion('cni', [first, ...rest, ...cnis.map(kubeCandidateSchema)]) as z.ZodType<
    Candidate,
    CandidateInput
  >;
}

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
const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(s|m|h)$/;

/** Seconds of a duration string matching DURATION_PATTERN. */
export function durationSeconds(text: string): number {
  const m = DURATION_PATTERN.exec(text);
  if (!m) throw new RangeError(`not a duration: ${text}`);
  const unit = m[2] === 'h' ? 3600 : m[2] === 'm' ? 60 : 1;
  return Number(m[1]) * unit;
}

/**
 * Whether perf turns run in duet mode when a scenario does not say: the setting the A/A and planted
 * checks on this machine showed to be better (docs/statistics.md, "Pinning and duet mode").
 */
const DEFAULT_DUET = false;

/** The duet setting of some repetitions, with the default applied. */
export function isDuet(r: { duet?: boolean | undefined }): boolean {
  return r.duet ?? DEFAULT_DUET;
}

const repetitionsSchema = z
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
    duet: z
      .boolean()
      .optional()
      .describe(
        `Duet mode (local cluster, interleaved candidates): every candidate's turn of a block runs at the same time, each candidate's perf processes pinned to a CPU of its own, so that interference shared by the machine cancels in their ratio (docs/statistics.md). Absent: ${DEFAULT_DUET}.`,
      ),
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

const statisticsSchema = z
  .strictObject({
    /** Significance level of every test (after multiple-comparison control). */
    alpha: z.number().gt(0).lt(1).default(0.05),
    /** Multiple-comparison control over all rows of one comparison: Benjamini–Hochberg (false discovery rate, the default) or Holm (family-wise). */
    adjust: z.enum(['holm', 'bh']).default('bh'),
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
  networkPolicyCanary: z
    .boolean()
    .default(true)
    .describe(
      'On a real cluster, try one deny-all policy before the NetworkPolicy cases; if it is still not enforced after convergenceTimeout, the cases that expect a denial fail with its evidence and are not probed (docs/scs.md, "The NetworkPolicy canary"). false probes every case (what `check --no-canary` does). The local cluster always enforces and runs no canary.',
    ),
});

/** The throughput workload; `tool` is one of the registered tools (src/workloads/tools/registry.ts). */
const throughputWorkloadWith = (tool: z.ZodType<string, string | undefined>) =>
  z.strictObject({
    kind: z.literal('throughput'),
    tool,
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

/** A tool chosen from `names` (the first is the default). */
function toolSchema(names: readonly string[]): z.ZodType<string, string | undefined> {
  const [first, ...rest] = names;
  if (first === undefined) throw new Error('no throughput tool is registered');
  return z.enum([first, ...rest]).default(first);
}

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
  maxInstallSeconds: seconds('maxInstallSeconds')
    .default(300)
    .describe(
      'A candidate stops climbing the sweep before a count whose install would take longer than this (extrapolated linearly from the last count it installed), or at the first count it fails to install; the run says where and why.',
    ),
  /** The sweep takes exactly `count` samples per figure (adaptive sampling does not apply). */
  repetitions: workloadRepetitions,
});

const workloadSchemaWith = (tool: z.ZodType<string, string | undefined>) =>
  z.discriminatedUnion('kind', [
    conformanceWorkload,
    throughputWorkloadWith(tool),
    latencyWorkload,
    policyScaleWorkload,
  ]);

/** The conformance workload alone (what `cnibench check` runs; it names no extension). */
export const conformanceWorkloadSchema = conformanceWorkload;

/** The workloads with `tool` one of `toolNames`. */
export function workloadSchemaFor(toolNames: readonly string[]) {
  return workloadSchemaWith(toolSchema(toolNames));
}

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

const reportSchema = z.strictObject({
  formats: z
    .array(z.enum(['md', 'html', 'json', 'junit', 'csv']))
    .default(['md', 'html', 'json', 'junit', 'csv']),
  charts: z.boolean().default(true),
});

const scenarioSchemaWith = (
  candidate: z.ZodType<Candidate, CandidateInput>,
  tool: z.ZodType<string, string | undefined>,
) =>
  z
    .strictObject({
      name: z.string().min(1),
      description: z.string().optional(),
      cluster: clusterSchema.default({
        kind: 'local',
        nodes: 2,
        podCidr: '10.244.0.0/16',
        probeConcurrency: 64,
      }),
      candidates: z.array(candidate).min(1, { error: 'expected at least one candidate' }),
      workloads: z.array(workloadSchemaWith(tool)).min(1, { error: 'expected at least one workload' }),
      repetitions: repetitionsSchema.default({ count: 3, warmup: 1, adaptive: { ...DEFAULT_ADAPTIVE } }),
      statistics: statisticsSchema.default(statisticsSchema.parse({})),
      scoring: scoringSchema.default(scoringSchema.parse({})),
      report: reportSchema.default(reportSchema.parse({})),
    })
    .superRefine((s, ctx) => {
      // Duet runs the candidates' turns side by side: only the local cluster has them all at once.
      if (s.cluster.kind === 'local') return;
      const duet: Array<{ on: boolean | undefined; path: (string | number)[] }> = [
        { on: s.repetitions.duet, path: ['repetitions', 'duet'] },
        ...s.workloads.map((w, i) => ({
          on: 'repetitions' in w ? w.repetitions?.duet : undefined,
          path: ['workloads', i, 'repetitions', 'duet'],
        })),
      ];
      for (const d of duet) {
        if (d.on) {
          ctx.addIssue({
            code: 'custom',
            path: d.path,
            message:
              'duet mode needs the local cluster (a real cluster runs one CNI at a time, so candidates cannot be measured side by side)',
          });
        }
      }
    })
    .describe('A cnibench scenario: what to evaluate, where, how, and how to score it.');

/** The scenario file's schema, with the CNIs and tools the registries declare. */
export function scenarioSchemaFor(ext: ScenarioExtensions) {
  return scenarioSchemaWith(candidateSchemaFor(ext.cnis), toolSchema(ext.throughputTools.map((t) => t.name)));
}

/** The types every stage after validation sees (no CNI or tool named). */
// Only its type is used: the shape every stage after validation sees.
// eslint-disable-next-line @typescript-eslint/no-unused-vars
const typingSchema = scenarioSchemaWith(
  z.union([...localCandidateSchemas, kubeCandidateShape]),
  z.string().default('iperf3'),
);

export type LocalCandidate = z.infer<(typeof localCandidateSchemas)[number]>;
export type KubeCandidate = z.infer<typeof kubeCandidateShape>;
export type Candidate = LocalCandidate | KubeCandidate;
type CandidateInput = z.input<(typeof localCandidateSchemas)[number]> | z.input<typeof kubeCandidateShape>;

export function isLocalCandidate(c: Candidate): c is LocalCandidate {
  return (LOCAL_PROFILES as readonly string[]).includes(c.cni);
}

/** A candidate that installs a real CNI (the local reference profiles have no installer). */
export function isKubeCandidate(c: Candidate): c is KubeCandidate {
  return !isLocalCandidate(c);
}

export type Scenario = z.infer<typeof typingSchema>;
export type ScenarioInput = z.input<typeof typingSchema>;
export type Workload = z.infer<ReturnType<typeof workloadSchemaWith>>;
export type KubeClusterConfig = z.infer<typeof kubeClusterSchema>;
export type LocalClusterConfig = z.infer<typeof localClusterSchema>;
export type Repetitions = z.infer<typeof repetitionsSchema>;
export type StatisticsConfig = z.infer<typeof statisticsSchema>;
export type ScoringConfig = z.infer<typeof scoringSchema>;
