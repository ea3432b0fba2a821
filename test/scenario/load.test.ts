import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario, scenarioJsonSchema } from '../../src/run/scenario-file.js';
import { InputError } from '../../src/util/errors.js';

function problemsOf(file: string, text?: string): string[] {
  try {
    loadScenario(file, text);
  } catch (err) {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.exitCode, 2);
    return err.problems;
  }
  assert.fail('expected the scenario to be rejected');
}

test('the quickstart scenario is valid and gets its defaults', () => {
  const { scenario } = loadScenario('scenarios/quickstart.yaml');
  assert.equal(scenario.cluster.kind, 'local');
  assert.deepEqual(
    scenario.candidates.map((c) => c.cni),
    ['local-routed', 'local-vxlan'],
  );
  const conformance = scenario.workloads.find((w) => w.kind === 'conformance');
  assert.equal(conformance?.kind === 'conformance' && conformance.convergenceTimeout, 10);
  assert.equal(scenario.repetitions.warmup, 1);
});

test('every problem of a broken scenario is reported at once, with file, line, column and field', () => {
  assert.deepEqual(problemsOf('test/fixtures/scenarios/broken.yaml'), [
    'test/fixtures/scenarios/broken.yaml:4:10 cluster.nodes: the local cluster needs at least 2 nodes',
    'test/fixtures/scenarios/broken.yaml:10:14 candidates[1].version: expected a pinned version like v3.32.1',
    'test/fixtures/scenarios/broken.yaml:13:15 workloads[0].duration: expected a positive number of seconds',
    'test/fixtures/scenarios/broken.yaml:14:5 workloads[0].streems: unknown key "streems" (did you mean "streams"?)',
    'test/fixtures/scenarios/broken.yaml:15:11 workloads[1].kind: expected one of "conformance", "throughput", "latency", "policy-scale"',
  ]);
});

test('cross-field rules run once the shape is valid', () => {
  const text = `name: t
candidates:
  - name: a
    cni: local-routed
  - name: a
    cni: calico
    version: v3.29.1
workloads:
  - kind: policy-scale
    counts: [10, 0]
scoring:
  weights:
    speed: 10
`;
  assert.deepEqual(problemsOf('s.yaml', text), [
    's.yaml:5:11 candidates[1].name: duplicate candidate name "a" (also candidates[0])',
    's.yaml:6:10 candidates[1].cni: calico needs a real cluster (cluster.kind: kube); the local cluster runs the local reference profiles local-routed and local-vxlan',
    's.yaml:10:13 workloads[0].counts: expected policy counts in increasing order without repeats',
    's.yaml:13:12 scoring.weights.speed: unknown criterion "speed": built-in criteria are features, performance, maturity, acceptance, ossHealth; define others under scoring.customCriteria',
  ]);
});

test('YAML syntax errors name the position', () => {
  assert.deepEqual(problemsOf('s.yaml', 'name: x\ncandidates: [\n'), [
    's.yaml:3:1 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
  ]);
});

test('a missing required field points at the object that lacks it', () => {
  assert.deepEqual(problemsOf('s.yaml', 'name: x\ncandidates:\n  - name: a\n    cni: local-routed\n'), [
    's.yaml:1:1 workloads: required field is missing (expected an array)',
  ]);
});

test('a missing file is an input error naming the file', () => {
  assert.deepEqual(problemsOf('scenarios/does-not-exist.yaml'), [
    'scenarios/does-not-exist.yaml: cannot read file (no such file)',
  ]);
});

test('the published JSON Schema rejects unknown keys and lists the workload kinds', () => {
  const schema = scenarioJsonSchema() as {
    additionalProperties: boolean;
    properties: { workloads: { items: { oneOf?: Array<{ properties: { kind: { const: string } } }> } } };
  };
  assert.equal(schema.additionalProperties, false);
  const kinds = schema.properties.workloads.items.oneOf?.map((o) => o.properties.kind.const);
  assert.deepEqual(kinds, ['conformance', 'throughput', 'latency', 'policy-scale']);
});

test('Cilium native routing without its CIDR is caught at validation', () => {
  const text = `name: t
cluster:
  kind: kube
candidates:
  - name: c
    cni: cilium
    version: 1.16.5
    settings:
      routingMode: native
workloads:
  - kind: conformance
`;
  assert.deepEqual(problemsOf('s.yaml', text), [
    's.yaml:9:7 candidates[0].settings: routingMode: native needs ipv4NativeRoutingCidr (the CIDR reachable without masquerading, usually the pod CIDR)',
  ]);
});

test('a local profile names its policy engine; an unknown engine is an error at its position', () => {
  const text = `name: t
candidates:
  - name: a
    cni: local-vxlan
    settings:
      policyEngine: bpf
workloads:
  - kind: conformance
`;
  const problems = problemsOf('s.yaml', text);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(
    problems[0] ?? '',
    /^s\.yaml:6:21 candidates\[0\]\.settings\.policyEngine: .*"nftables".*"ebpf"/,
  );
});
