/**
 * NetworkPolicy semantics for one pair of pods, written to read like the API reference. This is
 * the direct evaluator: explain.ts and isAllowed use it, and the bitset truth table
 * (truth-table.ts) is tested against it.
 *
 * Self traffic (a pod connecting to its own pod IP) is subject to policy like any other pair: the
 * API defines isolation per pod and direction with no exception for the pod itself, and cyclonus
 * and the upstream e2e netpol reachability matrices include the self pair with the same
 * expectation as any other peer (cyclonus only offers --ignore-loopback to tolerate CNIs that
 * skip it). Traffic over localhost is a different thing and is out of scope here.
 */
import { cidrContains } from './cidr.js';
import { labelSelectorMatches } from './selector.js';
import type {
  Labels,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Probe,
  Protocol,
  ResolvedCase,
  ResolvedPod,
} from './types.js';

export type Direction = 'ingress' | 'egress';

export interface EffectivePolicyTypes {
  ingress: boolean;
  egress: boolean;
}

/**
 * policyTypes as the API server defaults them: when absent (or empty), Ingress always applies and
 * Egress applies only if the policy has at least one egress rule.
 */
export function effectivePolicyTypes(p: NetworkPolicy): EffectivePolicyTypes {
  const types = p.spec.policyTypes;
  if (types && types.length > 0)
    return { ingress: types.includes('Ingress'), egress: types.includes('Egress') };
  return { ingress: true, egress: (p.spec.egress?.length ?? 0) > 0 };
}

function policyAffects(p: NetworkPolicy, direction: Direction): boolean {
  return effectivePolicyTypes(p)[direction];
}

/** A policy selects the pods of its own namespace that match spec.podSelector (absent = all). */
function policySelectsPod(p: NetworkPolicy, pod: ResolvedPod): boolean {
  return pod.namespace === p.metadata.namespace && labelSelectorMatches(p.spec.podSelector ?? {}, pod.labels);
}

/** Whether an ipBlock covers the address: inside cidr and outside every except. */
function ipBlockMatches(block: { cidr: string; except?: string[] }, ip: string): boolean {
  if (!cidrContains(block.cidr, ip)) return false;
  return !(block.except ?? []).some((e) => cidrContains(e, ip));
}

/**
 * Whether a peer of a policy in `policyNamespace` covers `pod`. For pod-to-pod traffic an ipBlock
 * is matched against the peer pod's IP.
 */
function peerMatchesPod(
  peer: NetworkPolicyPeer,
  policyNamespace: string,
  pod: ResolvedPod,
  namespaces: Record<string, Labels>,
): boolean {
  if (peer.ipBlock) {
    // Validation rejects ipBlock combined with selectors; refuse to guess what such a peer means.
    if (peer.podSelector || peer.namespaceSelector) return false;
    return ipBlockMatches(peer.ipBlock, pod.ip);
  }
  if (!peer.podSelector && !peer.namespaceSelector) return false; // empty peer: rejected by validation
  if (peer.namespaceSelector) {
    if (!labelSelectorMatches(peer.namespaceSelector, namespaces[pod.namespace] ?? {})) return false;
  } else if (pod.namespace !== policyNamespace) {
    // podSelector alone means pods of the policy's own namespace.
    return false;
  }
  return !peer.podSelector || labelSelectorMatches(peer.podSelector, pod.labels);
}

/** Rule protocol after defaulting. */
export function portProtocol(port: NetworkPolicyPort): Protocol {
  return port.protocol ?? 'TCP';
}

/**
 * Whether one NetworkPolicyPort admits the probe towards `dst`. Named ports are looked up among
 * the destination pod's container ports (for ingress and egress rules alike) by name and protocol.
 */
function portMatches(port: NetworkPolicyPort, probe: Probe, dst: ResolvedPod): boolean {
  const proto = portProtocol(port);
  if (proto !== probe.protocol) return false;
  if (port.port === undefined) return true;
  if (typeof port.port === 'number') {
    const end = port.endPort ?? port.port;
    return probe.port >= port.port && probe.port <= end;
  }
  const cp = dst.ports.find((c) => c.name === port.port && c.protocol === proto);
  return cp !== undefined && cp.port === probe.port;
}

