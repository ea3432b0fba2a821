/**
 * Hand-written cases mirroring the upstream Kubernetes NetworkPolicy e2e tests
 * (test/e2e/network/netpol), translated to the 3×3 layout. Tests that depend on changing a policy,
 * a label or a pod at run time are left out: a case is one static configuration.
 */
import type { NetworkPolicy, PolicyCase, Probe } from '../types.js';
import { NAMESPACE_NAME_LABEL } from '../types.js';
import {
  denyEgress,
  denyIngress,
  egressOnly,
  egressRule,
  fromCidr,
  ingressOnly,
  ingressRule,
  nsIn,
  nsLabel,
  nsNotIn,
  podIn,
  podLabel,
  policy,
  sctp,
  tcp,
  udp,
} from './builders.js';
import { layoutCase, nsCidr, podCidr, SCTP_PROBES } from './layout.js';

function up(
  name: string,
  description: string,
  tags: string[],
  policies: NetworkPolicy[],
  probes?: Probe[],
): PolicyCase {
  return layoutCase({
    name: `upstream-${name}`,
    description,
    tags: ['upstream-e2e', ...tags],
    policies,
    probes,
  });
}

const a = podLabel('a');

export function upstreamCases(): PolicyCase[] {
  return [
    up(
      'default-deny-ingress',
      "should support a 'default-deny-ingress' policy: nothing reaches any pod in x.",
      ['direction:ingress', 'target:all-pods', 'peer:none'],
      [denyIngress('deny-ingress', 'x')],
    ),
    up(
      'default-deny-all',
      "should support a 'default-deny-all' policy: pods in x neither send nor receive.",
      ['direction:both', 'target:all-pods', 'peer:none', 'policy-types'],
      [policy('deny-all', 'x', {}, { policyTypes: ['Ingress', 'Egress'] })],
    ),
    up(
      'default-deny-egress',
      'should deny egress from all pods in a namespace.',
      ['direction:egress', 'target:all-pods', 'peer:none'],
      [denyEgress('deny-egress', 'x')],
    ),
    up(
      'deny-egress-by-pod-selector',
      'should deny egress from pods based on PodSelector: x/a cannot send.',
      ['direction:egress', 'target:pod-selector', 'peer:none'],
      [denyEgress('deny-egress-a', 'x', a)],
    ),
    up(
      'allow-from-same-namespace-pod-selector',
      'should enforce policy to allow traffic from pods within server namespace based on PodSelector: only x/b reaches x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:pod-selector', 'port:all'],
      [policy('x-a-allows-x-b', 'x', a, ingressOnly([ingressRule([{ podSelector: podLabel('b') }])]))],
    ),
    up(
      'allow-ingress-for-target',
      'should enforce policy to allow ingress traffic for a target: x is default-deny, x/a accepts everyone.',
      [
        'direction:ingress',
        'target:all-pods',
        'target:pod-selector',
        'peer:none',
        'peer:all',
        'multi-policy',
      ],
      [denyIngress('deny-ingress', 'x'), policy('allow-all-to-a', 'x', a, ingressOnly([ingressRule()]))],
    ),
    up(
      'allow-from-all-namespaces',
      'should enforce policy to allow ingress traffic from pods in all namespaces (namespaceSelector {}).',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector'],
      [policy('allow-all-ns', 'x', a, ingressOnly([ingressRule([{ namespaceSelector: {} }])]))],
    ),
    up(
      'allow-from-other-namespace',
      'should enforce policy to allow traffic only from a different namespace, based on NamespaceSelector: only y reaches x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector'],
      [policy('allow-ns-y', 'x', a, ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }])]))],
    ),
    up(
      'pod-selector-match-expressions',
      'should enforce policy based on PodSelector with MatchExpressions: pod In [b] in x reaches x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:pod-selector'],
      [policy('allow-pod-in-b', 'x', a, ingressOnly([ingressRule([{ podSelector: podIn('b') }])]))],
    ),
    up(
      'namespace-selector-match-expressions',
      'should enforce policy based on NamespaceSelector with MatchExpressions: ns In [y] reaches x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector'],
      [policy('allow-ns-in-y', 'x', a, ingressOnly([ingressRule([{ namespaceSelector: nsIn('y') }])]))],
    ),
    up(
      'pod-or-namespace-selector',
      'should enforce policy based on PodSelector or NamespaceSelector: all of y and z, and x/b, reach x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector', 'peer:pod-selector'],
      [
        policy(
          'allow-ns-or-pod',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsNotIn('x') }, { podSelector: podLabel('b') }])]),
        ),
      ],
    ),
    up(
      'pod-and-namespace-selector',
      'should enforce policy based on PodSelector and NamespaceSelector: y/b and z/b reach x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:pod-and-namespace'],
      [
        policy(
          'allow-ns-and-pod',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsNotIn('x'), podSelector: podLabel('b') }])]),
        ),
      ],
    ),
    up(
      'multiple-pod-and-namespace-selectors',
      'should enforce policy based on Multiple PodSelectors and NamespaceSelectors: b and c of y and z reach x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:pod-and-namespace'],
      [
        policy(
          'allow-ns-and-pods',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsNotIn('x'), podSelector: podIn('b', 'c') }])]),
        ),
      ],
    ),
    up(
      'any-pod-selectors',
      'should enforce policy based on any PodSelectors: x/b and x/c reach x/a through two peers.',
      ['direction:ingress', 'target:pod-selector', 'peer:pod-selector'],
      [
        policy(
          'allow-b-or-c',
          'x',
          a,
          ingressOnly([ingressRule([{ podSelector: podLabel('b') }, { podSelector: podLabel('c') }])]),
        ),
      ],
    ),
    up(
      'pod-in-other-namespace',
      'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector: only y/a reaches x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:pod-and-namespace'],
      [
        policy(
          'allow-y-a',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y'), podSelector: podLabel('a') }])]),
        ),
      ],
    ),
    up(
      'ingress-on-port-81',
      'should enforce policy based on Ports: y reaches x/a on TCP 81 only.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector', 'port:numbered'],
      [
        policy(
          'allow-y-81',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }], [tcp(81)])]),
        ),
      ],
    ),
    up(
      'stacked-policies-overlapping-selectors',
      'should enforce multiple, stacked policies with overlapping podSelectors: y reaches x/a on TCP 80 and on TCP 81.',
      [
        'direction:ingress',
        'target:pod-selector',
        'peer:namespace-selector',
        'port:numbered',
        'multi-policy',
      ],
      [
        policy(
          'allow-y-80',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }], [tcp(80)])]),
        ),
        policy(
          'allow-y-81',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }], [tcp(81)])]),
        ),
      ],
    ),
    up(
      'allow-all',
      'should support allow-all policy: every pod in x accepts everything.',
      ['direction:ingress', 'target:all-pods', 'peer:all', 'port:all'],
      [policy('allow-all', 'x', {}, ingressOnly([ingressRule()]))],
    ),
    up(
      'named-port-ingress',
      'should allow ingress access on one named port: x/a accepts serve-80-tcp from anyone.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:named'],
      [policy('allow-named-80', 'x', a, ingressOnly([ingressRule(undefined, [tcp('serve-80-tcp')])]))],
    ),
    up(
      'named-port-from-namespace',
      'should allow ingress access from namespace on one named port: y reaches x/a on serve-81-tcp.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector', 'port:named'],
      [
        policy(
          'allow-y-named-81',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }], [tcp('serve-81-tcp')])]),
        ),
      ],
    ),
    up(
      'named-port-egress',
      'should allow egress access on one named port: x/a sends only to serve-81-tcp.',
      ['direction:egress', 'target:pod-selector', 'peer:all', 'port:named'],
      [policy('allow-egress-named-81', 'x', a, egressOnly([egressRule(undefined, [tcp('serve-81-tcp')])]))],
    ),
    up(
      'ingress-and-egress-together',
      'should work with Ingress, Egress specified together: x/a talks only with x/b, both ways.',
      ['direction:both', 'target:pod-selector', 'peer:pod-selector', 'policy-types'],
      [
        policy('a-with-b', 'x', a, {
          policyTypes: ['Ingress', 'Egress'],
          ingress: [ingressRule([{ podSelector: podLabel('b') }])],
          egress: [egressRule([{ podSelector: podLabel('b') }])],
        }),
      ],
    ),
    up(
      'client-side-egress-denial',
      'should support denying of egress traffic on the client side (even if the server explicitly allows this traffic): y/a and z/a accept only x/a, and x/a may only send to y.',
      [
        'direction:both',
        'target:pod-selector',
        'peer:namespace-selector',
        'peer:pod-and-namespace',
        'multi-policy',
      ],
      [
        policy('x-a-to-y', 'x', a, egressOnly([egressRule([{ namespaceSelector: nsLabel('y') }])])),
        policy(
          'y-a-from-x-a',
          'y',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsLabel('x'), podSelector: podLabel('a') }])]),
        ),
        policy(
          'z-a-from-x-a',
          'z',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsLabel('x'), podSelector: podLabel('a') }])]),
        ),
      ],
    ),
    up(
      'egress-to-pod-in-other-namespace',
      'should enforce egress policy allowing traffic to a server in a different namespace based on PodSelector and NamespaceSelector: x/a sends only to y/a.',
      ['direction:egress', 'target:pod-selector', 'peer:pod-and-namespace'],
      [
        policy(
          'x-a-to-y-a',
          'x',
          a,
          egressOnly([egressRule([{ namespaceSelector: nsLabel('y'), podSelector: podLabel('a') }])]),
        ),
      ],
    ),
    up(
      'any-port-on-protocol',
      'should enforce ingress policy allowing any port traffic to a server on a specific protocol: x/a accepts all TCP, no UDP.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:all'],
      [policy('allow-tcp', 'x', a, ingressOnly([ingressRule(undefined, [tcp()])]))],
    ),
    up(
      'multiple-ingress-allow-all-wins',
      'should enforce multiple ingress policies with ingress allow-all policy taking precedence.',
      [
        'direction:ingress',
        'target:pod-selector',
        'peer:pod-selector',
        'peer:all',
        'port:numbered',
        'multi-policy',
      ],
      [
        policy('only-b-80', 'x', a, ingressOnly([ingressRule([{ podSelector: podLabel('b') }], [tcp(80)])])),
        policy('allow-all', 'x', a, ingressOnly([ingressRule()])),
      ],
    ),
    up(
      'multiple-egress-allow-all-wins',
      'should enforce multiple egress policies with egress allow-all policy taking precedence.',
      [
        'direction:egress',
        'target:pod-selector',
        'peer:pod-selector',
        'peer:all',
        'port:numbered',
        'multi-policy',
      ],
      [
        policy('only-b-80', 'x', a, egressOnly([egressRule([{ podSelector: podLabel('b') }], [tcp(80)])])),
        policy('allow-all', 'x', a, egressOnly([egressRule()])),
      ],
    ),
    up(
      'egress-to-cidr',
      'should allow egress access to server in CIDR block: x/a sends only to y/b (10.244.2.11/32).',
      ['direction:egress', 'target:pod-selector', 'peer:ip-block'],
      [policy('x-a-to-y-b-ip', 'x', a, egressOnly([egressRule([fromCidr(podCidr('y', 'b'))])]))],
    ),
    up(
      'egress-cidr-except',
      'should enforce except clause while egress access to server in CIDR block: x/a sends to y except y/b.',
      ['direction:egress', 'target:pod-selector', 'peer:ip-block-except'],
      [
        policy(
          'x-a-to-y-but-b',
          'x',
          a,
          egressOnly([egressRule([fromCidr(nsCidr('y'), [podCidr('y', 'b')])])]),
        ),
      ],
    ),
    up(
      'cidr-and-except-overlap-allowed',
      'should ensure an IP overlapping both IPBlock.CIDR and IPBlock.Except is allowed: a second policy allows y/b, which the first excepts.',
      ['direction:egress', 'target:pod-selector', 'peer:ip-block', 'peer:ip-block-except', 'multi-policy'],
      [
        policy(
          'x-a-to-y-but-b',
          'x',
          a,
          egressOnly([egressRule([fromCidr(nsCidr('y'), [podCidr('y', 'b')])])]),
        ),
        policy('x-a-to-y-b', 'x', a, egressOnly([egressRule([fromCidr(podCidr('y', 'b'))])])),
      ],
    ),
    up(
      'ingress-and-egress-independent',
      'should enforce policies to check ingress and egress policies can be controlled independently based on PodSelector: x/a may send to x/b, but x/b accepts nothing.',
      ['direction:both', 'target:pod-selector', 'peer:pod-selector', 'peer:none', 'multi-policy'],
      [
        policy('x-a-to-x-b', 'x', a, egressOnly([egressRule([{ podSelector: podLabel('b') }])])),
        denyIngress('deny-ingress-b', 'x', podLabel('b')),
      ],
    ),
    up(
      'udp-policy-blocks-tcp',
      'should not allow access by TCP when a policy specifies only UDP: x/a accepts UDP 81 only.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:numbered'],
      [policy('allow-udp-81', 'x', a, ingressOnly([ingressRule(undefined, [udp(81)])]))],
    ),
    up(
      'sctp-policy-is-not-tcp',
      "should not mistakenly treat 'protocol: SCTP' as 'protocol: TCP': a policy allowing SCTP 80 isolates x/a for TCP and UDP.",
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:numbered'],
      [policy('allow-sctp-80', 'x', a, ingressOnly([ingressRule(undefined, [sctp(80)])]))],
    ),
    up(
      'default-namespace-label-match-labels',
      'should enforce policy to allow traffic based on NamespaceSelector with MatchLabels using default ns label.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector'],
      [
        policy(
          'allow-ns-y-by-name',
          'x',
          a,
          ingressOnly([
            ingressRule([{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'y' } } }]),
          ]),
        ),
      ],
    ),
    up(
      'default-namespace-label-match-expressions',
      'should enforce policy based on NamespaceSelector with MatchExpressions using default ns label: everything but y reaches x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector'],
      [
        policy(
          'allow-ns-not-y-by-name',
          'x',
          a,
          ingressOnly([
            ingressRule([
              {
                namespaceSelector: {
                  matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'NotIn', values: ['y'] }],
                },
              },
            ]),
          ]),
        ),
      ],
    ),
    up(
      'deny-from-other-namespaces',
      'should deny ingress from pods on other namespaces: pods in x accept only x.',
      ['direction:ingress', 'target:all-pods', 'peer:pod-selector'],
      [policy('same-ns-only', 'x', {}, ingressOnly([ingressRule([{ podSelector: {} }])]))],
    ),
    up(
      'deny-all-but-one',
      'Default-deny ingress in x, then one exception: z/c reaches x/a on TCP 80.',
      [
        'direction:ingress',
        'target:all-pods',
        'target:pod-selector',
        'peer:none',
        'peer:pod-and-namespace',
        'port:numbered',
        'multi-policy',
      ],
      [
        denyIngress('deny-ingress', 'x'),
        policy(
          'allow-z-c-80',
          'x',
          a,
          ingressOnly([
            ingressRule([{ namespaceSelector: nsLabel('z'), podSelector: podLabel('c') }], [tcp(80)]),
          ]),
        ),
      ],
    ),
    up(
      'allow-egress-to-namespace',
      'Pods in x may send only to y.',
      ['direction:egress', 'target:all-pods', 'peer:namespace-selector'],
      [policy('x-to-y', 'x', {}, egressOnly([egressRule([{ namespaceSelector: nsLabel('y') }])]))],
    ),
    up(
      'endport-ingress-from-namespace',
      'should allow ingress access from namespace on multiple ports using endPort: y reaches x/a on TCP 80-81.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector', 'port:range'],
      [
        policy(
          'allow-y-80-81',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }], [tcp(80, 81)])]),
        ),
      ],
    ),
    up(
      'endport-multiple-ranges',
      'Several endPort ranges in one rule: x/a accepts TCP 70-80 and UDP 81-85.',
      ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:range', 'port:multiple'],
      [policy('allow-ranges', 'x', a, ingressOnly([ingressRule(undefined, [tcp(70, 80), udp(81, 85)])]))],
    ),
    up(
      'endport-egress',
      'should support egress on a port range: x/a sends only to TCP 81-90.',
      ['direction:egress', 'target:pod-selector', 'peer:all', 'port:range'],
      [policy('allow-egress-81-90', 'x', a, egressOnly([egressRule(undefined, [tcp(81, 90)])]))],
    ),
    up(
      'sctp-default-deny',
      "should support a 'default-deny-ingress' policy [SCTP]: no SCTP reaches x.",
      ['direction:ingress', 'target:all-pods', 'peer:none'],
      [denyIngress('deny-ingress', 'x')],
      [...SCTP_PROBES],
    ),
    up(
      'sctp-ingress-on-port-81',
      'should enforce policy based on Ports [SCTP]: y reaches x/a on SCTP 81 only.',
      ['direction:ingress', 'target:pod-selector', 'peer:namespace-selector', 'port:numbered'],
      [
        policy(
          'allow-y-sctp-81',
          'x',
          a,
          ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }], [sctp(81)])]),
        ),
      ],
      [...SCTP_PROBES],
    ),
    up(
      'sctp-pod-in-other-namespace',
      'should enforce policy to allow traffic only from a pod in a different namespace based on PodSelector and NamespaceSelector [SCTP]: only y/a reaches x/a.',
      ['direction:ingress', 'target:pod-selector', 'peer:pod-and-namespace', 'port:multiple'],
      [
        policy(
          'allow-y-a-sctp',
          'x',
          a,
          ingressOnly([
            ingressRule(
              [{ namespaceSelector: nsLabel('y'), podSelector: podLabel('a') }],
              [sctp(80), sctp(81)],
            ),
          ]),
        ),
      ],
      [...SCTP_PROBES],
    ),
  ];
}
