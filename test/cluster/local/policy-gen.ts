/**
 * Random NetworkPolicy sets on the suite's 3×3 layout, from a seeded PRNG, for the differential
 * test; plus the shrink steps that make a failing set smaller while keeping it valid.
 */
import { cidrIsSubset } from '../../../src/netpol/cidr.js';
import { NAMESPACES, layoutCase, nsCidr, podCidr, probesFor } from '../../../src/netpol/suite/layout.js';
import type {
  IPBlock,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PolicyCase,
} from '../../../src/netpol/types.js';
import type { Random } from '../../../src/stats/prng.js';
import { must } from '../../helpers/must.js';

const pick = <T>(r: Random, xs: readonly T[]): T => must(xs[Math.floor(r() * xs.length)], 'a choice');
const count = (r: Random, max: number) => Math.floor(r() * (max + 1));

const POD_SELECTORS: LabelSelector[] = [
  {},
  { matchLabels: { pod: 'a' } },
  { matchLabels: { pod: 'b' } },
  { matchExpressions: [{ key: 'pod', operator: 'In', values: ['a', 'c'] }] },
  { matchExpressions: [{ key: 'pod', operator: 'NotIn', values: ['b'] }] },
  { matchExpressions: [{ key: 'pod', operator: 'Exists' }] },
  { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
  { matchLabels: { pod: 'nope' } },
];

const NS_SELECTORS: LabelSelector[] = [
  {},
  { matchLabels: { ns: 'y' } },
  { matchLabels: { 'kubernetes.io/metadata.name': 'z' } },
  { matchExpressions: [{ key: 'ns', operator: 'NotIn', values: ['x'] }] },
  { matchExpressions: [{ key: 'ns', operator: 'In', values: ['x', 'z'] }] },
];

const CIDRS = [
  '10.244.0.0/16',
  '0.0.0.0/0',
  nsCidr('x'),
  nsCidr('y'),
  podCidr('z', 'b'),
  '10.244.1.0/28',
  '10.244.2.8/30',
  'fd00::/8',
];
const EXCEPTS = [podCidr('x', 'a'), podCidr('y', 'c'), nsCidr('z'), '10.244.1.12/31', '10.244.2.0/29'];

const PORTS: NetworkPolicyPort[] = [
  { port: 80 },
  { protocol: 'UDP', port: 81 },
  { protocol: 'UDP' },
  { protocol: 'TCP' },
  { port: 80, endPort: 81 },
  { protocol: 'UDP', port: 79, endPort: 80 },
  { port: 'serve-80-tcp' },
  { protocol: 'UDP', port: 'serve-81-udp' },
  { port: 'serve-81-udp' },
  { protocol: 'SCTP', port: 80 },
];

function ipBlock(r: Random): IPBlock {
  const cidr = pick(r, CIDRS);
  const except = EXCEPTS.filter((e) => cidrIsSubset(e, cidr) && e !== cidr && r() < 0.4);
  return except.length > 0 ? { cidr, except } : { cidr };
}

function peer(r: Random): NetworkPolicyPeer {
  const kind = count(r, 3);
  if (kind === 0) return { podSelector: pick(r, POD_SELECTORS) };
  if (kind === 1) return { namespaceSelector: pick(r, NS_SELECTORS) };
  if (kind === 2) return { podSelector: pick(r, POD_SELECTORS), namespaceSelector: pick(r, NS_SELECTORS) };
  return { ipBlock: ipBlock(r) };
}

function rule(r: Random, peersKey: 'from' | 'to'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const p = r();
  if (p < 0.15) out[peersKey] = [];
  else if (p > 0.3) out[peersKey] = Array.from({ length: 1 + count(r, 1) }, () => peer(r));
  const q = r();
  if (q < 0.1) out.ports = [];
  else if (q > 0.4) out.ports = Array.from({ length: 1 + count(r, 1) }, () => ({ ...pick(r, PORTS) }));
  return out;
}

export function randomPolicy(r: Random, i: number): NetworkPolicy {
  const spec: NetworkPolicy['spec'] = { podSelector: pick(r, POD_SELECTORS) };
  // [] stands for "no policyTypes field" (the API server then infers the types from the rules).
  const types = pick(r, [[], ['Ingress'], ['Egress'], ['Ingress', 'Egress']] as const);
  if (types.length > 0) spec.policyTypes = [...types];
  if (r() < 0.8) spec.ingress = Array.from({ length: count(r, 2) }, () => rule(r, 'from'));
  if (r() < 0.6) spec.egress = Array.from({ length: count(r, 2) }, () => rule(r, 'to'));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `rand-${i}`, namespace: pick(r, NAMESPACES) },
    spec,
  };
}

export function randomCase(r: Random, name: string): PolicyCase {
  const policies = Array.from({ length: 1 + count(r, 2) }, (_, i) => randomPolicy(r, i));
  return layoutCase({
    name,
    description: 'random policy set (differential test)',
    tags: [],
    policies,
    probes: probesFor(['TCP', 'UDP']),
  });
}

/** The peer and port lists of an ingress or egress rule, read under one name for both directions. */
interface RuleParts {
  from?: NetworkPolicyPeer[];
  to?: NetworkPolicyPeer[];
  ports?: NetworkPolicyPort[];
}

/** Every one-step-smaller variant of a case: a policy, rule, peer, port or except removed. */
export function* shrinkSteps(c: PolicyCase): Generator<PolicyCase> {
  const variant = (edit: (policies: NetworkPolicy[]) => void): PolicyCase => {
    const policies = structuredClone(c.policies);
    edit(policies);
    return { ...c, policies };
  };
  // The clone has the same shape as `c`, so every index read from `c` exists in it.
  const policyIn = (ps: NetworkPolicy[], i: number) => must(ps[i], `policy ${i}`);
  const ruleIn = (ps: NetworkPolicy[], i: number, dir: 'ingress' | 'egress', j: number): RuleParts =>
    must(policyIn(ps, i).spec[dir]?.[j], `${dir} rule ${j}`);
  for (let i = 0; i < c.policies.length; i++) yield variant((ps) => ps.splice(i, 1));
  for (const [i, policy] of c.policies.entries()) {
    const spec = policy.spec;
    for (const dir of ['ingress', 'egress'] as const) {
      const rules: RuleParts[] = spec[dir] ?? [];
      const peersKey = dir === 'ingress' ? 'from' : 'to';
      for (const [j, rule] of rules.entries()) {
        yield variant((ps) => must(policyIn(ps, i).spec[dir], dir).splice(j, 1));
        for (const [k, peer] of (rule[peersKey] ?? []).entries()) {
          yield variant((ps) => must(ruleIn(ps, i, dir, j)[peersKey], peersKey).splice(k, 1));
          if (peer.ipBlock?.except) {
            yield variant((ps) => {
              delete must(ruleIn(ps, i, dir, j)[peersKey]?.[k]?.ipBlock, 'ipBlock').except;
            });
          }
        }
        for (const k of (rule.ports ?? []).keys()) {
          yield variant((ps) => must(ruleIn(ps, i, dir, j).ports, 'ports').splice(k, 1));
        }
      }
    }
    if (Object.keys(spec.podSelector).length > 0)
      yield variant((ps) => (policyIn(ps, i).spec.podSelector = {}));
  }
}