/** Index of the first port entry that admits the probe; -1 when none; undefined when ports is absent/empty (all ports). */
function matchingPortIndex(
  ports: NetworkPolicyPort[] | undefined,
  probe: Probe,
  dst: ResolvedPod,
): number | undefined {
  if (!ports || ports.length === 0) return undefined;
  return ports.findIndex((p) => portMatches(p, probe, dst));
}

/** One rule (of one policy) that allows the traffic. */
export interface RuleMatch {
  /** "namespace/name" of the policy. */
  policy: string;
  ruleIndex: number;
  /** Index into from/to; undefined when the rule has no peers (all peers). */
  peerIndex?: number;
  /** Index into ports; undefined when the rule has no ports (all ports). */
  portIndex?: number;
}

export interface DirectionVerdict {
  direction: Direction;
  /** The pod whose policies are evaluated: the source for egress, the destination for ingress. */
  subject: string;
  /** The other end. */
  peer: string;
  /** Policies ("ns/name") that select the subject and apply to this direction. */
  selectedBy: string[];
  /** True when selectedBy is non-empty. */
  isolated: boolean;
  /** Every rule that allows the traffic (empty when isolated and denied). */
  allowedBy: RuleMatch[];
  allowed: boolean;
}

export function policyKey(p: NetworkPolicy): string {
  return `${p.metadata.namespace}/${p.metadata.name}`;
}

/**
 * Evaluates one direction: egress at `src` (subject = src) or ingress at `dst` (subject = dst).
 * Several policies are unioned: any rule of any selecting policy is enough.
 */
export function evaluateDirection(
  c: ResolvedCase,
  direction: Direction,
  src: ResolvedPod,
  dst: ResolvedPod,
  probe: Probe,
): DirectionVerdict {
  const subject = direction === 'ingress' ? dst : src;
  const other = direction === 'ingress' ? src : dst;
  const selectedBy: string[] = [];
  const allowedBy: RuleMatch[] = [];
  for (const p of c.policies) {
    if (!policyAffects(p, direction) || !policySelectsPod(p, subject)) continue;
    const key = policyKey(p);
    selectedBy.push(key);
    const rules = (direction === 'ingress' ? p.spec.ingress : p.spec.egress) ?? [];
    rules.forEach((rule, ruleIndex) => {
      const portIndex = matchingPortIndex(rule.ports, probe, dst);
      if (portIndex === -1) return;
      const peers =
        direction === 'ingress'
          ? (rule as { from?: NetworkPolicyPeer[] }).from
          : (rule as { to?: NetworkPolicyPeer[] }).to;
      let peerIndex: number | undefined;
      if (peers && peers.length > 0) {
        peerIndex = peers.findIndex((peer) =>
          peerMatchesPod(peer, p.metadata.namespace, other, c.namespaces),
        );
        if (peerIndex === -1) return;
      }
      allowedBy.push({
        policy: key,
        ruleIndex,
        ...(peerIndex !== undefined ? { peerIndex } : {}),
        ...(portIndex !== undefined ? { portIndex } : {}),
      });
    });
  }
  const isolated = selectedBy.length > 0;
  return {
    direction,
    subject: subject.key,
    peer: other.key,
    selectedBy,
    isolated,
    allowedBy,
    allowed: !isolated || allowedBy.length > 0,
  };
}

/** Traffic is allowed iff egress is allowed at the source AND ingress is allowed at the destination. */
export function trafficAllowed(c: ResolvedCase, src: ResolvedPod, dst: ResolvedPod, probe: Probe): boolean {
  return (
    evaluateDirection(c, 'egress', src, dst, probe).allowed &&
    evaluateDirection(c, 'ingress', src, dst, probe).allowed
  );
}
