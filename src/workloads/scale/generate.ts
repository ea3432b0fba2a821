/**
 * N realistic NetworkPolicies for the policy-scale sweep, deterministic for a seed. The mix follows
 * what production clusters carry: a default-deny per namespace, then allow rules by app label within
 * a namespace, by team/env namespace labels across namespaces (with matchExpressions and port
 * ranges), from external ipBlocks with exceptions, and egress allows (DNS, databases).
 *
 * Invariants (checked against the model by verify.ts, in tests and before every sweep step):
 * - policy #0 (for N ≥ 1) isolates the perf server's namespace for ingress and explicitly allows the
 *   perf client's namespace on the perf ports — the measured path stays allowed but goes through
 *   policy evaluation, as it would in a real cluster;
 * - every other policy lives in a filler namespace, so neither the perf pair nor the probe pair is
 *   affected by it;
 * - the list for N is a prefix of the list for N' > N (same seed), so a sweep adds policies.
 */
import { seededRandom, type Random } from '../../stats/prng.js';
import { cycle, pick } from '../../util/arrays.js';
import {
  NAMESPACE_NAME_LABEL,
  type LabelSelector,
  type NetworkPolicy,
  type NetworkPolicyPort,
} from '../../netpol/types.js';
import { APPS, ENVS, TEAMS, PROBE_SERVER, type ScaleLayout } from './layout.js';

export const DEFAULT_SCALE_SEED = 20261124;

function policy(
  name: string,
  namespace: string,
  podSelector: LabelSelector,
  spec: Omit<NetworkPolicy['spec'], 'podSelector'>,
): NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace, labels: { 'cnibench.io/workload': 'policy-scale' } },
    spec: { podSelector, ...spec },
  };
}

/** The explicit allow for the measured path (policy #0). */
function perfAllowPolicy(layout: ScaleLayout): NetworkPolicy {
  const { perf } = layout;
  return policy(
    'scale-allow-perf',
    perf.serverNamespace,
    {},
    {
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: perf.clientNamespace } } }],
          ports: perf.ports.map((p) => ({ protocol: p.protocol, port: p.port })),
        },
      ],
    },
  );
}

/** The one extra policy of the programming-latency measurement: denies all ingress to the probe server. */
export function probeDenyPolicy(layout: ScaleLayout): NetworkPolicy {
  return policy(
    'scale-extra-deny-probe',
    layout.probeNamespace,
    { matchLabels: { role: PROBE_SERVER } },
    {
      policyTypes: ['Ingress'],
    },
  );
}

const webPorts: NetworkPolicyPort[] = [
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 443 },
  { protocol: 'TCP', port: 8080 },
];

/** One filler policy of kind chosen by the generator; `k` makes names unique. */
function fillerPolicy(k: number, ns: string, layout: ScaleLayout, rand: Random): NetworkPolicy {
  const name = (kind: string) => `scale-${String(k).padStart(5, '0')}-${kind}`;
  const app = pick(rand, APPS);
  const other = pick(rand, APPS);
  const r = rand();
  if (r < 0.3) {
    // Same-namespace: frontends of `other` may call `app` on web ports.
    return policy(
      name('app'),
      ns,
      { matchLabels: { app } },
      {
        policyTypes: ['Ingress'],
        ingress: [
          { from: [{ podSelector: { matchLabels: { app: other } } }], ports: webPorts.slice(0, 1 + (k % 3)) },
        ],
      },
    );
  }
  if (r < 0.55) {
    // Cross-namespace: pods of listed apps in namespaces of a team/env, on a port range.
    const lo = 8000 + 10 * (k % 50);
    return policy(
      name('team'),
      ns,
      { matchLabels: { tier: 'backend' } },
      {
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: pick(rand, TEAMS), env: pick(rand, ENVS) } },
                podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [app, other] }] },
              },
            ],
            ports: [{ protocol: 'TCP', port: lo, endPort: lo + 9 }],
          },
        ],
      },
    );
  }
  if (r < 0.7) {
    // External clients from an ipBlock, minus a /24.
    const second = 16 + (k % 16);
    const third = Math.floor(rand() * 256);
    return policy(
      name('ipblock'),
      ns,
      { matchLabels: { app } },
      {
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ ipBlock: { cidr: `172.${second}.0.0/16`, except: [`172.${second}.${third}.0/24`] } }],
            ports: [{ protocol: 'TCP', port: 443 }],
          },
        ],
      },
    );
  }
  if (r < 0.85) {
    // Egress: DNS to the service range and the database of another filler namespace.
    const target = pick(rand, layout.fillerNamespaces);
    return policy(
      name('egress'),
      ns,
      { matchLabels: { app } },
      {
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ipBlock: { cidr: '10.96.0.0/12' } }],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: target } },
                podSelector: { matchLabels: { app: 'db' } },
              },
            ],
            ports: [{ protocol: 'TCP', port: 5432 }],
          },
        ],
      },
    );
  }
  // Monitoring: any namespace of an env may scrape, expressed with NotIn/Exists expressions.
  return policy(
    name('metrics'),
    ns,
    { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
    {
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: {
                matchExpressions: [
                  { key: 'env', operator: 'In', values: [pick(rand, ENVS)] },
                  { key: 'team', operator: 'NotIn', values: [pick(rand, TEAMS)] },
                ],
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 9090 + (k % 10) }],
        },
      ],
    },
  );
}

/**
 * Exactly `n` policies: #0 the perf allow, #1..#F a default-deny per filler namespace (ingress;
 * every other namespace also egress, with the DNS/database egress allows among the fillers), then
 * allow rules spread round-robin over the filler namespaces.
 */
export function generateScalePolicies(
  n: number,
  layout: ScaleLayout,
  seed: number = DEFAULT_SCALE_SEED,
): NetworkPolicy[] {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`policy count must be a whole number ≥ 0 (got ${n})`);
  if (layout.fillerNamespaces.length === 0 && n > 1)
    throw new RangeError('the layout has no filler namespaces');
  const rand = seededRandom(seed);
  const out: NetworkPolicy[] = [];
  if (n === 0) return out;
  out.push(perfAllowPolicy(layout));
  const F = layout.fillerNamespaces.length;
  for (let k = 1; k < n; k++) {
    const ns = cycle(layout.fillerNamespaces, k - 1);
    if (k <= F) {
      const withEgress = (k - 1) % 2 === 1;
      out.push(
        policy(
          `scale-default-deny`,
          ns,
          {},
          { policyTypes: withEgress ? ['Ingress', 'Egress'] : ['Ingress'] },
        ),
      );
      continue;
    }
    out.push(fillerPolicy(k, ns, layout, rand));
  }
  return out;
}
