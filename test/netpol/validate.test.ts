import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPath, validateNetworkPolicy, validatePolicies } from '../../src/netpol/validate.js';
import type { NetworkPolicy } from '../../src/netpol/types.js';
import { InputError } from '../../src/util/errors.js';
import { policy } from './helpers.js';

/** Validates a policy whose spec is given loosely (as YAML could hold it) and returns "path: message" lines. */
function problems(spec: unknown, metadata: unknown = { name: 'p', namespace: 'x' }): string[] {
  const p = { metadata, spec } as unknown as NetworkPolicy;
  return validateNetworkPolicy(p).map((q) => `${formatPath(q.path)}: ${q.message}`);
}

describe('validateNetworkPolicy', () => {
  test('accepts a policy using every feature', () => {
    const p = policy('x', 'ok', {
      podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['a'] }] },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            { podSelector: {} },
            { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } }, podSelector: {} },
            { ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } },
            { ipBlock: { cidr: 'fd00::/8', except: ['fd00::/16'] } },
          ],
          ports: [
            { port: 80 },
            { port: 'serve-80-tcp', protocol: 'TCP' },
            { port: 1000, endPort: 2000, protocol: 'SCTP' },
            { protocol: 'UDP' },
          ],
        },
        {},
      ],
      egress: [{ to: [{ namespaceSelector: {} }] }],
    });
    assert.deepEqual(validateNetworkPolicy(p), []);
  });

  test('metadata name and namespace are required and must be DNS names', () => {
    assert.deepEqual(problems({ podSelector: {} }, {}), [
      'metadata.name: name is required',
      'metadata.namespace: namespace is required',
    ]);
    assert.deepEqual(problems({ podSelector: {} }, { name: 'Bad_Name', namespace: 'a.b' }), [
      "metadata.name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      "metadata.namespace: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
    ]);
    assert.deepEqual(problems(undefined), ['spec: spec is required']);
  });

  test('ports: range, endPort rules, named port rules, protocol', () => {
    const ports = [
      { port: 0 },
      { port: 65536 },
      { endPort: 90 },
      { port: 'http', endPort: 90 },
      { port: 100, endPort: 99 },
      { port: 100, endPort: 70000 },
      { port: 'HTTP' },
      { port: 'a-very-long-port-name' },
      { port: '8080' },
      { port: 'a--b' },
      { port: '-ab' },
      { port: 80, protocol: 'ICMP' },
      { port: 80, protocol: 'tcp' },
      { port: 1.5 },
    ];
    assert.deepEqual(problems({ podSelector: {}, ingress: [{ ports }] }), [
      'spec.ingress[0].ports[0].port: port 0 must be between 1 and 65535, inclusive',
      'spec.ingress[0].ports[1].port: port 65536 must be between 1 and 65535, inclusive',
      'spec.ingress[0].ports[2].endPort: endPort requires a numeric port',
      'spec.ingress[0].ports[3].endPort: endPort requires a numeric port, not the named port "http"',
      'spec.ingress[0].ports[4].endPort: endPort 99 must be greater than or equal to port 100',
      'spec.ingress[0].ports[5].endPort: endPort 70000 must be between 1 and 65535, inclusive',
      'spec.ingress[0].ports[6].port: port name "HTTP" must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'spec.ingress[0].ports[6].port: port name "HTTP" must contain at least one letter (a-z)',
      'spec.ingress[0].ports[7].port: port name "a-very-long-port-name" must be no more than 15 characters',
      'spec.ingress[0].ports[8].port: port name "8080" must contain at least one letter (a-z)',
      'spec.ingress[0].ports[9].port: port name "a--b" must not contain consecutive hyphens',
      'spec.ingress[0].ports[10].port: port name "-ab" must not begin or end with a hyphen',
      'spec.ingress[0].ports[11].protocol: unsupported protocol "ICMP": must be one of TCP, UDP, SCTP',
      'spec.ingress[0].ports[12].protocol: unsupported protocol "tcp": must be one of TCP, UDP, SCTP',
      'spec.ingress[0].ports[13].port: must be an integer or a port name',
    ]);
  });

  test('egress rules are validated the same way, under spec.egress[i].to', () => {
    assert.deepEqual(problems({ podSelector: {}, egress: [{ to: [{}], ports: [{ endPort: 5 }] }] }), [
      'spec.egress[0].ports[0].endPort: endPort requires a numeric port',
      'spec.egress[0].to[0]: must specify a peer (podSelector, namespaceSelector or ipBlock)',
    ]);
  });

  test('ipBlock: bad CIDR, except must be a strict subset, no mixing with selectors', () => {
    assert.deepEqual(
      problems({
        podSelector: {},
        ingress: [
          {
            from: [
              { ipBlock: { cidr: '10.0.0.0/33' } },
              {
                ipBlock: {
                  cidr: '10.0.0.0/8',
                  except: ['10.0.0.0/8', '11.0.0.0/16', 'fd00::/64', '10.1.0.0/16', 'x'],
                },
              },
              { ipBlock: { cidr: 'fd00::/64', except: ['fd00::/65', 'fd01::/80'] } },
              { ipBlock: { cidr: '' } },
              { ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} },
            ],
          },
        ],
      }),
      [
        'spec.ingress[0].from[0].ipBlock.cidr: invalid CIDR "10.0.0.0/33": prefix length 33 exceeds 32 for IPv4',
        'spec.ingress[0].from[1].ipBlock.except[0]: except "10.0.0.0/8" must be a strict subset of cidr "10.0.0.0/8"',
        'spec.ingress[0].from[1].ipBlock.except[1]: except "11.0.0.0/16" must be a strict subset of cidr "10.0.0.0/8"',
        'spec.ingress[0].from[1].ipBlock.except[2]: except "fd00::/64" must be a strict subset of cidr "10.0.0.0/8"',
        'spec.ingress[0].from[1].ipBlock.except[4]: invalid CIDR "x": missing "/prefix-length"',
        'spec.ingress[0].from[2].ipBlock.except[1]: except "fd01::/80" must be a strict subset of cidr "fd00::/64"',
        'spec.ingress[0].from[3].ipBlock.cidr: cidr is required',
        'spec.ingress[0].from[4]: may not specify both ipBlock and another peer',
      ],
    );
  });

  test('label selectors: operator/values rules, keys and values', () => {
    assert.deepEqual(
      problems({
        podSelector: {
          matchLabels: { 'bad key!': 'v', 'example.com/ok': 'bad value!' },
          matchExpressions: [
            { key: 'a', operator: 'In' },
            { key: 'a', operator: 'NotIn', values: [] },
            { key: 'a', operator: 'Exists', values: ['x'] },
            { key: 'a', operator: 'DoesNotExist', values: ['x'] },
            { key: 'a', operator: 'Equals', values: ['x'] },
            { key: 'a', operator: 'In', values: ['ok', 'not ok'] },
            { key: '/a', operator: 'Exists' },
          ],
        },
        ingress: [
          { from: [{ namespaceSelector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } }] },
        ],
      }),
      [
        "spec.podSelector.matchLabels.bad key!: key \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        "spec.podSelector.matchLabels.example.com/ok: value \"bad value!\": a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        'spec.podSelector.matchExpressions[0].values: must be non-empty when operator is In',
        'spec.podSelector.matchExpressions[1].values: must be non-empty when operator is NotIn',
        'spec.podSelector.matchExpressions[2].values: must be empty when operator is Exists',
        'spec.podSelector.matchExpressions[3].values: must be empty when operator is DoesNotExist',
        'spec.podSelector.matchExpressions[4].operator: unsupported operator "Equals": must be one of In, NotIn, Exists, DoesNotExist',
        "spec.podSelector.matchExpressions[5].values[1]: \"not ok\": a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        'spec.podSelector.matchExpressions[6].key: prefix part must be non-empty',
        'spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values: must be non-empty when operator is In',
      ],
    );
  });

  test('policyTypes: only Ingress and Egress, at most two', () => {
    assert.deepEqual(problems({ podSelector: {}, policyTypes: ['Ingress', 'ingress'] }), [
      'spec.policyTypes[1]: unsupported policy type "ingress": must be Ingress or Egress',
    ]);
    assert.deepEqual(problems({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }), [
      'spec.policyTypes: may not specify more than two policyTypes',
    ]);
    // The API server accepts an empty list (then defaults it) and a repeated type.
    assert.deepEqual(problems({ podSelector: {}, policyTypes: [] }), []);
    assert.deepEqual(problems({ podSelector: {}, policyTypes: ['Egress', 'Egress'] }), []);
  });
});

