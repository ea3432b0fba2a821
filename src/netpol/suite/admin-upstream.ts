/**
 * A transcription of network-policy-api's conformance tests for the admin tier: v0.2.0
 * (ClusterNetworkPolicy, tests CNPAdminTier* and CNPBaselineTier*) and v0.1.7/v0.1.8
 * (AdminNetworkPolicy and BaselineAdminNetworkPolicy, tests AdminNetworkPolicy* and
 * BaselineAdminNetworkPolicy*). Both versions run the same 24 tests with the same policies (modulo
 * spelling) and the same assertions; v0.1.8 differs from v0.1.7 only in the host-network ports of
 * the node-peer tests.
 *
 * Each test applies its manifests and then mutates the policies between subtests (swapping rules,
 * changing an action or a priority, deleting the NetworkPolicy); the mutations accumulate. Every
 * policy state a test goes through is one case here, named upstream-<test>-<n>-<state>. The
 * expected verdicts of the upstream assertions live in the tests of this repository
 * (test/netpol/suite/upstream-admin-assertions.ts), never in the cases.
 */
import type { AdminTierApi, NetworkPolicy, Probe } from '../types.js';
import { house, houseNs, housePodIp, nsNamed, probes, type House } from './admin-layout.js';
import {
  port,
  portRange,
  rule,
  type AdminDraftCase,
  type DraftPolicy,
  type DraftPort,
  type DraftRule,
} from './admin-draft.js';

type Dir = 'ingress' | 'egress';

interface State {
  slug: string;
  /** What changed, in the words of the upstream subtests. */
  what: string;
  policies: DraftPolicy[];
  networkPolicies?: NetworkPolicy[];
}

interface UpstreamTest {
  slug: string;
  /** ShortName at v0.2.0 and at v0.1.7/v0.1.8. */
  names: Record<AdminTierApi, string>;
  /** Test file (same name in both versions). */
  file: string;
  tags: readonly string[];
  probes: Probe[];
  states: State[];
  apis?: readonly AdminTierApi[];
}

const peerNs = (h: House) => [{ namespaces: nsNamed(h) }];
const housePods = (h: House) => ({ pods: { namespaceSelector: house(h), podSelector: house(h) } });

function clone<T>(x: T): T {
  return structuredClone(x);
}

/** A copy of the policy with rules i and j of `dirs` swapped, as the upstream subtests do. */
function swap(p: DraftPolicy, dirs: Dir[], i: number, j: number): DraftPolicy {
  const out = clone(p);
  for (const d of dirs) {
    const rules = out[d];
    const a = rules?.[i];
    const b = rules?.[j];
    if (!rules || !a || !b) throw new Error(`swap: ${p.name} has no ${d} rules ${i} and ${j}`);
    rules[i] = b;
    rules[j] = a;
  }
  return out;
}

function edit(p: DraftPolicy, f: (p: DraftPolicy) => void): DraftPolicy {
  const out = clone(p);
  f(out);
  return out;
}

function ruleAt(p: DraftPolicy, d: Dir, i: number): DraftRule {
  const r = p[d]?.[i];
  if (!r) throw new Error(`${p.name} has no ${d} rule ${i}`);
  return r;
}

interface GressShape {
  /** The house whose every port the first rules cover ("...-everything"). */
  all: House;
  /** Ports of the slytherin rules. */
  denyPorts: DraftPort[];
  denyLabel: string;
  /** The house allowed on some ports and denied the rest. */
  allow: House;
  allowPorts: DraftPort[];
  allowLabel: string;
}

/** The Admin tier rule list of the *-rules.yaml files: Accept, Deny, Pass everything; Deny, Pass on ports; Accept on ports, Deny the rest. */
function adminRules(d: Dir, s: GressShape, denyName?: string): DraftRule[] {
  const w = d === 'ingress' ? 'from' : 'to';
  return [
    rule('Accept', peerNs(s.all), undefined, `allow-${w}-${s.all}-everything`),
    rule('Deny', peerNs(s.all), undefined, `deny-${w}-${s.all}-everything`),
    rule('Pass', peerNs(s.all), undefined, `pass-${w}-${s.all}-everything`),
    rule('Deny', peerNs('slytherin'), s.denyPorts, denyName ?? `deny-${w}-slytherin-at-port-${s.denyLabel}`),
    rule('Pass', peerNs('slytherin'), s.denyPorts, `pass-${w}-slytherin-at-port-${s.denyLabel}`),
    rule('Accept', peerNs(s.allow), s.allowPorts, `allow-${w}-${s.allow}-at-port-${s.allowLabel}`),
    rule('Deny', peerNs(s.allow), undefined, `deny-${w}-${s.allow}-everything-else`),
  ];
}

