/**
 * The `policy-change` group: multi-step cases (docs/policy-change.md) on the 3×3 layout, each a
 * starting state and one or more steps that change policies or labels while the pods keep running.
 * They cover the upstream e2e tests that change state at run time ("should allow ingress access from
 * updated namespace", "… from updated pod", "should deny ingress access to updated pod", "should
 * enforce updated policy", "should stop enforcing policies after they are deleted"), a deny added
 * over an allow and the reverse, the admin tier changing under a NetworkPolicy (both API versions),
 * relabels that move a pod between a policy's subject and its peers, and deleting the last policy
 * of a namespace. The shape (a case is a list of steps, each a list of actions followed by a probe)
 * follows policy-assistant's generator; the cases are cnibench's own.
 *
 * Probes are the layout's (TCP and UDP on ports 80 and 81); every step probes all 72 ordered pairs.
 */
import type {
  AdminNetworkPolicy,
  AdminTierPeer,
  AdminTierSubject,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  LabelSelector,
  NetworkPolicy,
  PolicyCase,
  PolicyStep,
  Probe,
  StepAction,
  StepObject,
} from '../types.js';
import {
  denyEgress,
  denyIngress,
  egressOnly,
  egressRule,
  fromCidr,
  ingressOnly,
  ingressRule,
  nsLabel,
  podLabel,
  policy,
  tcp,
  udp,
} from './builders.js';
import { layoutCase, nsCidr, podCidr, probesFor } from './layout.js';

const PROBES_80_81: readonly Probe[] = probesFor(['TCP', 'UDP'], [80, 81]);

interface ChangeSpec {
  name: string;
  description: string;
  tags: readonly string[];
  policies?: NetworkPolicy[];
  clusterNetworkPolicies?: ClusterNetworkPolicy[];
  adminNetworkPolicies?: AdminNetworkPolicy[];
  baselineAdminNetworkPolicy?: BaselineAdminNetworkPolicy;
  /** Extra labels on layout pods at step 0, by "ns/pod". */
  podLabels?: Record<string, Record<string, string>>;
  /** Extra labels on layout namespaces at step 0. */
  namespaceLabels?: Record<string, Record<string, string>>;
  steps: PolicyStep[];
}

function change(spec: ChangeSpec): PolicyCase {
  const c = layoutCase({
    name: `change-${spec.name}`,
    description: spec.description,
    tags: ['policy-change', ...spec.tags],
    policies: spec.policies ?? [],
    probes: PROBES_80_81,
  });
  for (const p of c.pods) {
    const extra = spec.podLabels?.[`${p.namespace}/${p.name}`];
    if (extra) p.labels = { ...p.labels, ...extra };
  }
  for (const [ns, labels] of Object.entries(spec.namespaceLabels ?? {}))
    c.namespaces[ns] = { ...c.namespaces[ns], ...labels };
  if (spec.clusterNetworkPolicies) c.clusterNetworkPolicies = structuredClone(spec.clusterNetworkPolicies);
  if (spec.adminNetworkPolicies) c.adminNetworkPolicies = structuredClone(spec.adminNetworkPolicies);
  if (spec.baselineAdminNetworkPolicy)
    c.baselineAdminNetworkPolicy = structuredClone(spec.baselineAdminNetworkPolicy);
  c.steps = structuredClone(spec.steps);
  return c;
}

const step = (name: string, ...actions: StepAction[]): PolicyStep => ({ name, actions });
const create = (o: StepObject): StepAction => ({ create: o });
const update = (o: StepObject): StepAction => ({ update: o });
const deleteNp = (namespace: string, name: string): StepAction => ({ delete: { name, namespace } });
const deleteObj = (
  kind: 'ClusterNetworkPolicy' | 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy',
  name: string,
): StepAction => ({ delete: { kind, name } });
const labelPod = (pod: string, labels: Record<string, string>): StepAction => ({
  setPodLabels: { pod, labels },
});
const unlabelPod = (pod: string, ...keys: string[]): StepAction => ({ removePodLabels: { pod, keys } });
const labelNs = (namespace: string, labels: Record<string, string>): StepAction => ({
  setNamespaceLabels: { namespace, labels },
});
const unlabelNs = (namespace: string, ...keys: string[]): StepAction => ({
  removeNamespaceLabels: { namespace, keys },
});

const a = podLabel('a');

// --- admin tier objects (v1alpha2 ClusterNetworkPolicy, v1alpha1 AdminNetworkPolicy/BANP) ---

const nsSubject = (ns: string): AdminTierSubject => ({ namespaces: nsLabel(ns) });
const podsSubject = (ns: string, pods: LabelSelector): AdminTierSubject => ({
  pods: { namespaceSelector: nsLabel(ns), podSelector: pods },
});
const fromNs = (ns: string): AdminTierPeer => ({ namespaces: nsLabel(ns) });
const fromPods = (ns: string, pods: LabelSelector): AdminTierPeer => ({
  pods: { namespaceSelector: nsLabel(ns), podSelector: pods },
});

