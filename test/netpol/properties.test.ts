// Property tests on random small cases: the bitset truth table equals a deliberately naive
// evaluator written straight from the API reference, and adding policies/rules behaves as the
// specification says.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { resolveCase } from '../../src/netpol/resolve.js';
import { computeTruthTable, isAllowed } from '../../src/netpol/truth-table.js';
import { validateNetworkPolicy } from '../../src/netpol/validate.js';
import type {
  CasePod,
  ContainerPort,
  Labels,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  PolicyCase,
  Probe,
  ResolvedCase,
  ResolvedPod,
} from '../../src/netpol/types.js';
import { must } from '../helpers/must.js';

// ---------------------------------------------------------------- naive reference evaluator

function naiveSelector(sel: LabelSelector, labels: Labels): boolean {
  for (const [k, want] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== want) return false;
  for (const r of sel.matchExpressions ?? []) {
    const v = k8sHas(labels, r.key) ? labels[r.key] : undefined;
    const values = r.values ?? [];
    if (r.operator === 'In' && (v === undefined || !values.includes(v))) return false;
    if (r.operator === 'NotIn' && v !== undefined && values.includes(v)) return false;
    if (r.operator === 'Exists' && v === undefined) return false;
    if (r.operator === 'DoesNotExist' && v !== undefined) return false;
  }
  return true;
}
function k8sHas(labels: Labels, key: string): boolean {
  return Object.keys(labels).includes(key);
}
function ipv4(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}
function inCidr(cidr: string, ip: string): boolean {
  const [net, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(must(net, `address of ${cidr}`)) / size);
}
function naivePeer(c: ResolvedCase, policyNs: string, peer: NetworkPolicyPeer, other: ResolvedPod): boolean {
  if (peer.ipBlock)
    return (
      inCidr(peer.ipBlock.cidr, other.ip) && !(peer.ipBlock.except ?? []).some((e) => inCidr(e, other.ip))
    );
  const nsOk = peer.namespaceSelector
    ? naiveSelector(
        peer.namespaceSelector,
        must(c.namespaces[other.namespace], `namespace ${other.namespace}`),
      )
    : other.namespace === policyNs;
  const podOk = peer.podSelector ? naiveSelector(peer.podSelector, other.labels) : true;
  return nsOk && podOk;
}
function naivePort(p: NetworkPolicyPort, probe: Probe, dst: ResolvedPod): boolean {
  const proto = p.protocol ?? 'TCP';
  if (proto !== probe.protocol) return false;
  if (p.port === undefined) return true;
  if (typeof p.port === 'number') return probe.port >= p.port && probe.port <= (p.endPort ?? p.port);
  return dst.ports.some((cp) => cp.name === p.port && cp.protocol === proto && cp.port === probe.port);
}
function naiveDirection(
  c: ResolvedCase,
  dir: 'ingress' | 'egress',
  src: ResolvedPod,
  dst: ResolvedPod,
  probe: Probe,
): boolean {
  const subject = dir === 'ingress' ? dst : src;
  const other = dir === 'ingress' ? src : dst;
  let isolated = false;
  for (const p of c.policies) {
    const types = p.spec.policyTypes?.length
      ? p.spec.policyTypes
      : p.spec.egress?.length
        ? ['Ingress', 'Egress']
        : ['Ingress'];
    if (!types.includes(dir === 'ingress' ? 'Ingress' : 'Egress')) continue;
    if (p.metadata.namespace !== subject.namespace || !naiveSelector(p.spec.podSelector, subject.labels))
      continue;
    isolated = true;
    for (const rule of (dir === 'ingress' ? p.spec.ingress : p.spec.egress) ?? []) {
      const peers = 'from' in rule ? rule.from : (rule as { to?: NetworkPolicyPeer[] }).to;
      const peerOk = !peers?.length || peers.some((peer) => naivePeer(c, p.metadata.namespace, peer, other));
      const portOk = !rule.ports?.length || rule.ports.some((port) => naivePort(port, probe, dst));
      if (peerOk && portOk) return true;
    }
  }
  return !isolated;
}
function naiveAllowed(c: ResolvedCase, src: ResolvedPod, dst: ResolvedPod, probe: Probe): boolean {
  return naiveDirection(c, 'egress', src, dst, probe) && naiveDirection(c, 'ingress', src, dst, probe);
}

// ---------------------------------------------------------------- generators

const NS = ['x', 'y', 'z'];
const PROBES: Probe[] = [
  { port: 80, protocol: 'TCP' },
  { port: 81, protocol: 'TCP' },
  { port: 53, protocol: 'UDP' },
  { port: 80, protocol: 'UDP' },
  { port: 80, protocol: 'SCTP' },
];

