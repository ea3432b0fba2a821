/**
 * A field set to null is a field left out, as the API server decodes it, in every validator: the
 * NetworkPolicy validator, the admin-tier validator, the case file (its zod shape and semantic checks)
 * and the scenario file. The construct comes from network-policy-api's conformance base
 * (`conformance/base/api_integration/standard-anp-np-banp.yaml`: a NetworkPolicy whose
 * `podSelector:` is left empty), written here in our own words; that file is not among the stored
 * upstream files (../shared/upstream holds the CRDs only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nullFieldsAbsent } from '../../src/util/null-fields.js';
import { formatPath, validateNetworkPolicy } from '../../src/netpol/validate.js';
import { validateAdminTierObject } from '../../src/netpol/admin-validate.js';
import { checkCaseText, parseCaseText } from '../../src/netpol/case-file.js';
import { resolveCase } from '../../src/netpol/resolve.js';
import { computeTruthTable } from '../../src/netpol/truth-table.js';
import { loadScenario } from '../../src/run/scenario-file.js';

const lines = (ps: Array<{ path: (string | number)[]; message: string }>) =>
  ps.map((p) => `${formatPath(p.path)}: ${p.message}`);

test('nullFieldsAbsent leaves out null fields at any depth, keeps list elements, and reads a null label as ""', () => {
  assert.deepEqual(
    nullFieldsAbsent({
      a: null,
      b: { c: null, d: [null, { e: null, f: 1 }] },
      labels: { x: null, y: 'z' },
      matchLabels: { k: null },
    }),
    { b: { d: [null, { f: 1 }] }, labels: { x: '', y: 'z' }, matchLabels: { k: '' } },
  );
  assert.equal(nullFieldsAbsent(null), null);
  assert.equal(nullFieldsAbsent('s'), 's');
});

test('validateNetworkPolicy: a null podSelector, rule list, peer selector or port field is absent', () => {
  const policy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'x', labels: null },
    spec: {
      podSelector: null,
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { house: 'y' } }, podSelector: null }], ports: null },
      ],
      egress: null,
    },
  };
  assert.deepEqual(lines(validateNetworkPolicy(policy)), []);
  // Null where a value is required is still refused, and a null list element is not "absent".
  assert.deepEqual(lines(validateNetworkPolicy({ ...policy, spec: { ingress: [{ from: [null] }] } })), [
    'spec.ingress[0].from[0]: must be a peer object',
  ]);
  assert.deepEqual(lines(validateNetworkPolicy({ ...policy, metadata: { name: null, namespace: 'x' } })), [
    'metadata.name: name is required',
  ]);
});

test('validateAdminTierObject: null optional fields of every admin-tier kind are absent', () => {
  const cnp = {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name: 'c', labels: null },
    spec: {
      tier: 'Admin',
      priority: 10,
      subject: { namespaces: { matchLabels: { house: 'x' }, matchExpressions: null } },
      ingress: [
        {
          name: null,
          action: 'Deny',
          from: [{ namespaces: { matchLabels: { house: 'y' } } }],
          protocols: null,
        },
      ],
      egress: null,
    },
  };
  const anp = {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name: 'a' },
    spec: {
      priority: 5,
      subject: { namespaces: {} },
      ingress: null,
      egress: [{ action: 'Deny', to: [{ namespaces: {} }], ports: null }],
    },
  };
  const banp = {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: {
      subject: { namespaces: {} },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      egress: null,
    },
  };
  assert.deepEqual(lines(validateAdminTierObject('ClusterNetworkPolicy', cnp)), []);
  assert.deepEqual(lines(validateAdminTierObject('AdminNetworkPolicy', anp)), []);
  assert.deepEqual(lines(validateAdminTierObject('BaselineAdminNetworkPolicy', banp)), []);
  // A required field set to null is missing, with the API server's message for a missing field.
  assert.notDeepEqual(
    lines(validateAdminTierObject('AdminNetworkPolicy', { ...anp, spec: { ...anp.spec, priority: null } })),
    [],
  );
});

const CASE = (extra: string) => `name: null-fields
namespaces:
  x: { house: x }
  y: { house: y }
pods:
  - { namespace: x, name: a }
  - { namespace: y, name: b }
policies:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: { name: from-y, namespace: x }
    spec:
      podSelector:${extra ? '' : ' {}'}
      policyTypes: [Ingress]
      ingress:
        - from:
            - namespaceSelector:
                matchLabels: { house: y }
${extra}probes:
  - { port: 80 }
`;

test('a case file: a policy with podSelector left empty and baselineAdminNetworkPolicy: null load as absent', () => {
  const withNulls = parseCaseText('nulls.yaml', CASE('baselineAdminNetworkPolicy: null\ndescription:\n'));
  const explicit = parseCaseText('explicit.yaml', CASE(''));
  assert.equal(withNulls.baselineAdminNetworkPolicy, undefined);
  assert.equal(withNulls.description, undefined);
  assert.deepEqual(withNulls.policies[0]?.spec.podSelector, {});
  // The model reads the two cases alike: the empty podSelector selects every pod of x.
  assert.deepEqual(computeTruthTable(resolveCase(withNulls)), computeTruthTable(resolveCase(explicit)));
  // A null where the shape needs a value is still a problem, with its position.
  const bad = checkCaseText('bad.yaml', CASE('').replace('name: null-fields', 'name:'));
  assert.deepEqual(
    bad.problems.map((p) => `${p.line} ${p.message}`),
    ['1 expected a string, got a null'],
  );
});

test('a scenario file: an optional field set to null takes its default', () => {
  const { scenario } = loadScenario(
    'nulls.yaml',
    `name: nulls
description:
cluster: { kind: local, nodes: 2 }
candidates:
  - { name: routed, cni: local-routed, settings: }
workloads:
  - { kind: latency, repetitions: null }
repetitions:
report:
`,
  );
  assert.equal(scenario.description, undefined);
  assert.equal(
    scenario.repetitions.warmup,
    loadScenario('scenarios/quickstart.yaml').scenario.repetitions.warmup,
  );
  assert.deepEqual(scenario.report.formats.length > 0, true);
});