function cnp(
  name: string,
  tier: 'Admin' | 'Baseline',
  priority: number,
  subject: AdminTierSubject,
  action: 'Accept' | 'Deny' | 'Pass',
  peers: AdminTierPeer[],
  direction: 'ingress' | 'egress' = 'ingress',
): ClusterNetworkPolicy {
  const rule = { name: `${action.toLowerCase()}-rule`, action };
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name },
    spec: {
      tier,
      priority,
      subject,
      ...(direction === 'ingress'
        ? { ingress: [{ ...rule, from: peers }] }
        : { egress: [{ ...rule, to: peers }] }),
    },
  };
}

function anp(
  name: string,
  priority: number,
  subject: AdminTierSubject,
  action: 'Allow' | 'Deny' | 'Pass',
  peers: AdminTierPeer[],
): AdminNetworkPolicy {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name },
    spec: { priority, subject, ingress: [{ name: `${action.toLowerCase()}-rule`, action, from: peers }] },
  };
}

function banp(
  subject: AdminTierSubject,
  action: 'Allow' | 'Deny',
  peers: AdminTierPeer[],
): BaselineAdminNetworkPolicy {
  return {
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'BaselineAdminNetworkPolicy',
    metadata: { name: 'default' },
    spec: { subject, ingress: [{ name: `${action.toLowerCase()}-rule`, action, from: peers }] },
  };
}

/** A change that turns pairs both ways: some allowed pairs become denied and some denied become allowed. */
const BOTH_WAYS = ['change:allow-to-deny', 'change:deny-to-allow'];
const CREATE_UPDATE_DELETE = ['change:create-policy', 'change:update-policy', 'change:delete-policy'];
/** Ingress peers chosen by pod labels, whose change turns pairs both ways (several cases share it). */
const POD_PEER_FLIPS = ['direction:ingress', 'peer:pod-selector', 'change:pod-labels', ...BOTH_WAYS];
const NAMESPACE_PEER_FLIPS = [
  'direction:ingress',
  'peer:namespace-selector',
  'change:namespace-labels',
  ...BOTH_WAYS,
];
/** x/a and x/b trade roles in one step: the subject becomes the peer and the peer the subject. */
const swapRoles = step(
  'swap roles of x/a and x/b',
  labelPod('x/a', { role: 'client' }),
  labelPod('x/b', { role: 'server' }),
);
/** A label that comes, goes and comes again on `what`: three steps. */
const flaps = (what: string, label: StepAction, unlabel: StepAction): PolicyStep[] => [
  step(`label ${what}`, label),
  step(`unlabel ${what}`, unlabel),
  step(`label ${what} again`, structuredClone(label)),
];

const CNP = ['cluster-network-policy-change', 'tier:admin', 'with-network-policy'];
const ANP = ['admin-network-policy-change', 'tier:admin', 'with-network-policy'];

