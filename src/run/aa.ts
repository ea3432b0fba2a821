/**
 * `cnibench run SCENARIO --aa`: the scenario's first candidate twice, as two candidates, so that every
 * better/worse verdict between them is a false discovery. Users see how far their machine or cluster
 * can be trusted before they compare real candidates (docs/statistics.md, "A/A check").
 */
import type { LoadedScenario } from '../scenario/load.js';
import type { Candidate } from '../scenario/schema.js';
import { InputError } from '../util/errors.js';

/** The A/A copies' names: `<name>-1` and `<name>-2` (the name shortened to fit 30 characters). */
export function aaNames(name: string): [string, string] {
  const stem = name.slice(0, 28).replace(/-+$/, '');
  return [`${stem}-1`, `${stem}-2`];
}

export function aaScenario(loaded: LoadedScenario): { loaded: LoadedScenario; of: string } {
  const first = loaded.scenario.candidates[0];
  if (!first) throw new InputError(`${loaded.file}: --aa needs a candidate`);
  const copies: Candidate[] = aaNames(first.name).map((name) => ({ ...structuredClone(first), name }));
  return {
    loaded: { ...loaded, scenario: { ...loaded.scenario, candidates: copies } },
    of: first.name,
  };
}
