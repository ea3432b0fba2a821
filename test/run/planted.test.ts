/**
 * `run --planted P` before anything runs: P is checked (exit 2, one line), real clusters and runs
 * without warm-up are refused, duet mode is refused on real clusters with the field's position; and
 * the tally of a finished run's verdicts on the handicapped figures.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  PLANTED_PERCENT,
  checkPlantedPercent,
  plantedScenario,
  plantedTally,
} from '../../src/run/planted.js';
import { loadScenario } from '../../src/run/scenario-file.js';
import type { ResultsFile } from '../../src/results/schema.js';
import type { CompareReport } from '../../src/compare/results-compare.js';
import { InputError } from '../../src/util/errors.js';
import { plantedSentence } from '../../src/report/planted.js';
import { CLI_MAIN, repoPath } from '../helpers/paths.js';

const LOCAL = {
  name: 'p',
  cluster: { kind: 'local' },
  candidates: [{ name: 'routed', cni: 'local-routed' }],
  workloads: [{ kind: 'latency', mode: 'rr', paths: ['cross-node'], duration: 0.2 }],
  repetitions: { count: 3, warmup: 1, adaptive: false },
};
const KUBE = {
  ...LOCAL,
  cluster: { kind: 'kube' },
  candidates: [{ name: 'calico', cni: 'calico', version: 'v3.32.1' }],
};

function scenarioFile(doc: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cnb-planted-'));
  const file = path.join(dir, 'scenario.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI_MAIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--planted P', () => {
  test(`accepts ${PLANTED_PERCENT.min} to ${PLANTED_PERCENT.max} %, with or without the % sign`, () => {
    assert.equal(checkPlantedPercent('10'), 10);
    assert.equal(checkPlantedPercent('2.5%'), 2.5);
    assert.equal(checkPlantedPercent(1), 1);
    assert.equal(checkPlantedPercent('90'), 90);
    for (const bad of ['0', '0.5', '91', '100', '-10', 'ten', '', '1e3', 'NaN']) {
      assert.throws(
        () => checkPlantedPercent(bad),
        (e: unknown) => e instanceof InputError && /from 1 to 90/.test(e.message),
        bad,
      );
    }
  });

  test('the first candidate twice; the second copy carries the handicap', () => {
    const loaded = loadScenario(scenarioFile(LOCAL));
    const p = plantedScenario(loaded, 10);
    assert.deepEqual(
      p.loaded.scenario.candidates.map((c) => c.name),
      ['routed-1', 'routed-2'],
    );
    assert.equal(p.handicapped, 'routed-2');
    assert.equal(p.of, 'routed');
  });

  test('refused on a real cluster and without warm-up (exit 2)', () => {
    assert.throws(
      () => plantedScenario(loadScenario(scenarioFile(KUBE)), 10),
      (e: unknown) =>
        e instanceof InputError && /--planted runs on the embedded local cluster only/.test(e.message),
    );
    const cold = { ...LOCAL, workloads: [{ ...LOCAL.workloads[0], repetitions: { count: 3, warmup: 0 } }] };
    assert.throws(
      () => plantedScenario(loadScenario(scenarioFile(cold)), 10),
      /workload 1 \(latency\) has repetitions.warmup 0/,
    );
  });

  test('the CLI: bad P, --aa with --planted, a real cluster — exit 2, one line, nothing created', () => {
    const local = scenarioFile(LOCAL);
    const results = mkdtempSync(path.join(tmpdir(), 'cnb-planted-res-'));
    for (const [args, message] of [
      [['--planted', '0'], /--planted: expected a handicap in % from 1 to 90, got "0"/],
      [['--planted', 'abc'], /got "abc"/],
      [['--planted', '95'], /got "95"/],
      [['--planted', '10', '--aa'], /--aa and --planted are two checks: give one of them/],
    ] as const) {
      const r = cli(['run', local, ...args, '--results-dir', results]);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
    const kube = cli(['run', scenarioFile(KUBE), '--planted', '10', '--results-dir', results]);
    assert.equal(kube.code, 2, kube.stderr);
    assert.match(kube.stderr, /--planted runs on the embedded local cluster only/);
    assert.equal(kube.stderr.trim().split('\n').length, 1, kube.stderr);
    assert.deepEqual(spawnSync('ls', ['-A', results], { encoding: 'utf8' }).stdout, '');
  });

  test('duet mode is refused on a real cluster, at the field’s position', () => {
    const file = scenarioFile({ ...KUBE, repetitions: { count: 3, warmup: 1, adaptive: false, duet: true } });
    const r = cli(['validate', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /scenario\.yaml:\d+:\d+ repetitions\.duet: duet mode needs the local cluster/);
    // The quickstart keeps validating.
    assert.equal(cli(['validate', repoPath('scenarios/quickstart.yaml')]).code, 0);
  });
});

describe('the planted tally', () => {
  const planted: NonNullable<ResultsFile['planted']> = {
    of: 'routed',
    handicapped: 'routed-2',
    percent: 10,
    handicaps: [
      {
        figure: 't/same',
        mechanism: 'rate-cap',
        warmup: 10,
        unit: 'Gbit/s',
        capBitsPerSecond: 9e9,
        intendedPercent: -10,
      },
      {
        figure: 'rr/same',
        mechanism: 'service-time',
        warmup: 40,
        unit: 'us',
        serviceUs: 4,
        intendedPercent: 10,
      },
      {
        figure: 'rr/cross',
        mechanism: 'service-time',
        warmup: 50,
        unit: 'us',
        serviceUs: 5,
        intendedPercent: 10,
      },
      {
        figure: 'crr/cross',
        mechanism: 'service-time',
        warmup: 4000,
        unit: 'conn/s',
        serviceUs: 27.8,
        intendedPercent: -10,
      },
      // measured again (a resumed run): the later record is the one in force
      {
        figure: 'rr/same',
        mechanism: 'service-time',
        warmup: 42,
        unit: 'us',
        serviceUs: 4.2,
        intendedPercent: 10,
      },
    ],
  };
  const row = (id: string, workload: string, verdict: string | undefined, extra: object = {}) => ({
    id,
    workload,
    figures: [{ candidate: 'routed-1' }, { candidate: 'routed-2', verdict }],
    ...extra,
  });
  const report = {
    rows: [
      row('t/same', 'throughput', 'worse'),
      row('rr/same', 'latency', 'worse'),
      row('rr/cross', 'latency', 'better'),
      row('crr/cross', 'connection-rate', 'inconclusive'),
      row('rr-p99/same', 'latency', 'worse'), // not handicapped by design: not counted
      row('t/baseline', 'throughput', 'worse', { environmentCheck: true }),
    ],
  } as unknown as CompareReport;

  test('worse is detected, better is the wrong sign, the rest is not seen; per workload', () => {
    const t = plantedTally(report, planted);
    assert.equal(t.figures, 4);
    assert.equal(t.detected, 2);
    assert.equal(t.wrongSign, 1);
    assert.equal(t.missed, 1);
    assert.deepEqual(t.byWorkload, {
      throughput: { figures: 1, detected: 1, wrongSign: 0 },
      latency: { figures: 2, detected: 1, wrongSign: 1 },
      'connection-rate': { figures: 1, detected: 0, wrongSign: 0 },
    });
    assert.deepEqual(
      t.outcomes.map((o) => `${o.figure} ${o.verdict} ${o.intendedPercent}`),
      ['t/same worse -10', 'rr/same worse 10', 'rr/cross better 10', 'crr/cross inconclusive -10'],
    );
    assert.equal(
      plantedSentence(t),
      'planted check: routed-2 carried a 10% handicap on 4 figures of routed; detected with the right sign on 2 (50%: throughput 1/1, latency 1/2, connection-rate 0/1), wrong sign on 1, not seen on 1.',
    );
  });
});