const labelsArb = fc.record(
  { app: fc.constantFrom('a', 'b', 'c'), env: fc.constantFrom('p', 'q') },
  { requiredKeys: [] },
);
const selectorArb: fc.Arbitrary<LabelSelector> = fc.oneof(
  fc.constant({}),
  labelsArb.map((matchLabels) => ({ matchLabels })),
  fc
    .record({
      key: fc.constantFrom('app', 'env', 'team', 'kubernetes.io/metadata.name'),
      operator: fc.constantFrom('In' as const, 'NotIn' as const, 'Exists' as const, 'DoesNotExist' as const),
      values: fc.uniqueArray(fc.constantFrom('a', 'b', 'p', 'red', 'blue', 'x', 'y'), {
        minLength: 1,
        maxLength: 2,
      }),
    })
    .map((r) => ({
      matchExpressions: [
        r.operator === 'In' || r.operator === 'NotIn'
          ? { key: r.key, operator: r.operator, values: r.values }
          : { key: r.key, operator: r.operator },
      ],
    })),
);
const peerArb: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selectorArb.map((podSelector) => ({ podSelector })),
  selectorArb.map((namespaceSelector) => ({ namespaceSelector })),
  fc.record({ podSelector: selectorArb, namespaceSelector: selectorArb }),
  fc.constantFrom<NetworkPolicyPeer>(
    { ipBlock: { cidr: '10.244.0.0/16' } },
    { ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.1.0/24'] } },
    { ipBlock: { cidr: '10.244.2.0/24', except: ['10.244.2.10/32', '10.244.2.12/31'] } },
    { ipBlock: { cidr: '10.244.1.11/32' } },
    { ipBlock: { cidr: '0.0.0.0/0', except: ['10.244.3.0/24'] } },
  ),
);
const protoArb = fc.option(fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const), {
  nil: undefined,
});
const portArb: fc.Arbitrary<NetworkPolicyPort> = fc
  .oneof(
    fc.record({ port: fc.constantFrom(80, 81, 53), protocol: protoArb }),
    fc.record({ port: fc.constantFrom('http', 'dns', 'serve-80-tcp', 'serve-53-udp'), protocol: protoArb }),
    fc.record({ port: fc.constant(80), endPort: fc.constantFrom(80, 81, 100), protocol: protoArb }),
    fc.record({ protocol: fc.constantFrom('TCP' as const, 'UDP' as const, 'SCTP' as const) }),
  )
  .map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as NetworkPolicyPort);
const listArb = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(fc.constant(undefined), fc.constant([] as T[]), fc.array(arb, { minLength: 1, maxLength: 2 }));
const ingressRuleArb = fc.record({ from: listArb(peerArb), ports: listArb(portArb) }).map(dropUndefined);
const egressRuleArb = fc.record({ to: listArb(peerArb), ports: listArb(portArb) }).map(dropUndefined);
const policyTypesArb = fc.constantFrom<Array<'Ingress' | 'Egress'> | undefined>(
  undefined,
  ['Ingress' as const],
  ['Egress' as const],
  ['Ingress' as const, 'Egress' as const],
);
function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
const policyArb = (name: string): fc.Arbitrary<NetworkPolicy> =>
  fc
    .record({
      ns: fc.constantFrom(...NS),
      podSelector: selectorArb,
      policyTypes: policyTypesArb,
      ingress: fc.oneof(fc.constant(undefined), fc.array(ingressRuleArb, { maxLength: 2 })),
      egress: fc.oneof(fc.constant(undefined), fc.array(egressRuleArb, { maxLength: 2 })),
    })
    .map((r) => ({
      metadata: { name, namespace: r.ns },
      spec: dropUndefined({
        podSelector: r.podSelector,
        policyTypes: r.policyTypes,
        ingress: r.ingress,
        egress: r.egress,
      }),
    }));
const podPortsArb = fc.option(
  fc.constantFrom<ContainerPort[]>(
    [{ name: 'http', port: 80, protocol: 'TCP' as const }],
    [
      { name: 'http', port: 81, protocol: 'TCP' as const },
      { name: 'dns', port: 53, protocol: 'UDP' as const },
    ],
    [{ name: 'dns', port: 53, protocol: 'TCP' as const }],
  ),
  { nil: undefined },
);
const caseArb: fc.Arbitrary<PolicyCase> = fc
  .record({
    nsLabels: fc.tuple(
      ...NS.map(() => fc.record({ team: fc.constantFrom('red', 'blue') }, { requiredKeys: [] })),
    ),
    pods: fc.array(fc.record({ ns: fc.constantFrom(...NS), labels: labelsArb, ports: podPortsArb }), {
      minLength: 1,
      maxLength: 7,
    }),
    policies: fc
      .integer({ min: 0, max: 4 })
      .chain((k) => fc.tuple(...Array.from({ length: k }, (_, i) => policyArb(`p${i}`)))),
  })
  .map((r) => ({
    name: 'random',
    namespaces: Object.fromEntries(NS.map((ns, i) => [ns, must(r.nsLabels[i], `labels of ${ns}`)])),
    pods: r.pods.map((p, i): CasePod =>
      dropUndefined({ namespace: p.ns, name: `pod${i}`, labels: p.labels, ports: p.ports }),
    ),
    policies: r.policies,
    probes: PROBES,
  }));

type Grid = Map<string, boolean>;
function tableOf(c: ResolvedCase): Grid {
  const out: Grid = new Map();
  for (const p of computeTruthTable(c).probes) {
    for (const [s, row] of Object.entries(p.allowed)) {
      for (const [d, v] of Object.entries(row)) out.set(`${p.port}/${p.protocol} ${s}>${d}`, v);
    }
  }
  return out;
}

