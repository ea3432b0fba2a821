/**
 * Cases where several policies meet: unions of allows on one pod, isolation on both ends of a
 * connection, policies in different namespaces, and explicit policyTypes combinations.
 */
import type { NetworkPolicy, PolicyCase } from '../types.js';
import {
  denyEgress,
  denyIngress,
  egressRule,
  fromCidr,
  ingressRule,
  nsLabel,
  podIn,
  podLabel,
  policy,
  tcp,
  udp,
} from './builders.js';
import { layoutCase, nsCidr } from './layout.js';

function multi(name: string, description: string, tags: string[], policies: NetworkPolicy[]): PolicyCase {
  return layoutCase({ name: `multi-${name}`, description, tags: ['multi-policy', ...tags], policies });
}

function types(name: string, description: string, tags: string[], policies: NetworkPolicy[]): PolicyCase {
  return layoutCase({ name: `policy-types-${name}`, description, tags: ['policy-types', ...tags], policies });
}

const a = podLabel('a');
const ns = (n: string) => [{ namespaceSelector: nsLabel(n) }];

export function multiPolicyCases(): PolicyCase[] {
  return [
    multi(
      'ingress-union-of-ports',
      'Two policies on x/a: y on TCP 80, x/b on UDP 81. Allowed is the union.',
      [
        'direction:ingress',
        'target:pod-selector',
        'peer:namespace-selector',
        'peer:pod-selector',
        'port:numbered',
      ],
      [
        policy('y-80', 'x', a, { policyTypes: ['Ingress'], ingress: [ingressRule(ns('y'), [tcp(80)])] }),
        policy('b-udp-81', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule([{ podSelector: podLabel('b') }], [udp(81)])],
        }),
      ],
    ),
    multi(
      'deny-ingress-in-two-namespaces',
      'Default-deny ingress in x and in y; z is untouched.',
      ['direction:ingress', 'target:all-pods', 'peer:none'],
      [denyIngress('deny-x', 'x'), denyIngress('deny-y', 'y')],
    ),
    multi(
      'deny-everything-everywhere',
      'Default-deny ingress and egress in every namespace.',
      ['direction:both', 'target:all-pods', 'peer:none'],
      ['x', 'y', 'z'].flatMap((n) => [denyIngress(`deny-in-${n}`, n), denyEgress(`deny-out-${n}`, n)]),
    ),
    multi(
      'ingress-in-x-egress-in-y',
      'x accepts only from y; y may only send to z. So y cannot reach x after all.',
      ['direction:both', 'target:all-pods', 'peer:namespace-selector'],
      [
        policy('x-from-y', 'x', {}, { policyTypes: ['Ingress'], ingress: [ingressRule(ns('y'))] }),
        policy('y-to-z', 'y', {}, { policyTypes: ['Egress'], egress: [egressRule(ns('z'))] }),
      ],
    ),
    multi(
      'same-pod-egress-deny-ingress-allow',
      'x/a may send nothing but accepts only z.',
      ['direction:both', 'target:pod-selector', 'peer:none', 'peer:namespace-selector'],
      [
        denyEgress('a-no-egress', 'x', a),
        policy('a-from-z', 'x', a, { policyTypes: ['Ingress'], ingress: [ingressRule(ns('z'))] }),
      ],
    ),
    multi(
      'ip-block-and-selector',
      'x/a accepts y by CIDR and z/b by selectors, from two policies.',
      ['direction:ingress', 'target:pod-selector', 'peer:ip-block', 'peer:pod-and-namespace'],
      [
        policy('y-by-cidr', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule([fromCidr(nsCidr('y'))])],
        }),
        policy('z-b', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule([{ namespaceSelector: nsLabel('z'), podSelector: podLabel('b') }])],
        }),
      ],
    ),
    multi(
      'three-stacked-ports',
      'Three policies on x/a opening TCP 80, UDP 80 and TCP 81 to everyone; UDP 81 stays closed.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:numbered'],
      [
        policy('tcp-80', 'x', a, { policyTypes: ['Ingress'], ingress: [ingressRule(undefined, [tcp(80)])] }),
        policy('udp-80', 'x', a, { policyTypes: ['Ingress'], ingress: [ingressRule(undefined, [udp(80)])] }),
        policy('tcp-81', 'x', a, { policyTypes: ['Ingress'], ingress: [ingressRule(undefined, [tcp(81)])] }),
      ],
    ),
    multi(
      'overlapping-targets',
      'pod In [a, b] accepts y; pod In [b, c] accepts z. x/b accepts both.',
      ['direction:ingress', 'target:match-expressions', 'peer:namespace-selector'],
      [
        policy('ab-from-y', 'x', podIn('a', 'b'), {
          policyTypes: ['Ingress'],
          ingress: [ingressRule(ns('y'))],
        }),
        policy('bc-from-z', 'x', podIn('b', 'c'), {
          policyTypes: ['Ingress'],
          ingress: [ingressRule(ns('z'))],
        }),
      ],
    ),
    multi(
      'namespace-isolation',
      'x talks only to itself: an ingress policy from x and an egress policy to x.',
      ['direction:both', 'target:all-pods', 'peer:namespace-selector', 'policy-types'],
      [
        policy('in-from-x', 'x', {}, { policyTypes: ['Ingress'], ingress: [ingressRule(ns('x'))] }),
        policy('out-to-x', 'x', {}, { policyTypes: ['Egress'], egress: [egressRule(ns('x'))] }),
      ],
    ),
    multi(
      'egress-allowed-to-isolated-server',
      'x may send anywhere, but y accepts nothing: x cannot reach y.',
      ['direction:both', 'target:all-pods', 'peer:all', 'peer:none'],
      [
        policy('x-out-all', 'x', {}, { policyTypes: ['Egress'], egress: [egressRule()] }),
        denyIngress('deny-y', 'y'),
      ],
    ),
    multi(
      'ingress-policies-in-every-namespace',
      'Every namespace accepts only from the next one (x from y, y from z, z from x).',
      ['direction:ingress', 'target:all-pods', 'peer:namespace-selector'],
      [
        policy('x-from-y', 'x', {}, { policyTypes: ['Ingress'], ingress: [ingressRule(ns('y'))] }),
        policy('y-from-z', 'y', {}, { policyTypes: ['Ingress'], ingress: [ingressRule(ns('z'))] }),
        policy('z-from-x', 'z', {}, { policyTypes: ['Ingress'], ingress: [ingressRule(ns('x'))] }),
      ],
    ),
    types(
      'both-with-only-ingress-rules',
      'policyTypes [Ingress, Egress] with only ingress rules: x/a accepts y and may send nothing.',
      ['direction:both', 'target:pod-selector', 'peer:namespace-selector'],
      [policy('a', 'x', a, { policyTypes: ['Ingress', 'Egress'], ingress: [ingressRule(ns('y'))] })],
    ),
    types(
      'both-with-only-egress-rules',
      'policyTypes [Ingress, Egress] with only egress rules: x/a sends only to y and accepts nothing.',
      ['direction:both', 'target:pod-selector', 'peer:namespace-selector'],
      [policy('a', 'x', a, { policyTypes: ['Ingress', 'Egress'], egress: [egressRule(ns('y'))] })],
    ),
    types(
      'absent-with-both-rule-lists',
      'No policyTypes, ingress from y and egress to z: both are defaulted in.',
      ['direction:both', 'target:pod-selector', 'peer:namespace-selector'],
      [policy('a', 'x', a, { ingress: [ingressRule(ns('y'))], egress: [egressRule(ns('z'))] })],
    ),
    types(
      'ingress-only-ignores-egress-rules',
      'policyTypes [Ingress] with an egress rule: the egress rule is ignored, x/a sends freely and accepts only y.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector'],
      [
        policy('a', 'x', a, {
          policyTypes: ['Ingress'],
          ingress: [ingressRule(ns('y'))],
          egress: [egressRule(ns('z'))],
        }),
      ],
    ),
    types(
      'egress-order-reversed',
      'policyTypes listed as [Egress, Ingress]: order does not matter.',
      ['direction:both', 'target:pod-selector', 'peer:pod-selector'],
      [
        policy('a', 'x', a, {
          policyTypes: ['Egress', 'Ingress'],
          ingress: [ingressRule([{ podSelector: podLabel('c') }])],
          egress: [egressRule([{ podSelector: podLabel('c') }])],
        }),
      ],
    ),
  ];
}
