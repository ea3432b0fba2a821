/**
 * cnibench's admin-tier validator (src/netpol/admin-validate.ts) against the real CRDs of
 * network-policy-api (v0.2.0 ClusterNetworkPolicy, v0.1.7 AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy; v0.1.8 ships the same CRDs), validated by an independent
 * openAPIV3Schema + CEL checker (crd-check.ts):
 *   - every admin-tier object of the built-in suite is accepted by the experimental CRD (and by the
 *     standard one when it uses no experimental field);
 *   - a corpus of invalid objects is refused by both, and edge cases accepted by both;
 *   - where cnibench is deliberately stricter (label selectors, v1alpha1 protocols), the CRD
 *     accepts and cnibench refuses with a message saying so;
 *   - seeded random mutations of valid objects get the same verdict from both.
 * The CRDs come from ../shared/upstream; without them (outside CI) these tests are skipped and say so.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAdminTierObject, type AdminTierKind } from '../../src/netpol/admin-validate.js';
import { builtinSuite } from '../../src/netpol/suite/index.js';
import { seededRandom } from '../../src/stats/prng.js';
import { pick as pickWith } from '../../src/util/arrays.js';
import { crdProblems, crdSkipReason, loadCrd, type Schema } from './crd-check.js';

const skip = crdSkipReason();
if (skip) process.stderr.write(`admin-crd.test: ${skip}\n`);

const FILES: Record<AdminTierKind, { experimental: string; standard: string }> = {
  ClusterNetworkPolicy: {
    experimental: 'v0.2.0/experimental/policy.networking.k8s.io_clusternetworkpolicies.yaml',
    standard: 'v0.2.0/standard/policy.networking.k8s.io_clusternetworkpolicies.yaml',
  },
  AdminNetworkPolicy: {
    experimental: 'v0.1.7/experimental/policy.networking.k8s.io_adminnetworkpolicies.yaml',
    standard: 'v0.1.7/standard/policy.networking.k8s.io_adminnetworkpolicies.yaml',
  },
  BaselineAdminNetworkPolicy: {
    experimental: 'v0.1.7/experimental/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml',
    standard: 'v0.1.7/standard/policy.networking.k8s.io_baselineadminnetworkpolicies.yaml',
  },
};

const crds = new Map<string, Schema>();
function crd(kind: AdminTierKind, channel: 'experimental' | 'standard'): Schema {
  const file = FILES[kind][channel];
  let s = crds.get(file);
  if (!s) crds.set(file, (s = loadCrd(file)));
  return s;
}

type Obj = Record<string, unknown>;

const BASE: Record<AdminTierKind, Obj> = {
  ClusterNetworkPolicy: {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name: 'base' },
    spec: {
      tier: 'Admin',
      priority: 10,
      subject: { pods: { namespaceSelector: { matchLabels: { a: 'b' } }, podSelector: {} } },
      ingress: [
        {
          name: 'r0',
          action: 'Deny',
          from: [{ namespaces: {} }],
          protocols: [{ tcp: { destinationPort: { number: 80 } } }],
        },
      ],
      egress: [
        {
          action: 'Accept',
          to: [
            { networks: ['10.0.0.0/8', 'fd00::/8'] },
            { pods: { podSelector: { matchExpressions: [{ key: 'k', operator: 'Exists' }] } } },
          ],
          protocols: [
            { udp: { destinationPort: { range: { start: 1, end: 2 } } } },
            { sctp: { destinationPort: { number: 9 } } },
          ],
        },
        {
          action: 'Pass',
          to: [{ namespaces: { matchLabels: { x: 'y' } } }],
          protocols: [{ destinationNamedPort: 'web' }],
        },
      ],
    },
  },
  AdminNetworkPolicy: {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name: 'base' },
    spec: {
      priority: 10,
      subject: { namespaces: {} },
      ingress: [
        {
          action: 'Allow',
          from: [{ pods: { namespaceSelector: {}, podSelector: {} } }],
          ports: [{ portNumber: { port: 80 } }],
        },
      ],
      egress: [
        {
          action: 'Deny',
          to: [{ networks: ['0.0.0.0/0'] }],
          ports: [{ portRange: { protocol: 'UDP', start: 5, end: 6 } }],
        },
        { action: 'Pass', to: [{ namespaces: {} }], ports: [{ namedPort: 'dns' }] },
      ],
    },
  },
  BaselineAdminNetworkPolicy: {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: {
      subject: { namespaces: {} },
      ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
      egress: [
        {
          action: 'Allow',
          to: [{ networks: ['10.1.0.0/16'] }],
          ports: [{ portNumber: { protocol: 'SCTP', port: 9 } }],
        },
      ],
    },
  },
};

/** A copy of the base object with the value at `path` set (undefined: deleted). */
function mutate(kind: AdminTierKind, path: (string | number)[], value: unknown): Obj {
  const o = structuredClone(BASE[kind]);
  let cur: Record<string | number, unknown> = o;
  for (const seg of path.slice(0, -1)) cur = cur[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1] ?? '';
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return o;
}