/** The upstream e2e tests that change state at run time. */
function upstreamChanges(): PolicyCase[] {
  const allowFromNs2 = policy(
    'allow-client-a-via-ns-selector',
    'x',
    a,
    ingressOnly([ingressRule([{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }])]),
  );
  const allowFromPod2 = policy(
    'allow-client-a-via-pod-selector',
    'x',
    a,
    ingressOnly([ingressRule([{ podSelector: { matchLabels: { pod: 'b', pod2: 'updated' } } }])]),
  );
  const allowAll = policy('allow-all-mutate-to-deny-all', 'x', {}, ingressOnly([ingressRule()]));
  return [
    change({
      name: 'upstream-updated-namespace',
      description:
        'should allow ingress access from updated namespace: x/a admits namespaces labelled ns2=updated; then y gets that label.',
      tags: [
        'upstream-e2e',
        'direction:ingress',
        'peer:namespace-selector',
        'change:namespace-labels',
        'change:deny-to-allow',
      ],
      policies: [allowFromNs2],
      steps: [step('label namespace y ns2=updated', labelNs('y', { ns2: 'updated' }))],
    }),
    change({
      name: 'upstream-updated-pod',
      description:
        'should allow ingress access from updated pod: x/a admits pods labelled pod=b,pod2=updated; then x/b gets pod2=updated.',
      tags: [
        'upstream-e2e',
        'direction:ingress',
        'peer:pod-selector',
        'change:pod-labels',
        'change:deny-to-allow',
      ],
      policies: [allowFromPod2],
      steps: [step('label pod x/b pod2=updated', labelPod('x/b', { pod: 'b', pod2: 'updated' }))],
    }),
    change({
      name: 'upstream-deny-updated-pod',
      description:
        'should deny ingress access to updated pod: a deny-ingress policy selects target=isolated; then x/a gets that label.',
      tags: ['upstream-e2e', 'direction:ingress', 'peer:none', 'change:pod-labels', 'change:allow-to-deny'],
      policies: [
        denyIngress('deny-ingress-via-label-selector', 'x', { matchLabels: { target: 'isolated' } }),
      ],
      steps: [step('label pod x/a target=isolated', labelPod('x/a', { target: 'isolated' }))],
    }),
    change({
      name: 'upstream-updated-policy',
      description:
        'should enforce updated policy: an allow-all ingress policy in x is updated to allow nothing.',
      tags: ['upstream-e2e', 'direction:ingress', 'change:update-policy', 'change:allow-to-deny'],
      policies: [allowAll],
      steps: [
        step(
          'update the policy to deny all',
          update(policy('allow-all-mutate-to-deny-all', 'x', {}, ingressOnly([]))),
        ),
      ],
    }),
    change({
      name: 'upstream-delete-policy',
      description:
        'should stop enforcing policies after they are deleted: x/a admits only x/b; the policy is deleted and everything reaches x/a again.',
      tags: [
        'upstream-e2e',
        'direction:ingress',
        'peer:pod-selector',
        'change:delete-policy',
        'change:deny-to-allow',
      ],
      policies: [
        policy('allow-from-b', 'x', a, ingressOnly([ingressRule([{ podSelector: podLabel('b') }])])),
      ],
      steps: [step('delete the policy', deleteNp('x', 'allow-from-b'))],
    }),
    change({
      name: 'upstream-updated-namespace-and-back',
      description:
        'The updated-namespace test with its clean-up probed: y gets ns2=updated, then loses it again.',
      tags: [
        'upstream-e2e',
        'direction:ingress',
        'peer:namespace-selector',
        'change:namespace-labels',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      policies: [allowFromNs2],
      steps: [
        step('label namespace y ns2=updated', labelNs('y', { ns2: 'updated' })),
        step('remove ns2 from namespace y', unlabelNs('y', 'ns2')),
      ],
    }),
    change({
      name: 'upstream-updated-pod-and-back',
      description:
        'The updated-pod test with its clean-up probed: x/b gets pod2=updated, then loses it again.',
      tags: [
        'upstream-e2e',
        'direction:ingress',
        'peer:pod-selector',
        'change:pod-labels',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      policies: [allowFromPod2],
      steps: [
        step('label pod x/b pod2=updated', labelPod('x/b', { pod2: 'updated' })),
        step('remove pod2 from x/b', unlabelPod('x/b', 'pod2')),
      ],
    }),
  ];
}

/** A deny added over an allow, and the reverse, in NetworkPolicy terms (isolation and allow rules). */
function denyAndAllow(): PolicyCase[] {
  const allowFromY = policy(
    'allow-from-y',
    'x',
    {},
    ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }])]),
  );
  const allowToY = policy(
    'allow-to-y',
    'x',
    {},
    egressOnly([egressRule([{ namespaceSelector: nsLabel('y') }])]),
  );
  return [
    change({
      name: 'deny-ingress-added',
      description: 'Nothing isolates x; a default-deny ingress policy is created in x.',
      tags: ['direction:ingress', 'peer:none', 'change:create-policy', 'change:allow-to-deny'],
      steps: [step('create default-deny ingress in x', create(denyIngress('deny-ingress', 'x')))],
    }),
    change({
      name: 'deny-egress-added',
      description: 'Nothing isolates x; a default-deny egress policy is created in x.',
      tags: ['direction:egress', 'peer:none', 'change:create-policy', 'change:allow-to-deny'],
      steps: [step('create default-deny egress in x', create(denyEgress('deny-egress', 'x')))],
    }),
    change({
      name: 'allow-ingress-added-over-deny',
      description: 'x is default-deny for ingress; an allow-from-y policy is added beside it.',
      tags: ['direction:ingress', 'peer:namespace-selector', 'change:create-policy', 'change:deny-to-allow'],
      policies: [denyIngress('deny-ingress', 'x')],
      steps: [step('create allow-from-y in x', create(allowFromY))],
    }),
    change({
      name: 'allow-egress-added-over-deny',
      description: 'x is default-deny for egress; an allow-to-y policy is added beside it.',
      tags: ['direction:egress', 'peer:namespace-selector', 'change:create-policy', 'change:deny-to-allow'],
      policies: [denyEgress('deny-egress', 'x')],
      steps: [step('create allow-to-y in x', create(allowToY))],
    }),
    change({
      name: 'allow-ingress-removed-under-deny',
      description: 'x is default-deny with an allow-from-y beside it; the allow is deleted, the deny stays.',
      tags: ['direction:ingress', 'peer:namespace-selector', 'change:delete-policy', 'change:allow-to-deny'],
      policies: [denyIngress('deny-ingress', 'x'), allowFromY],
      steps: [step('delete allow-from-y', deleteNp('x', 'allow-from-y'))],
    }),
    change({
      name: 'allow-egress-removed-under-deny',
      description: 'x is default-deny for egress with an allow-to-y beside it; the allow is deleted.',
      tags: ['direction:egress', 'peer:namespace-selector', 'change:delete-policy', 'change:allow-to-deny'],
      policies: [denyEgress('deny-egress', 'x'), allowToY],
      steps: [step('delete allow-to-y', deleteNp('x', 'allow-to-y'))],
    }),
    change({
      name: 'allow-narrowed-to-port-81',
      description:
        'x admits everything on any port; the rule is narrowed to port 81, so port 80 turns to deny.',
      tags: ['direction:ingress', 'port:numbered', 'change:update-policy', 'change:allow-to-deny'],
      policies: [policy('allow-any-port', 'x', {}, ingressOnly([ingressRule(undefined, [])]))],
      steps: [
        step(
          'narrow the rule to TCP and UDP 81',
          update(
            policy('allow-any-port', 'x', {}, ingressOnly([ingressRule(undefined, [tcp(81), udp(81)])])),
          ),
        ),
      ],
    }),
    change({
      name: 'allow-narrowed-to-udp',
      description: 'x/a admits all traffic from y; the rule is narrowed to UDP, so TCP from y turns to deny.',
      tags: ['direction:ingress', 'peer:namespace-selector', 'change:update-policy', 'change:allow-to-deny'],
      policies: [
        policy('allow-y', 'x', a, ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }])])),
      ],
      steps: [
        step(
          'narrow the rule to UDP',
          update(
            policy(
              'allow-y',
              'x',
              a,
              ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }], [udp()])]),
            ),
          ),
        ),
      ],
    }),
    change({
      name: 'ip-block-except-added',
      description: "x/a admits y's CIDR; the rule gains an except for y/a's address.",
      tags: ['direction:ingress', 'peer:ip-block-except', 'change:update-policy', 'change:allow-to-deny'],
      policies: [policy('allow-y-cidr', 'x', a, ingressOnly([ingressRule([fromCidr(nsCidr('y'))])]))],
      steps: [
        step(
          'except y/a',
          update(
            policy(
              'allow-y-cidr',
              'x',
              a,
              ingressOnly([ingressRule([fromCidr(nsCidr('y'), [podCidr('y', 'a')])])]),
            ),
          ),
        ),
      ],
    }),
    change({
      name: 'egress-peer-swapped',
      description: 'x/a may send only to y; the policy is updated to allow only z.',
      tags: [
        'direction:egress',
        'peer:namespace-selector',
        'change:update-policy',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      policies: [policy('egress-a', 'x', a, egressOnly([egressRule([{ namespaceSelector: nsLabel('y') }])]))],
      steps: [
        step(
          'allow z instead of y',
          update(policy('egress-a', 'x', a, egressOnly([egressRule([{ namespaceSelector: nsLabel('z') }])]))),
        ),
      ],
    }),
    change({
      name: 'policy-types-widened',
      description: 'An ingress-only policy on x/a gains Egress with no egress rules: x/a can no longer send.',
      tags: ['direction:both', 'policy-types', 'change:update-policy', 'change:allow-to-deny'],
      policies: [policy('a-policy', 'x', a, ingressOnly([ingressRule()]))],
      steps: [
        step(
          'add Egress to policyTypes',
          update(
            policy('a-policy', 'x', a, { policyTypes: ['Ingress', 'Egress'], ingress: [ingressRule()] }),
          ),
        ),
      ],
    }),
  ];
}

