/**
 * NetworkPolicy validation as the API server does it (k8s.io/kubernetes
 * pkg/apis/networking/validation and metav1 label-selector validation), so a case that this model
 * accepts is one a real cluster would accept too. Messages are written for people; paths are
 * relative to the policy object.
 */
import { InputError } from '../util/errors.js';
import { dnsLabelProblems, dnsSubdomainProblems } from '../util/k8s-names.js';
import { nullFieldsAbsent } from '../util/null-fields.js';
import { cidrError, parseCidr, cidrContains } from './cidr.js';
import type {
  IPBlock,
  LabelSelector,
  NetworkPolicy,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  Protocol,
} from './types.js';
import { PROTOCOLS } from './types.js';

export interface PolicyProblem {
  path: (string | number)[];
  message: string;
}

type Path = (string | number)[];

/** ["spec","ingress",0,"ports",1] → "spec.ingress[0].ports[1]". */
export function formatPath(path: Path): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? p : `.${p}`;
  }
  return out;
}

const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Label key rules: optional DNS-subdomain prefix and "/", then a name of at most 63 characters. */
export function labelKeyProblems(key: string): string[] {
  const parts = key.split('/');
  let name = key;
  const out: string[] = [];
  const [prefix, n] = parts;
  if (parts.length === 2 && prefix !== undefined && n !== undefined) {
    name = n;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else out.push(...dnsSubdomainProblems(prefix).map((m) => `prefix part ${m}`));
  } else if (parts.length > 2) {
    return [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'",
    ];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else {
    if (name.length > 63) out.push('name part must be no more than 63 characters');
    if (!QUALIFIED_NAME_PART.test(name)) {
      out.push(
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      );
    }
  }
  return out;
}

export function labelValueProblems(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    out.push(
      "a valid label value must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
    );
  }
  return out;
}

/** IANA_SVC_NAME rules for a named port (the same rules as a container port's name). */
export function portNameProblems(name: string): string[] {
  const out: string[] = [];
  if (name.length > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) out.push('must contain at least one letter (a-z)');
  if (name.includes('--')) out.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}

/** Label selector rules (metav1 validation); appends problems at `path`. */
export function validateSelector(sel: unknown, path: Path, out: PolicyProblem[]): void {
  if (!isPlainObject(sel)) {
    out.push({ path, message: 'must be a label selector object' });
    return;
  }
  const s = sel as LabelSelector;
  if (s.matchLabels !== undefined) {
    if (!isPlainObject(s.matchLabels)) out.push({ path: [...path, 'matchLabels'], message: 'must be a map' });
    else {
      for (const [k, v] of Object.entries(s.matchLabels)) {
        const kp = [...path, 'matchLabels', k];
        for (const m of labelKeyProblems(k)) out.push({ path: kp, message: `key "${k}": ${m}` });
        if (typeof v !== 'string') out.push({ path: kp, message: 'value must be a string' });
        else for (const m of labelValueProblems(v)) out.push({ path: kp, message: `value "${v}": ${m}` });
      }
    }
  }
  if (s.matchExpressions !== undefined) {
    if (!Array.isArray(s.matchExpressions)) {
      out.push({ path: [...path, 'matchExpressions'], message: 'must be a list' });
      return;
    }
    s.matchExpressions.forEach((req, i) => {
      const rp = [...path, 'matchExpressions', i];
      if (!isPlainObject(req)) {
        out.push({ path: rp, message: 'must be a requirement object' });
        return;
      }
      if (typeof req.key !== 'string') out.push({ path: [...rp, 'key'], message: 'key is required' });
      else for (const m of labelKeyProblems(req.key)) out.push({ path: [...rp, 'key'], message: m });
      const values = req.values;
      if (values !== undefined && !Array.isArray(values)) {
        out.push({ path: [...rp, 'values'], message: 'must be a list of strings' });
        return;
      }
      const n = values?.length ?? 0;
      switch (req.operator) {
        case 'In':
        case 'NotIn':
          if (n === 0)
            out.push({
              path: [...rp, 'values'],
              message: `must be non-empty when operator is ${req.operator}`,
            });
          break;
        case 'Exists':
        case 'DoesNotExist':
          if (n > 0)
            out.push({ path: [...rp, 'values'], message: `must be empty when operator is ${req.operator}` });
          break;
        default:
          out.push({
            path: [...rp, 'operator'],
            message: `unsupported operator "${String(req.operator)}": must be one of In, NotIn, Exists, DoesNotExist`,
          });
      }
      (values ?? []).forEach((v, j) => {
        if (typeof v !== 'string') out.push({ path: [...rp, 'values', j], message: 'must be a string' });
        else
          for (const m of labelValueProblems(v))
            out.push({ path: [...rp, 'values', j], message: `"${v}": ${m}` });
      });
    });
  }
}

