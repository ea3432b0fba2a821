import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { caseToYaml, checkCaseText, loadCaseFile, parseCaseText } from '../../src/netpol/case-file.js';
import { resolveCase } from '../../src/netpol/resolve.js';
import { changedPairs } from '../../src/netpol/step-diff.js';
import { caseStates, stateAt, stepKind, adminTierApiOverSteps } from '../../src/netpol/steps.js';
import { builtinSuite, filterByTags, SUITE_TAGS } from '../../src/netpol/suite/index.js';
import { computeTruthTable } from '../../src/netpol/truth-table.js';
import { formatProblem } from '../../src/util/yaml-source.js';
import { InputError } from '../../src/util/errors.js';
import { cnibench } from '../cli/netpol-runner.js';
import { repoPath } from '../helpers/paths.js';

const STEPS = repoPath('test/fixtures/cases/steps.yaml');
const INVALID = repoPath('test/fixtures/cases/steps-invalid.yaml');
const tables = (c: Parameters<typeof caseStates>[0]) =>
  caseStates(c).map((s) => computeTruthTable(resolveCase(s)));

describe('multi-step cases: the model', () => {
  test('one state per step; each step changes what the model says', () => {
    const c = loadCaseFile(STEPS);
    const t = tables(c);
    assert.equal(t.length, 3);
    const tcp = (n: number) => t[n]?.probes[0]?.allowed;
    assert.equal(tcp(0)?.['y/a']?.['x/a'], false);
    assert.equal(tcp(1)?.['y/a']?.['x/a'], true, 'namespace y labelled ns2=updated');
    assert.equal(tcp(1)?.['x/b']?.['x/a'], false);
    assert.equal(tcp(2)?.['x/b']?.['x/a'], true, 'policy deleted: default allow');
    assert.deepEqual(
      changedPairs(must(t[0]), must(t[1]), true).map((p) => `${p.from}->${p.to}`),
      ['y/a->x/a'],
    );
    assert.deepEqual(changedPairs(must(t[0]), must(t[1])), [], 'no allow turned to deny');
  });

  test('stateAt names the steps there are', () => {
    const c = loadCaseFile(STEPS);
    assert.equal(stateAt(c, 1).namespaces.y?.ns2, 'updated');
    assert.throws(
      () => stateAt(c, 3),
      (e: unknown) => e instanceof InputError && /steps 0 to 2/.test(e.message),
    );
  });

  test('the step kind names each change', () => {
    const c = loadCaseFile(STEPS);
    assert.deepEqual((c.steps ?? []).map(stepKind), ['label:namespace', 'delete:NetworkPolicy']);
  });
});

describe('multi-step cases: validation names the step and the action', () => {
  test('shape problems, all at once, with positions', () => {
    const { problems } = checkCaseText('cases/steps-invalid.yaml', readFileSync(INVALID, 'utf8'));
    assert.deepEqual(problems.map(formatProblem), [
      'cases/steps-invalid.yaml:11:9 steps[0].actions[0].setPodLabel: unknown action "setPodLabel" (did you mean "setPodLabels"?); actions: create, update, delete, setPodLabels, removePodLabels, setNamespaceLabels, removeNamespaceLabels',
      'cases/steps-invalid.yaml:18:17 steps[1].actions[2].delete: deleting a NetworkPolicy needs its namespace',
    ]);
  });

  test('replay problems: what does not exist at that step', () => {
    const text = readFileSync(INVALID, 'utf8')
      .replace('setPodLabel:', 'setPodLabels:')
      .replace('delete: { name: foo }', 'delete: { name: foo, namespace: x }');
    const { problems } = checkCaseText('cases/steps-invalid.yaml', text);
    assert.deepEqual(problems.map(formatProblem), [
      'cases/steps-invalid.yaml:12:9 steps[0].actions[1]: step 1 (one): NetworkPolicy "x/nope" does not exist at this step (use create)',
      "cases/steps-invalid.yaml:16:9 steps[1].actions[0]: step 2: kubernetes.io/metadata.name is set by the API server to the namespace's name and cannot be changed",
      'cases/steps-invalid.yaml:17:9 steps[1].actions[1]: step 2: no pod "x/zz" in the case (pods are named namespace/name)',
      'cases/steps-invalid.yaml:18:9 steps[1].actions[2]: step 2: NetworkPolicy "x/foo" does not exist at this step',
    ]);
  });

  test('a created object is checked as the API server would', () => {
    const text = `${readFileSync(STEPS, 'utf8')}  - actions:\n      - create:\n          kind: ClusterNetworkPolicy\n          metadata: { name: c }\n          spec: { tier: Admin, priority: 2000, subject: { namespaces: {} } }\n      - create:\n          metadata: { name: n, namespace: x }\n          spec: { podSelecter: {} }\n`;
    const { problems } = checkCaseText('s.yaml', text);
    const msgs = problems.map(formatProblem);
    assert.equal(msgs.length, 2, msgs.join('\n'));
    assert.match(
      msgs[0] ?? '',
      /^s\.yaml:\d+:\d+ steps\[2\]\.actions\[0\]\.create\.spec\.priority: ClusterNetworkPolicy "c": /,
    );
    assert.match(
      msgs[1] ?? '',
      /steps\[2\]\.actions\[1\]\.create\.spec\.podSelecter: unknown key "podSelecter"/,
    );
  });

  test('a case may not mix the two admin-tier APIs across its steps', () => {
    const c = must(builtinSuite().find((x) => x.name === 'change-cnp-deny-added-over-np-allow'));
    const bad = structuredClone(c);
    bad.adminNetworkPolicies = [
      {
        metadata: { name: 'p' },
        spec: {
          priority: 1,
          subject: { namespaces: {} },
          ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
        },
      },
    ];
    const { problems } = checkCaseText('m.yaml', caseToYaml(bad));
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /may not mix v1alpha1 .* across its steps/);
  });
});