/** The admin tier changing under NetworkPolicies, in both API versions. */
function adminTierChanges(): PolicyCase[] {
  const npAllowFromY = policy(
    'allow-from-y',
    'x',
    {},
    ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }])]),
  );
  const cnpDenyY = cnp('deny-y-to-x', 'Admin', 10, nsSubject('x'), 'Deny', [fromNs('y')]);
  const anpDenyY = anp('deny-y-to-x', 10, nsSubject('x'), 'Deny', [fromNs('y')]);
  return [
    change({
      name: 'cnp-deny-added-over-np-allow',
      description:
        'A NetworkPolicy admits y into x; an Admin-tier ClusterNetworkPolicy denying y → x is created over it.',
      tags: [...CNP, 'action:deny', 'change:create-policy', 'change:allow-to-deny'],
      policies: [npAllowFromY],
      steps: [step('create Admin Deny y → x', create(cnpDenyY))],
    }),
    change({
      name: 'cnp-deny-deleted-under-np-allow',
      description:
        'An Admin Deny y → x overrides a NetworkPolicy that admits y; the ClusterNetworkPolicy is deleted.',
      tags: [...CNP, 'action:deny', 'change:delete-policy', 'change:deny-to-allow'],
      policies: [npAllowFromY],
      clusterNetworkPolicies: [cnpDenyY],
      steps: [step('delete the Admin Deny', deleteObj('ClusterNetworkPolicy', 'deny-y-to-x'))],
    }),
    change({
      name: 'cnp-accept-added-over-np-deny',
      description: 'x is default-deny for ingress; an Admin Accept from z is created over it.',
      tags: [...CNP, 'action:accept', 'change:create-policy', 'change:deny-to-allow'],
      policies: [denyIngress('deny-ingress', 'x')],
      steps: [
        step(
          'create Admin Accept z → x',
          create(cnp('accept-z-to-x', 'Admin', 10, nsSubject('x'), 'Accept', [fromNs('z')])),
        ),
      ],
    }),
    change({
      name: 'cnp-deny-updated-to-pass',
      description:
        'An Admin Deny y → x is updated to Pass, handing the decision to the NetworkPolicy (which admits y).',
      tags: [...CNP, 'action:pass', 'change:update-policy', 'change:deny-to-allow'],
      policies: [npAllowFromY],
      clusterNetworkPolicies: [cnpDenyY],
      steps: [
        step(
          'update Deny to Pass',
          update(cnp('deny-y-to-x', 'Admin', 10, nsSubject('x'), 'Pass', [fromNs('y')])),
        ),
      ],
    }),
    change({
      name: 'cnp-baseline-deny-then-np',
      description:
        'A Baseline Deny z → x is created (nothing else applies: deny); then a NetworkPolicy admitting z overrides it.',
      tags: [
        'cluster-network-policy-change',
        'tier:baseline',
        'with-network-policy',
        'action:deny',
        'change:create-policy',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      steps: [
        step(
          'create Baseline Deny z → x',
          create(cnp('baseline-deny-z', 'Baseline', 10, nsSubject('x'), 'Deny', [fromNs('z')])),
        ),
        step(
          'create a NetworkPolicy admitting z',
          create(
            policy(
              'allow-from-z',
              'x',
              {},
              ingressOnly([ingressRule([{ namespaceSelector: nsLabel('z') }])]),
            ),
          ),
        ),
      ],
    }),
    change({
      name: 'cnp-priorities-swapped',
      description:
        'Admin Accept y → x at priority 10 shadows Admin Deny y → x at 20; the priorities are swapped.',
      tags: [
        ...CNP,
        'priority',
        'action:accept',
        'action:deny',
        'change:update-policy',
        'change:allow-to-deny',
      ],
      clusterNetworkPolicies: [
        cnp('accept-y', 'Admin', 10, nsSubject('x'), 'Accept', [fromNs('y')]),
        cnp('deny-y', 'Admin', 20, nsSubject('x'), 'Deny', [fromNs('y')]),
      ],
      steps: [
        step(
          'swap the priorities',
          update(cnp('accept-y', 'Admin', 30, nsSubject('x'), 'Accept', [fromNs('y')])),
          update(cnp('deny-y', 'Admin', 5, nsSubject('x'), 'Deny', [fromNs('y')])),
        ),
      ],
    }),
    change({
      name: 'cnp-subject-namespace-relabelled',
      description:
        'An Admin Deny from z applies to namespaces labelled team=blue; x gets that label, then loses it.',
      tags: [
        ...CNP,
        'admin-peer:namespaces',
        'action:deny',
        'change:namespace-labels',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      clusterNetworkPolicies: [
        cnp('deny-z-to-blue', 'Admin', 10, { namespaces: { matchLabels: { team: 'blue' } } }, 'Deny', [
          fromNs('z'),
        ]),
      ],
      steps: [
        step('label namespace x team=blue', labelNs('x', { team: 'blue' })),
        step('remove team from x', unlabelNs('x', 'team')),
      ],
    }),
    change({
      name: 'cnp-pod-moves-subject-to-peer',
      description:
        'An Admin Deny protects role=server pods of x from role=client pods of x; x/a and x/b swap roles.',
      tags: [
        ...CNP,
        'admin-peer:pods',
        'action:deny',
        'change:pod-labels',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      podLabels: { 'x/a': { role: 'server' }, 'x/b': { role: 'client' } },
      clusterNetworkPolicies: [
        cnp('deny-clients', 'Admin', 10, podsSubject('x', { matchLabels: { role: 'server' } }), 'Deny', [
          fromPods('x', { matchLabels: { role: 'client' } }),
        ]),
      ],
      steps: [swapRoles],
    }),
    change({
      name: 'cnp-egress-deny-added',
      description:
        'An Admin Deny of egress from x to z is created; a NetworkPolicy allowing x all egress stays.',
      tags: [...CNP, 'action:deny', 'change:create-policy', 'change:allow-to-deny'],
      policies: [policy('allow-all-egress', 'x', {}, egressOnly([egressRule()]))],
      steps: [
        step(
          'create Admin Deny x → z (egress)',
          create(cnp('deny-x-to-z', 'Admin', 10, nsSubject('x'), 'Deny', [fromNs('z')], 'egress')),
        ),
      ],
    }),
    change({
      name: 'anp-deny-added-over-np-allow',
      description: 'A NetworkPolicy admits y into x; an AdminNetworkPolicy denying y → x is created over it.',
      tags: [...ANP, 'action:deny', 'change:create-policy', 'change:allow-to-deny'],
      policies: [npAllowFromY],
      steps: [step('create ANP Deny y → x', create(anpDenyY))],
    }),
    change({
      name: 'anp-deny-deleted-under-np-allow',
      description: 'An ANP Deny y → x overrides a NetworkPolicy that admits y; the ANP is deleted.',
      tags: [...ANP, 'action:deny', 'change:delete-policy', 'change:deny-to-allow'],
      policies: [npAllowFromY],
      adminNetworkPolicies: [anpDenyY],
      steps: [step('delete the ANP', deleteObj('AdminNetworkPolicy', 'deny-y-to-x'))],
    }),
    change({
      name: 'anp-allow-updated-to-deny',
      description: 'An ANP Allow z → x is updated to Deny.',
      tags: [...ANP, 'action:accept', 'action:deny', 'change:update-policy', 'change:allow-to-deny'],
      adminNetworkPolicies: [anp('z-to-x', 10, nsSubject('x'), 'Allow', [fromNs('z')])],
      steps: [step('update Allow to Deny', update(anp('z-to-x', 10, nsSubject('x'), 'Deny', [fromNs('z')])))],
    }),
    change({
      name: 'anp-pass-then-banp-deny',
      description:
        'An ANP passes y → x; a BaselineAdminNetworkPolicy denying y → x is created, then a NetworkPolicy admitting y.',
      tags: [
        ...ANP,
        'tier:baseline',
        'action:pass',
        'action:deny',
        'change:create-policy',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      adminNetworkPolicies: [anp('pass-y', 10, nsSubject('x'), 'Pass', [fromNs('y')])],
      steps: [
        step('create BANP Deny y → x', create(banp(nsSubject('x'), 'Deny', [fromNs('y')]))),
        step('create a NetworkPolicy admitting y', create(npAllowFromY)),
      ],
    }),
    change({
      name: 'banp-deleted',
      description: 'A BaselineAdminNetworkPolicy denies z → x; it is deleted (default allow).',
      tags: [...ANP, 'tier:baseline', 'action:deny', 'change:delete-policy', 'change:deny-to-allow'],
      baselineAdminNetworkPolicy: banp(nsSubject('x'), 'Deny', [fromNs('z')]),
      steps: [step('delete the BANP', deleteObj('BaselineAdminNetworkPolicy', 'default'))],
    }),
    change({
      name: 'anp-subject-pod-relabelled',
      description: 'An ANP Deny from y applies to pods labelled tier=db in x; x/c gets that label.',
      tags: [...ANP, 'admin-peer:pods', 'action:deny', 'change:pod-labels', 'change:allow-to-deny'],
      adminNetworkPolicies: [
        anp('deny-y-to-db', 10, podsSubject('x', { matchLabels: { tier: 'db' } }), 'Deny', [fromNs('y')]),
      ],
      steps: [step('label pod x/c tier=db', labelPod('x/c', { tier: 'db' }))],
    }),
  ];
}

/** Relabels that move a pod between a policy's subject and its peers, or a namespace in or out of a peer set. */
function relabels(): PolicyCase[] {
  const server = { matchLabels: { role: 'server' } };
  const client = { matchLabels: { role: 'client' } };
  const serverPolicy = policy(
    'servers-from-clients',
    'x',
    server,
    ingressOnly([ingressRule([{ podSelector: client }])]),
  );
  const roles = { 'x/a': { role: 'server' }, 'x/b': { role: 'client' } };
  return [
    change({
      name: 'pod-swaps-subject-and-peer',
      description: 'x/a (role=server) admits only role=client pods such as x/b; x/a and x/b swap roles.',
      tags: POD_PEER_FLIPS,
      podLabels: roles,
      policies: [serverPolicy],
      steps: [swapRoles],
    }),
    change({
      name: 'pod-moves-into-subject',
      description: 'x/c becomes role=server and is isolated by the servers policy.',
      tags: ['direction:ingress', 'target:pod-selector', 'change:pod-labels', 'change:allow-to-deny'],
      podLabels: roles,
      policies: [serverPolicy],
      steps: [step('label x/c role=server', labelPod('x/c', { role: 'server' }))],
    }),
    change({
      name: 'pod-leaves-peers',
      description: 'x/b loses role=client and with it access to the server x/a.',
      tags: ['direction:ingress', 'peer:pod-selector', 'change:pod-labels', 'change:allow-to-deny'],
      podLabels: roles,
      policies: [serverPolicy],
      steps: [step('remove role from x/b', unlabelPod('x/b', 'role'))],
    }),
    change({
      name: 'pod-leaves-subject',
      description: 'x/a loses role=server: no policy selects it any more, everything reaches it.',
      tags: ['direction:ingress', 'target:pod-selector', 'change:pod-labels', 'change:deny-to-allow'],
      podLabels: roles,
      policies: [serverPolicy],
      steps: [step('remove role from x/a', unlabelPod('x/a', 'role'))],
    }),
    change({
      name: 'egress-subject-relabelled',
      description:
        'Pods labelled egress=restricted may send only within x; x/b gets that label, then x/a too.',
      tags: ['direction:egress', 'target:pod-selector', 'change:pod-labels', 'change:allow-to-deny'],
      policies: [
        policy(
          'restricted-egress',
          'x',
          { matchLabels: { egress: 'restricted' } },
          egressOnly([egressRule([{ podSelector: {} }])]),
        ),
      ],
      steps: [
        step('label x/b egress=restricted', labelPod('x/b', { egress: 'restricted' })),
        step('label x/a egress=restricted', labelPod('x/a', { egress: 'restricted' })),
      ],
    }),
    change({
      name: 'namespace-moves-between-peer-sets',
      description: 'x admits namespaces labelled team=a (y); y loses the label and z gains it, in one step.',
      tags: NAMESPACE_PEER_FLIPS,
      namespaceLabels: { y: { team: 'a' } },
      policies: [
        policy(
          'allow-team-a',
          'x',
          {},
          ingressOnly([ingressRule([{ namespaceSelector: { matchLabels: { team: 'a' } } }])]),
        ),
      ],
      steps: [step('move team=a from y to z', unlabelNs('y', 'team'), labelNs('z', { team: 'a' }))],
    }),
    change({
      name: 'namespace-and-pod-peer',
      description:
        'x/a admits role=client pods of namespaces labelled trusted=yes; z is labelled trusted=yes, then z/b (a client) loses its role.',
      tags: [
        'direction:ingress',
        'peer:pod-and-namespace',
        'change:namespace-labels',
        'change:pod-labels',
        'change:deny-to-allow',
        'change:allow-to-deny',
      ],
      podLabels: { 'z/b': { role: 'client' } },
      policies: [
        policy(
          'trusted-clients',
          'x',
          a,
          ingressOnly([
            ingressRule([{ namespaceSelector: { matchLabels: { trusted: 'yes' } }, podSelector: client }]),
          ]),
        ),
      ],
      steps: [
        step('label namespace z trusted=yes', labelNs('z', { trusted: 'yes' })),
        step('remove role from z/b', unlabelPod('z/b', 'role')),
      ],
    }),
    change({
      name: 'relabel-overwrites-value',
      description:
        'x/a admits pod=b pods; x/c is relabelled pod=b (a value overwritten, not added), then x/b becomes pod=c.',
      tags: POD_PEER_FLIPS,
      policies: [policy('allow-b', 'x', a, ingressOnly([ingressRule([{ podSelector: podLabel('b') }])]))],
      steps: [
        step('relabel x/c pod=b', labelPod('x/c', { pod: 'b' })),
        step('relabel x/b pod=c', labelPod('x/b', { pod: 'c' })),
      ],
    }),
  ];
}

/** Deleting the last policy of a namespace: its pods go back to default allow. */
function lastPolicyDeleted(): PolicyCase[] {
  return [
    change({
      name: 'last-ingress-policy-deleted',
      description: 'The only policy of x (default-deny ingress) is deleted.',
      tags: ['direction:ingress', 'peer:none', 'change:delete-policy', 'change:deny-to-allow'],
      policies: [denyIngress('deny-ingress', 'x')],
      steps: [step('delete deny-ingress', deleteNp('x', 'deny-ingress'))],
    }),
    change({
      name: 'last-egress-policy-deleted',
      description: 'The only policy of x (default-deny egress) is deleted.',
      tags: ['direction:egress', 'peer:none', 'change:delete-policy', 'change:deny-to-allow'],
      policies: [denyEgress('deny-egress', 'x')],
      steps: [step('delete deny-egress', deleteNp('x', 'deny-egress'))],
    }),
    change({
      name: 'two-policies-deleted-one-by-one',
      description:
        'x has a deny-all and an allow-from-y on x/a; deleting the deny frees x/b and x/c; deleting the allow frees x/a.',
      tags: ['direction:ingress', 'multi-policy', 'change:delete-policy', 'change:deny-to-allow'],
      policies: [
        denyIngress('deny-ingress', 'x'),
        policy('allow-from-y', 'x', a, ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }])])),
      ],
      steps: [
        step('delete deny-ingress', deleteNp('x', 'deny-ingress')),
        step('delete allow-from-y', deleteNp('x', 'allow-from-y')),
      ],
    }),
    change({
      name: 'last-policy-deleted-other-namespace-kept',
      description: "x and y each have a default-deny ingress; deleting x's frees x while y stays isolated.",
      tags: ['direction:ingress', 'multi-policy', 'change:delete-policy', 'change:deny-to-allow'],
      policies: [denyIngress('deny-ingress', 'x'), denyIngress('deny-ingress', 'y')],
      steps: [step("delete x's deny-ingress", deleteNp('x', 'deny-ingress'))],
    }),
    change({
      name: 'last-both-directions-policy-deleted',
      description: 'x is isolated both ways by one policy; it is deleted.',
      tags: ['direction:both', 'policy-types', 'change:delete-policy', 'change:deny-to-allow'],
      policies: [policy('deny-all', 'x', {}, { policyTypes: ['Ingress', 'Egress'] })],
      steps: [step('delete deny-all', deleteNp('x', 'deny-all'))],
    }),
  ];
}