/** The Baseline tier rule list: the same without the Pass rules. */
function baselineRules(d: Dir, s: GressShape, denyName?: string, allowName?: string): DraftRule[] {
  const w = d === 'ingress' ? 'from' : 'to';
  return [
    rule('Accept', peerNs(s.all), undefined, `allow-${w}-${s.all}-everything`),
    rule('Deny', peerNs(s.all), undefined, `deny-${w}-${s.all}-everything`),
    rule('Deny', peerNs('slytherin'), s.denyPorts, denyName ?? `deny-${w}-slytherin-at-port-${s.denyLabel}`),
    rule(
      'Accept',
      peerNs(s.allow),
      s.allowPorts,
      allowName ?? `allow-${w}-${s.allow}-at-port-${s.allowLabel}`,
    ),
    rule('Deny', peerNs(s.allow), undefined, `deny-${w}-${s.allow}-everything-else`),
  ];
}

interface Single {
  test: string;
  cnp: string;
  anp: string;
  file: string;
  name: string;
  priority: number;
  dir: Dir;
  subject: House;
  shape: GressShape;
  probes: Probe[];
  protocolTag: string;
}

const TCP: GressShape = {
  all: 'ravenclaw',
  denyPorts: [port('TCP', 80)],
  denyLabel: '80',
  allow: 'hufflepuff',
  allowPorts: [port('TCP', 80)],
  allowLabel: '80',
};
const UDP: GressShape = {
  all: 'ravenclaw',
  denyPorts: [port('UDP', 5353)],
  denyLabel: '5353',
  allow: 'gryffindor',
  allowPorts: [port('UDP', 53)],
  allowLabel: '53',
};
const SCTP: GressShape = {
  all: 'gryffindor',
  denyPorts: [port('SCTP', 9003)],
  denyLabel: '9003',
  allow: 'hufflepuff',
  allowPorts: [port('SCTP', 9003)],
  allowLabel: '9003',
};
const TCP_PROBES = probes('TCP', 80, 8080);
const UDP_PROBES = probes('UDP', 53, 5353);
const SCTP_PROBES = probes('SCTP', 9003, 9005);
const ALL_PROBES = [...TCP_PROBES, ...UDP_PROBES, ...SCTP_PROBES];

const SINGLES: Single[] = [
  {
    test: 'IngressTCP',
    cnp: 'CNPAdminTierIngressTCP',
    anp: 'AdminNetworkPolicyIngressTCP',
    file: 'admin-network-policy-standard-ingress-tcp-rules.go',
    name: 'ingress-tcp',
    priority: 3,
    dir: 'ingress',
    subject: 'gryffindor',
    shape: TCP,
    probes: TCP_PROBES,
    protocolTag: 'tcp',
  },
  {
    test: 'IngressUDP',
    cnp: 'CNPAdminTierIngressUDP',
    anp: 'AdminNetworkPolicyIngressUDP',
    file: 'admin-network-policy-standard-ingress-udp-rules.go',
    name: 'ingress-udp',
    priority: 4,
    dir: 'ingress',
    subject: 'hufflepuff',
    shape: UDP,
    probes: UDP_PROBES,
    protocolTag: 'udp',
  },
  {
    test: 'IngressSCTP',
    cnp: 'CNPAdminTierIngressSCTP',
    anp: 'AdminNetworkPolicyIngressSCTP',
    file: 'admin-network-policy-standard-ingress-sctp-rules.go',
    name: 'ingress-sctp',
    priority: 5,
    dir: 'ingress',
    subject: 'ravenclaw',
    shape: SCTP,
    probes: SCTP_PROBES,
    protocolTag: 'sctp',
  },
  {
    test: 'EgressTCP',
    cnp: 'CNPAdminTierEgressTCP',
    anp: 'AdminNetworkPolicyEgressTCP',
    file: 'admin-network-policy-standard-egress-tcp-rules.go',
    name: 'egress-tcp',
    priority: 6,
    dir: 'egress',
    subject: 'gryffindor',
    shape: { ...TCP, allowPorts: [port('TCP', 8080)], allowLabel: '8080' },
    probes: TCP_PROBES,
    protocolTag: 'tcp',
  },
  {
    test: 'EgressUDP',
    cnp: 'CNPAdminTierEgressUDP',
    anp: 'AdminNetworkPolicyEgressUDP',
    file: 'admin-network-policy-standard-egress-udp-rules.go',
    name: 'egress-udp',
    priority: 7,
    dir: 'egress',
    subject: 'hufflepuff',
    shape: UDP,
    probes: UDP_PROBES,
    protocolTag: 'udp',
  },
  {
    test: 'EgressSCTP',
    cnp: 'CNPAdminTierEgressSCTP',
    anp: 'AdminNetworkPolicyEgressSCTP',
    file: 'admin-network-policy-standard-egress-sctp-rules.go',
    name: 'egress-sctp',
    priority: 8,
    dir: 'egress',
    subject: 'ravenclaw',
    shape: SCTP,
    probes: SCTP_PROBES,
    protocolTag: 'sctp',
  },
];

