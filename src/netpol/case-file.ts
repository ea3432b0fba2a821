/**
 * Policy case files (YAML or JSON): loading with every problem reported at once as
 * `file:line:col path: message`, and writing cases back out as YAML (`netpol suite export`).
 *
 * Problems come from three layers, all collected before anything is thrown: YAML syntax, the zod
 * shape (case-schema.ts), and semantics (validateNetworkPolicy plus case-level rules such as
 * duplicate pods and undeclared namespaces). Semantic checks run on the raw data even when the shape
 * is wrong elsewhere, so one run shows everything; where both layers flag the same field, the
 * semantic message wins because it is the more specific one.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { InputError, messageOf } from '../util/errors.js';
import { isDnsLabel } from '../util/k8s-names.js';
import { nullFieldsAbsent } from '../util/null-fields.js';
import {
  formatPath,
  problemsError,
  YamlSource,
  zodProblems,
  type SourceProblem,
} from '../util/yaml-source.js';
import { networkPolicySchema, policyCaseSchema } from './case-schema.js';
import { parseIp, canonicalIp } from './cidr.js';
import { resolveCase } from './resolve.js';
import { caseStates } from './steps.js';
import { stepReplayProblems, stepShapeProblems } from './step-validate.js';
import { PROTOCOLS, type PolicyCase, type StepAction } from './types.js';
import { adminObjectLabel, validateAdminTierObject, type AdminTierKind } from './admin-validate.js';
import { labelKeyProblems, labelValueProblems, portNameProblems, validateNetworkPolicy } from './validate.js';

export interface CaseCheck {
  /** The validated case; present only when there are no problems. */
  value?: PolicyCase;
  problems: SourceProblem[];
}

