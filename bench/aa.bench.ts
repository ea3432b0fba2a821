/**
 * The A/A check on this (busy) machine, a benchmark (it measures the machine, so it never gates CI):
 * `cnibench run SCENARIO --aa` measures one local profile twice, as two candidates, in interleaved
 * blocks — throughput with 1 and 4 streams on same-node, cross-node and service, RR and CRR on the
 * same paths, 6 blocks each. Every better/worse figure verdict between the two is false; the target is
 * fewer than 5% of the figures. CI checks the method on seeded synthetic data instead
 * (test/stats/method.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResultsFile } from '../src/results/schema.js';
import { ROUTED, runCli, runIds, writeScenario } from '../test/e2e/helpers-local.js';

export interface AaBenchResult {
  seconds: number;
  figures: number;
  falseDiscoveries: number;
  /** The multiple-comparison adjustment the verdicts were called after. */
  adjust: string;
  discoveries: string[];
  drift: number;
}

export async function runAaBench(opts: { log: (line: string) => void }): Promise<AaBenchResult> {
  const { dir, file: scenario } = writeScenario({
    name: 'aa',
    candidates: ROUTED,
    workloads: [
      {
        kind: 'throughput',
        paths: ['same-node', 'cross-node', 'service'],
        streams: [1, 4],
        duration: 1,
        baseline: false,
      },
      { kind: 'latency', mode: 'rr', paths: ['same-node', 'cross-node', 'service'], duration: 0.25 },
      { kind: 'latency', mode: 'crr', paths: ['same-node', 'cross-node', 'service'], duration: 0.25 },
    ],
    repetitions: { count: 6, warmup: 0, adaptive: false },
    report: { formats: ['md', 'json'], charts: false },
  });
  const started = Date.now();
  const run = await runCli(['run', scenario, '--aa', '--results-dir', dir]);
  const seconds = (Date.now() - started) / 1000;
  if (run.code !== 0) throw new Error(`cnibench run --aa exited ${run.code}: ${run.stderr}`);
  const { runId } = runIds(run.stderr);
  const r = JSON.parse(readFileSync(path.join(dir, runId, 'results.json'), 'utf8')) as ResultsFile;
  const aa = r.analysis?.aa;
  if (!aa) throw new Error('the run recorded no A/A check');
  opts.log(
    `A/A (${seconds.toFixed(0)} s): ${aa.falseDiscoveries} of ${aa.comparisons} figures better/worse after ${aa.adjust}; drift on ${r.analysis?.drift.length ?? 0}`,
  );
  return {
    seconds,
    figures: aa.comparisons,
    falseDiscoveries: aa.falseDiscoveries,
    adjust: aa.adjust,
    discoveries: aa.discoveries,
    drift: r.analysis?.drift.length ?? 0,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await runAaBench({ log: (l) => process.stderr.write(`${l}\n`) });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