function validateIpBlock(b: IPBlock, path: Path, out: PolicyProblem[]): void {
  if (!isPlainObject(b)) {
    out.push({ path, message: 'must be an object with cidr' });
    return;
  }
  if (typeof b.cidr !== 'string' || b.cidr === '') {
    out.push({ path: [...path, 'cidr'], message: 'cidr is required' });
    return;
  }
  const err = cidrError(b.cidr);
  if (err) {
    out.push({ path: [...path, 'cidr'], message: err });
    return;
  }
  const outer = parseCidr(b.cidr);
  if (b.except === undefined) return;
  if (!Array.isArray(b.except)) {
    out.push({ path: [...path, 'except'], message: 'must be a list of CIDRs' });
    return;
  }
  b.except.forEach((e, i) => {
    const ep = [...path, 'except', i];
    const eErr = typeof e === 'string' ? cidrError(e) : 'must be a CIDR string';
    if (eErr) {
      out.push({ path: ep, message: eErr });
      return;
    }
    const inner = parseCidr(e);
    // Upstream: the except network must lie inside cidr and be strictly longer (a strict subset).
    const strict =
      inner.family === outer.family &&
      inner.prefix > outer.prefix &&
      cidrContains(outer, { family: inner.family, value: inner.network });
    if (!strict) out.push({ path: ep, message: `except "${e}" must be a strict subset of cidr "${b.cidr}"` });
  });
}

function validatePeer(peer: NetworkPolicyPeer, path: Path, out: PolicyProblem[]): void {
  if (!isPlainObject(peer)) {
    out.push({ path, message: 'must be a peer object' });
    return;
  }
  let kinds = 0;
  if (peer.podSelector !== undefined) {
    kinds++;
    validateSelector(peer.podSelector, [...path, 'podSelector'], out);
  }
  if (peer.namespaceSelector !== undefined) {
    kinds++;
    validateSelector(peer.namespaceSelector, [...path, 'namespaceSelector'], out);
  }
  if (peer.ipBlock !== undefined) {
    kinds++;
    validateIpBlock(peer.ipBlock as IPBlock, [...path, 'ipBlock'], out);
  }
  if (kinds === 0)
    out.push({ path, message: 'must specify a peer (podSelector, namespaceSelector or ipBlock)' });
  else if (kinds > 1 && peer.ipBlock !== undefined) {
    out.push({ path, message: 'may not specify both ipBlock and another peer' });
  }
}

function isPortNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function validatePort(port: NetworkPolicyPort, path: Path, out: PolicyProblem[]): void {
  if (!isPlainObject(port)) {
    out.push({ path, message: 'must be a port object' });
    return;
  }
  if (port.protocol !== undefined && !PROTOCOLS.includes(port.protocol as Protocol)) {
    out.push({
      path: [...path, 'protocol'],
      // The field is typed, but this checks raw input: it may be anything, so print it as JSON.
      message: `unsupported protocol ${JSON.stringify(port.protocol)}: must be one of TCP, UDP, SCTP`,
    });
  }
  const p = port.port;
  const endPath = [...path, 'endPort'];
  if (p !== undefined && typeof p !== 'string' && !isPortNumber(p)) {
    out.push({ path: [...path, 'port'], message: 'must be an integer or a port name' });
  } else if (isPortNumber(p)) {
    if (p < 1 || p > 65535)
      out.push({ path: [...path, 'port'], message: `port ${p} must be between 1 and 65535, inclusive` });
  } else if (typeof p === 'string') {
    for (const m of portNameProblems(p))
      out.push({ path: [...path, 'port'], message: `port name "${p}" ${m}` });
  }
  const e = port.endPort;
  if (e === undefined) return;
  if (!isPortNumber(e)) {
    out.push({ path: endPath, message: 'endPort must be an integer' });
    return;
  }
  if (p === undefined) out.push({ path: endPath, message: 'endPort requires a numeric port' });
  else if (typeof p === 'string') {
    out.push({ path: endPath, message: `endPort requires a numeric port, not the named port "${p}"` });
  } else if (isPortNumber(p)) {
    if (e < p)
      out.push({ path: endPath, message: `endPort ${e} must be greater than or equal to port ${p}` });
    if (e < 1 || e > 65535)
      out.push({ path: endPath, message: `endPort ${e} must be between 1 and 65535, inclusive` });
  }
}

function validateRules(rules: unknown, direction: 'ingress' | 'egress', out: PolicyProblem[]): void {
  if (rules === undefined) return;
  const base: Path = ['spec', direction];
  if (!Array.isArray(rules)) {
    out.push({ path: base, message: 'must be a list of rules' });
    return;
  }
  const peersField = direction === 'ingress' ? 'from' : 'to';
  rules.forEach((rule: unknown, i) => {
    const rp = [...base, i];
    if (!isPlainObject(rule)) {
      out.push({ path: rp, message: 'must be a rule object' });
      return;
    }
    const ports = rule.ports;
    if (ports !== undefined) {
      if (!Array.isArray(ports)) out.push({ path: [...rp, 'ports'], message: 'must be a list' });
      else ports.forEach((p, j) => validatePort(p as NetworkPolicyPort, [...rp, 'ports', j], out));
    }
    const peers = rule[peersField];
    if (peers !== undefined) {
      if (!Array.isArray(peers)) out.push({ path: [...rp, peersField], message: 'must be a list' });
      else peers.forEach((p, j) => validatePeer(p as NetworkPolicyPeer, [...rp, peersField, j], out));
    }
  });
}