describe('the policy-change group', () => {
  const group = filterByTags(builtinSuite(), { tags: ['policy-change'] });

  test('has at least 40 multi-step cases, each reloadable from its YAML', () => {
    assert.ok(group.length >= 40, `${group.length} cases`);
    for (const c of group) {
      assert.ok((c.steps?.length ?? 0) >= 1, c.name);
      assert.deepEqual(parseCaseText(`${c.name}.yaml`, caseToYaml(c)), c, c.name);
      for (const t of c.tags ?? [])
        assert.ok((SUITE_TAGS as readonly string[]).includes(t), `${c.name}: ${t}`);
    }
  });

  test('every step changes the truth table, and the allow/deny tags say which way', () => {
    for (const c of group) {
      const t = tables(c);
      let denials = 0;
      let allows = 0;
      for (let n = 1; n < t.length; n++) {
        const d = changedPairs(must(t[n - 1]), must(t[n])).length;
        const a = changedPairs(must(t[n - 1]), must(t[n]), true).length;
        assert.ok(d + a > 0, `${c.name}: step ${n} changes nothing the probes see`);
        denials += d;
        allows += a;
      }
      assert.equal(
        (c.tags ?? []).includes('change:allow-to-deny'),
        denials > 0,
        `${c.name}: change:allow-to-deny`,
      );
      if (!(c.tags ?? []).includes('change:allow-to-deny'))
        assert.ok(
          (c.tags ?? []).includes('change:deny-to-allow') && allows > 0,
          `${c.name}: change:deny-to-allow`,
        );
    }
  });

  test('covers what the issue asks for', () => {
    const names = group.map((c) => c.name);
    for (const n of [
      'change-upstream-updated-namespace',
      'change-upstream-updated-pod',
      'change-last-ingress-policy-deleted',
    ])
      assert.ok(names.includes(n), n);
    assert.ok(group.some((c) => adminTierApiOverSteps(c) === 'v1alpha2'));
    assert.ok(group.some((c) => adminTierApiOverSteps(c) === 'v1alpha1'));
    assert.ok(group.some((c) => (c.tags ?? []).includes('change:pod-labels')));
    assert.ok(group.some((c) => (c.tags ?? []).includes('change:namespace-labels')));
  });
});

describe('cnibench netpol with steps', () => {
  test('expect prints one table per step', async () => {
    const r = await cnibench('netpol', 'expect', STEPS);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^step 0: before any change\n/);
    assert.match(r.stdout, /\nstep 1: label namespace y ns2=updated\n {2}label namespace y ns2=updated\n/);
    assert.match(r.stdout, /\nstep 2: delete the policy\n {2}delete NetworkPolicy x\/allow-ns2-updated\n/);
    assert.equal(r.stdout.match(/TCP\/80/g)?.length, 3);
  });

  test('expect --output json: the steps with their tables', async () => {
    const r = await cnibench('netpol', 'expect', STEPS, '--output', 'json');
    const j = JSON.parse(r.stdout) as {
      steps: Array<{ step: number; probes: Array<{ allowed: Record<string, Record<string, boolean>> }> }>;
    };
    assert.deepEqual(
      j.steps.map((s) => s.step),
      [0, 1, 2],
    );
    assert.equal(j.steps[1]?.probes[0]?.allowed['y/a']?.['x/a'], true);
  });

  test('explain --step N explains the state after step N', async () => {
    const args = ['netpol', 'explain', STEPS, '--from', 'y/a', '--to', 'x/a', '--port', '80'];
    const at0 = await cnibench(...args, '--step', '0');
    assert.match(at0.stdout, /step 0 of 2\ny\/a -> x\/a 80\/TCP: DENIED/);
    const at1 = await cnibench(...args, '--step', '1');
    assert.match(at1.stdout, /y\/a -> x\/a 80\/TCP: ALLOWED/);
    const bad = await cnibench(...args, '--step', '7');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--step 7: case "updated-namespace" has steps 0 to 2/);
  });

  test('suite list --tag policy-change lists the group', async () => {
    const r = await cnibench('netpol', 'suite', 'list', '--tag', 'policy-change');
    assert.equal(r.code, 0);
    const n = Number(/(\d+) cases\n$/.exec(r.stdout)?.[1]);
    assert.ok(n >= 40, r.stdout);
  });
});

function must<T>(v: T | undefined): T {
  assert.ok(v !== undefined);
  return v;
}
