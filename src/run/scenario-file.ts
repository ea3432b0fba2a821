/**
 * Scenario files with the CNIs and throughput tools the registries hold: the scenario room (below both)
 * reads them as descriptors handed down from here, the lowest room above both registries.
 */
import { installers } from '../cni/registry.js';
import type { ScenarioExtensions } from '../scenario/extensions.js';
import {
  loadScenario as loadWith,
  scenarioJsonSchema as jsonSchemaWith,
  type LoadedScenario,
} from '../scenario/load.js';
import { candidateSchemaFor, scenarioSchemaFor } from '../scenario/schema.js';
import { throughputTools } from '../workloads/tools/registry.js';

/** What a scenario may name: every registered CNI and throughput tool. */
function scenarioExtensions(): ScenarioExtensions {
  return { cnis: installers(), throughputTools: throughputTools() };
}

/** Reads and validates a scenario file (every problem at once, exit 2). */
export function loadScenario(file: string, text?: string): LoadedScenario {
  return loadWith(file, scenarioExtensions(), text);
}

/** The JSON Schema of scenario files (`cnibench schema`). */
export function scenarioJsonSchema(): object {
  return jsonSchemaWith(scenarioExtensions());
}

/** The scenario schema, for scenarios built in code. */
export function scenarioSchema() {
  return scenarioSchemaFor(scenarioExtensions());
}

/** The candidate schema, for candidates built in code (`cnibench install calico` without a scenario). */
export function candidateSchema() {
  return candidateSchemaFor(installers());
}
