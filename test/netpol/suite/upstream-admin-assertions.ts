/**
 * What network-policy-api's own conformance tests assert, state by state: every PokeServer call of
 * conformance/tests/*.go at v0.2.0 (ClusterNetworkPolicy) and v0.1.8 (AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy; v0.1.7 asserts exactly the same pod-to-pod verdicts), read from the
 * tests in that order. A state ends where a subtest patches a policy or deletes the NetworkPolicy;
 * the subtest that mutates belongs to the state it creates. Probes of the host-network pods of
 * forbidden-forrest (node peers) are only counted: no pod-to-pod verdict depends on them.
 *
 * These verdicts are data read from upstream, independent of cnibench's model: the suite test
 * checks the model against them. Pods are <house namespace without the
 * "network-policy-conformance-" prefix>/<pod>; each assertion is [client, server, protocol, port,
 * connection expected].
 */
type UpstreamAssertion = [
  from: string,
  to: string,
  protocol: 'TCP' | 'UDP' | 'SCTP',
  port: number,
  allowed: boolean,
];

interface UpstreamState {
  /** The t.Run names of the subtests that run in this state. */
  subtests: string[];
  /** Probes of node peers (host-network pods), left out. */
  nodePeerProbes?: number;
  assertions: UpstreamAssertion[];
}

export interface UpstreamTest {
  /** The test's ShortName. */
  test: string;
  file: string;
  states: UpstreamState[];
}

