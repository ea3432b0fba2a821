/**
 * Corner cases where implementations (and models) have historically disagreed: empty rules versus
 * absent lists, empty peers and ports, policyTypes defaulting, duplicates, selectors that match
 * nothing, named ports that do not resolve, ipBlock oddities. Each is valid as the API server
 * would accept it.
 */
import type { NetworkPolicy, PolicyCase } from '../types.js';
import {
  denyIngress,
  egressRule,
  fromCidr,
  ingressRule,
  nsLabel,
  podLabel,
  policy,
  tcp,
  udp,
} from './builders.js';
import { layoutCase, nsCidr, podIp } from './layout.js';

function odd(name: string, description: string, tags: string[], policies: NetworkPolicy[]): PolicyCase {
  return layoutCase({ name: `pathological-${name}`, description, tags: ['pathological', ...tags], policies });
}

const a = podLabel('a');
const fromY = () => [{ namespaceSelector: nsLabel('y') }];

export function pathologicalCases(): PolicyCase[] {
  return [
    odd(
      'ingress-empty-rule',
      'ingress: [{}] — one rule with neither from nor ports allows everything into x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:all'],
      [policy('empty-rule', 'x', a, { policyTypes: ['Ingress'], ingress: [{}] })],
    ),
    odd(
      'ingress-empty-list',
      'ingress: [] — an empty rule list isolates x/a and allows nothing.',
      ['direction:ingress', 'target:pod-selector', 'peer:none'],
      [policy('empty-list', 'x', a, { policyTypes: ['Ingress'], ingress: [] })],
    ),
    odd(
      'no-policy-types-no-rules',
      'Only a podSelector: policyTypes defaults to [Ingress], so x/a is isolated for ingress and egress is untouched.',
      ['direction:ingress', 'target:pod-selector', 'peer:none', 'policy-types'],
      [policy('bare', 'x', a, {})],
    ),
    odd(
      'no-policy-types-empty-egress-list',
      'egress: [] without policyTypes: Egress is only defaulted in when egress rules exist, so x/a is isolated for ingress only.',
      ['direction:egress', 'target:pod-selector', 'peer:none', 'policy-types'],
      [policy('empty-egress', 'x', a, { egress: [] })],
    ),
    odd(
      'no-policy-types-with-egress-rules',
      'Egress rules without policyTypes: defaults to [Ingress, Egress], so x/a accepts nothing and sends only to y.',
      ['direction:both', 'target:pod-selector', 'peer:namespace-selector', 'policy-types'],
      [policy('egress-to-y', 'x', a, { egress: [egressRule(fromY())] })],
    ),
    odd(
      'egress-policy-type-ignores-ingress-rules',
      'policyTypes [Egress] with ingress rules: the ingress rules are ignored and x/a stays open for ingress.',
      ['direction:egress', 'target:pod-selector', 'peer:namespace-selector', 'peer:all', 'policy-types'],
      [
        policy('egress-only', 'x', a, {
          policyTypes: ['Egress'],
          ingress: [ingressRule(fromY())],
          egress: [egressRule()],
        }),
      ],
    ),
    odd(
      'from-empty-list',
      'from: [] — an empty peer list matches every source, like an absent one.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:numbered'],
      [policy('from-empty', 'x', a, { policyTypes: ['Ingress'], ingress: [{ from: [], ports: [tcp(80)] }] })],
    ),
    odd(
      'to-empty-list',
      'to: [] — an empty peer list matches every destination.',
      ['direction:egress', 'target:pod-selector', 'peer:all', 'port:numbered'],
      [policy('to-empty', 'x', a, { policyTypes: ['Egress'], egress: [{ to: [], ports: [udp(81)] }] })],
    ),
    odd(
      'ports-empty-list',
      'ports: [] — an empty port list matches every port and protocol.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector', 'port:all'],
      [policy('ports-empty', 'x', a, { policyTypes: ['Ingress'], ingress: [{ from: fromY(), ports: [] }] })],
    ),
    odd(
      'port-without-protocol',
      'A port without protocol defaults to TCP: x/a accepts TCP 80 only.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:numbered'],
      [policy('port-80', 'x', a, { policyTypes: ['Ingress'], ingress: [{ ports: [{ port: 80 }] }] })],
    ),
    odd(
      'protocol-only-and-numbered',
      'A protocol-only port (every UDP port) next to a numbered one (TCP 81).',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:all', 'port:numbered', 'port:multiple'],
      [
        policy('udp-and-tcp-81', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule(undefined, [udp(), tcp(81)])],
        }),
      ],
    ),
    odd(
      'duplicate-policies',
      'The same default-deny twice under two names: no different from once.',
      ['direction:ingress', 'target:all-pods', 'peer:none', 'multi-policy'],
      [denyIngress('deny-1', 'x'), denyIngress('deny-2', 'x')],
    ),
    odd(
      'duplicate-rules',
      'Two identical ingress rules (from y).',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector'],
      [
        policy('dup-rules', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule(fromY()), ingressRule(fromY())],
        }),
      ],
    ),
    odd(
      'duplicate-peers',
      'The same peer twice in one rule.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector'],
      [
        policy('dup-peers', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule([...fromY(), ...fromY()])],
        }),
      ],
    ),
    odd(
      'duplicate-ports',
      'The same port twice in one rule.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:numbered', 'port:multiple'],
      [
        policy('dup-ports', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule(undefined, [tcp(80), tcp(80)])],
        }),
      ],
    ),
    odd(
      'egress-empty-pod-selector-peer',
      'to: [{podSelector: {}}] — every pod of the policy namespace, and nothing outside it.',
      ['direction:egress', 'target:all-pods', 'peer:pod-selector'],
      [
        policy(
          'to-own-ns',
          'x',
          {},
          { policyTypes: ['Egress'], egress: [egressRule([{ podSelector: {} }])] },
        ),
      ],
    ),
    odd(
      'egress-empty-namespace-selector-peer',
      'to: [{namespaceSelector: {}}] — every pod in every namespace.',
      ['direction:egress', 'target:all-pods', 'peer:namespace-selector'],
      [
        policy(
          'to-all-ns',
          'x',
          {},
          { policyTypes: ['Egress'], egress: [egressRule([{ namespaceSelector: {} }])] },
        ),
      ],
    ),
    odd(
      'both-selectors-empty',
      'from: [{namespaceSelector: {}, podSelector: {}}] — every pod in the cluster.',
      ['direction:ingress', 'target:pod-selector', 'peer:pod-and-namespace'],
      [
        policy('from-all-pods', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule([{ namespaceSelector: {}, podSelector: {} }])],
        }),
      ],
    ),
    odd(
      'target-matches-nothing',
      'A default-deny whose podSelector matches no pod changes nothing.',
      ['direction:both', 'target:pod-selector', 'peer:none', 'policy-types'],
      [policy('deny-nobody', 'x', podLabel('nobody'), { policyTypes: ['Ingress', 'Egress'] })],
    ),
    odd(
      'peer-matches-nothing',
      'A peer whose selector matches no pod (pod DoesNotExist) allows nothing.',
      ['direction:ingress', 'target:match-expressions', 'peer:pod-selector'],
      [
        policy(
          'from-unlabelled',
          'x',
          { matchExpressions: [{ key: 'pod', operator: 'Exists' }] },
          {
            policyTypes: ['Ingress'],
            ingress: [
              ingressRule([
                {
                  namespaceSelector: {},
                  podSelector: { matchExpressions: [{ key: 'pod', operator: 'DoesNotExist' }] },
                },
              ]),
            ],
          },
        ),
      ],
    ),
    odd(
      'ip-block-everything',
      'ipBlock 0.0.0.0/0 matches every pod.',
      ['direction:ingress', 'target:pod-selector', 'peer:ip-block'],
      [
        policy('from-anywhere', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule([fromCidr('0.0.0.0/0')])],
        }),
      ],
    ),
    odd(
      'ip-block-except-covers-all-pods',
      'ipBlock 10.244.2.0/24 except 10.244.2.0/25: the exception holds every pod of y, so nothing is allowed.',
      ['direction:ingress', 'target:pod-selector', 'peer:ip-block-except'],
      [
        policy('from-y-but-lower-half', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule([fromCidr(nsCidr('y'), ['10.244.2.0/25'])])],
        }),
      ],
    ),
    odd(
      'ip-block-host-bits-set',
      `ipBlock ${podIp('y', 'b')}/24 has host bits set; the API server accepts it as 10.244.2.0/24.`,
      ['direction:egress', 'target:pod-selector', 'peer:ip-block'],
      [
        policy('to-y-host-bits', 'x', a, {
          policyTypes: ['Egress'],
          egress: [egressRule([fromCidr(`${podIp('y', 'b')}/24`)])],
        }),
      ],
    ),
    odd(
      'endport-equals-port',
      'endPort equal to port: a range of one port (TCP 80).',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:range'],
      [
        policy('range-80-80', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule(undefined, [tcp(80, 80)])],
        }),
      ],
    ),
    odd(
      'named-port-unknown',
      'A named port no pod declares matches nothing, so x/a accepts nothing.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:named'],
      [
        policy('no-such-port', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule(undefined, [tcp('no-such-port')])],
        }),
      ],
    ),
    odd(
      'named-port-wrong-protocol',
      'Named port serve-80-tcp with protocol UDP: the name exists but not for UDP, so nothing matches.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:named'],
      [
        policy('named-wrong-proto', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule(undefined, [udp('serve-80-tcp')])],
        }),
      ],
    ),
    odd(
      'empty-match-expressions-target',
      'podSelector {matchExpressions: []} is empty and selects every pod in x.',
      ['direction:ingress', 'target:empty-selector', 'peer:none'],
      [denyIngress('deny-via-empty-expressions', 'x', { matchExpressions: [] })],
    ),
  ];
}