/** A field value in a message: strings as they are, anything else as JSON. */
const shown = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Every problem the API server would reject this policy for; empty when the policy is valid. */
// Takes unknown: it checks policies read from files and fixtures before they are NetworkPolicies.
export function validateNetworkPolicy(raw: unknown): PolicyProblem[] {
  // A null field is an absent one, as the API server decodes it (`podSelector:` left empty: all pods).
  const p = nullFieldsAbsent(raw);
  const out: PolicyProblem[] = [];
  if (!isPlainObject(p)) return [{ path: [], message: 'must be a NetworkPolicy object' }];
  if (p.apiVersion !== undefined && p.apiVersion !== 'networking.k8s.io/v1') {
    out.push({
      path: ['apiVersion'],
      message: `unsupported apiVersion "${shown(p.apiVersion)}": must be networking.k8s.io/v1`,
    });
  }
  if (p.kind !== undefined && p.kind !== 'NetworkPolicy') {
    out.push({ path: ['kind'], message: `unsupported kind "${shown(p.kind)}": must be NetworkPolicy` });
  }
  const md: unknown = p.metadata;
  if (!isPlainObject(md)) out.push({ path: ['metadata'], message: 'metadata is required' });
  else {
    if (typeof md.name !== 'string' || md.name === '')
      out.push({ path: ['metadata', 'name'], message: 'name is required' });
    else for (const m of dnsSubdomainProblems(md.name)) out.push({ path: ['metadata', 'name'], message: m });
    if (typeof md.namespace !== 'string' || md.namespace === '') {
      out.push({ path: ['metadata', 'namespace'], message: 'namespace is required' });
    } else
      for (const m of dnsLabelProblems(md.namespace))
        out.push({ path: ['metadata', 'namespace'], message: m });
  }
  const spec: unknown = p.spec;
  if (!isPlainObject(spec)) {
    out.push({ path: ['spec'], message: 'spec is required' });
    return out;
  }
  // A missing podSelector decodes to the zero LabelSelector in the API server, i.e. all pods.
  if (spec.podSelector !== undefined) validateSelector(spec.podSelector, ['spec', 'podSelector'], out);
  validateRules(spec.ingress, 'ingress', out);
  validateRules(spec.egress, 'egress', out);
  const types = spec.policyTypes;
  if (types !== undefined) {
    if (!Array.isArray(types)) out.push({ path: ['spec', 'policyTypes'], message: 'must be a list' });
    else if (types.length > 2) {
      out.push({ path: ['spec', 'policyTypes'], message: 'may not specify more than two policyTypes' });
    } else {
      types.forEach((t: unknown, i) => {
        if (t !== 'Ingress' && t !== 'Egress') {
          out.push({
            path: ['spec', 'policyTypes', i],
            message: `unsupported policy type "${String(t)}": must be Ingress or Egress`,
          });
        }
      });
    }
  }
  return out;
}

function policyLabel(p: NetworkPolicy): string {
  const md = isPlainObject(p) && isPlainObject(p.metadata) ? p.metadata : undefined;
  return `${String(md?.namespace ?? '?')}/${String(md?.name ?? '?')}`;
}

/** One line per problem: `policy ns/name spec.ingress[0].ports[1].endPort: message`. */
function formatProblem(p: NetworkPolicy, problem: PolicyProblem): string {
  const path = formatPath(problem.path);
  return `policy ${policyLabel(p)}${path ? ` ${path}` : ''}: ${problem.message}`;
}

export interface ValidatePoliciesOptions {
  /** Prefixed to every line, e.g. a case file name and case, "cases.yaml case x". */
  source?: string;
}

/**
 * Validates every policy and rejects duplicate namespace/name pairs. Throws one InputError listing
 * every problem (message: one line per problem; `problems`: the same lines).
 */
export function validatePolicies(policies: NetworkPolicy[], opts: ValidatePoliciesOptions = {}): void {
  const lines: string[] = [];
  const seen = new Set<string>();
  policies.forEach((p) => {
    for (const problem of validateNetworkPolicy(p)) lines.push(formatProblem(p, problem));
    const id = policyLabel(p);
    if (seen.has(id)) lines.push(`policy ${id}: duplicate policy name in namespace`);
    seen.add(id);
  });
  if (lines.length === 0) return;
  const prefixed = opts.source ? lines.map((l) => `${opts.source}: ${l}`) : lines;
  throw new InputError(prefixed.join('\n'), prefixed);
}
