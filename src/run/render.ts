/** The reports at the end of `cnibench run`: the scenario's formats, next to results.json. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { renderReports } from '../report/render.js';
import type { ResultsStore } from '../results/store.js';
import { PROJECT_ROOT } from '../util/version.js';

/** The facts file named by the scenario: as given, else relative to the cnibench checkout. */
function resolveFactsFile(factsFile: string, scenarioFile: string): string {
  if (path.isAbsolute(factsFile)) return factsFile;
  const fromCwd = path.resolve(factsFile);
  const candidates = [
    fromCwd,
    path.resolve(path.dirname(scenarioFile), factsFile),
    path.join(PROJECT_ROOT, factsFile),
  ];
  return candidates.find((p) => existsSync(p)) ?? fromCwd;
}

export async function renderRunReports(store: ResultsStore): Promise<string[]> {
  const r = store.data;
  // `run` opened this store with its scenario (orchestrate.ts); a check renders its own reports.
  if (r.origin.kind !== 'scenario') throw new Error(`${store.dir}: not a scenario run`);
  const { file, scenario } = r.origin;
  return renderReports([r], {
    outDir: store.dir,
    formats: scenario.report.formats,
    charts: scenario.report.charts,
    facts: resolveFactsFile(scenario.scoring.factsFile, file),
  });
}