function adminSingle(s: Single): DraftPolicy {
  return {
    name: s.name,
    tier: 'Admin',
    priority: s.priority,
    subject: { namespaces: nsNamed(s.subject) },
    [s.dir]: adminRules(s.dir, s.shape),
  };
}

function baselineSingle(s: Single): DraftPolicy {
  return {
    name: 'default',
    tier: 'Baseline',
    priority: 10,
    subject: { namespaces: nsNamed(s.subject) },
    [s.dir]: baselineRules(s.dir, s.shape),
  };
}

const ADMIN_STATES = (p0: DraftPolicy, dirs: Dir[]): State[] => {
  const p1 = swap(p0, dirs, 0, 1);
  const p2 = swap(p1, dirs, 0, 2);
  const p3 = swap(p2, dirs, 3, 4);
  return [
    { slug: 'initial', what: 'the manifest as applied (Accept before Deny before Pass)', policies: [p0] },
    { slug: 'deny-first', what: 'rules 0 and 1 swapped: Deny before Accept', policies: [p1] },
    { slug: 'pass-first', what: 'then rules 0 and 2 swapped: Pass first', policies: [p2] },
    {
      slug: 'port-pass-first',
      what: 'then rules 3 and 4 swapped: the port Pass before the port Deny',
      policies: [p3],
    },
  ];
};

const BASELINE_STATES = (p0: DraftPolicy, dirs: Dir[]): State[] => [
  { slug: 'initial', what: 'the manifest as applied (Accept before Deny)', policies: [p0] },
  { slug: 'deny-first', what: 'rules 0 and 1 swapped: Deny before Accept', policies: [swap(p0, dirs, 0, 1)] },
];

const dirTag = (dirs: Dir[]) => (dirs.length === 2 ? 'direction:both' : `direction:${dirs[0]}`);

function singleTests(): UpstreamTest[] {
  const out: UpstreamTest[] = [];
  for (const s of SINGLES) {
    out.push({
      slug: `admin-${s.name}`,
      names: { v1alpha2: s.cnp, v1alpha1: s.anp },
      file: s.file,
      tags: [
        'tier:admin',
        dirTag([s.dir]),
        'action:accept',
        'action:deny',
        'action:pass',
        'admin-peer:namespaces',
        'port:numbered',
      ],
      probes: s.probes,
      states: ADMIN_STATES(adminSingle(s), [s.dir]),
    });
  }
  for (const s of SINGLES) {
    out.push({
      slug: `baseline-${s.name}`,
      names: {
        v1alpha2: s.cnp.replace('AdminTier', 'BaselineTier'),
        v1alpha1: s.anp.replace('AdminNetworkPolicy', 'BaselineAdminNetworkPolicy'),
      },
      file: `baseline-${s.file}`,
      tags: [
        'tier:baseline',
        dirTag([s.dir]),
        'action:accept',
        'action:deny',
        'admin-peer:namespaces',
        'port:numbered',
      ],
      probes: s.probes,
      states: BASELINE_STATES(baselineSingle(s), [s.dir]),
    });
  }
  return out;
}

