import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { explain, formatExplanation } from '../../src/netpol/explain.js';
import { InputError } from '../../src/util/errors.js';
import { mkCase, pod, policy, TCP80 } from './helpers.js';

const c = mkCase({
  namespaces: { x: {}, y: {} },
  pods: [pod('x/a', { app: 'a' }), pod('x/b', { app: 'b' }), pod('y/c', { app: 'c' })],
  policies: [
    policy('x', 'deny', { podSelector: {} }),
    policy('x', 'allow-a', {
      podSelector: { matchLabels: { app: 'b' } },
      ingress: [
        { from: [{ podSelector: { matchLabels: { app: 'z' } } }] },
        {
          from: [{ namespaceSelector: {} }, { podSelector: { matchLabels: { app: 'a' } } }],
          ports: [{ port: 81 }, { port: 80 }],
        },
      ],
    }),
    policy('y', 'egress', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [{ to: [{ podSelector: {} }] }],
    }),
  ],
});

describe('explain', () => {
  test('names the isolating policies and the rule, peer and port that allowed the traffic', () => {
    const e = explain(c, 'x/a', 'x/b', TCP80);
    assert.equal(e.allowed, true);
    assert.deepEqual(e.egress, {
      direction: 'egress',
      subject: 'x/a',
      peer: 'x/b',
      selectedBy: [],
      isolated: false,
      allowedBy: [],
      allowed: true,
    });
    assert.deepEqual(e.ingress, {
      direction: 'ingress',
      subject: 'x/b',
      peer: 'x/a',
      selectedBy: ['x/deny', 'x/allow-a'],
      isolated: true,
      allowedBy: [{ policy: 'x/allow-a', ruleIndex: 1, peerIndex: 0, portIndex: 1 }],
      allowed: true,
    });
    assert.equal(
      formatExplanation(e),
      [
        'x/a -> x/b 80/TCP: ALLOWED',
        '  egress at x/a: allowed (no policy selects x/a for egress; not isolated)',
        '  ingress at x/b: allowed (isolated by x/deny, x/allow-a)',
        '    allowed by x/allow-a ingress[1]: from[0], ports[1]',
      ].join('\n'),
    );
  });

  test('a denial says which side denied and that no rule admitted the peer', () => {
    const e = explain(c, 'y/c', 'x/a', TCP80);
    assert.equal(e.allowed, false);
    assert.equal(e.egress.allowed, false);
    assert.equal(e.ingress.allowed, false);
    assert.equal(
      formatExplanation(e),
      [
        'y/c -> x/a 80/TCP: DENIED',
        '  egress at y/c: DENIED (isolated by y/egress)',
        '    no egress rule of these policies admits x/a on this port',
        '  ingress at x/a: DENIED (isolated by x/deny)',
        '    no ingress rule of these policies admits y/c on this port',
      ].join('\n'),
    );
  });

  test('rules without peers or ports are reported as such', () => {
    const e = explain(c, 'y/c', 'y/c', TCP80);
    assert.deepEqual(e.egress.allowedBy, [{ policy: 'y/egress', ruleIndex: 0, peerIndex: 0 }]);
    assert.match(formatExplanation(e), /allowed by y\/egress egress\[0\]: to\[0\], any port \(no ports\)/);
  });

  test('unknown pod key is an InputError', () => {
    assert.throws(() => explain(c, 'x/zz', 'x/a', TCP80), InputError);
  });
});