describe('validatePolicies', () => {
  test('throws one InputError naming policy and field for every problem', () => {
    const bad = policy('x', 'deny-all', {
      podSelector: {},
      ingress: [{ ports: [{ port: 80 }, { endPort: 90 }] }],
    });
    assert.throws(
      () => validatePolicies([bad]),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.equal(e.exitCode, 2);
        assert.equal(
          e.message,
          'policy x/deny-all spec.ingress[0].ports[1].endPort: endPort requires a numeric port',
        );
        assert.deepEqual(e.problems, [e.message]);
        return true;
      },
    );
  });

  test('lists several problems, duplicate names and an optional source prefix', () => {
    const a = policy('x', 'a', { podSelector: {}, policyTypes: ['Sideways' as 'Ingress'] });
    const a2 = policy('x', 'a', { podSelector: {} });
    assert.throws(
      () => validatePolicies([a, a2], { source: 'cases.yaml case one' }),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.deepEqual(e.problems, [
          'cases.yaml case one: policy x/a spec.policyTypes[0]: unsupported policy type "Sideways": must be Ingress or Egress',
          'cases.yaml case one: policy x/a: duplicate policy name in namespace',
        ]);
        assert.equal(e.message, e.problems.join('\n'));
        return true;
      },
    );
  });

  test('valid policies pass silently', () => {
    assert.doesNotThrow(() =>
      validatePolicies([policy('x', 'a', { podSelector: {} }), policy('y', 'a', { podSelector: {} })]),
    );
  });
});