const GRESS_IN: GressShape = {
  all: 'ravenclaw',
  denyPorts: [port('TCP', 80), port('UDP', 53), port('SCTP', 9003)],
  denyLabel: '80-53-9003',
  allow: 'hufflepuff',
  allowPorts: [port('TCP', 80), port('UDP', 5353), port('SCTP', 9003)],
  allowLabel: '80-5353-9003',
};
const GRESS_OUT: GressShape = {
  ...GRESS_IN,
  allowPorts: [port('TCP', 8080), port('UDP', 5353), port('SCTP', 9003)],
};

function gressTests(): UpstreamTest[] {
  const admin = edit(
    {
      name: 'gress-rules',
      tier: 'Admin',
      priority: 15,
      subject: { namespaces: nsNamed('gryffindor') },
      ingress: adminRules('ingress', GRESS_IN),
      egress: adminRules('egress', GRESS_OUT, 'deny-to-slytherin-at-ports-80-53-9003'),
    },
    (p) => (ruleAt(p, 'egress', 5).name = 'allow-to-hufflepuff-at-ports-8080-5353-9003'),
  );
  const baseline: DraftPolicy = {
    name: 'default',
    tier: 'Baseline',
    priority: 10,
    subject: { namespaces: nsNamed('gryffindor') },
    ingress: baselineRules('ingress', GRESS_IN),
    egress: baselineRules(
      'egress',
      GRESS_OUT,
      'deny-to-slytherin-at-ports-80-53-9003',
      'allow-to-hufflepuff-at-ports-8080-5353',
    ),
  };
  const tags = [
    'direction:both',
    'action:accept',
    'action:deny',
    'admin-peer:namespaces',
    'port:numbered',
    'port:multiple',
  ];
  return [
    {
      slug: 'admin-gress',
      names: { v1alpha2: 'CNPAdminTierGress', v1alpha1: 'AdminNetworkPolicyGress' },
      file: 'admin-network-policy-standard-gress-rules.go',
      tags: ['tier:admin', 'action:pass', ...tags],
      probes: ALL_PROBES,
      states: ADMIN_STATES(admin, ['ingress', 'egress']),
    },
    {
      slug: 'baseline-gress',
      names: { v1alpha2: 'CNPBaselineTierGress', v1alpha1: 'BaselineAdminNetworkPolicyGress' },
      file: 'baseline-admin-network-policy-standard-gress-rules.go',
      tags: ['tier:baseline', ...tags],
      probes: ALL_PROBES,
      states: BASELINE_STATES(baseline, ['ingress', 'egress']),
    },
  ];
}

/** The rule the inline-CIDR tests insert at index 0: the /32s of luna-lovegood-0 and cedric-diggory-0. */
function specificPodIps(): DraftRule {
  return rule(
    'Accept',
    [{ networks: [`${housePodIp('ravenclaw', 0)}/32`, `${housePodIp('hufflepuff', 0)}/32`] }],
    undefined,
    'allow-egress-to-specific-podIPs',
  );
}

function cidrTests(): UpstreamTest[] {
  const egress = [
    rule('Accept', [housePods('slytherin')], undefined, 'allow-egress-to-slytherin'),
    rule('Deny', [{ networks: ['0.0.0.0/0', '::/0'] }], undefined, 'deny-egress-to-internet'),
  ];
  const admin: DraftPolicy = {
    name: 'inline-cidr-as-peers-example',
    tier: 'Admin',
    priority: 85,
    subject: housePods('gryffindor'),
    egress,
  };
  const baseline: DraftPolicy = {
    name: 'default',
    tier: 'Baseline',
    priority: 10,
    subject: { namespaces: nsNamed('gryffindor') },
    egress,
  };
  const states = (p: DraftPolicy): State[] => [
    {
      slug: 'initial',
      what: 'Accept to slytherin, then Deny to 0.0.0.0/0 and ::/0 (which covers pod IPs too)',
      policies: [p],
    },
    {
      slug: 'pod-ips-first',
      what: 'a rule accepting the /32s of luna-lovegood-0 and cedric-diggory-0 inserted first',
      policies: [edit(p, (x) => x.egress?.unshift(specificPodIps()))],
    },
  ];
  const probesCidr = [...probes('TCP', 80), ...probes('UDP', 53), ...probes('SCTP', 9003)];
  const tags = [
    'direction:egress',
    'action:accept',
    'action:deny',
    'admin-peer:pods',
    'admin-peer:networks',
    'port:all',
  ];
  return [
    {
      slug: 'admin-egress-inline-cidr',
      names: {
        v1alpha2: 'CNPAdminTierEgressInlineCIDRPeers',
        v1alpha1: 'AdminNetworkPolicyEgressInlineCIDRPeers',
      },
      file: 'admin-network-policy-standard-egress-inline-cidr-rules.go',
      tags: ['tier:admin', ...tags],
      probes: probesCidr,
      states: states(admin),
    },
    {
      slug: 'baseline-egress-inline-cidr',
      names: {
        v1alpha2: 'CNPBaselineTierEgressInlineCIDRPeers',
        v1alpha1: 'BaselineAdminNetworkPolicyEgressInlineCIDRPeers',
      },
      file: 'baseline-admin-network-policy-standard-egress-inline-cidr-rules.go',
      tags: ['tier:baseline', ...tags],
      probes: probesCidr,
      states: states(baseline),
    },
  ];
}