/** kubernetes-sigs/network-policy-api v0.2.0 */
export const V0_2_0: UpstreamTest[] = [
  {
    test: 'CNPAdminTierEgressNamedPort',
    file: 'conformance/tests/admin-network-policy-experimental-egress-rules.go',
    states: [
      {
        subtests: ["Should support an 'allow-egress' policy for named port"],
        assertions: [
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 8080, false],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierEgressNodePeers',
    file: 'conformance/tests/admin-network-policy-experimental-egress-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-egress' rule policy for egress-node-peer",
          "Should support a 'pass-egress' rule policy for egress-node-peer",
          "Should support a 'deny-egress' rule policy for egress-node-peer",
        ],
        nodePeerProbes: 5,
        assertions: [],
      },
    ],
  },
  {
    test: 'CNPAdminTierIngressNamedPort',
    file: 'conformance/tests/admin-network-policy-experimental-ingress-rules.go',
    states: [
      {
        subtests: ["Should support an 'allow-ingress' policy for named port"],
        assertions: [
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353, false],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierEgressInlineCIDRPeers',
    file: 'conformance/tests/admin-network-policy-standard-egress-inline-cidr-rules.go',
    states: [
      {
        subtests: ["Should support a 'deny-egress' rule policy for egress-cidr-peer"],
        assertions: [
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9003, true],
        ],
      },
      {
        subtests: ["Should support an 'allow-egress' rule policy for egress-cidr-peer"],
        assertions: [
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003, false],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierEgressSCTP',
    file: 'conformance/tests/admin-network-policy-standard-egress-sctp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-egress' policy for SCTP protocol; ensure rule ordering is respected",
          "Should support an 'allow-egress' policy for SCTP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'SCTP', 9003, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9005, true],
          ['ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003, true],
          ['ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9005, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-egress' policy for SCTP protocol; ensure rule ordering is respected",
          "Should support a 'deny-egress' policy for SCTP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'SCTP', 9003, false],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9005, false],
          ['ravenclaw/luna-lovegood-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003, false],
          ['ravenclaw/luna-lovegood-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005, true],
        ],
      },
      {
        subtests: [
          "Should support an 'pass-egress' policy for SCTP protocol; ensure rule ordering is respected",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'SCTP', 9003, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9005, true],
        ],
      },
      {
        subtests: ["Should support a 'pass-egress' policy for SCTP protocol at the specified port"],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003, true],
          ['ravenclaw/luna-lovegood-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005, true],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierEgressTCP',
    file: 'conformance/tests/admin-network-policy-standard-egress-tcp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-egress' policy for TCP protocol; ensure rule ordering is respected",
          "Should support an 'allow-egress' policy for TCP protocol at the specified port",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 8080, true],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 8080, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-egress' policy for TCP protocol; ensure rule ordering is respected",
          "Should support a 'deny-egress' policy for TCP protocol at the specified port",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'TCP', 8080, false],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, true],
        ],
      },
      {
        subtests: [
          "Should support an 'pass-egress' policy for TCP protocol; ensure rule ordering is respected",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 8080, true],
        ],
      },
      {
        subtests: ["Should support a 'pass-egress' policy for TCP protocol at the specified port"],
        assertions: [
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, true],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierEgressUDP',
    file: 'conformance/tests/admin-network-policy-standard-egress-udp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-egress' policy for UDP protocol; ensure rule ordering is respected",
          "Should support an 'allow-egress' policy for UDP protocol at the specified port",
        ],
        assertions: [
          ['hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-0', 'UDP', 53, true],
          ['hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-0', 'UDP', 5353, true],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 53, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 5353, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-egress' policy for UDP protocol; ensure rule ordering is respected",
          "Should support a 'deny-egress' policy for UDP protocol at the specified port",
        ],
        assertions: [
          ['hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'UDP', 53, false],
          ['hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'UDP', 5353, false],
          ['hufflepuff/cedric-diggory-0', 'slytherin/draco-malfoy-0', 'UDP', 5353, false],
          ['hufflepuff/cedric-diggory-1', 'slytherin/draco-malfoy-0', 'UDP', 53, true],
        ],
      },
      {
        subtests: [
          "Should support an 'pass-egress' policy for UDP protocol; ensure rule ordering is respected",
        ],
        assertions: [
          ['hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'UDP', 5353, true],
          ['hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53, true],
        ],
      },
      {
        subtests: ["Should support a 'pass-egress' policy for UDP protocol at the specified port"],
        assertions: [
          ['hufflepuff/cedric-diggory-0', 'slytherin/draco-malfoy-0', 'UDP', 5353, true],
          ['hufflepuff/cedric-diggory-1', 'slytherin/draco-malfoy-0', 'UDP', 53, true],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierGress',
    file: 'conformance/tests/admin-network-policy-standard-gress-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-gress' policy across different protocols",
          "Should support an 'allow-gress' policy across different protocols at the specified ports",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53, true],
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, true],
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'UDP', 53, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 8080, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 5353, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53, false],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9005, false],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080, false],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 5353, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 53, false],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'SCTP', 9003, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'SCTP', 9005, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-gress' policy across different protocols",
          "Should support a 'deny-gress' policy across different protocols at the specified ports",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53, false],
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003, false],
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'TCP', 80, false],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'UDP', 53, false],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, true],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 5353, true],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005, true],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'UDP', 53, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'UDP', 5353, true],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'SCTP', 9003, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'SCTP', 9005, true],
        ],
      },
      {
        subtests: ["Should support an 'pass-gress' policy across different protocols"],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'UDP', 5353, true],
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, true],
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'UDP', 53, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9003, true],
        ],
      },
      {
        subtests: ["Should support a 'pass-gress' policy across different protocols at the specified ports"],
        assertions: [
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, true],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 5353, true],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005, true],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'UDP', 53, true],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'UDP', 5353, true],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'SCTP', 9003, true],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'SCTP', 9005, true],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierIngressSCTP',
    file: 'conformance/tests/admin-network-policy-standard-ingress-sctp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-ingress' policy for SCTP protocol; ensure rule ordering is respected",
          "Should support an 'allow-ingress' policy for SCTP protocol at the specified port",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005, true],
          ['hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003, true],
          ['hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-ingress' policy for SCTP protocol; ensure rule ordering is respected",
          "Should support a 'deny-ingress' policy for SCTP protocol at the specified port",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005, false],
          ['slytherin/draco-malfoy-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, false],
          ['slytherin/draco-malfoy-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005, true],
        ],
      },
      {
        subtests: [
          "Should support an 'pass-ingress' policy for SCTP protocol; ensure rule ordering is respected",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005, true],
        ],
      },
      {
        subtests: ["Should support a 'pass-ingress' policy for SCTP protocol at the specified port"],
        assertions: [
          ['slytherin/draco-malfoy-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, true],
          ['slytherin/draco-malfoy-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005, true],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierIngressTCP',
    file: 'conformance/tests/admin-network-policy-standard-ingress-tcp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-ingress' policy for TCP protocol; ensure rule ordering is respected",
          "Should support an 'allow-ingress' policy for TCP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected",
          "Should support a 'deny-ingress' policy for TCP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'TCP', 80, false],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'TCP', 8080, false],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
        ],
      },
      {
        subtests: [
          "Should support an 'pass-ingress' policy for TCP protocol; ensure rule ordering is respected",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
        ],
      },
      {
        subtests: ["Should support a 'pass-ingress' policy for TCP protocol at the specified port"],
        assertions: [
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierIngressUDP',
    file: 'conformance/tests/admin-network-policy-standard-ingress-udp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-ingress' policy for UDP protocol; ensure rule ordering is respected",
          "Should support an 'allow-ingress' policy for UDP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-0', 'UDP', 53, true],
          ['ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-0', 'UDP', 5353, true],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-ingress' policy for UDP protocol; ensure rule ordering is respected",
          "Should support a 'deny-ingress' policy for UDP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53, false],
          ['ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353, false],
          ['slytherin/draco-malfoy-0', 'hufflepuff/cedric-diggory-0', 'UDP', 5353, false],
          ['slytherin/draco-malfoy-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53, true],
        ],
      },
      {
        subtests: [
          "Should support an 'pass-ingress' policy for UDP protocol; ensure rule ordering is respected",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'UDP', 5353, true],
          ['ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53, true],
        ],
      },
      {
        subtests: ["Should support a 'pass-ingress' policy for UDP protocol at the specified port"],
        assertions: [
          ['slytherin/draco-malfoy-0', 'hufflepuff/cedric-diggory-0', 'UDP', 5353, true],
          ['slytherin/draco-malfoy-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53, true],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierIntegration',
    file: 'conformance/tests/admin-network-policy-standard-integration.go',
    states: [
      {
        subtests: [
          'Should Deny traffic from slytherin to gryffindor respecting admin CNP',
          'Should Deny traffic to slytherin from gryffindor respecting admin CNP',
        ],
        assertions: [
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, false],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, false],
        ],
      },
      {
        subtests: [
          "Should support a 'pass-ingress' policy for admin CNP and respect the match for network policy",
        ],
        assertions: [
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
        ],
      },
      {
        subtests: [
          "Should support a 'pass-egress' policy for admin CNP and respect the match for network policy",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, true],
        ],
      },
      {
        subtests: [
          "Should support a 'pass-ingress' policy for admin CNP and respect the match for baseline cluster network policy",
          "Should support a 'pass-egress' policy for admin CNP and respect the match for baseline cluster network policy",
        ],
        assertions: [
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, false],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, false],
        ],
      },
    ],
  },
  {
    test: 'CNPAdminTierPriorityField',
    file: 'conformance/tests/admin-network-policy-standard-priority.go',
    states: [
      {
        subtests: [
          'Should Deny traffic from slytherin to gryffindor respecting admin CNP',
          'Should Deny traffic to slytherin from gryffindor respecting admin CNP',
        ],
        assertions: [
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, false],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, false],
        ],
      },
      {
        subtests: [
          'Should respect admin CNP priority field; thus passing both ingress and egress traffic over to baseline CNP',
        ],
        assertions: [
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, true],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierEgressNamedPort',
    file: 'conformance/tests/baseline-admin-network-policy-experimental-egress-rules.go',
    states: [
      {
        subtests: ["Should support an 'allow-egress' policy for named port"],
        assertions: [
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 53, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 5353, false],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierEgressNodePeers',
    file: 'conformance/tests/baseline-admin-network-policy-experimental-egress-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-egress' rule policy for egress-node-peer",
          "Should support a 'deny-egress' rule policy for egress-node-peer",
        ],
        nodePeerProbes: 4,
        assertions: [],
      },
    ],
  },
  {
    test: 'CNPBaselineTierIngressNamedPort',
    file: 'conformance/tests/baseline-admin-network-policy-experimental-ingress-rules.go',
    states: [
      {
        subtests: ["Should support an 'allow-ingress' policy for named port"],
        assertions: [
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080, false],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierEgressInlineCIDRPeers',
    file: 'conformance/tests/baseline-admin-network-policy-standard-egress-inline-cidr-rules.go',
    states: [
      {
        subtests: ["Should support a 'deny-egress' rule policy for egress-cidr-peer"],
        assertions: [
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9003, true],
        ],
      },
      {
        subtests: ["Should support an 'allow-egress' rule policy for egress-cidr-peer"],
        assertions: [
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-0', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003, false],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierEgressSCTP',
    file: 'conformance/tests/baseline-admin-network-policy-standard-egress-sctp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-egress' policy for SCTP protocol; ensure rule ordering is respected",
          "Should support an 'allow-egress' policy for SCTP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'SCTP', 9003, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9005, true],
          ['ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003, true],
          ['ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9005, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-egress' policy for SCTP protocol; ensure rule ordering is respected",
          "Should support a 'deny-egress' policy for SCTP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'SCTP', 9003, false],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9005, false],
          ['ravenclaw/luna-lovegood-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003, false],
          ['ravenclaw/luna-lovegood-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005, true],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierEgressTCP',
    file: 'conformance/tests/baseline-admin-network-policy-standard-egress-tcp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-egress' policy for TCP protocol; ensure rule ordering is respected",
          "Should support an 'allow-egress' policy for TCP protocol at the specified port",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'TCP', 8080, true],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 8080, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-egress' policy for TCP protocol; ensure rule ordering is respected",
          "Should support a 'deny-egress' policy for TCP protocol at the specified port",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'TCP', 8080, false],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, true],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierEgressUDP',
    file: 'conformance/tests/baseline-admin-network-policy-standard-egress-udp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-egress' policy for UDP protocol; ensure rule ordering is respected",
          "Should support an 'allow-egress' policy for UDP protocol at the specified port",
        ],
        assertions: [
          ['hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-0', 'UDP', 53, true],
          ['hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-0', 'UDP', 5353, true],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 53, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 5353, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-egress' policy for UDP protocol; ensure rule ordering is respected",
          "Should support a 'deny-egress' policy for UDP protocol at the specified port",
        ],
        assertions: [
          ['hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'UDP', 53, false],
          ['hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'UDP', 5353, false],
          ['hufflepuff/cedric-diggory-0', 'slytherin/draco-malfoy-0', 'UDP', 5353, false],
          ['hufflepuff/cedric-diggory-1', 'slytherin/draco-malfoy-0', 'UDP', 53, true],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierGress',
    file: 'conformance/tests/baseline-admin-network-policy-standard-gress-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-gress' policy across different protocols",
          "Should support an 'allow-gress' policy across different protocols at the specified ports",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'TCP', 80, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'UDP', 53, true],
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, true],
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'UDP', 53, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'TCP', 8080, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 5353, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 53, false],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'SCTP', 9005, false],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080, false],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'UDP', 5353, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'UDP', 53, false],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'SCTP', 9003, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'SCTP', 9005, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-gress' policy across different protocols",
          "Should support a 'deny-gress' policy across different protocols at the specified ports",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'UDP', 53, false],
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003, false],
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'TCP', 80, false],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'UDP', 53, false],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'TCP', 80, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'TCP', 8080, true],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'UDP', 53, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'UDP', 5353, true],
          ['gryffindor/harry-potter-0', 'slytherin/draco-malfoy-0', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'slytherin/draco-malfoy-0', 'SCTP', 9005, true],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'UDP', 53, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'UDP', 5353, true],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'SCTP', 9003, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'SCTP', 9005, true],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierIngressSCTP',
    file: 'conformance/tests/baseline-admin-network-policy-standard-ingress-sctp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-ingress' policy for SCTP protocol; ensure rule ordering is respected",
          "Should support an 'allow-ingress' policy for SCTP protocol at the specified port",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, true],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005, true],
          ['hufflepuff/cedric-diggory-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003, true],
          ['hufflepuff/cedric-diggory-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-ingress' policy for SCTP protocol; ensure rule ordering is respected",
          "Should support a 'deny-ingress' policy for SCTP protocol at the specified port",
        ],
        assertions: [
          ['gryffindor/harry-potter-0', 'ravenclaw/luna-lovegood-1', 'SCTP', 9003, false],
          ['gryffindor/harry-potter-1', 'ravenclaw/luna-lovegood-1', 'SCTP', 9005, false],
          ['slytherin/draco-malfoy-0', 'ravenclaw/luna-lovegood-0', 'SCTP', 9003, false],
          ['slytherin/draco-malfoy-1', 'ravenclaw/luna-lovegood-0', 'SCTP', 9005, true],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierIngressTCP',
    file: 'conformance/tests/baseline-admin-network-policy-standard-ingress-tcp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-ingress' policy for TCP protocol; ensure rule ordering is respected",
          "Should support an 'allow-ingress' policy for TCP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-0', 'TCP', 80, true],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
          ['hufflepuff/cedric-diggory-0', 'gryffindor/harry-potter-1', 'TCP', 80, true],
          ['hufflepuff/cedric-diggory-1', 'gryffindor/harry-potter-1', 'TCP', 8080, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-ingress' policy for TCP protocol; ensure rule ordering is respected",
          "Should support a 'deny-ingress' policy for TCP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'gryffindor/harry-potter-1', 'TCP', 80, false],
          ['ravenclaw/luna-lovegood-1', 'gryffindor/harry-potter-1', 'TCP', 8080, false],
          ['slytherin/draco-malfoy-0', 'gryffindor/harry-potter-0', 'TCP', 80, false],
          ['slytherin/draco-malfoy-1', 'gryffindor/harry-potter-0', 'TCP', 8080, true],
        ],
      },
    ],
  },
  {
    test: 'CNPBaselineTierIngressUDP',
    file: 'conformance/tests/baseline-admin-network-policy-standard-ingress-udp-rules.go',
    states: [
      {
        subtests: [
          "Should support an 'allow-ingress' policy for UDP protocol; ensure rule ordering is respected",
          "Should support an 'allow-ingress' policy for UDP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-0', 'UDP', 53, true],
          ['ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-0', 'UDP', 5353, true],
          ['gryffindor/harry-potter-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53, true],
          ['gryffindor/harry-potter-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353, false],
        ],
      },
      {
        subtests: [
          "Should support an 'deny-ingress' policy for UDP protocol; ensure rule ordering is respected",
          "Should support a 'deny-ingress' policy for UDP protocol at the specified port",
        ],
        assertions: [
          ['ravenclaw/luna-lovegood-0', 'hufflepuff/cedric-diggory-1', 'UDP', 53, false],
          ['ravenclaw/luna-lovegood-1', 'hufflepuff/cedric-diggory-1', 'UDP', 5353, false],
          ['slytherin/draco-malfoy-0', 'hufflepuff/cedric-diggory-0', 'UDP', 5353, false],
          ['slytherin/draco-malfoy-1', 'hufflepuff/cedric-diggory-0', 'UDP', 53, true],
        ],
      },
    ],
  },
];

/**
 * kubernetes-sigs/network-policy-api v0.1.8 (AdminNetworkPolicy, BaselineAdminNetworkPolicy): the
 * same 24 tests in the same files, under their v1alpha1 names. Read from v0.1.8 the same way, every
 * test has the same states and asserts exactly the same pod-to-pod verdicts as its v0.2.0
 * counterpart (as does v0.1.7; only the host-network ports of the node-peer probes differ), so the
 * assertions are shared rather than written out twice.
 */
const V1ALPHA1_NAMES: Record<string, string> = {
  CNPAdminTierEgressNamedPort: 'AdminNetworkPolicyEgressNamedPort',
  CNPAdminTierEgressNodePeers: 'AdminNetworkPolicyEgressNodePeers',
  CNPAdminTierIngressNamedPort: 'AdminNetworkPolicyIngressNamedPort',
  CNPAdminTierEgressInlineCIDRPeers: 'AdminNetworkPolicyEgressInlineCIDRPeers',
  CNPAdminTierEgressSCTP: 'AdminNetworkPolicyEgressSCTP',
  CNPAdminTierEgressTCP: 'AdminNetworkPolicyEgressTCP',
  CNPAdminTierEgressUDP: 'AdminNetworkPolicyEgressUDP',
  CNPAdminTierGress: 'AdminNetworkPolicyGress',
  CNPAdminTierIngressSCTP: 'AdminNetworkPolicyIngressSCTP',
  CNPAdminTierIngressTCP: 'AdminNetworkPolicyIngressTCP',
  CNPAdminTierIngressUDP: 'AdminNetworkPolicyIngressUDP',
  CNPAdminTierIntegration: 'AdminNetworkPolicyIntegration',
  CNPAdminTierPriorityField: 'AdminNetworkPolicyPriorityField',
  CNPBaselineTierEgressNamedPort: 'BaselineAdminNetworkPolicyEgressNamedPort',
  CNPBaselineTierEgressNodePeers: 'BaselineAdminNetworkPolicyEgressNodePeers',
  CNPBaselineTierIngressNamedPort: 'BaselineAdminNetworkPolicyIngressNamedPort',
  CNPBaselineTierEgressInlineCIDRPeers: 'BaselineAdminNetworkPolicyEgressInlineCIDRPeers',
  CNPBaselineTierEgressSCTP: 'BaselineAdminNetworkPolicyEgressSCTP',
  CNPBaselineTierEgressTCP: 'BaselineAdminNetworkPolicyEgressTCP',
  CNPBaselineTierEgressUDP: 'BaselineAdminNetworkPolicyEgressUDP',
  CNPBaselineTierGress: 'BaselineAdminNetworkPolicyGress',
  CNPBaselineTierIngressSCTP: 'BaselineAdminNetworkPolicyIngressSCTP',
  CNPBaselineTierIngressTCP: 'BaselineAdminNetworkPolicyIngressTCP',
  CNPBaselineTierIngressUDP: 'BaselineAdminNetworkPolicyIngressUDP',
};

export const V0_1_8: UpstreamTest[] = V0_2_0.map((t) => {
  const test = V1ALPHA1_NAMES[t.test];
  if (test === undefined) throw new Error(`no v0.1.8 name for ${t.test}`);
  return { ...t, test };
});
