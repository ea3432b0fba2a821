/**
 * SCTP cases: only SCTP probes (ports 80 and 81), tagged protocol:sctp, so a driver or CNI without
 * SCTP support skips them with one tag. Built from the same parts as the generated TCP/UDP cases.
 */
import type { PolicyCase } from '../types.js';
import { egressRule, ingressRule, nsLabel, policy, sctp, tcp } from './builders.js';
import {
  ALL_PODS,
  denyAll,
  directional,
  NS_Y,
  PEERS,
  POD_A,
  type Direction,
  type PortClause,
} from './generated.js';
import { layoutCase, SCTP_PROBES } from './layout.js';

const SCTP_PORTS: PortClause[] = [
  { slug: 'any-port', tag: 'port:all', text: 'any port' },
  { slug: 'sctp-80', tag: 'port:numbered', text: 'SCTP 80', ports: [sctp(80)] },
];

const SCTP_EXTRA_PORTS: PortClause[] = [
  {
    slug: 'named-serve-81-sctp',
    tag: 'port:named',
    text: 'the named port serve-81-sctp',
    ports: [sctp('serve-81-sctp')],
  },
  { slug: 'sctp-80-81', tag: 'port:range', text: 'SCTP 80-81 (endPort)', ports: [sctp(80, 81)] },
  { slug: 'sctp-any-port', tag: 'port:all', text: 'every SCTP port', ports: [sctp()] },
];

export function sctpCases(): PolicyCase[] {
  const opts = { prefix: 'sctp-', probes: SCTP_PROBES };
  const out: PolicyCase[] = [];
  const dirs: Direction[] = ['ingress', 'egress'];
  for (const dir of dirs) {
    out.push(denyAll(dir, ALL_PODS, opts));
    for (const peer of PEERS)
      for (const ports of SCTP_PORTS) out.push(directional(dir, POD_A, peer, ports, opts));
    for (const ports of SCTP_EXTRA_PORTS) out.push(directional(dir, POD_A, NS_Y, ports, opts));
  }
  out.push(
    layoutCase({
      name: 'sctp-tcp-policy-isolates-sctp',
      description: 'x/a accepts TCP 80 and 81 only: SCTP to x/a is denied.',
      tags: ['direction:ingress', 'target:pod-selector', 'peer:all', 'port:numbered', 'port:multiple'],
      policies: [
        policy(
          'tcp-only',
          'x',
          { matchLabels: { pod: 'a' } },
          { policyTypes: ['Ingress'], ingress: [ingressRule(undefined, [tcp(80), tcp(81)])] },
        ),
      ],
      probes: SCTP_PROBES,
    }),
    layoutCase({
      name: 'sctp-egress-to-namespace-on-81',
      description: 'Pods in x may send SCTP 81 to y only.',
      tags: ['direction:egress', 'target:all-pods', 'peer:namespace-selector', 'port:numbered'],
      policies: [
        policy(
          'x-to-y-sctp-81',
          'x',
          {},
          {
            policyTypes: ['Egress'],
            egress: [egressRule([{ namespaceSelector: nsLabel('y') }], [sctp(81)])],
          },
        ),
      ],
      probes: SCTP_PROBES,
    }),
  );
  return out;
}