/** Longer sequences: life cycles and flapping labels. */
function sequences(): PolicyCase[] {
  const allowB = policy('allow-b', 'x', a, ingressOnly([ingressRule([{ podSelector: podLabel('b') }])]));
  return [
    change({
      name: 'policy-life-cycle',
      description:
        'A policy on x/a is created (only x/b), updated (only y), widened to TCP 80 from all, and deleted.',
      tags: [
        'direction:ingress',
        'peer:pod-selector',
        'peer:namespace-selector',
        ...CREATE_UPDATE_DELETE,
        ...BOTH_WAYS,
      ],
      steps: [
        step('create allow-b', create(allowB)),
        step(
          'update to allow y',
          update(
            policy('allow-b', 'x', a, ingressOnly([ingressRule([{ namespaceSelector: nsLabel('y') }])])),
          ),
        ),
        step(
          'update to allow TCP 80 from all',
          update(policy('allow-b', 'x', a, ingressOnly([ingressRule(undefined, [tcp(80)])]))),
        ),
        step('delete allow-b', deleteNp('x', 'allow-b')),
      ],
    }),
    change({
      name: 'pod-label-flaps',
      description: 'x/c gains pod2=updated, loses it and gains it again; x/a admits only pod2=updated.',
      tags: POD_PEER_FLIPS,
      policies: [
        policy(
          'allow-pod2',
          'x',
          a,
          ingressOnly([ingressRule([{ podSelector: { matchLabels: { pod2: 'updated' } } }])]),
        ),
      ],
      steps: flaps('x/c', labelPod('x/c', { pod2: 'updated' }), unlabelPod('x/c', 'pod2')),
    }),
    change({
      name: 'namespace-label-flaps',
      description: 'z gains ns2=updated, loses it and gains it again; x admits namespaces with ns2=updated.',
      tags: NAMESPACE_PEER_FLIPS,
      policies: [
        policy(
          'allow-ns2',
          'x',
          {},
          ingressOnly([ingressRule([{ namespaceSelector: { matchLabels: { ns2: 'updated' } } }])]),
        ),
      ],
      steps: flaps('z', labelNs('z', { ns2: 'updated' }), unlabelNs('z', 'ns2')),
    }),
    change({
      name: 'admin-deny-comes-and-goes',
      description: 'An Admin Deny y → x is created, updated to cover z instead, and deleted.',
      tags: [...CNP, 'action:deny', ...CREATE_UPDATE_DELETE, ...BOTH_WAYS],
      steps: [
        step(
          'create Admin Deny y → x',
          create(cnp('deny-to-x', 'Admin', 10, nsSubject('x'), 'Deny', [fromNs('y')])),
        ),
        step('update to z → x', update(cnp('deny-to-x', 'Admin', 10, nsSubject('x'), 'Deny', [fromNs('z')]))),
        step('delete the Admin Deny', deleteObj('ClusterNetworkPolicy', 'deny-to-x')),
      ],
    }),
    change({
      name: 'protocol-switched',
      description: 'x/a admits only TCP; the rule is switched to UDP, then to both.',
      tags: [
        'direction:ingress',
        'port:all',
        'change:update-policy',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      policies: [policy('proto', 'x', a, ingressOnly([ingressRule(undefined, [tcp()])]))],
      steps: [
        step(
          'switch to UDP',
          update(policy('proto', 'x', a, ingressOnly([ingressRule(undefined, [udp()])]))),
        ),
        step(
          'allow both',
          update(policy('proto', 'x', a, ingressOnly([ingressRule(undefined, [tcp(), udp()])]))),
        ),
      ],
    }),
    change({
      name: 'named-port-switched',
      description: "x admits its pods' named port serve-80-tcp; the rule is switched to serve-81-tcp.",
      tags: [
        'direction:ingress',
        'port:named',
        'change:update-policy',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      policies: [policy('named', 'x', {}, ingressOnly([ingressRule(undefined, [tcp('serve-80-tcp')])]))],
      steps: [
        step(
          'switch to serve-81-tcp',
          update(policy('named', 'x', {}, ingressOnly([ingressRule(undefined, [tcp('serve-81-tcp')])]))),
        ),
      ],
    }),
    change({
      name: 'deny-everything-then-restore',
      description: 'Default-deny both ways is created in x, y and z in one step, then deleted in one step.',
      tags: [
        'direction:both',
        'multi-policy',
        'change:create-policy',
        'change:delete-policy',
        'change:allow-to-deny',
        'change:deny-to-allow',
      ],
      steps: [
        step(
          'create deny-all in x, y, z',
          ...['x', 'y', 'z'].map((ns) =>
            create(policy('deny-all', ns, {}, { policyTypes: ['Ingress', 'Egress'] })),
          ),
        ),
        step('delete them', ...['x', 'y', 'z'].map((ns) => deleteNp(ns, 'deny-all'))),
      ],
    }),
  ];
}

/** Every case of the policy-change group, in a fixed order. */
export function policyChangeCases(): PolicyCase[] {
  return [
    ...upstreamChanges(),
    ...denyAndAllow(),
    ...adminTierChanges(),
    ...relabels(),
    ...lastPolicyDeleted(),
    ...sequences(),
  ];
}