const RUNS = { numRuns: 300 };

describe('properties', () => {
  test('generated policies are valid', () => {
    fc.assert(
      fc.property(caseArb, (pc) => {
        for (const p of pc.policies) assert.deepEqual(validateNetworkPolicy(p), []);
      }),
      { numRuns: 100 },
    );
  });

  test('truth table and isAllowed equal the naive evaluator on every pair and probe', () => {
    fc.assert(
      fc.property(caseArb, (pc) => {
        const c = resolveCase(pc);
        const table = tableOf(c);
        assert.equal(table.size, c.pods.length * c.pods.length * PROBES.length);
        for (const probe of PROBES) {
          for (const s of c.pods) {
            for (const d of c.pods) {
              const want = naiveAllowed(c, s, d, probe);
              const key = `${probe.port}/${probe.protocol} ${s.key}>${d.key}`;
              assert.equal(table.get(key), want, `table ${key}`);
              assert.equal(isAllowed(c, s.key, d.key, probe), want, `isAllowed ${key}`);
            }
          }
        }
      }),
      RUNS,
    );
  });

  test('adding an allow rule to a policy never removes reachability', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.nat(),
        ingressRuleArb,
        egressRuleArb,
        fc.boolean(),
        (pc, which, inRule, egRule, egressSide) => {
          fc.pre(pc.policies.length > 0);
          const before = tableOf(resolveCase(pc));
          const idx = which % pc.policies.length;
          const target = structuredClone(must(pc.policies[idx], `policy ${idx}`));
          const types = target.spec.policyTypes;
          // Appending to an egress list of a policy without policyTypes would turn it into an
          // egress policy (a real semantic change), so egress rules go only where Egress applies.
          const egressApplies = types?.length
            ? types.includes('Egress')
            : (target.spec.egress?.length ?? 0) > 0;
          if (egressSide && egressApplies) target.spec.egress = [...(target.spec.egress ?? []), egRule];
          else target.spec.ingress = [...(target.spec.ingress ?? []), inRule];
          const after = tableOf(
            resolveCase({ ...pc, policies: pc.policies.map((p, i) => (i === idx ? target : p)) }),
          );
          for (const [k, v] of before) if (v) assert.equal(after.get(k), true, k);
        },
      ),
      RUNS,
    );
  });

  test('a default-deny policy denies every peer of the pods it isolates anew and leaves every other pair unchanged', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.constantFrom(...NS),
        selectorArb,
        fc.constantFrom('Ingress' as const, 'Egress' as const),
        (pc, ns, podSelector, dir) => {
          const c0 = resolveCase(pc);
          const deny: NetworkPolicy = {
            metadata: { name: 'zz-deny', namespace: ns },
            spec: { podSelector, policyTypes: [dir] },
          };
          const c1 = resolveCase({ ...pc, policies: [...pc.policies, deny] });
          const before = tableOf(c0);
          const after = tableOf(c1);
          const selected = new Set(
            c0.pods
              .filter((p) => p.namespace === ns && naiveSelector(podSelector, p.labels))
              .map((p) => p.key),
          );
          // Pods already isolated in this direction by another policy keep their allow rules.
          const alreadyIsolated = (key: string, probe: Probe) => {
            const p = must(
              c0.pods.find((q) => q.key === key),
              key,
            );
            return c0.pods.some((other) =>
              dir === 'Ingress'
                ? !naiveDirection(c0, 'ingress', other, p, probe) || isolatedBy(c0, 'ingress', p)
                : !naiveDirection(c0, 'egress', p, other, probe) || isolatedBy(c0, 'egress', p),
            );
          };
          for (const [k, v] of after) {
            const [probeText, pair] = k.split(' ');
            const [s, d] = must(pair, `pair of ${k}`).split('>');
            const [port, protocol] = must(probeText, `probe of ${k}`).split('/');
            const probe = { port: Number(port), protocol } as Probe;
            const subject = must(dir === 'Ingress' ? d : s, `pair of ${k}`);
            if (!selected.has(subject)) assert.equal(v, before.get(k), `unselected pair changed: ${k}`);
            else if (!alreadyIsolated(subject, probe))
              assert.equal(v, false, `isolated pair still allowed: ${k}`);
            else assert.equal(v, before.get(k), `deny-all changed an already isolated pair: ${k}`);
          }
        },
      ),
      RUNS,
    );
  });
});

function isolatedBy(c: ResolvedCase, dir: 'ingress' | 'egress', pod: ResolvedPod): boolean {
  return c.policies.some((p) => {
    const types = p.spec.policyTypes?.length
      ? p.spec.policyTypes
      : p.spec.egress?.length
        ? ['Ingress', 'Egress']
        : ['Ingress'];
    return (
      types.includes(dir === 'ingress' ? 'Ingress' : 'Egress') &&
      p.metadata.namespace === pod.namespace &&
      naiveSelector(p.spec.podSelector, pod.labels)
    );
  });
}