function integrationTest(): UpstreamTest {
  const slytherinNs = [{ namespaces: house('slytherin') }];
  const admin: DraftPolicy = {
    name: 'pass-example',
    tier: 'Admin',
    priority: 10,
    subject: { namespaces: house('gryffindor') },
    ingress: [rule('Deny', slytherinNs, undefined, 'deny-all-ingress-from-slytherin')],
    egress: [rule('Deny', slytherinNs, undefined, 'deny-all-egress-to-slytherin')],
  };
  const baseline: DraftPolicy = { ...clone(admin), name: 'default', tier: 'Baseline', priority: 10 };
  const np: NetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'allow-gress-from-to-slytherin-to-gryffindor', namespace: houseNs('gryffindor') },
    spec: {
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: house('slytherin') }] }],
      egress: [{ to: [{ namespaceSelector: house('slytherin') }] }],
    },
  };
  const inPass = edit(admin, (p) => (ruleAt(p, 'ingress', 0).action = 'Pass'));
  const bothPass = edit(inPass, (p) => (ruleAt(p, 'egress', 0).action = 'Pass'));
  return {
    slug: 'admin-integration',
    names: { v1alpha2: 'CNPAdminTierIntegration', v1alpha1: 'AdminNetworkPolicyIntegration' },
    file: 'admin-network-policy-standard-integration.go',
    tags: [
      'tier:admin',
      'tier:baseline',
      'with-network-policy',
      'direction:both',
      'action:deny',
      'action:pass',
      'admin-peer:namespaces',
      'port:all',
    ],
    probes: TCP_PROBES,
    states: [
      {
        slug: 'initial',
        what: 'Admin Deny both ways, a NetworkPolicy allowing slytherin, Baseline Deny',
        policies: [admin, baseline],
        networkPolicies: [np],
      },
      {
        slug: 'ingress-pass',
        what: 'the Admin ingress rule changed to Pass: the NetworkPolicy decides ingress',
        policies: [inPass, baseline],
        networkPolicies: [np],
      },
      {
        slug: 'egress-pass',
        what: 'the Admin egress rule changed to Pass as well',
        policies: [bothPass, baseline],
        networkPolicies: [np],
      },
      {
        slug: 'no-network-policy',
        what: 'the NetworkPolicy deleted: the Baseline tier decides',
        policies: [bothPass, baseline],
      },
    ],
  };
}

function priorityTest(): UpstreamTest {
  const sly = [housePods('slytherin')];
  const subject = housePods('gryffindor');
  const p50: DraftPolicy = {
    name: 'priority-50-example',
    tier: 'Admin',
    priority: 50,
    subject,
    ingress: [rule('Deny', sly, undefined, 'deny-all-ingress-from-slytherin')],
    egress: [rule('Deny', sly, undefined, 'deny-all-egress-to-slytherin')],
  };
  const p60: DraftPolicy = {
    name: 'old-priority-60-new-priority-40-example',
    tier: 'Admin',
    priority: 60,
    subject,
    ingress: [rule('Pass', sly, undefined, 'pass-all-ingress-from-slytherin')],
    egress: [rule('Pass', sly, undefined, 'pass-all-egress-to-slytherin')],
  };
  const base: DraftPolicy = {
    name: 'default',
    tier: 'Baseline',
    priority: 10,
    subject,
    ingress: [rule('Accept', sly, undefined, 'allow-all-ingress-from-slytherin')],
    egress: [rule('Accept', sly, undefined, 'allow-all-egress-to-slytherin')],
  };
  return {
    slug: 'admin-priority',
    names: { v1alpha2: 'CNPAdminTierPriorityField', v1alpha1: 'AdminNetworkPolicyPriorityField' },
    file: 'admin-network-policy-standard-priority.go',
    tags: [
      'tier:admin',
      'tier:baseline',
      'priority',
      'direction:both',
      'action:accept',
      'action:deny',
      'action:pass',
      'admin-peer:pods',
      'port:all',
    ],
    probes: TCP_PROBES,
    states: [
      {
        slug: 'initial',
        what: 'Deny at priority 50, Pass at 60, Baseline Accept',
        policies: [p50, p60, base],
      },
      {
        slug: 'pass-at-40',
        what: 'the Pass policy moved to priority 40, ahead of the Deny',
        policies: [p50, { ...clone(p60), priority: 40 }, base],
      },
    ],
  };
}

