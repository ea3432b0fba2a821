/**
 * The generated part of the suite: one policy in namespace x, combining a direction, a target
 * selector, a peer and a port clause. Every combination of the main dimensions is covered on
 * "any port" and "TCP 80"; the rarer port clauses are crossed with the peers on one target (pod=a),
 * which keeps the suite near 200 generated cases while still pairing every port kind with every peer.
 */
import type { LabelSelector, NetworkPolicyPeer, NetworkPolicyPort, PolicyCase, Probe } from '../types.js';
import { egressRule, fromCidr, ingressRule, nsLabel, podIn, podLabel, policy, tcp, udp } from './builders.js';
import { layoutCase, nsCidr, podCidr } from './layout.js';

export type Direction = 'ingress' | 'egress';

export interface Target {
  slug: string;
  tag: string;
  text: string;
  selector: LabelSelector;
}

export interface Peer {
  slug: string;
  tag: string;
  text: string;
  /** Undefined: the rule has no from/to, so it matches every peer. */
  peers?: NetworkPolicyPeer[];
}

export interface PortClause {
  slug: string;
  tag: string;
  text: string;
  ports?: NetworkPolicyPort[];
}

export const ALL_PODS: Target = {
  slug: 'all-pods',
  tag: 'target:all-pods',
  text: 'every pod in x',
  selector: {},
};
export const POD_A: Target = {
  slug: 'pod-a',
  tag: 'target:pod-selector',
  text: 'x/a (pod=a)',
  selector: podLabel('a'),
};

const TARGETS: Target[] = [
  ALL_PODS,
  POD_A,
  {
    slug: 'pod-in-a-b',
    tag: 'target:match-expressions',
    text: 'x/a and x/b (pod In [a, b])',
    selector: podIn('a', 'b'),
  },
  {
    slug: 'empty-selector',
    tag: 'target:empty-selector',
    text: 'every pod in x (explicitly empty matchLabels)',
    selector: { matchLabels: {} },
  },
];

export const NS_Y: Peer = {
  slug: 'ns-y',
  tag: 'peer:namespace-selector',
  text: 'all of y (namespaceSelector ns=y)',
  peers: [{ namespaceSelector: nsLabel('y') }],
};

export const PEERS: Peer[] = [
  { slug: 'any-peer', tag: 'peer:all', text: 'any peer (no from/to)' },
  {
    slug: 'pods-b',
    tag: 'peer:pod-selector',
    text: 'x/b (podSelector pod=b)',
    peers: [{ podSelector: podLabel('b') }],
  },
  NS_Y,
  {
    slug: 'ns-y-pods-b',
    tag: 'peer:pod-and-namespace',
    text: 'y/b (namespaceSelector ns=y and podSelector pod=b)',
    peers: [{ namespaceSelector: nsLabel('y'), podSelector: podLabel('b') }],
  },
  // 10.244.2.0/23 spans the /24s of y and z.
  {
    slug: 'cidr-y-z',
    tag: 'peer:ip-block',
    text: 'y and z (ipBlock 10.244.2.0/23)',
    peers: [fromCidr('10.244.2.0/23')],
  },
  {
    slug: 'cidr-except-y-and-z-c',
    tag: 'peer:ip-block-except',
    text: 'every pod but y/* and z/c (ipBlock 10.244.0.0/16 except y and z/c)',
    peers: [fromCidr('10.244.0.0/16', [nsCidr('y'), podCidr('z', 'c')])],
  },
];

const MAIN_PORTS: PortClause[] = [
  { slug: 'any-port', tag: 'port:all', text: 'any port' },
  { slug: 'tcp-80', tag: 'port:numbered', text: 'TCP 80', ports: [tcp(80)] },
];

