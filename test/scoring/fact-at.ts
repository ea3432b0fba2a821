/** Reading one fact of a loaded facts file in a test, asserting the project and the fact are there. */
import type { Fact, FactsFile } from '../../src/scoring/facts.js';
import { must } from '../helpers/must.js';

/** The per-project fact groups of a facts file, keyed by project. */
function projectFacts(facts: FactsFile, project: string): Record<string, Fact> {
  return must(facts.projects[project], `project ${project}`).facts;
}

export function factAt(facts: FactsFile, project: string, key: string): Fact {
  return must(projectFacts(facts, project)[key], `fact ${project}.${key}`);
}