function namedPortTests(): UpstreamTest[] {
  const egressTcp = SINGLES[3];
  const ingressUdp = SINGLES[1];
  const baseEgressUdp = SINGLES[4];
  const baseIngressTcp = SINGLES[0];
  if (!egressTcp || !ingressUdp || !baseEgressUdp || !baseIngressTcp) throw new Error('SINGLES changed');
  const named = (p: DraftPolicy, d: Dir, i: number, name: string) =>
    edit(p, (x) => (ruleAt(x, d, i).ports = [{ named: name }]));
  const state = (what: string, p: DraftPolicy): State[] => [{ slug: 'named-port', what, policies: [p] }];
  const tags = ['action:accept', 'action:deny', 'admin-peer:namespaces', 'port:named'];
  return [
    {
      slug: 'admin-egress-named-port',
      names: { v1alpha2: 'CNPAdminTierEgressNamedPort', v1alpha1: 'AdminNetworkPolicyEgressNamedPort' },
      file: 'admin-network-policy-experimental-egress-rules.go',
      tags: ['tier:admin', 'direction:egress', 'action:pass', ...tags],
      probes: TCP_PROBES,
      states: state(
        'egress-tcp with rule 5 matching the named port "web" (TCP 80) instead of 8080',
        named(adminSingle(egressTcp), 'egress', 5, 'web'),
      ),
    },
    {
      slug: 'admin-ingress-named-port',
      names: { v1alpha2: 'CNPAdminTierIngressNamedPort', v1alpha1: 'AdminNetworkPolicyIngressNamedPort' },
      file: 'admin-network-policy-experimental-ingress-rules.go',
      tags: ['tier:admin', 'direction:ingress', 'action:pass', ...tags],
      probes: UDP_PROBES,
      states: state(
        'ingress-udp with rule 5 matching the named port "dns" (UDP 53)',
        named(adminSingle(ingressUdp), 'ingress', 5, 'dns'),
      ),
    },
    {
      slug: 'baseline-egress-named-port',
      names: {
        v1alpha2: 'CNPBaselineTierEgressNamedPort',
        v1alpha1: 'BaselineAdminNetworkPolicyEgressNamedPort',
      },
      file: 'baseline-admin-network-policy-experimental-egress-rules.go',
      tags: ['tier:baseline', 'direction:egress', ...tags],
      probes: UDP_PROBES,
      states: state(
        'the Baseline egress-udp rules with rule 3 matching the named port "dns"',
        named(baselineSingle(baseEgressUdp), 'egress', 3, 'dns'),
      ),
    },
    {
      slug: 'baseline-ingress-named-port',
      names: {
        v1alpha2: 'CNPBaselineTierIngressNamedPort',
        v1alpha1: 'BaselineAdminNetworkPolicyIngressNamedPort',
      },
      file: 'baseline-admin-network-policy-experimental-ingress-rules.go',
      tags: ['tier:baseline', 'direction:ingress', ...tags],
      probes: TCP_PROBES,
      states: state(
        'the Baseline ingress-tcp rules with rule 3 matching the named port "web"',
        named(baselineSingle(baseIngressTcp), 'ingress', 3, 'web'),
      ),
    },
  ];
}

/**
 * The node-peer tests probe host-network pods only, which no pod-to-pod case can judge; their
 * policies still cover pods (a pods peer and networks 0.0.0.0/0, ::/0), so the state is kept. The
 * host-network ports differ: literal in v0.1.7, `HostNetworkPorts` (default from 34345) since v0.1.8.
 */
