import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { newRunId, readResultsFile, ResultsStore, shortRunId } from '../../src/results/store.js';
import { RESULTS_SCHEMA_VERSION, type ResultsFile } from '../../src/results/schema.js';
import { loadScenario } from '../../src/run/scenario-file.js';
import { collectProvenance } from '../../src/results/provenance.js';
import { InputError } from '../../src/util/errors.js';

function initial(runId = newRunId()): ResultsFile {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId,
    origin: {
      kind: 'scenario',
      file: 'scenarios/quickstart.yaml',
      scenario: loadScenario('scenarios/quickstart.yaml').scenario,
    },
    status: 'running',
    provenance: collectProvenance({ kind: 'local', nodes: 2 }, ['ip']),
    candidates: [],
  };
}

test('run ids sort by time and end in the 6 hex digits that name the run objects', () => {
  const id = newRunId(new Date(Date.UTC(2026, 10, 24, 22, 5, 9)));
  assert.match(id, /^20261124-220509-[0-9a-f]{6}$/);
  assert.equal(shortRunId(id), id.slice(-6));
});

test('every update is written atomically and can be reopened', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'cnb-store-'));
  const store = ResultsStore.create(root, initial());
  store.update((r) => {
    r.candidates.push({
      name: 'a',
      cni: 'local-routed',
      label: 'x',
      settings: {},
      measurements: [],
      completedSteps: ['a/0-conformance'],
      errors: [],
    });
  });
  // No temp files are left behind, and the file on disk is the last complete state.
  assert.deepEqual(readdirSync(store.dir), ['results.json']);
  const reopened = ResultsStore.open(store.dir);
  assert.deepEqual(reopened.data.candidates[0]?.completedSteps, ['a/0-conformance']);
  assert.equal(reopened.data.provenance.cpus > 0, true);
  assert.throws(() => ResultsStore.create(root, reopened.data), InputError);
});

test('a results file of another schema version or not JSON is refused with its path', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cnb-store-'));
  const file = path.join(dir, 'results.json');
  writeFileSync(file, JSON.stringify({ ...initial(), schemaVersion: 99 }));
  assert.throws(() => readResultsFile(file), {
    message: `${file}: results schemaVersion 99 is not supported (this cnibench reads 1, 2, 3, 4 and 5; it writes 5)`,
  });
  writeFileSync(file, '{"schemaVersion": 1,');
  assert.throws(
    () => readResultsFile(file),
    (e: Error) => e instanceof InputError && e.message.startsWith(`${file}: not valid JSON`),
  );
  assert.ok(readFileSync(file, 'utf8').length > 0);
});
