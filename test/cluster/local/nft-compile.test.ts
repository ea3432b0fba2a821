import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chain, nftPod, setElements, threePods } from './nft-text.js';
import {
  cidrInterval,
  compileNodeRuleset,
  mergeIntervals,
  replaceTableScript,
  subtractIntervals,
  type NftPod,
} from '../../../src/cluster/local/nft-compile.js';
import type { ContainerPort, NetworkPolicy } from '../../../src/netpol/types.js';

const PORTS: ContainerPort[] = [
  { name: 'serve-80-tcp', port: 80, protocol: 'TCP' },
  { name: 'serve-81-udp', port: 81, protocol: 'UDP' },
];
const pod = (ns: string, name: string, ip: string, node: string) => nftPod(ns, name, ip, node, PORTS);
const pods = threePods(PORTS);
const namespaces = { x: { ns: 'x' }, y: { ns: 'y' } };

const policy = (spec: NetworkPolicy['spec'], name = 'p', namespace = 'x'): NetworkPolicy => ({
  metadata: { name, namespace },
  spec,
});

function compile(policies: NetworkPolicy[], node = 'node-0'): string {
  return compileNodeRuleset({ table: 'cnb_t', node, policies, pods, namespaces });
}

describe('interval helpers', () => {
  test('merge joins overlapping and adjacent intervals', () => {
    assert.deepEqual(
      mergeIntervals([
        [5, 9],
        [1, 3],
        [4, 4],
        [20, 30],
        [25, 26],
      ]),
      [
        [1, 9],
        [20, 30],
      ],
    );
  });
  test('subtract cuts holes and drops covered intervals', () => {
    assert.deepEqual(
      subtractIntervals(
        [[0, 100]],
        [
          [10, 19],
          [50, 100],
        ],
      ),
      [
        [0, 9],
        [20, 49],
      ],
    );
    assert.deepEqual(subtractIntervals([[0, 9]], [[0, 9]]), []);
  });
  test('cidrInterval covers the CIDR; IPv6 gives nothing', () => {
    assert.deepEqual(cidrInterval('10.244.1.0/24'), [0x0af40100, 0x0af401ff]);
    assert.deepEqual(cidrInterval('0.0.0.0/0'), [0, 0xffffffff]);
    assert.equal(cidrInterval('fd00::/64'), undefined);
  });
});

