/**
 * Reads a scenario file: YAML with positions → zod shape → cross-field checks. Every problem is
 * reported at once with file, line, column and field path; nothing is touched before this passes.
 */
import { z } from 'zod';
import { loadYamlFile, type SourceProblem, type YamlSource } from '../util/yaml-source.js';
import { BUILTIN_CRITERIA, scenarioSchema, type Candidate, type Scenario } from './schema.js';
import {
  CALICO_FEATURES,
  CILIUM_FEATURES,
  hasFeature,
  unsupportedVersion,
  type Feature,
} from './cni-versions.js';

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

export function loadScenario(file: string, text?: string): LoadedScenario {
  // A null field is read as left out (its default applies), as every validator of cnibench reads it.
  const { value } = loadYamlFile(file, scenarioSchema, checkScenario, text, { nullAsAbsent: true });
  return { file, scenario: value };
}

/** Rules that span several fields, which the shape alone cannot express. */
function checkScenario(s: Scenario, source: YamlSource): SourceProblem[] {
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
    const isLocalProfile = c.cni === 'local-routed' || c.cni === 'local-vxlan';
    if (s.cluster.kind === 'local' && !isLocalProfile) {
      problems.push(
        source.problem(
          ['candidates', i, 'cni'],
          `${c.cni} needs a real cluster (cluster.kind: kube); the local cluster runs the local reference profiles local-routed and local-vxlan`,
        ),
      );
    }
    if (c.cni === 'cilium' && c.settings.routingMode === 'native' && !c.settings.ipv4NativeRoutingCidr) {
      problems.push(
        source.problem(
          ['candidates', i, 'settings'],
          'routingMode: native needs ipv4NativeRoutingCidr (the CIDR reachable without masquerading, usually the pod CIDR)',
        ),
      );
    }
    problems.push(...versionProblems(c, i, source));
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
    if ((w.kind === 'throughput' || w.kind === 'latency') && new Set(w.paths).size !== w.paths.length) {
      problems.push(source.problem(['workloads', i, 'paths'], 'a path is listed twice'));
    }
  });
  return problems;
}

/** A version outside the support matrix, and settings the candidate's version does not have. */
function versionProblems(c: Candidate, i: number, source: YamlSource): SourceProblem[] {
  if (c.cni !== 'calico' && c.cni !== 'cilium') return [];
  const outside = unsupportedVersion(c.cni, c.version);
  if (outside) return [source.problem(['candidates', i, 'version'], outside)];
  const needs = (setting: string, f: Feature) =>
    hasFeature(f, c.version)
      ? []
      : [
          source.problem(
            ['candidates', i, 'settings', setting],
            `needs ${c.cni} ${f.since} or later (${f.what}); ${c.version} does not have it`,
          ),
        ];
  if (c.cni === 'calico') {
    return [
      ...(c.settings.dataplane === 'Nftables' ? needs('dataplane', CALICO_FEATURES.nftablesDataplane) : []),
      ...(c.settings.clusterNetworkPolicy
        ? needs('clusterNetworkPolicy', CALICO_FEATURES.clusterNetworkPolicy)
        : []),
    ];
  }
  return c.settings.clusterNetworkPolicy
    ? needs('clusterNetworkPolicy', CILIUM_FEATURES.clusterNetworkPolicy)
    : [];
}

/** The JSON Schema of scenario files, for editors' autocompletion (`cnibench schema`). */
export function scenarioJsonSchema(): object {
  const schema = z.toJSONSchema(scenarioSchema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'cnibench scenario',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')),
  };
}
