/**
 * The shape of a policy case file, as a zod schema. Every object is strict: an unknown key is an
 * error, because a typo such as `namespaceSelecter` would otherwise silently widen a policy.
 * Semantic rules (CIDRs, endPort, label syntax, duplicates) live in case-file.ts and validate.ts;
 * this file only fixes types and structure.
 */
import { z } from 'zod';
import type {
  AdminNetworkPolicy,
  BaselineAdminNetworkPolicy,
  ClusterNetworkPolicy,
  NetworkPolicy,
  PolicyCase,
  StepAction,
} from './types.js';

const protocolSchema = z.enum(['TCP', 'UDP', 'SCTP']);
const portNumber = z
  .number()
  .int({ error: 'expected a whole number' })
  .min(1, { error: 'a port must be between 1 and 65535' })
  .max(65535, { error: 'a port must be between 1 and 65535' });

const labelsSchema = z.record(z.string(), z.string());

const labelSelectorSchema = z.strictObject({
  matchLabels: labelsSchema.optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
        values: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});

const peerSchema = z.strictObject({
  podSelector: labelSelectorSchema.optional(),
  namespaceSelector: labelSelectorSchema.optional(),
  ipBlock: z.strictObject({ cidr: z.string(), except: z.array(z.string()).optional() }).optional(),
});

const policyPortSchema = z.strictObject({
  protocol: protocolSchema.optional(),
  port: z
    .union([z.number().int(), z.string()], { error: 'expected a port number or a port name' })
    .optional(),
  endPort: z.number().int().optional(),
});

export const networkPolicySchema = z.strictObject({
  apiVersion: z.literal('networking.k8s.io/v1').optional(),
  kind: z.literal('NetworkPolicy').optional(),
  metadata: z.strictObject({
    name: z.string(),
    namespace: z.string(),
    labels: labelsSchema.optional(),
    annotations: labelsSchema.optional(),
  }),
  spec: z.strictObject({
    // The API server decodes a missing podSelector as the empty selector (every pod).
    podSelector: labelSelectorSchema.default({}),
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])).optional(),
    ingress: z
      .array(
        z.strictObject({ from: z.array(peerSchema).optional(), ports: z.array(policyPortSchema).optional() }),
      )
      .optional(),
    egress: z
      .array(
        z.strictObject({ to: z.array(peerSchema).optional(), ports: z.array(policyPortSchema).optional() }),
      )
      .optional(),
  }),
});

const casePodSchema = z.strictObject({
  namespace: z.string().min(1),
  name: z.string().min(1),
  labels: labelsSchema.optional(),
  ip: z.string().optional(),
  ports: z
    .array(z.strictObject({ name: z.string(), port: portNumber, protocol: protocolSchema.default('TCP') }))
    .optional(),
});

const probeSchema = z.strictObject({ port: portNumber, protocol: protocolSchema.default('TCP') });

export const policyCaseSchema = z.strictObject({
  name: z.string().min(1, { error: 'a case needs a name' }),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  // `x:` with nothing after it (YAML null) means a namespace without extra labels.
  namespaces: z.record(
    z.string(),
    labelsSchema.nullable().transform((l) => l ?? {}),
  ),
  pods: z.array(casePodSchema).min(1, { error: 'a case needs at least one pod' }),
  policies: z.array(networkPolicySchema).default([]),
  // Admin-tier objects are checked field by field by admin-validate.ts (the CRDs' schema and CEL
  // rules, with API-server wording), so here they only need to be present in the right place.
  clusterNetworkPolicies: z.array(z.custom<ClusterNetworkPolicy>(() => true)).optional(),
  adminNetworkPolicies: z.array(z.custom<AdminNetworkPolicy>(() => true)).optional(),
  baselineAdminNetworkPolicy: z.custom<BaselineAdminNetworkPolicy>(() => true).optional(),
  probes: z.array(probeSchema).min(1, { error: 'a case needs at least one probe' }),
  // Each action is checked by step-validate.ts (one known key, its fields, the object it carries),
  // which names the action in its messages; here a step only needs its list of actions.
  steps: z
    .array(
      z.strictObject({
        name: z.string().optional(),
        actions: z
          .array(z.custom<StepAction>(() => true))
          .min(1, { error: 'a step needs at least one action' }),
      }),
    )
    .min(1, { error: 'steps: give at least one step, or leave steps out' })
    .optional(),
});

// Compile-time proof that what the schema produces is what the rest of cnibench consumes.
type Assert<T extends true> = T;
type _CaseShapeMatches = Assert<z.output<typeof policyCaseSchema> extends PolicyCase ? true : false>;
type _PolicyShapeMatches = Assert<z.output<typeof networkPolicySchema> extends NetworkPolicy ? true : false>;
