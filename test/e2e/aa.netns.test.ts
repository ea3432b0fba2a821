/**
 * The A/A check on this (busy) machine: `cnibench run SCENARIO --aa` measures one local profile twice,
 * as two candidates, in interleaved blocks — throughput with 1 and 4 streams on same-node, cross-node
 * and service, RR and CRR on the same paths (with paired baselines), 6 samples each. Every
 * better/worse verdict between the two is false; after Holm's adjustment fewer than 5% of the
 * comparisons may be called better or worse. The report's provenance section shows the check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResultsFile } from '../../src/results/schema.js';
import { networkObjects, ROUTED, runCli, runIds, writeScenario } from './helpers-local.js';

test(
  'A/A: the same profile twice — fewer than 5% of comparisons better or worse after adjustment',
  { timeout: 400_000 },
  async () => {
    const { dir, file: scenario } = writeScenario({
      name: 'aa',
      candidates: ROUTED,
      workloads: [
        // iperf3 runs whole seconds: a paired baseline would add a third to the test's time.
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
    assert.equal(run.code, 0, run.stderr);
    const { runId, objectId } = runIds(run.stderr);
    // Only this run's objects: other tests on the machine may create and remove their own meanwhile.
    assert.deepEqual(networkObjects(objectId), [], 'both clusters were removed');
    const r = JSON.parse(readFileSync(path.join(dir, runId, 'results.json'), 'utf8')) as ResultsFile;
    assert.deepEqual(
      r.candidates.map((c) => c.name),
      ['routed-1', 'routed-2'],
    );
    assert.deepEqual(r.aa, { of: 'routed' });
    assert.deepEqual(r.interleaving?.candidates, ['routed-1', 'routed-2']);
    for (const c of r.candidates) {
      assert.deepEqual(c.errors, []);
      for (const m of c.measurements) {
        assert.ok(m.samples.length >= 6, `${c.name} ${m.id}: ${m.samples.length} samples`);
        assert.equal(m.schedule?.length, m.samples.length);
      }
    }
    const aa = r.analysis?.aa;
    assert.ok(aa, 'the run recorded its A/A check');
    // 6 throughput figures (no baseline); RR (median and p99) and CRR on 3 paths, each absolute and
    // normalized: 24. Cost: CPU per Gbit of the 6 throughput figures, CPU per transaction and per
    // thousand connections on 3 paths, absolute and normalized: 18 more.
    assert.equal(aa.comparisons, 42);
    const share = aa.falseDiscoveries / aa.comparisons;
    console.log(
      `  A/A on this machine (${seconds.toFixed(0)} s): ${aa.falseDiscoveries} of ${aa.comparisons} comparisons better/worse after ${aa.adjust}; drift on ${r.analysis?.drift.length} figure(s)`,
    );
    for (const d of aa.discoveries) console.log(`    ${d}`);
    assert.ok(
      share < 0.05,
      `${aa.falseDiscoveries} of ${aa.comparisons} false discoveries: ${aa.discoveries.join('; ')}`,
    );
    assert.match(run.stdout, /A\/A check: routed measured twice as two candidates; \d+ of 42 comparisons/);
    const md = readFileSync(path.join(dir, runId, 'report.md'), 'utf8');
    assert.match(md, /\| A\/A check \| A\/A check: routed measured twice/);
  },
);
