/**
 * The admin-tier chains of a node's nft table (src/cluster/local/nft-tiers.ts), as text: where the
 * tiers sit around the NetworkPolicy chains, the verdict of each action in each tier and direction,
 * peers and ports resolved to addresses, and peers that cannot match a pod left out. Whether the
 * kernel then does what the model says is the differential test's job (differential.netns.test.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chain, setElements, threePods } from './nft-text.js';
import { compileNodeRuleset } from '../../../src/cluster/local/nft-compile.js';
import { normalizeAdminTier } from '../../../src/netpol/admin-tier.js';
import type { AdminTierPolicies, ClusterNetworkPolicy, NetworkPolicy } from '../../../src/netpol/types.js';

const pods = threePods([
  { name: 'web', port: 80, protocol: 'TCP' },
  { name: 'dns', port: 53, protocol: 'UDP' },
]);
const nsSel = (ns: string) => ({ matchLabels: { 'kubernetes.io/metadata.name': ns } });

function compile(tier: AdminTierPolicies, policies: NetworkPolicy[] = [], node = 'node-0'): string {
  return compileNodeRuleset({
    table: 'cnb_t',
    node,
    policies,
    adminTier: normalizeAdminTier(tier),
    pods,
    namespaces: {},
  });
}

const cnp = (
  name: string,
  tier: 'Admin' | 'Baseline',
  priority: number,
  spec: Partial<ClusterNetworkPolicy['spec']>,
): ClusterNetworkPolicy => ({
  metadata: { name },
  spec: { tier, priority, subject: { namespaces: nsSel('x') }, ...spec },
});

describe('nft admin-tier chains', () => {
  test('every local pod goes through the tier chains, which hand over to the NetworkPolicy chains', () => {
    const text = compile({
      clusterNetworkPolicies: [
        cnp('a', 'Admin', 1, { ingress: [{ action: 'Deny', from: [{ namespaces: nsSel('y') }] }] }),
      ],
    });
    assert.deepEqual(chain(text, 'forward'), [
      'type filter hook forward priority filter; policy accept;',
      'ct state established,related accept',
      'ip saddr @local jump egress_tiers',
      'ip daddr @local jump ingress_tiers',
    ]);
    assert.equal(setElements(text, 'local'), '10.244.1.10, 10.244.2.10');
    assert.deepEqual(chain(text, 'egress_tiers'), ['goto egress_np']);
    assert.deepEqual(chain(text, 'egress_np'), ['ip saddr @iso_eg goto egress']);
    assert.deepEqual(chain(text, 'ingress_tiers'), [
      'ip daddr @a0_in_sel ip saddr @a0_in0_peer jump deny comment "ClusterNetworkPolicy a ingress rule 1 Deny"',
      'goto ingress_np',
    ]);
    assert.equal(setElements(text, 'a0_in_sel'), '10.244.1.10', 'only the local subject pods');
    assert.equal(setElements(text, 'a0_in0_peer'), '10.244.2.10');
    assert.deepEqual(chain(text, 'ingress_np'), ['ip daddr @iso_in goto ingress']);
  });

  test('verdicts: Admin Accept/Deny/Pass, Baseline Accept/Deny/Pass, per direction; priority order', () => {
    const all = [{ namespaces: {} }];
    const text = compile({
      clusterNetworkPolicies: [
        cnp('late', 'Admin', 9, { egress: [{ action: 'Deny', to: all }] }),
        cnp('early', 'Admin', 1, {
          ingress: [
            { action: 'Accept', from: all },
            { action: 'Pass', from: all },
          ],
          egress: [
            { action: 'Accept', to: all },
            { action: 'Pass', to: all },
          ],
        }),
        cnp('base', 'Baseline', 1, {
          ingress: [
            { action: 'Deny', from: all },
            { action: 'Pass', from: all },
            { action: 'Accept', from: all },
          ],
          egress: [{ action: 'Pass', to: all }],
        }),
      ],
    });
    const verdicts = (c: string) =>
      chain(text, c).map((r) => /(return|accept|jump deny|goto \w+)(?: comment .*)?$/.exec(r)?.[1]);
    assert.deepEqual(verdicts('egress_tiers'), ['return', 'goto egress_np', 'jump deny', 'goto egress_np']);
    assert.deepEqual(verdicts('ingress_tiers'), ['accept', 'goto ingress_np', 'goto ingress_np']);
    // Baseline comes after the NetworkPolicy hand-over; its Pass goes on to the default (allow).
    assert.deepEqual(verdicts('egress_np'), ['goto egress', 'return']);
    assert.deepEqual(verdicts('ingress_np'), ['goto ingress', 'jump deny', 'accept', 'accept']);
  });

  test('peers: networks as IPv4 intervals (IPv6 dropped), nodes and domainNames match nothing', () => {
    const text = compile({
      clusterNetworkPolicies: [
        cnp('n', 'Admin', 1, {
          egress: [
            { action: 'Deny', to: [{ networks: ['10.244.2.0/24', 'fd00::/8'] }, { nodes: {} }] },
            { action: 'Deny', to: [{ nodes: {} }] },
            { action: 'Accept', to: [{ domainNames: ['example.com'] }] },
            { action: 'Deny', to: [{ networks: ['::/0'] }] },
          ],
        }),
      ],
    });
    assert.equal(chain(text, 'egress_tiers').length, 2, 'only rule 1 can match a pod');
    assert.equal(setElements(text, 'a0_eg0_peer'), '10.244.2.0-10.244.2.255');
    assert.doesNotMatch(text, /a0_eg1_peer|a0_eg2_peer|a0_eg3_peer/);
  });

  test('ports: numbers and ranges per protocol; named ports resolved on the destination pods, any protocol', () => {
    const text = compile({
      adminNetworkPolicies: [
        {
          metadata: { name: 'p' },
          spec: {
            priority: 1,
            subject: { namespaces: nsSel('x') },
            ingress: [
              {
                action: 'Deny',
                from: [{ namespaces: {} }],
                ports: [
                  { portNumber: { port: 80 } },
                  { portRange: { protocol: 'UDP', start: 50, end: 60 } },
                  { namedPort: 'dns' },
                ],
              },
            ],
            egress: [{ action: 'Allow', to: [{ namespaces: nsSel('y') }], ports: [{ namedPort: 'web' }] }],
          },
        },
      ],
    });
    assert.equal(setElements(text, 'a0_in0_ports'), 'tcp . 80, udp . 50-60');
    assert.equal(
      setElements(text, 'a0_in0_named'),
      '10.244.1.10 . udp . 53',
      'ingress: the local subject is the destination',
    );
    assert.equal(
      setElements(text, 'a0_eg0_named'),
      '10.244.1.10 . tcp . 80, 10.244.1.11 . tcp . 80, 10.244.2.10 . tcp . 80',
    );
    assert.deepEqual(
      chain(text, 'ingress_tiers').map((r) => r.replace(/ comment .*$/, '')),
      [
        'ip daddr @a0_in_sel ip saddr @a0_in0_peer meta l4proto . th dport @a0_in0_ports jump deny',
        'ip daddr @a0_in_sel ip saddr @a0_in0_peer ip daddr . meta l4proto . th dport @a0_in0_named jump deny',
        'goto ingress_np',
      ],
    );
  });

  test('a policy whose subject has no pod on this node adds no rule there', () => {
    const t = {
      clusterNetworkPolicies: [
        cnp('y-only', 'Admin', 1, {
          subject: { namespaces: nsSel('y') },
          ingress: [{ action: 'Deny', from: [{ namespaces: {} }] }],
        }),
      ],
    };
    assert.deepEqual(chain(compile(t, [], 'node-1'), 'ingress_tiers'), ['goto ingress_np']);
    assert.equal(chain(compile(t, [], 'node-0'), 'ingress_tiers').length, 2);
  });

  test('without admin-tier policies the table is exactly the NetworkPolicy one', () => {
    const np: NetworkPolicy = {
      metadata: { name: 'np', namespace: 'x' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    };
    const plain = compileNodeRuleset({
      table: 'cnb_t',
      node: 'node-0',
      policies: [np],
      pods,
      namespaces: {},
    });
    assert.equal(compile({}, [np]), plain);
    assert.doesNotMatch(plain, /tiers/);
  });
});
