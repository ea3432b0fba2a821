/**
 * `cnibench netpol explain --run ID --case NAME`: a case of a finished run explained with the pod
 * addresses the cluster gave (recorded in results.json), next to what the cluster did; the run found
 * by directory or by id under --results-dir; clear errors for a case the run lacks or that several
 * candidates ran. The results file here is written by hand, as a run would have left it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explainRunCase, formatRunExplanation } from '../../src/cli/explain-run.js';
import { resolveCase } from '../../src/netpol/resolve.js';
import { builtinSuite } from '../../src/netpol/suite/index.js';
import type { CaseResult } from '../../src/results/schema.js';
import { RESULTS_SCHEMA_VERSION } from '../../src/results/schema.js';
import { CnibenchError } from '../../src/util/errors.js';

// Its policy admits 10.244.2.0/23 (namespaces y and z in the layout) into x on TCP 80.
const CASE = 'ingress-x-all-pods-from-cidr-y-z-on-tcp-80';
const RUN_ID = '20261130-120000-abcdef';

describe('netpol explain --run', () => {
  let root: string;
  let runDir: string;

  before(() => {
    const c = builtinSuite().find((x) => x.name === CASE);
    assert.ok(c);
    // The cluster put namespace y's pods outside the policy's CIDR: the model denies y/a -> x/a there,
    // and the cluster (as one that ignores ipBlock would) allowed it.
    const pods = resolveCase(c).pods.map((p) => ({
      key: p.key,
      ip: p.key.startsWith('y/') ? p.ip.replace('10.244.2.', '10.250.0.') : p.ip,
    }));
    const failed: CaseResult = {
      name: CASE,
      tags: c.tags ?? [],
      status: 'fail',
      programmingLatencyMs: null,
      mismatches: [
        {
          from: 'y/a',
          to: 'x/a',
          port: 80,
          protocol: 'TCP',
          expected: false,
          observed: true,
          detail: 'connected',
        },
      ],
      probes: 288,
      durationMs: 1000,
      pods,
    };
    const passed: CaseResult = { ...failed, status: 'pass', mismatches: [], programmingLatencyMs: 12 };
    const candidate = (name: string, r: CaseResult) => ({
      name,
      cni: name,
      label: name,
      settings: {},
      measurements: [],
      completedSteps: [],
      errors: [],
      conformance: {
        cases: 1,
        passed: 0,
        failed: 1,
        skipped: 0,
        durationMs: 1,
        failures: [],
        caseResults: [r],
      },
    });
    root = mkdtempSync(path.join(tmpdir(), 'cnibench-explain-run-'));
    runDir = path.join(root, RUN_ID);
    mkdirSync(runDir);
    writeFileSync(
      path.join(runDir, 'results.json'),
      JSON.stringify({
        schemaVersion: RESULTS_SCHEMA_VERSION,
        runId: RUN_ID,
        origin: {
          kind: 'check',
          command: 'cnibench check scs-0219',
          standard: 'scs-0219-v1',
          testcases: [],
          options: { lanes: 4, reportFormats: ['md'], report: true },
        },
        provenance: {},
        status: 'complete',
        candidates: [candidate('calico', failed), candidate('cilium', passed)],
      }),
    );
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  test('every mismatch of the case, evaluated with the real pod addresses', () => {
    const r = explainRunCase({ run: runDir, resultsDir: 'results', caseName: CASE, candidate: 'calico' });
    assert.equal(r.explanations.length, 1);
    assert.equal(r.explanations[0]?.explanation.allowed, false);
    const text = formatRunExplanation(r);
    assert.match(text, new RegExp(`^run ${RUN_ID}, calico, case ${CASE}: fail, 1 mismatch\\n`));
    assert.match(text, /y\/a -> x\/a 80\/TCP: DENIED/);
    assert.match(text, /on the cluster: ALLOWED \(connected\) — a mismatch/);
  });

  test('one probe, the run given by its id under --results-dir', () => {
    const r = explainRunCase({
      run: RUN_ID,
      resultsDir: root,
      caseName: CASE,
      candidate: 'calico',
      probe: { from: 'z/a', to: 'x/a', port: 80, protocol: 'TCP' },
    });
    // z's pods kept their layout addresses, inside the /23: allowed, and the cluster agreed.
    assert.match(
      formatRunExplanation(r),
      /z\/a -> x\/a 80\/TCP: ALLOWED[\s\S]*allowed by x\/allow-in ingress\[0\][\s\S]*on the cluster: as the model says/,
    );
  });

  test('a passing case has nothing to explain unless a probe is named', () => {
    const r = explainRunCase({ run: runDir, resultsDir: 'results', caseName: CASE, candidate: 'cilium' });
    assert.match(formatRunExplanation(r), /nothing to explain/);
  });

  test('clear errors: several candidates, an unknown case, an unknown run', () => {
    const problem = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        assert.ok(err instanceof CnibenchError);
        assert.equal(err.exitCode, 2);
        return err.message;
      }
      assert.fail('expected an error');
    };
    assert.match(
      problem(() => explainRunCase({ run: runDir, resultsDir: 'results', caseName: CASE })),
      /ran it for calico and cilium; add --candidate NAME/,
    );
    assert.match(
      problem(() =>
        explainRunCase({ run: runDir, resultsDir: 'results', caseName: `${CASE}x`, candidate: 'calico' }),
      ),
      new RegExp(`no result for that case \\(did you mean "${CASE}"\\?\\)`),
    );
    assert.match(
      problem(() => explainRunCase({ run: 'nope', resultsDir: root, caseName: CASE })),
      /--run nope: no such run directory/,
    );
  });
});