const EXTRA_PORTS: PortClause[] = [
  { slug: 'udp-81', tag: 'port:numbered', text: 'UDP 81', ports: [udp(81)] },
  {
    slug: 'named-serve-81-tcp',
    tag: 'port:named',
    text: 'the named port serve-81-tcp',
    ports: [tcp('serve-81-tcp')],
  },
  {
    slug: 'named-serve-80-udp',
    tag: 'port:named',
    text: 'the named port serve-80-udp',
    ports: [udp('serve-80-udp')],
  },
  { slug: 'tcp-80-81', tag: 'port:range', text: 'TCP 80-81 (endPort)', ports: [tcp(80, 81)] },
  {
    slug: 'udp-81-90',
    tag: 'port:range',
    text: 'UDP 81-90 (endPort), covering only 81',
    ports: [udp(81, 90)],
  },
  { slug: 'tcp-80-udp-81', tag: 'port:multiple', text: 'TCP 80 and UDP 81', ports: [tcp(80), udp(81)] },
  { slug: 'udp-any-port', tag: 'port:all', text: 'every UDP port (protocol without port)', ports: [udp()] },
];

/** Options for cases built from the same parts on other probes (the SCTP part of the suite). */
export interface VariantOptions {
  /** Prepended to the name, e.g. "sctp-". */
  prefix?: string;
  probes?: readonly Probe[];
}

export function directional(
  dir: Direction,
  target: Target,
  peer: Peer,
  ports: PortClause,
  opts: VariantOptions = {},
): PolicyCase {
  const joiner = dir === 'ingress' ? 'from' : 'to';
  const rule = dir === 'ingress' ? ingressRule(peer.peers, ports.ports) : egressRule(peer.peers, ports.ports);
  return layoutCase({
    name: `${opts.prefix ?? ''}${dir}-x-${target.slug}-${joiner}-${peer.slug}-on-${ports.slug}`,
    description: `${dir === 'ingress' ? 'Ingress' : 'Egress'} policy in x selecting ${target.text}: allows ${dir} ${joiner} ${peer.text} on ${ports.text}.`,
    tags: [`direction:${dir}`, target.tag, peer.tag, ports.tag],
    policies: [
      policy(
        'allow-' + (dir === 'ingress' ? 'in' : 'out'),
        'x',
        target.selector,
        dir === 'ingress'
          ? { policyTypes: ['Ingress'], ingress: [rule] }
          : { policyTypes: ['Egress'], egress: [rule] },
      ),
    ],
    probes: opts.probes,
  });
}

export function denyAll(dir: Direction, target: Target, opts: VariantOptions = {}): PolicyCase {
  return layoutCase({
    name: `${opts.prefix ?? ''}${dir}-x-${target.slug}-deny-all`,
    description: `${dir === 'ingress' ? 'Ingress' : 'Egress'} policy in x selecting ${target.text} with no rules: isolates them for ${dir}.`,
    tags: [`direction:${dir}`, target.tag, 'peer:none'],
    policies: [
      policy(`deny-${dir}`, 'x', target.selector, {
        policyTypes: [dir === 'ingress' ? 'Ingress' : 'Egress'],
      }),
    ],
    probes: opts.probes,
  });
}

function bothDirections(target: Target, peer: Peer): PolicyCase {
  return layoutCase({
    name: `both-x-${target.slug}-with-${peer.slug}-on-any-port`,
    description: `Ingress and egress policy in x selecting ${target.text}: allows traffic from and to ${peer.text} only.`,
    tags: ['direction:both', target.tag, peer.tag, 'port:all', 'policy-types'],
    policies: [
      policy('allow-both', 'x', target.selector, {
        policyTypes: ['Ingress', 'Egress'],
        ingress: [ingressRule(peer.peers)],
        egress: [egressRule(peer.peers)],
      }),
    ],
  });
}

export function generatedCases(): PolicyCase[] {
  const out: PolicyCase[] = [];
  const dirs: Direction[] = ['ingress', 'egress'];
  for (const dir of dirs) {
    for (const target of TARGETS) {
      out.push(denyAll(dir, target));
      for (const peer of PEERS)
        for (const ports of MAIN_PORTS) out.push(directional(dir, target, peer, ports));
    }
    for (const peer of PEERS) for (const ports of EXTRA_PORTS) out.push(directional(dir, POD_A, peer, ports));
  }
  for (const target of [ALL_PODS, POD_A]) for (const peer of PEERS) out.push(bothDirections(target, peer));
  return out;
}
