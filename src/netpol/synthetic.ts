/**
 * A deterministic, realistic-looking large policy case (many namespaces, default-deny policies,
 * allow rules with pod/namespace selectors, ports, port ranges, named ports and ipBlocks), for the
 * model benchmark and for scale tests of the truth table.
 */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, PolicyCase, Probe } from './types.js';
import { cycle, pick } from '../util/arrays.js';

export interface SyntheticCaseOptions {
  pods?: number;
  policies?: number;
  namespaces?: number;
  probes?: Probe[];
  seed?: number;
}

/** mulberry32: small, fast, good enough to vary a synthetic case reproducibly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APPS = ['web', 'api', 'db', 'cache', 'queue', 'auth', 'search', 'billing', 'mail', 'metrics'];
const TIERS = ['frontend', 'backend', 'data'];
const TEAMS = ['red', 'blue', 'green', 'gold'];

export function syntheticCase(opts: SyntheticCaseOptions = {}): PolicyCase {
  const nPods = opts.pods ?? 1000;
  const nPolicies = opts.policies ?? 1000;
  const nNs = opts.namespaces ?? 20;
  const probes = opts.probes ?? [{ port: 80, protocol: 'TCP' }];
  const rnd = prng(opts.seed ?? 1);
  const choose = <T>(xs: readonly T[]): T => pick(rnd, xs);

  const nsNames = Array.from({ length: nNs }, (_, j) => `ns${j}`);
  const namespaces = Object.fromEntries(
    nsNames.map((ns, j) => [ns, { team: cycle(TEAMS, j), env: j % 2 ? 'prod' : 'dev' }]),
  );
  const pods = Array.from({ length: nPods }, (_, i) => ({
    namespace: cycle(nsNames, i),
    name: `pod${i}`,
    labels: { app: choose(APPS), tier: choose(TIERS), ...(rnd() < 0.3 ? { canary: 'true' } : {}) },
  }));

  const policies: NetworkPolicy[] = [];
  const add = (ns: string, spec: NetworkPolicy['spec']) =>
    policies.push({ metadata: { name: `np${policies.length}`, namespace: ns }, spec });
  // Every namespace starts with a default-deny ingress; every other one also denies egress.
  for (const [j, ns] of nsNames.entries()) {
    if (policies.length >= nPolicies) break;
    add(ns, { podSelector: {}, policyTypes: j % 2 ? ['Ingress', 'Egress'] : ['Ingress'] });
  }
  const port = (): NetworkPolicyPort => {
    const r = rnd();
    if (r < 0.5)
      return { port: choose([80, 443, 8080, 53]), ...(rnd() < 0.2 ? { protocol: 'UDP' as const } : {}) };
    if (r < 0.7) return { port: 8000, endPort: 9000 };
    if (r < 0.9) return { port: `serve-${choose([80, 443])}-tcp` };
    return { protocol: 'TCP' };
  };
  const peer = (): NetworkPolicyPeer => {
    const r = rnd();
    if (r < 0.35) return { podSelector: { matchLabels: { app: choose(APPS) } } };
    if (r < 0.6)
      return {
        namespaceSelector: { matchLabels: { team: choose(TEAMS) } },
        podSelector: { matchLabels: { tier: choose(TIERS) } },
      };
    if (r < 0.75)
      return { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': choose(nsNames) } } };
    if (r < 0.85)
      return {
        podSelector: {
          matchExpressions: [{ key: 'app', operator: 'In', values: [choose(APPS), choose(APPS)] }],
        },
      };
    const third = 1 + Math.floor(rnd() * nNs);
    return { ipBlock: { cidr: '10.244.0.0/16', except: [`10.244.${third}.0/24`] } };
  };
  const list = <T>(make: () => T, max: number): T[] =>
    Array.from({ length: 1 + Math.floor(rnd() * max) }, make);
  while (policies.length < nPolicies) {
    const ns = choose(nsNames);
    const podSelector =
      rnd() < 0.15
        ? {}
        : { matchLabels: { app: choose(APPS), ...(rnd() < 0.3 ? { tier: choose(TIERS) } : {}) } };
    if (rnd() < 0.65) {
      add(ns, {
        podSelector,
        policyTypes: ['Ingress'],
        ingress: list(() => ({ from: list(peer, 3), ports: list(port, 2) }), 2),
      });
    } else {
      add(ns, {
        podSelector,
        policyTypes: ['Egress'],
        egress: list(() => ({ to: list(peer, 2), ports: list(port, 2) }), 2),
      });
    }
  }
  return { name: `synthetic-${nPods}x${nPolicies}`, namespaces, pods, policies, probes };
}