const ours = (kind: AdminTierKind, o: unknown) => validateAdminTierObject(kind, o);
const theirs = (kind: AdminTierKind, o: unknown) => crdProblems(crd(kind, 'experimental'), o);

const many = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** [kind, path, value, a fragment of cnibench's message]. */
const INVALID: Array<[AdminTierKind, (string | number)[], unknown, string]> = [
  ['ClusterNetworkPolicy', ['spec', 'tier'], 'Middle', 'must be one of "Admin", "Baseline"'],
  ['ClusterNetworkPolicy', ['spec', 'tier'], undefined, 'Required value'],
  ['ClusterNetworkPolicy', ['spec', 'priority'], 1001, 'between 0 and 1000'],
  ['ClusterNetworkPolicy', ['spec', 'priority'], -1, 'between 0 and 1000'],
  ['ClusterNetworkPolicy', ['spec', 'priority'], 1.5, 'whole number'],
  ['ClusterNetworkPolicy', ['spec', 'priority'], '10', 'whole number'],
  ['ClusterNetworkPolicy', ['spec', 'priority'], undefined, 'Required value'],
  ['ClusterNetworkPolicy', ['spec', 'subject'], undefined, 'Required value'],
  ['ClusterNetworkPolicy', ['spec', 'subject'], {}, 'exactly one of namespaces, pods (none is set)'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'subject'],
    { namespaces: {}, pods: { podSelector: {} } },
    'found namespaces and pods',
  ],
  ['ClusterNetworkPolicy', ['spec', 'subject'], { pods: { namespaceSelector: {} } }, 'Required value'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress'],
    many(26, () => ({ action: 'Deny', from: [{ namespaces: {} }] })),
    'at most 25 items',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress'],
    many(26, () => ({ action: 'Deny', to: [{ namespaces: {} }] })),
    'at most 25 items',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'action'],
    'Allow',
    'must be one of "Accept", "Deny", "Pass"',
  ],
  ['ClusterNetworkPolicy', ['spec', 'ingress', 0, 'from'], undefined, 'Required value'],
  ['ClusterNetworkPolicy', ['spec', 'ingress', 0, 'from'], [], 'at least 1 item'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'from'],
    many(26, () => ({ namespaces: {} })),
    'at most 25 items',
  ],
  ['ClusterNetworkPolicy', ['spec', 'ingress', 0, 'from', 0], {}, 'none is set'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'from', 0],
    { namespaces: {}, pods: { podSelector: {} } },
    'found namespaces and pods',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'from', 0],
    { networks: ['10.0.0.0/8'] },
    'unknown field "networks"',
  ],
  ['ClusterNetworkPolicy', ['spec', 'ingress', 0, 'name'], 'x'.repeat(101), 'longer than 100'],
  ['ClusterNetworkPolicy', ['spec', 'ingress', 0, 'protocols'], [], 'at least 1 item'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols'],
    many(26, (i) => ({ tcp: { destinationPort: { number: i + 1 } } })),
    'at most 25 items',
  ],
  ['ClusterNetworkPolicy', ['spec', 'ingress', 0, 'protocols', 0], {}, 'none is set'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols', 0],
    { tcp: { destinationPort: { number: 1 } }, udp: { destinationPort: { number: 1 } } },
    'found tcp and udp',
  ],
  ['ClusterNetworkPolicy', ['spec', 'ingress', 0, 'protocols', 0, 'tcp'], {}, 'Required value'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols', 0, 'tcp', 'destinationPort'],
    {},
    'none is set',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols', 0, 'tcp', 'destinationPort', 'number'],
    0,
    'between 1 and 65535',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols', 0, 'tcp', 'destinationPort', 'number'],
    65536,
    'between 1 and 65535',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols', 0, 'tcp', 'destinationPort'],
    { range: { start: 5, end: 5 } },
    'Start port must be less than End port',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols', 0, 'tcp', 'destinationPort'],
    { range: { start: 9, end: 5 } },
    'Start port must be less than End port',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols', 0, 'tcp', 'destinationPort'],
    { range: { start: 5 } },
    'Required value',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols', 0, 'tcp', 'destinationPort'],
    { number: 1, range: { start: 1, end: 2 } },
    'found number and range',
  ],
  ['ClusterNetworkPolicy', ['spec', 'egress', 0, 'to', 0, 'networks'], [], 'at least 1 item'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks'],
    many(26, (i) => `10.${i}.0.0/16`),
    'at most 25 items',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks', 0],
    'not-a-cidr',
    'Invalid CIDR format provided',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks', 0],
    '10.0.0.0/33',
    'Invalid CIDR format provided',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks', 0],
    '010.0.0.0/8',
    'Invalid CIDR format provided',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks', 0],
    '10.0.0.0',
    'Invalid CIDR format provided',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks', 0],
    '::ffff:10.0.0.1/128',
    'IPv4-mapped',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks', 0],
    'fe80::1%eth0/64',
    'Invalid CIDR format provided',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks', 0],
    '1111:2222:3333:4444:5555:6666:255.255.255.255/128',
    'longer than 43',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    'Duplicate value',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 1, 'to'],
    [{ networks: ['10.0.0.0/8'] }],
    'named port cannot be used with a networks peer',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 1, 'to'],
    [{ namespaces: {} }, { nodes: {} }],
    'named port cannot be used with a nodes peer',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 1, 'to'],
    [{ domainNames: ['example.com'] }],
    'named port cannot be used with a domainNames peer',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0],
    { domainNames: ['bad..name'] },
    'is not a domain name',
  ],
  ['ClusterNetworkPolicy', ['spec', 'egress', 0, 'to', 0], { domainNames: ['*.'] }, 'is not a domain name'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0],
    { domainNames: ['a.example.com', 'a.example.com'] },
    'Duplicate value',
  ],
  ['ClusterNetworkPolicy', ['spec', 'foo'], 1, 'unknown field "foo"'],
  ['ClusterNetworkPolicy', ['spec', 'ingress', 0, 'ports'], [], 'unknown field "ports"'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'from', 0, 'namespaces', 'matchLabel'],
    { a: 'b' },
    'unknown field "matchLabel" (did you mean "matchLabels"?)',
  ],
  ['ClusterNetworkPolicy', ['spec', 'subject', 'pods', 'podSelector'], 'all', 'must be a label selector'],
  [
    'AdminNetworkPolicy',
    ['spec', 'ingress', 0, 'action'],
    'Accept',
    'must be one of "Allow", "Deny", "Pass"',
  ],
  ['AdminNetworkPolicy', ['spec', 'priority'], 1001, 'between 0 and 1000'],
  ['AdminNetworkPolicy', ['spec', 'tier'], 'Admin', 'unknown field "tier"'],
  [
    'AdminNetworkPolicy',
    ['spec', 'ingress'],
    many(101, () => ({ action: 'Deny', from: [{ namespaces: {} }] })),
    'at most 100 items',
  ],
  [
    'AdminNetworkPolicy',
    ['spec', 'ingress', 0, 'from'],
    many(101, () => ({ namespaces: {} })),
    'at most 100 items',
  ],
  ['AdminNetworkPolicy', ['spec', 'ingress', 0, 'ports'], [], 'at least 1 item'],
  [
    'AdminNetworkPolicy',
    ['spec', 'ingress', 0, 'ports'],
    many(101, (i) => ({ portNumber: { port: i + 1 } })),
    'at most 100 items',
  ],
  ['AdminNetworkPolicy', ['spec', 'ingress', 0, 'ports', 0], {}, 'none is set'],
  [
    'AdminNetworkPolicy',
    ['spec', 'ingress', 0, 'ports', 0],
    { portNumber: { port: 1 }, namedPort: 'x' },
    'found portNumber and namedPort',
  ],
  [
    'AdminNetworkPolicy',
    ['spec', 'ingress', 0, 'ports', 0, 'portNumber'],
    { protocol: 'TCP' },
    'Required value',
  ],
  ['AdminNetworkPolicy', ['spec', 'ingress', 0, 'ports', 0, 'portNumber', 'port'], 0, 'between 1 and 65535'],
  ['AdminNetworkPolicy', ['spec', 'ingress', 0, 'ports', 0], { portRange: { start: 1 } }, 'Required value'],
  ['AdminNetworkPolicy', ['spec', 'ingress', 0, 'ports', 0], { protocols: [] }, 'unknown field "protocols"'],
  ['AdminNetworkPolicy', ['spec', 'ingress', 0, 'from', 0, 'pods'], { podSelector: {} }, 'Required value'],
  [
    'AdminNetworkPolicy',
    ['spec', 'egress', 1, 'to'],
    [{ networks: ['10.0.0.0/8'] }],
    'named port cannot be used with a networks peer',
  ],
  [
    'AdminNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0, 'networks', 0],
    '10.0.0.256/32',
    'Invalid CIDR format provided',
  ],
  [
    'BaselineAdminNetworkPolicy',
    ['metadata', 'name'],
    'other',
    'Only one baseline admin network policy with metadata.name="default"',
  ],
  ['BaselineAdminNetworkPolicy', ['spec', 'ingress', 0, 'action'], 'Pass', 'must be one of "Allow", "Deny"'],
  ['BaselineAdminNetworkPolicy', ['spec', 'priority'], 5, 'unknown field "priority"'],
  [
    'BaselineAdminNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0],
    { domainNames: ['example.com'] },
    'unknown field "domainNames"',
  ],
  [
    'BaselineAdminNetworkPolicy',
    ['spec', 'egress', 0, 'ports'],
    [{ namedPort: 'dns' }],
    'named port cannot be used with a networks peer',
  ],
];

