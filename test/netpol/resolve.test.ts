import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCase } from '../../src/netpol/resolve.js';
import type { PolicyCase } from '../../src/netpol/types.js';
import { InputError } from '../../src/util/errors.js';

function base(overrides: Partial<PolicyCase>): PolicyCase {
  return {
    name: 'c',
    namespaces: {},
    pods: [],
    policies: [],
    probes: [{ port: 80, protocol: 'TCP' }],
    ...overrides,
  };
}

describe('resolveCase', () => {
  test('adds kubernetes.io/metadata.name to declared and pod-only namespaces, overriding a wrong value', () => {
    const r = resolveCase(
      base({
        namespaces: { x: { team: 'a' }, y: { 'kubernetes.io/metadata.name': 'spoofed' } },
        pods: [{ namespace: 'z', name: 'a' }],
      }),
    );
    assert.deepEqual(r.namespaces, {
      x: { team: 'a', 'kubernetes.io/metadata.name': 'x' },
      y: { 'kubernetes.io/metadata.name': 'y' },
      z: { 'kubernetes.io/metadata.name': 'z' },
    });
  });

  test('assigns IPs by namespace order of first appearance, then pod order within the namespace', () => {
    const r = resolveCase(
      base({
        namespaces: { y: {} },
        pods: [
          { namespace: 'x', name: 'a' },
          { namespace: 'y', name: 'a' },
          { namespace: 'x', name: 'b' },
          { namespace: 'y', name: 'b', ip: 'fd00::0001' },
          { namespace: 'y', name: 'c' },
        ],
      }),
    );
    assert.deepEqual(
      r.pods.map((p) => [p.key, p.ip]),
      [
        ['x/a', '10.244.2.10'],
        ['y/a', '10.244.1.10'],
        ['x/b', '10.244.2.11'],
        ['y/b', 'fd00::1'],
        ['y/c', '10.244.1.12'],
      ],
    );
  });

  test('pods without ports get one named container port per distinct probe; explicit ports are kept', () => {
    const r = resolveCase(
      base({
        pods: [
          { namespace: 'x', name: 'a' },
          { namespace: 'x', name: 'b', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
        ],
        probes: [
          { port: 80, protocol: 'TCP' },
          { port: 53, protocol: 'UDP' },
          { port: 80, protocol: 'TCP' },
          { port: 9, protocol: 'SCTP' },
        ],
      }),
    );
    assert.deepEqual(r.pods[0]?.ports, [
      { name: 'serve-80-tcp', port: 80, protocol: 'TCP' },
      { name: 'serve-53-udp', port: 53, protocol: 'UDP' },
      { name: 'serve-9-sctp', port: 9, protocol: 'SCTP' },
    ]);
    assert.deepEqual(r.pods[1]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(r.pods[0]?.labels, {});
    assert.equal(r.pods[0]?.key, 'x/a');
    assert.deepEqual(r.tags, []);
  });

  test('rejects duplicate pods, duplicate IPs, bad IPs and duplicate port names', () => {
    const cases: Array<[Partial<PolicyCase>, string]> = [
      [
        {
          pods: [
            { namespace: 'x', name: 'a' },
            { namespace: 'x', name: 'a' },
          ],
        },
        'case "c": pods[1]: duplicate pod "x/a"',
      ],
      [
        {
          pods: [
            { namespace: 'x', name: 'a' },
            { namespace: 'x', name: 'b', ip: '10.244.1.10' },
          ],
        },
        'case "c": pods[1]: IP 10.244.1.10 of "x/b" is also used by "x/a"',
      ],
      [
        { pods: [{ namespace: 'x', name: 'a', ip: '10.0.0.300' }] },
        'case "c": pods[0].ip: invalid IP address "10.0.0.300": octet 300 is greater than 255',
      ],
      [
        {
          pods: [
            {
              namespace: 'x',
              name: 'a',
              ports: [
                { name: 'p', port: 1, protocol: 'TCP' },
                { name: 'p', port: 2, protocol: 'UDP' },
              ],
            },
          ],
        },
        'case "c": pods[0]: duplicate port name "p" in "x/a"',
      ],
    ];
    for (const [o, message] of cases) {
      assert.throws(
        () => resolveCase(base(o)),
        (e: unknown) => e instanceof InputError && e.message === message,
      );
    }
  });
});
