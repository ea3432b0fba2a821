/**
 * Reads a scenario file: YAML with positions → zod shape → cross-field checks. Every problem is
 * reported at once with file, line, column and field path; nothing is touched before this passes.
 * The CNIs and throughput tools a scenario may name come from the registries above this room, handed
 * down as descriptors (`ScenarioExtensions`, extensions.ts).
 */
import { z } from 'zod';
import { loadYamlFile, type SourceProblem, type YamlSource } from '../util/yaml-source.js';
import { unsupportedVersion } from './cni-versions.js';
import type { ScenarioExtensions } from './extensions.js';
import {
  BUILTIN_CRITERIA,
  isLocalCandidate,
  scenarioSchemaFor,
  type Candidate,
  type Scenario,
} from './schema.js';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

export function loadScenario(file: string, ext: ScenarioExtensions, text?: string): LoadedScenario {
  // A null field is read as left out (its default applies), as every validator of cnibench reads it.
  const { value } = loadYamlFile(
    file,
    scenarioSchemaFor(ext),
    (s: Scenario, source: YamlSource) => checkScenario(s, source, ext),
    text,
    { nullAsAbsent: true },
  );
  return { file, scenario: value };
}

/** Rules that span several fields, which the shape alone cannot express. */
function checkScenario(s: Scenario, source: YamlSource, ext: ScenarioExtensions): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const seen = new Map<string, number>();
  s.candidates.forEach((c, i) => {
    const first = seen.get(c.name);
    if (first !== undefined) {
      problems.push(
        source.problem(
          ['candidates', i, 'name'],
          `duplicate candidate name "${c.name}" (also candidates[${first}])`,
        ),
      );
    } else seen.set(c.name, i);
    const isLocalProfile = isLocalCandidate(c);
    if (s.cluster.kind === 'local' && !isLocalProfile) {
      problems.push(
        source.problem(
          ['candidates', i, 'cni'],
          `${c.cni} needs a real cluster (cluster.kind: kube); the local cluster runs the local reference profiles local-routed and local-vxlan`,
        ),
      );
    }
    problems.push(...versionProblems(c, i, source, ext));
    if (s.cluster.kind === 'kube' && isLocalProfile) {
      problems.push(
        source.problem(
          ['candidates', i, 'cni'],
          `${c.cni} is a local reference profile and runs only on cluster.kind: local`,
        ),
      );
    }
  });

  const criteria = new Set<string>([...BUILTIN_CRITERIA, ...s.scoring.customCriteria.map((c) => c.name)]);
  for (const name of Object.keys(s.scoring.weights)) {
    if (!criteria.has(name)) {
      problems.push(
        source.problem(
          ['scoring', 'weights', name],
          `unknown criterion "${name}": built-in criteria are ${BUILTIN_CRITERIA.join(', ')}; define others under scoring.customCriteria`,
        ),
      );
    }
  }
  if (Object.values(s.scoring.weights).every((w) => w === 0)) {
    problems.push(source.problem(['scoring', 'weights'], 'at least one weight must be positive'));
  }
  const customNames = new Set<string>();
  s.scoring.customCriteria.forEach((c, i) => {
    if ((BUILTIN_CRITERIA as readonly string[]).includes(c.name) || customNames.has(c.name)) {
      problems.push(
        source.problem(['scoring', 'customCriteria', i, 'name'], `criterion "${c.name}" is already defined`),
      );
    }
    customNames.add(c.name);
  });

  s.workloads.forEach((w, i) => {
    if (w.kind === 'policy-scale') {
      const sorted = [...w.counts].sort((a, b) => a - b);
      if (new Set(w.counts).size !== w.counts.length || sorted.some((v, k) => v !== w.counts[k])) {
        problems.push(
          source.problem(
            ['workloads', i, 'counts'],
            'expected policy counts in increasing order without repeats',
          ),
        );
      }
    }
    if (w.kind === 'throughput') {
      const why = ext.throughputTools.find((t) => t.name === w.tool)?.isSupported(w);
      if (why) problems.push(source.problem(['workloads', i, 'protocol'], why));
    }
    if ((w.kind === 'throughput' || w.kind === 'latency') && new Set(w.paths).size !== w.paths.length) {
      problems.push(source.problem(['workloads', i, 'paths'], 'a path is listed twice'));
    }
  });
  return problems;
}

/** A version outside the support matrix, and settings the candidate's version does not have. */
function versionProblems(
  c: Candidate,
  i: number,
  source: YamlSource,
  ext: ScenarioExtensions,
): SourceProblem[] {
  if (isLocalCandidate(c)) return [];
  const cni = ext.cnis.find((d) => d.name === c.cni);
  if (!cni) return [];
  const outside = unsupportedVersion(cni.matrix, c.version);
  if (outside) return [source.problem(['candidates', i, 'version'], outside)];
  return (cni.checkSettings?.(c.settings, c.version) ?? []).map((p) =>
    source.problem(['candidates', i, 'settings', ...p.path], p.message),
  );
}

/** The JSON Schema of scenario files, for editors' autocompletion (`cnibench schema`). */
export function scenarioJsonSchema(ext: ScenarioExtensions): object {
  const schema = z.toJSONSchema(scenarioSchemaFor(ext), { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'cnibench scenario',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