function nodePeerTests(): UpstreamTest[] {
  const linux = { matchLabels: { 'kubernetes.io/os': 'linux' } };
  const out: UpstreamTest[] = [];
  const ports: Record<AdminTierApi, [number, number, number]> = {
    v1alpha1: [36363, 36364, 34345],
    v1alpha2: [34345, 34346, 34347],
  };
  for (const api of ['v1alpha2', 'v1alpha1'] as const) {
    const [p0, p1, p2] = ports[api];
    const admin: DraftPolicy = {
      name: 'node-and-cidr-as-peers-example',
      tier: 'Admin',
      priority: 75,
      subject: housePods('gryffindor'),
      egress: [
        rule('Accept', [{ nodes: linux }], [port('TCP', p0)], `allow-egress-to-${p0}-on-nodes`),
        rule('Pass', [{ nodes: linux }], [port('UDP', p2)], `pass-egress-to-${p2}-on-nodes`),
        rule(
          'Deny',
          [housePods('slytherin'), { nodes: linux }, { networks: ['0.0.0.0/0', '::/0'] }],
          undefined,
          'deny-egress-to-slytherin-and-nodes-and-internet',
        ),
      ],
    };
    const baseline: DraftPolicy = {
      name: 'default',
      tier: 'Baseline',
      priority: 10,
      subject: { namespaces: nsNamed('gryffindor') },
      egress: [
        rule('Accept', [{ nodes: linux }], [portRange('TCP', p0, p1)], `allow-egress-to-${p0}-on-nodes`),
        rule(
          'Deny',
          [{ nodes: linux }, { networks: ['0.0.0.0/0', '::/0'] }],
          undefined,
          'deny-egress-to-nodes-and-internet',
        ),
      ],
    };
    const tags = [
      'direction:egress',
      'action:accept',
      'action:deny',
      'admin-peer:nodes',
      'admin-peer:networks',
    ];
    out.push(
      {
        slug: 'admin-egress-node-peers',
        names: { v1alpha2: 'CNPAdminTierEgressNodePeers', v1alpha1: 'AdminNetworkPolicyEgressNodePeers' },
        file: 'admin-network-policy-experimental-egress-rules.go',
        tags: ['tier:admin', 'action:pass', 'admin-peer:pods', 'port:numbered', ...tags],
        probes: [...probes('TCP', 80), ...probes('UDP', 53)],
        states: [
          {
            slug: 'initial',
            what: 'node peers (not judged for pods), then Deny to slytherin, nodes and every network',
            policies: [admin],
          },
        ],
        apis: [api],
      },
      {
        slug: 'baseline-egress-node-peers',
        names: {
          v1alpha2: 'CNPBaselineTierEgressNodePeers',
          v1alpha1: 'BaselineAdminNetworkPolicyEgressNodePeers',
        },
        file: 'baseline-admin-network-policy-experimental-egress-rules.go',
        tags: ['tier:baseline', 'port:range', ...tags],
        probes: [...probes('TCP', 80), ...probes('UDP', 53)],
        states: [
          {
            slug: 'initial',
            what: 'a node peer on a port range (not judged for pods), then Deny to nodes and every network',
            policies: [baseline],
          },
        ],
        apis: [api],
      },
    );
  }
  return out;
}

export function upstreamTests(): UpstreamTest[] {
  return [
    ...singleTests(),
    ...gressTests(),
    ...cidrTests(),
    integrationTest(),
    priorityTest(),
    ...namedPortTests(),
    ...nodePeerTests(),
  ];
}

/** Every state of every upstream test as a draft case, named upstream-<test>-<n>-<state>. */
export function upstreamAdminDrafts(): AdminDraftCase[] {
  return upstreamTests().flatMap((t) =>
    t.states.map((s, i) => ({
      name: `upstream-${t.slug}-${i + 1}-${s.slug}`,
      description:
        `network-policy-api conformance ${t.names.v1alpha2} (v0.2.0) / ${t.names.v1alpha1} (v0.1.7, v0.1.8), ` +
        `conformance/tests/${t.file}, state ${i + 1} of ${t.states.length}: ${s.what}.`,
      tags: ['upstream-conformance', ...t.tags],
      policies: clone(s.policies),
      ...(s.networkPolicies ? { networkPolicies: clone(s.networkPolicies) } : {}),
      probes: t.probes.map((p) => ({ ...p })),
      ...(t.apis ? { apis: t.apis } : {}),
    })),
  );
}