describe('compileNodeRuleset', () => {
  test('no policies: only the skeleton, nothing isolated', () => {
    const text = compile([]);
    assert.match(text, /^table inet cnb_t \{/);
    assert.deepEqual(chain(text, 'forward'), [
      'type filter hook forward priority filter; policy accept;',
      'ct state established,related accept',
      'ip saddr @iso_eg jump egress',
      'ip daddr @iso_in jump ingress',
    ]);
    assert.deepEqual(chain(text, 'ingress'), ['jump deny']);
    assert.deepEqual(chain(text, 'deny'), [
      'meta l4proto tcp reject with tcp reset',
      'reject with icmpx admin-prohibited',
    ]);
    assert.equal(setElements(text, 'iso_in'), undefined);
  });

  test('deny-all ingress isolates only the local selected pods', () => {
    const deny = [policy({ podSelector: {}, policyTypes: ['Ingress'] })];
    const n0 = compile(deny, 'node-0');
    assert.equal(setElements(n0, 'iso_in'), '10.244.1.10');
    assert.equal(setElements(n0, 'iso_eg'), undefined);
    assert.deepEqual(chain(n0, 'ingress'), ['jump deny']);
    const n1 = compile(deny, 'node-1');
    assert.equal(setElements(n1, 'iso_in'), '10.244.1.11');
  });

  test('a policy selecting no local pod leaves the node open', () => {
    const text = compile(
      [policy({ podSelector: { matchLabels: { pod: 'b' } }, policyTypes: ['Ingress'] })],
      'node-0',
    );
    assert.equal(setElements(text, 'iso_in'), undefined);
    assert.doesNotMatch(text, /p0_in_sel/);
  });

  test('peers become one interval set: pods by selector plus ipBlock minus except', () => {
    const text = compile([
      policy({
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [
          {
            from: [
              { podSelector: { matchLabels: { pod: 'b' } } },
              { ipBlock: { cidr: '10.244.2.0/24', except: ['10.244.2.10/32'] } },
              { ipBlock: { cidr: 'fd00::/64' } },
            ],
          },
        ],
      }),
    ]);
    assert.equal(setElements(text, 'p0_in_sel'), '10.244.1.10');
    assert.equal(
      setElements(text, 'p0_in0_peer'),
      '10.244.1.11, 10.244.2.0-10.244.2.9, 10.244.2.11-10.244.2.255',
    );
    assert.deepEqual(chain(text, 'ingress'), [
      'ip daddr @p0_in_sel ip saddr @p0_in0_peer accept comment "x/p"',
      'jump deny',
    ]);
  });

  test('namespaceSelector matches by namespace labels, including the implicit name label', () => {
    const text = compile([
      policy({
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'y' } } }] }],
      }),
    ]);
    assert.equal(setElements(text, 'p0_in0_peer'), '10.244.2.10');
  });

  test('numeric, ranged, protocol-only and named ports', () => {
    const text = compile([
      policy({
        podSelector: { matchLabels: { pod: 'a' } },
        ingress: [
          {
            ports: [
              { port: 80 },
              { protocol: 'UDP', port: 80, endPort: 81 },
              { protocol: 'SCTP' },
              { protocol: 'UDP', port: 'serve-81-udp' },
              { port: 'no-such-port' },
            ],
          },
        ],
      }),
    ]);
    assert.equal(setElements(text, 'p0_in0_ports'), 'sctp . 0-65535, tcp . 80, udp . 80-81');
    assert.equal(setElements(text, 'p0_in0_named'), '10.244.1.10 . udp . 81');
    assert.deepEqual(chain(text, 'ingress'), [
      'ip daddr @p0_in_sel meta l4proto . th dport @p0_in0_ports accept comment "x/p"',
      'ip daddr @p0_in_sel ip daddr . meta l4proto . th dport @p0_in0_named accept comment "x/p"',
      'jump deny',
    ]);
  });

  test('egress: return on allow (so ingress is still checked), named ports resolved on every destination', () => {
    const text = compile([
      policy({
        podSelector: { matchLabels: { pod: 'a' } },
        policyTypes: ['Egress'],
        egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 'serve-80-tcp' }] }],
      }),
    ]);
    assert.equal(setElements(text, 'iso_eg'), '10.244.1.10');
    assert.equal(setElements(text, 'iso_in'), undefined);
    assert.equal(
      setElements(text, 'p0_eg0_named'),
      '10.244.1.10 . tcp . 80, 10.244.1.11 . tcp . 80, 10.244.2.10 . tcp . 80',
    );
    assert.deepEqual(chain(text, 'egress'), [
      'ip saddr @p0_eg_sel ip daddr @p0_eg0_peer ip daddr . meta l4proto . th dport @p0_eg0_named return comment "x/p"',
      'jump deny',
    ]);
  });

  test('policyTypes default: egress only when spec.egress is non-empty', () => {
    const withEgress = compile([policy({ podSelector: {}, egress: [{}] })]);
    assert.equal(setElements(withEgress, 'iso_in'), '10.244.1.10');
    assert.equal(setElements(withEgress, 'iso_eg'), '10.244.1.10');
    assert.deepEqual(chain(withEgress, 'egress'), ['ip saddr @p0_eg_sel return comment "x/p"', 'jump deny']);
    const withoutEgress = compile([policy({ podSelector: {}, egress: [] })]);
    assert.equal(setElements(withoutEgress, 'iso_eg'), undefined);
  });

  test('a peer set that matches nothing drops the rule; peers with ipBlock and selector match nothing', () => {
    const text = compile([
      policy({
        podSelector: {},
        ingress: [
          { from: [{ podSelector: { matchLabels: { pod: 'zzz' } } }] },
          { from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] },
        ],
      }),
    ]);
    assert.deepEqual(chain(text, 'ingress'), ['jump deny']);
  });

  test('rule count grows with rules, not pods', () => {
    const many: NftPod[] = Array.from({ length: 200 }, (_, i) =>
      pod('x', `p${i}`, `10.244.${1 + (i >> 8)}.${i & 255}`, i % 2 ? 'node-1' : 'node-0'),
    );
    const text = compileNodeRuleset({
      table: 'cnb_t',
      node: 'node-0',
      namespaces,
      pods: many,
      policies: [
        policy({ podSelector: {}, ingress: [{ from: [{ podSelector: {} }], ports: [{ port: 80 }] }] }),
      ],
    });
    assert.equal(chain(text, 'ingress').length, 2);
  });

  test('replaceTableScript makes delete safe when the table does not exist', () => {
    const script = replaceTableScript('cnb_t', 'table inet cnb_t {\n}');
    assert.deepEqual(script.split('\n').slice(0, 3), [
      'table inet cnb_t',
      'delete table inet cnb_t',
      'table inet cnb_t {',
    ]);
  });
});
