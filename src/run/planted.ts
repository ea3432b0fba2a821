/**
 * `cnibench run SCENARIO --planted P`: a power check of the method on the machine at hand. As with
 * `--aa`, the scenario's first candidate runs twice, as two candidates; the second copy carries a known
 * handicap of P % on every primary figure of a pod path (workloads/tools/planted.ts: a tbf rate cap
 * for throughput, a busy-wait in the agent for round trips and connection rates, both sized from the
 * warm-up). Every such figure *should* be called worse for the second copy: the run reports how many
 * were, how many got the wrong sign, and how many were missed (docs/statistics.md).
 *
 * Local cluster only: the rate cap is a qdisc on the embedded cluster's veths, and on a real cluster
 * cnibench would have to change the nodes' network to plant it.
 */
import { workloadRepetitions } from '../plan/build.js';
import type { PlantedCheck, ResultsFile } from '../results/schema.js';
import type { LoadedScenario } from '../scenario/load.js';
import type { Candidate } from '../scenario/schema.js';
import type { CompareReport } from '../compare/results-compare.js';
import { InputError } from '../util/errors.js';
import { aaNames } from './aa.js';

/** Accepted handicaps, %: below 1 % nothing on this machine could see it, above 90 % little is left. */
export const PLANTED_PERCENT = { min: 1, max: 90 } as const;

/** P from the command line (`--planted 10`), or an InputError (exit 2) that says what is accepted. */
export function checkPlantedPercent(raw: string | number): number {
  const text = String(raw).trim().replace(/%$/, '');
  const n = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(n) || n < PLANTED_PERCENT.min || n > PLANTED_PERCENT.max) {
    throw new InputError(
      `--planted: expected a handicap in % from ${PLANTED_PERCENT.min} to ${PLANTED_PERCENT.max}, got "${String(raw)}"`,
    );
  }
  return n;
}

export interface PlantedPlan {
  loaded: LoadedScenario;
  of: string;
  handicapped: string;
  percent: number;
}

export function plantedScenario(loaded: LoadedScenario, percent: number): PlantedPlan {
  const s = loaded.scenario;
  const { file } = loaded;
  if (s.cluster.kind !== 'local') {
    throw new InputError(
      `${file}: --planted runs on the embedded local cluster only (cluster.kind: local); on a real cluster it would have to change the nodes' network`,
    );
  }
  const first = s.candidates[0];
  if (!first) throw new InputError(`${file}: --planted needs a candidate`);
  const perf = s.workloads.filter((w) => w.kind !== 'conformance');
  if (perf.length === 0)
    throw new InputError(`${file}: --planted needs a throughput, latency or policy-scale workload`);
  const cold = perf.find((w) => workloadRepetitions(w, s).warmup < 1);
  if (cold) {
    throw new InputError(
      `${file}: --planted sizes its handicap from the warm-up: workload ${s.workloads.indexOf(cold) + 1} (${cold.kind}) has repetitions.warmup 0; give it at least 1`,
    );
  }
  const names = aaNames(first.name);
  const copies: Candidate[] = names.map((name) => ({ ...structuredClone(first), name }));
  return {
    loaded: { ...loaded, scenario: { ...s, candidates: copies } },
    of: first.name,
    handicapped: names[1],
    percent,
  };
}

/** The verdicts of the handicapped figures, counted (results.json `analysis.planted`). */
export function plantedTally(
  report: CompareReport,
  planted: NonNullable<ResultsFile['planted']>,
): PlantedCheck {
  // A figure measured again (resumed run) was handicapped again: the last record is the one in force.
  const byFigure = new Map(planted.handicaps.map((h) => [h.figure, h]));
  const check: PlantedCheck = {
    candidate: planted.of,
    handicapped: planted.handicapped,
    percent: planted.percent,
    figures: 0,
    detected: 0,
    wrongSign: 0,
    missed: 0,
    byWorkload: {},
    outcomes: [],
  };
  for (const row of report.rows) {
    const h = byFigure.get(row.id);
    const fig = row.figures.find((f) => f.candidate === planted.handicapped);
    if (!h || !fig || row.environmentCheck) continue;
    const verdict = fig.verdict ?? 'inconclusive';
    const kind = (check.byWorkload[row.workload] ??= { figures: 0, detected: 0, wrongSign: 0 });
    check.figures++;
    kind.figures++;
    if (verdict === 'worse') {
      check.detected++;
      kind.detected++;
    } else if (verdict === 'better') {
      check.wrongSign++;
      kind.wrongSign++;
    } else check.missed++;
    check.outcomes.push({ figure: row.id, verdict, intendedPercent: h.intendedPercent });
  }
  return check;
}