/** Accepted by both although a reader might expect otherwise. */
const VALID_EDGES: Array<[AdminTierKind, (string | number)[], unknown]> = [
  ['ClusterNetworkPolicy', ['spec', 'priority'], 0],
  ['ClusterNetworkPolicy', ['spec', 'priority'], 1000],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress'],
    many(25, () => ({ action: 'Deny', from: [{ namespaces: {} }] })),
  ],
  ['ClusterNetworkPolicy', ['spec', 'ingress'], []],
  ['ClusterNetworkPolicy', ['spec', 'egress', 0, 'to', 0, 'networks', 0], '10.0.0.1/8'],
  ['ClusterNetworkPolicy', ['spec', 'egress', 0, 'to', 0, 'networks', 0], '::/0'],
  ['ClusterNetworkPolicy', ['spec', 'egress', 0, 'to', 0, 'networks', 0], '::1.2.3.4/128'],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0],
    { domainNames: ['*.example.com', 'kubernetes.io.'] },
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'egress', 0, 'to', 0],
    { nodes: { matchLabels: { 'kubernetes.io/os': 'linux' } } },
  ],
  ['ClusterNetworkPolicy', ['spec', 'subject'], { pods: { podSelector: {} } }],
  [
    'ClusterNetworkPolicy',
    ['spec', 'ingress', 0, 'protocols', 0, 'tcp', 'destinationPort'],
    { range: { start: 1, end: 65535 } },
  ],
  [
    'AdminNetworkPolicy',
    ['spec', 'ingress'],
    many(100, () => ({ action: 'Deny', from: [{ namespaces: {} }] })),
  ],
  // v1alpha1 documents start < end but does not enforce it.
  ['AdminNetworkPolicy', ['spec', 'egress', 0, 'ports', 0], { portRange: { start: 9, end: 5 } }],
  ['AdminNetworkPolicy', ['spec', 'egress', 0, 'ports', 0], { portRange: { start: 5, end: 5 } }],
  [
    'AdminNetworkPolicy',
    ['spec', 'ingress', 0, 'ports', 0],
    { portNumber: { protocol: 'UDP', port: 65535 } },
  ],
  ['BaselineAdminNetworkPolicy', ['spec', 'egress', 0, 'to', 0], { nodes: {} }],
];

