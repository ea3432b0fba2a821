/**
 * A check run's results say what produced them (`origin`, a check with its options) and carry no
 * scenario; every report format renders them, from a file of this version and from a version-3 file
 * whose check was recorded behind a stand-in scenario, which is read into the check origin it stood for.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderReports } from '../../src/report/render.js';
import type { ReportJson } from '../../src/report/json.js';
import { readResultsFile } from '../../src/results/store.js';
import { RESULTS_SCHEMA_VERSION, type CheckOrigin, type ResultsFile } from '../../src/results/schema.js';
import { scenarioSchema } from '../../src/run/scenario-file.js';
import { caseResult, conformance, syntheticLocal } from '../scoring/synthetic.js';
import { tempDir } from '../cni/helpers.js';

const CHECK: NonNullable<ResultsFile['check']> = {
  standard: 'scs-0219-v1',
  requested: ['kaas-networking-check'],
  verdicts: [
    { id: 'scs-0219-networkpolicy', requirement: 'MUST', verdict: 'FAIL', summary: '1 of 2 cases failed' },
    { id: 'kaas-networking-check', requirement: 'aggregate', verdict: 'FAIL', summary: 'the MUST failed' },
  ],
  exceptions: [],
  excepted: [],
  warnings: [],
  detected: [],
  exitCode: 1,
};

/** What the check was asked, the same in both versions. */
const ASKED: Pick<CheckOrigin, 'kind' | 'standard' | 'testcases' | 'context'> = {
  kind: 'check',
  standard: 'scs-0219-v1',
  testcases: ['kaas-networking-check'],
  context: 'kind-test',
};

/** A check's results as this cnibench writes them: a check origin, no scenario. */
function checkResults(): ResultsFile {
  const { origin: _scenario, ...rest } = syntheticLocal();
  return {
    ...rest,
    schemaVersion: RESULTS_SCHEMA_VERSION,
    origin: {
      ...ASKED,
      command: 'cnibench check scs-0219 kaas-networking-check',
      options: {
        lanes: 4,
        probeMode: 'agent',
        ipBlockException: 'narrow',
        optional: true,
        reportFormats: ['md', 'html', 'json', 'junit'],
        report: true,
      },
    },
    candidates: [
      {
        name: 'cluster',
        cni: 'unknown',
        label: 'unrecognised CNI (context kind-test)',
        settings: {},
        measurements: [],
        completedSteps: [],
        errors: [],
        conformance: conformance([
          caseResult('deny-all', ['direction:ingress'], 'fail', {
            mismatches: [
              { from: 'x/a', to: 'x/b', port: 80, protocol: 'TCP', expected: false, observed: true },
            ],
          }),
          caseResult('allow-all', ['direction:ingress'], 'pass'),
        ]),
      },
    ],
    check: CHECK,
  };
}

/** The same check as a version-3 file recorded it: top-level scenarioFile and a stand-in scenario. */
function version3Check(): Record<string, unknown> {
  const { origin: _origin, ...rest } = checkResults();
  return {
    ...rest,
    schemaVersion: 3,
    scenarioFile: 'cnibench check scs-0219',
    // The stand-in had no candidates, which a scenario file may not have.
    scenario: {
      ...scenarioSchema().parse({
        name: 'SCS scs-0219-v1 compliance check',
        cluster: { kind: 'kube', context: 'kind-test', conformanceLanes: 4 },
        candidates: [{ name: 'calico', cni: 'calico', version: 'v3.32.1' }],
        workloads: [{ kind: 'conformance', convergenceTimeout: 5 }],
        report: { formats: ['md', 'html', 'json', 'junit'], charts: false },
      }),
      candidates: [],
    },
  };
}

async function renderAll(t: Parameters<typeof tempDir>[0], r: ResultsFile) {
  const out = tempDir(t);
  const files = await renderReports([r], {
    outDir: out,
    formats: ['md', 'html', 'json', 'junit', 'csv'],
    charts: false,
    facts: null,
  });
  return { out, files: files.map((f) => path.basename(f)) };
}

describe('a check run in the results and the reports', () => {
  test('every format renders it, titled by the standard and citing the command, with no scenario', async (t) => {
    const { out, files } = await renderAll(t, checkResults());
    assert.deepEqual(files.sort(), [
      'junit.xml',
      'measurements.csv',
      'report.html',
      'report.json',
      'report.md',
    ]);
    const md = readFileSync(path.join(out, 'report.md'), 'utf8');
    assert.match(md, /^# cnibench check: SCS scs-0219-v1 compliance check/m);
    assert.match(
      md,
      /\| Check \| SCS scs-0219-v1 compliance check \(cnibench check scs-0219 kaas-networking-check\) \|/,
    );
    assert.match(md, /## Check as run/);
    assert.match(md, /ipBlockException: narrow/);
    assert.doesNotMatch(md, /Scenario as run|Decision record/);
    const json = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) as ReportJson;
    assert.equal(json.schema, 'cnibench-report/2');
    assert.deepEqual(
      json.runs.map((r) => [r.origin, r.title, r.source]),
      [['check', 'SCS scs-0219-v1 compliance check', 'cnibench check scs-0219 kaas-networking-check']],
    );
    assert.match(readFileSync(path.join(out, 'junit.xml'), 'utf8'), /kaas-networking-check/);
    assert.match(readFileSync(path.join(out, 'report.html'), 'utf8'), /Compliance check: SCS scs-0219-v1/);
  });

  test('a version-3 check file is read into the check origin its stand-in scenario recorded', async (t) => {
    const file = path.join(tempDir(t), 'results.json');
    writeFileSync(file, JSON.stringify(version3Check()));
    const r = readResultsFile(file);
    assert.equal('scenario' in r || 'scenarioFile' in r, false);
    assert.deepEqual(r.origin, {
      ...ASKED,
      command: 'cnibench check scs-0219',
      options: {
        lanes: 4,
        probeMode: 'agent',
        probeTimeout: 1,
        convergenceTimeout: 5,
        reportFormats: ['md', 'html', 'json', 'junit'],
        report: true,
      },
    });
    const { out, files } = await renderAll(t, r);
    assert.equal(files.length, 5);
    assert.match(readFileSync(path.join(out, 'report.md'), 'utf8'), /^# cnibench check: SCS scs-0219-v1/m);
  });

  test('a version-3 scenario file is read into a scenario origin', (t) => {
    const file = path.join(tempDir(t), 'results.json');
    const { origin, ...rest } = syntheticLocal();
    writeFileSync(
      file,
      JSON.stringify({ ...rest, schemaVersion: 3, scenarioFile: origin.file, scenario: origin.scenario }),
    );
    assert.deepEqual(readResultsFile(file).origin, origin);
  });
});
