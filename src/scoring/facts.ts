/**
 * The declared facts file (data/cni-facts.yaml): shape, loading with positioned errors, lookup per
 * candidate and staleness. Every value carries its source and the date it was read, because a
 * standardization decision must be traceable to evidence a reader can check.
 */
import { z } from 'zod';
import { loadYamlFile, type SourceProblem, type YamlSource } from '../util/yaml-source.js';

const FACTS_VERSION = 3;

const dateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD' });

const factValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/**
 * Where a measured fact comes from (`cnibench facts measure`): the repository and commit it was read
 * from, the window of history, and the cnibench that computed it. It stands in for a source URL:
 * anyone with a clone can recompute the value.
 */
const measuredSchema = z.strictObject({
  repository: z.string().min(1),
  commit: z.string().regex(/^[0-9a-f]{40}$/, { error: 'expected a 40-digit commit id' }),
  /** First day of the window .. the as-of day, e.g. 2025-09-01..2026-08-22. */
  window: z.string().regex(/^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/, { error: 'expected FROM..TO dates' }),
  by: z.string().min(1),
});

const factSchema = z.strictObject({
  /** The literal string "unknown" marks a value nobody could source. */
  value: factValueSchema,
  source: z.url({ error: 'expected a URL (or null for an unknown or measured value)' }).nullable(),
  asOf: dateString,
  note: z.string().optional(),
  measured: measuredSchema.optional(),
});

/** The time series `facts measure` keeps for the report's charts. */
const historySchema = z.strictObject({
  measured: measuredSchema,
  monthly: z.array(
    z.strictObject({
      month: z.string().regex(/^\d{4}-\d{2}$/),
      commits: z.number().int().nonnegative(),
      contributors: z.number().int().nonnegative(),
    }),
  ),
  releases: z.array(z.strictObject({ tag: z.string().min(1), date: dateString })),
});

/**
 * Which releases of a project serve which admin-tier API (policy.networking.k8s.io), from its own
 * manifests and release notes. Declared, for the reader; the SCS-0219 check measures instead.
 */
const adminTierFactSchema = z.strictObject({
  api: z.enum(['v1alpha1', 'v1alpha2']),
  kinds: z.array(z.enum(['ClusterNetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'])).min(1),
  /** First release with it, e.g. v3.29.0. */
  since: z.string().min(1),
  /** First release without it again; absent while it is still there. */
  until: z.string().min(1).optional(),
  /** False when it must be switched on (a chart value, a CRD installed by hand). */
  enabledByDefault: z.boolean(),
  source: z.url({ error: 'expected a URL' }),
  asOf: dateString,
  note: z.string().optional(),
});

const projectSchema = z.strictObject({
  name: z.string().min(1),
  /** owner/name on GitHub; `facts refresh` reads it. */
  repo: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, { error: 'expected owner/name' })
    .optional(),
  facts: z.record(z.string(), factSchema).default({}),
  capabilities: z.record(z.string(), factSchema).default({}),
  /** factsVersion 2: the admin-tier APIs by release. */
  adminTier: z.array(adminTierFactSchema).default([]),
  /** factsVersion 3: activity and releases measured from git (`facts measure`). */
  history: historySchema.optional(),
});

const factsFileSchema = z.strictObject({
  factsVersion: z.number().int().positive(),
  projects: z.record(z.string(), projectSchema),
  /** Candidate cni (or facts key) → why facts-based criteria do not apply to it. */
  notApplicable: z.record(z.string(), z.string()).default({}),
});

export type Fact = z.infer<typeof factSchema>;
export type MeasuredProvenance = z.infer<typeof measuredSchema>;
export type FactsHistory = z.infer<typeof historySchema>;
export type FactValue = z.infer<typeof factValueSchema>;
type ProjectFacts = z.infer<typeof projectSchema>;
export type FactsFile = z.infer<typeof factsFileSchema>;

export const UNKNOWN = 'unknown';

/** Not a type guard on purpose: an unknown fact is still a Fact (its note and asOf are shown). */
export function isKnown(f: Fact | undefined): boolean {
  return f !== undefined && f.value !== UNKNOWN;
}

/** The fact when its value is known; undefined when it is absent or recorded as unknown. */
export function knownFact(f: Fact | undefined): Fact | undefined {
  return isKnown(f) ? f : undefined;
}

export interface LoadedFacts {
  file: string;
  facts: FactsFile;
}

export function loadFacts(file: string, text?: string): LoadedFacts {
  const { value } = loadYamlFile(file, factsFileSchema, checkFacts, text);
  return { file, facts: value };
}

function checkFacts(f: FactsFile, source: YamlSource): SourceProblem[] {
  const problems: SourceProblem[] = [];
  if (f.factsVersion > FACTS_VERSION) {
    problems.push(
      source.problem(
        ['factsVersion'],
        `facts version ${f.factsVersion} is newer than this cnibench understands (${FACTS_VERSION})`,
      ),
    );
  }
  for (const [project, p] of Object.entries(f.projects)) {
    for (const group of ['facts', 'capabilities'] as const) {
      for (const [key, fact] of Object.entries(p[group])) {
        const known = fact.value !== UNKNOWN;
        if (known && fact.source === null && !fact.measured) {
          problems.push(
            source.problem(
              ['projects', project, group, key, 'source'],
              'a known value needs a source URL or measured provenance (or set value: unknown)',
            ),
          );
        }
      }
    }
  }
  return problems;
}

/** How a candidate relates to the facts file. */
export type FactsLookup =
  | { kind: 'project'; key: string; project: ProjectFacts }
  | { kind: 'not-applicable'; key: string; reason: string }
  | { kind: 'missing'; key: string };

export function factsFor(facts: FactsFile | undefined, key: string): FactsLookup {
  if (!facts) return { kind: 'missing', key };
  const reason = facts.notApplicable[key];
  if (reason !== undefined) return { kind: 'not-applicable', key, reason };
  const project = facts.projects[key];
  return project ? { kind: 'project', key, project } : { kind: 'missing', key };
}

export interface StaleFact {
  project: string;
  key: string;
  asOf: string;
  ageDays: number;
}

/** Facts read longer ago than maxAgeDays (known values only: an unknown value is reported as missing instead). */
export function staleFacts(facts: FactsFile, maxAgeDays: number, now: Date): StaleFact[] {
  const out: StaleFact[] = [];
  for (const [project, p] of Object.entries(facts.projects)) {
    for (const group of [p.facts, p.capabilities]) {
      for (const [key, fact] of Object.entries(group)) {
        if (!isKnown(fact)) continue;
        const ageDays = Math.floor((now.getTime() - Date.parse(`${fact.asOf}T00:00:00Z`)) / 86_400_000);
        if (ageDays > maxAgeDays) out.push({ project, key, asOf: fact.asOf, ageDays });
      }
    }
  }
  return out;
}