/** Refused by cnibench on purpose, accepted by the CRD: [kind, path, value, message fragment]. */
const STRICTER: Array<[AdminTierKind, (string | number)[], unknown, string]> = [
  [
    'ClusterNetworkPolicy',
    ['spec', 'subject'],
    { namespaces: { matchExpressions: [{ key: 'a', operator: 'Bogus' }] } },
    'not checked by the CRD',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'subject'],
    { namespaces: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] } },
    'not checked by the CRD',
  ],
  [
    'ClusterNetworkPolicy',
    ['spec', 'subject'],
    { namespaces: { matchLabels: { 'bad key!': 'x' } } },
    'not checked by the CRD',
  ],
  [
    'AdminNetworkPolicy',
    ['spec', 'ingress', 0, 'ports', 0, 'portNumber', 'protocol'],
    'ICMP',
    'does not enum-check it',
  ],
];

describe('admin-tier validation against the real CRDs', { skip }, () => {
  test('every admin-tier object of the built-in suite is accepted by the experimental CRD (and the standard one without experimental fields)', () => {
    let n = 0;
    for (const c of builtinSuite()) {
      const objs: Array<[AdminTierKind, unknown]> = [
        ...(c.clusterNetworkPolicies ?? []).map((o): [AdminTierKind, unknown] => ['ClusterNetworkPolicy', o]),
        ...(c.adminNetworkPolicies ?? []).map((o): [AdminTierKind, unknown] => ['AdminNetworkPolicy', o]),
        ...(c.baselineAdminNetworkPolicy
          ? [['BaselineAdminNetworkPolicy', c.baselineAdminNetworkPolicy] as [AdminTierKind, unknown]]
          : []),
      ];
      for (const [kind, o] of objs) {
        n++;
        assert.deepEqual(theirs(kind, o), [], `${c.name}: ${kind}`);
        assert.deepEqual(ours(kind, o), [], `${c.name}: ${kind}`);
        const experimental = /"(nodes|domainNames|namedPort|destinationNamedPort)"/.test(JSON.stringify(o));
        if (!experimental)
          assert.deepEqual(
            crdProblems(crd(kind, 'standard'), o),
            [],
            `${c.name}: ${kind} (standard channel)`,
          );
      }
    }
    assert.ok(n >= 200, `${n} objects`);
  });

  test('the base objects of this test are valid for both', () => {
    for (const kind of Object.keys(BASE) as AdminTierKind[]) {
      assert.deepEqual(theirs(kind, BASE[kind]), [], kind);
      assert.deepEqual(ours(kind, BASE[kind]), [], kind);
    }
  });

  for (const [kind, path, value, fragment] of INVALID) {
    test(`${kind} ${path.join('.')} = ${JSON.stringify(value)?.slice(0, 60)}: refused by both`, () => {
      const o = mutate(kind, path, value);
      assert.notDeepEqual(theirs(kind, o), [], 'the CRD accepts it');
      const problems = ours(kind, o);
      assert.ok(problems.length > 0, 'cnibench accepts it');
      assert.ok(
        problems.some((p) => p.message.includes(fragment)),
        `no message with "${fragment}": ${JSON.stringify(problems)}`,
      );
    });
  }

  for (const [kind, path, value] of VALID_EDGES) {
    test(`${kind} ${path.join('.')} = ${JSON.stringify(value)?.slice(0, 60)}: accepted by both`, () => {
      const o = mutate(kind, path, value);
      assert.deepEqual(theirs(kind, o), []);
      assert.deepEqual(ours(kind, o), []);
    });
  }

  for (const [kind, path, value, fragment] of STRICTER) {
    test(`${kind} ${path.join('.')} = ${JSON.stringify(value)}: the CRD accepts, cnibench refuses and says why`, () => {
      const o = mutate(kind, path, value);
      assert.deepEqual(theirs(kind, o), []);
      const problems = ours(kind, o);
      assert.ok(
        problems.some((p) => p.message.includes(fragment)),
        JSON.stringify(problems),
      );
    });
  }

  test('2000 seeded random mutations of valid objects: the same verdict from both', () => {
    const rand = seededRandom(20261201);
    const pick = <T>(xs: readonly T[]): T => pickWith(rand, xs);
    const VALUES: unknown[] = [
      -1,
      0,
      1,
      80,
      1000,
      1001,
      65535,
      65536,
      2.5,
      '',
      'x',
      'TCP',
      'Accept',
      'Allow',
      'Deny',
      'Pass',
      'Admin',
      'Baseline',
      '10.0.0.0/8',
      '10.0.0.0/40',
      'web',
      [],
      [{}],
      {},
      true,
    ];
    const disagreements: string[] = [];
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const kind = pick(Object.keys(BASE) as AdminTierKind[]);
      const o = structuredClone(BASE[kind]);
      // Collect mutable locations outside metadata and label selectors (where cnibench is stricter on purpose).
      const spots: Array<[Record<string | number, unknown>, string | number]> = [];
      // v1alpha1 `protocol` has no enum in the CRD; cnibench refuses anything but TCP, UDP, SCTP.
      const stricter = ['metadata', 'matchLabels', 'matchExpressions', 'protocol'];
      const walk = (v: unknown) => {
        if (Array.isArray(v))
          v.forEach((x, j) => {
            spots.push([v as unknown as Record<number, unknown>, j]);
            walk(x);
          });
        else if (v && typeof v === 'object')
          for (const [k, x] of Object.entries(v)) {
            if (stricter.includes(k)) continue;
            spots.push([v as Record<string, unknown>, k]);
            walk(x);
          }
      };
      walk(o.spec);
      const steps = 1 + Math.floor(rand() * 2);
      for (let s = 0; s < steps; s++) {
        const [holder, key] = pick(spots);
        const op = rand();
        if (op < 0.25) {
          if (Array.isArray(holder)) holder.splice(Number(key), 1);
          else delete holder[key];
        } else if (op < 0.35 && !Array.isArray(holder)) holder[`extra${s}`] = 1;
        else if (op < 0.45 && Array.isArray(holder)) holder.push(structuredClone(holder[Number(key)]));
        else holder[key] = structuredClone(pick(VALUES));
      }
      const a = theirs(kind, o).length === 0;
      const b = ours(kind, o).length === 0;
      if (a) accepted++;
      if (a !== b)
        disagreements.push(
          `${kind} CRD ${a ? 'accepts' : 'refuses'}, cnibench ${b ? 'accepts' : 'refuses'}: ${JSON.stringify(o.spec)}`,
        );
    }
    assert.deepEqual(disagreements.slice(0, 5), []);
    // Not a degenerate sample: plenty of both verdicts.
    assert.ok(accepted > 200 && accepted < 1800, `${accepted} of 2000 accepted`);
  });
});