/** Validates case text without throwing; `file` is only used in positions. */
export function checkCaseText(file: string, text: string): CaseCheck {
  const { source, problems: syntax } = YamlSource.parse(file, text);
  if (syntax.length > 0) return { problems: syntax };
  const data = caseData(source.toJS());
  const parsed = policyCaseSchema.safeParse(data);
  const shape = parsed.success ? [] : zodProblems(source, policyCaseSchema, parsed.error.issues);
  const semantic = semanticProblems(source, data);
  const semanticPaths = new Set(semantic.map((p) => formatPath(p.path)));
  // A misspelt key usually also leaves its object incomplete ("must specify a peer"); the
  // unknown-key message (with its did-you-mean) already says what to fix.
  const misspeltIn = new Set(
    shape.filter((p) => p.message.startsWith('unknown key')).map((p) => formatPath(p.path.slice(0, -1))),
  );
  const problems = [
    ...shape.filter((p) => !semanticPaths.has(formatPath(p.path))),
    ...semantic.filter((p) => !misspeltIn.has(formatPath(p.path))),
  ];
  if (problems.length > 0 || !parsed.success) return { problems: sortProblems(problems) };
  const value: PolicyCase = { ...parsed.data };
  if (value.steps) value.steps = value.steps.map((s) => ({ ...s, actions: s.actions.map(withDefaults) }));
  const replay = stepReplayProblems(source, value);
  if (replay.length > 0) return { problems: sortProblems(replay) };
  // resolveCase catches what only shows after defaults, e.g. an explicit ip equal to an assigned one.
  try {
    for (const state of caseStates(value)) resolveCase(state);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const at = /pods\[(\d+)\]/.exec(err.message);
    const path = at ? ['pods', Number(at[1])] : [];
    return { problems: [source.problem(path, err.message.replace(/^case "[^"]*": (pods\[\d+\]:? ?)?/, ''))] };
  }
  return { value, problems: [] };
}

/** A step's NetworkPolicy as the API server decodes it (a missing podSelector is the empty one). */
function withDefaults(a: StepAction): StepAction {
  const np = (o: unknown) => networkPolicySchema.parse(o);
  if ('create' in a && (a.create.kind ?? 'NetworkPolicy') === 'NetworkPolicy')
    return { create: np(a.create) };
  if ('update' in a && (a.update.kind ?? 'NetworkPolicy') === 'NetworkPolicy')
    return { update: np(a.update) };
  return a;
}

/** Parses and validates case text; throws one InputError (exit 2) listing every problem. */
export function parseCaseText(file: string, text: string): PolicyCase {
  const { value, problems } = checkCaseText(file, text);
  if (problems.length > 0 || value === undefined) throw problemsError(problems);
  return value;
}

/** Reads and validates a case file (YAML or JSON). */
export function loadCaseFile(file: string): PolicyCase {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      `${file}: cannot read case file (${code === 'ENOENT' ? 'no such file' : (code ?? String(err))})`,
    );
  }
  return parseCaseText(file, text);
}

/** The case as YAML, keys in the documented order, ready to be loaded again by loadCaseFile. */
export function caseToYaml(c: PolicyCase): string {
  const ordered: Record<string, unknown> = { name: c.name };
  if (c.description !== undefined) ordered.description = c.description;
  if (c.tags !== undefined) ordered.tags = c.tags;
  ordered.namespaces = c.namespaces;
  ordered.pods = c.pods;
  ordered.policies = c.policies;
  if (c.clusterNetworkPolicies !== undefined) ordered.clusterNetworkPolicies = c.clusterNetworkPolicies;
  if (c.adminNetworkPolicies !== undefined) ordered.adminNetworkPolicies = c.adminNetworkPolicies;
  if (c.baselineAdminNetworkPolicy !== undefined)
    ordered.baselineAdminNetworkPolicy = c.baselineAdminNetworkPolicy;
  ordered.probes = c.probes;
  if (c.steps !== undefined) ordered.steps = c.steps;
  return stringify(ordered, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** A file name for a case: its name, with anything unsafe for a path replaced. */
function caseFileName(c: PolicyCase): string {
  return `${c.name.replace(/[^A-Za-z0-9._-]/g, '_')}.yaml`;
}

/** Writes each case to DIR/<name>.yaml (creating DIR); returns the paths written. */
export function writeCaseFiles(dir: string, cases: readonly PolicyCase[]): string[] {
  mkdirSync(dir, { recursive: true });
  const seen = new Set<string>();
  return cases.map((c) => {
    const name = caseFileName(c);
    if (seen.has(name)) throw new InputError(`two cases would both be written to ${join(dir, name)}`);
    seen.add(name);
    const path = join(dir, name);
    writeFileSync(path, caseToYaml(c));
    return path;
  });
}

function sortProblems(ps: SourceProblem[]): SourceProblem[] {
  return [...ps].sort((a, b) => a.line - b.line || a.col - b.col);
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The case as the API server would decode its objects: a null field is an absent one
 * (`baselineAdminNetworkPolicy: null`, a policy's `podSelector:` left empty). `namespaces` is a map
 * whose null value means a namespace without labels (case-schema.ts), so it is kept as written.
 */
function caseData(raw: unknown): unknown {
  if (!isObject(raw)) return raw;
  const data = nullFieldsAbsent(raw) as Raw;
  return raw.namespaces === undefined ? data : { ...data, namespaces: raw.namespaces };
}

/** Same wording as validateNetworkPolicy uses for policy ports, for probes and container ports. */
function protocolProblem(source: YamlSource, holder: Raw, path: (string | number)[]): SourceProblem[] {
  const p = holder.protocol;
  if (p === undefined || (typeof p === 'string' && (PROTOCOLS as readonly string[]).includes(p))) return [];
  return [
    source.problem(
      [...path, 'protocol'],
      `unsupported protocol ${JSON.stringify(p)}: must be one of TCP, UDP, SCTP`,
    ),
  ];
}

function dnsLabelMessage(what: string, v: string): string | undefined {
  if (isDnsLabel(v)) return undefined;
  return `${what} "${v}" must be a lowercase RFC 1123 label (a-z, 0-9 and '-', at most 63 characters, alphanumeric at both ends)`;
}

function labelProblems(source: YamlSource, labels: unknown, path: (string | number)[]): SourceProblem[] {
  if (!isObject(labels)) return [];
  const out: SourceProblem[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of labelKeyProblems(k))
      out.push(source.problem([...path, k], `label key "${k}": ${m}`, { key: k }));
    if (typeof v === 'string')
      for (const m of labelValueProblems(v))
        out.push(source.problem([...path, k], `label value "${v}": ${m}`));
  }
  return out;
}

/** Case-level rules and per-policy API validation, on the raw (possibly ill-shaped) data. */
function semanticProblems(source: YamlSource, data: unknown): SourceProblem[] {
  if (!isObject(data)) return [];
  const out: SourceProblem[] = [];
  const declared = isObject(data.namespaces) ? new Set(Object.keys(data.namespaces)) : undefined;

  if (isObject(data.namespaces)) {
    for (const [ns, labels] of Object.entries(data.namespaces)) {
      const m = dnsLabelMessage('namespace name', ns);
      if (m) out.push(source.problem(['namespaces', ns], m, { key: ns }));
      out.push(...labelProblems(source, labels, ['namespaces', ns]));
    }
  }

  if (Array.isArray(data.pods)) {
    const firstAt = new Map<string, number>();
    const ipAt = new Map<string, number>();
    data.pods.forEach((pod: unknown, i) => {
      if (!isObject(pod)) return;
      const base = ['pods', i];
      const { namespace, name } = pod;
      if (typeof namespace === 'string' && namespace !== '') {
        if (declared && !declared.has(namespace))
          out.push(
            source.problem(
              [...base, 'namespace'],
              `namespace "${namespace}" is not declared under namespaces`,
            ),
          );
      }
      if (typeof name === 'string' && name !== '') {
        const m = dnsLabelMessage('pod name', name);
        if (m) out.push(source.problem([...base, 'name'], m));
      }
      if (typeof namespace === 'string' && typeof name === 'string') {
        const key = `${namespace}/${name}`;
        const first = firstAt.get(key);
        if (first !== undefined)
          out.push(
            source.problem([...base, 'name'], `duplicate pod "${key}" (first declared at pods[${first}])`),
          );
        else firstAt.set(key, i);
      }
      out.push(...labelProblems(source, pod.labels, [...base, 'labels']));
      if (typeof pod.ip === 'string') {
        try {
          parseIp(pod.ip);
          const ip = canonicalIp(pod.ip);
          const first = ipAt.get(ip);
          if (first !== undefined)
            out.push(source.problem([...base, 'ip'], `IP ${ip} is also the ip of pods[${first}]`));
          else ipAt.set(ip, i);
        } catch (err) {
          out.push(source.problem([...base, 'ip'], messageOf(err)));
        }
      }
      if (Array.isArray(pod.ports)) {
        const names = new Map<string, number>();
        pod.ports.forEach((p: unknown, j) => {
          if (!isObject(p)) return;
          out.push(...protocolProblem(source, p, [...base, 'ports', j]));
          if (typeof p.name !== 'string') return;
          const path = [...base, 'ports', j, 'name'];
          for (const m of portNameProblems(p.name))
            out.push(source.problem(path, `port name "${p.name}" ${m}`));
          const first = names.get(p.name);
          if (first !== undefined)
            out.push(source.problem(path, `duplicate port name "${p.name}" (also ports[${first}])`));
          else names.set(p.name, j);
        });
      }
    });
  }

  if (Array.isArray(data.policies)) {
    const firstAt = new Map<string, number>();
    data.policies.forEach((policy: unknown, i) => {
      const base = ['policies', i];
      for (const p of validateNetworkPolicy(policy))
        out.push(source.problem([...base, ...p.path], p.message));
      if (!isObject(policy) || !isObject(policy.metadata)) return;
      const { namespace, name } = policy.metadata;
      if (typeof namespace === 'string' && namespace !== '' && declared && !declared.has(namespace))
        out.push(
          source.problem(
            [...base, 'metadata', 'namespace'],
            `namespace "${namespace}" is not declared under namespaces`,
          ),
        );
      if (typeof namespace === 'string' && typeof name === 'string') {
        const key = `${namespace}/${name}`;
        const first = firstAt.get(key);
        if (first !== undefined)
          out.push(
            source.problem(
              [...base, 'metadata', 'name'],
              `duplicate policy "${key}" (first declared at policies[${first}])`,
            ),
          );
        else firstAt.set(key, i);
      }
    });
  }

  out.push(...adminTierProblems(source, data));
  out.push(...stepShapeProblems(source, data));

  if (Array.isArray(data.probes)) {
    const firstAt = new Map<string, number>();
    data.probes.forEach((probe: unknown, i) => {
      if (!isObject(probe)) return;
      out.push(...protocolProblem(source, probe, ['probes', i]));
      if (typeof probe.port !== 'number') return;
      const key = `${probe.port}/${typeof probe.protocol === 'string' ? probe.protocol : 'TCP'}`;
      const first = firstAt.get(key);
      if (first !== undefined)
        out.push(source.problem(['probes', i], `duplicate probe ${key} (also probes[${first}])`));
      else firstAt.set(key, i);
    });
  }
  return out;
}

const ADMIN_KEYS: ReadonlyArray<{ key: string; kind: AdminTierKind; list: boolean }> = [
  { key: 'clusterNetworkPolicies', kind: 'ClusterNetworkPolicy', list: true },
  { key: 'adminNetworkPolicies', kind: 'AdminNetworkPolicy', list: true },
  { key: 'baselineAdminNetworkPolicy', kind: 'BaselineAdminNetworkPolicy', list: false },
];

/** The admin-tier keys: every object validated as the API server would, names unique, one API version. */
function adminTierProblems(source: YamlSource, data: Raw): SourceProblem[] {
  const out: SourceProblem[] = [];
  for (const { key, kind, list } of ADMIN_KEYS) {
    const value = data[key];
    if (value === undefined) continue;
    if (list && !Array.isArray(value)) {
      out.push(source.problem([key], `must be a list of ${kind} objects`));
      continue;
    }
    const items: Array<[unknown, (string | number)[]]> = list
      ? (value as unknown[]).map((v, i) => [v, [key, i]])
      : [[value, [key]]];
    const firstAt = new Map<string, string>();
    for (const [obj, base] of items) {
      const label = adminObjectLabel(kind, obj);
      for (const p of validateAdminTierObject(kind, obj)) {
        const last = p.path[p.path.length - 1];
        // An unknown field is reported at the key itself, as for every other file cnibench reads.
        const at = p.message.startsWith('unknown field') && typeof last === 'string' ? { key: last } : {};
        out.push(source.problem([...base, ...p.path], `${label}: ${p.message}`, at));
      }
      const name = isObject(obj) && isObject(obj.metadata) ? obj.metadata.name : undefined;
      if (typeof name !== 'string') continue;
      const first = firstAt.get(name);
      if (first !== undefined)
        out.push(
          source.problem(
            [...base, 'metadata', 'name'],
            `${label}: duplicate name (first declared at ${first})`,
          ),
        );
      else firstAt.set(name, formatPath(base));
    }
  }
  // Upstream defines no order between v1alpha1 objects and v1alpha2 ClusterNetworkPolicies.
  const present = (k: string) => {
    const v = data[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  };
  if (present('clusterNetworkPolicies')) {
    for (const k of ['adminNetworkPolicies', 'baselineAdminNetworkPolicy'])
      if (present(k))
        out.push(
          source.problem(
            [k],
            `a case may not mix v1alpha1 (${k}) with v1alpha2 (clusterNetworkPolicies): network-policy-api defines no order between the two APIs; split the case`,
          ),
        );
  }
  return out;
}
