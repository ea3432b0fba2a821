/**
 * Validation of a case file's `steps:` (multi-step cases, steps.ts), on the raw data so every
 * problem is found in one pass and named by step and action (`steps[1].actions[0].create...`):
 *   1. each action's shape: exactly one known key, the fields of that key, label syntax;
 *   2. each created or updated object as the API server would check it (validateNetworkPolicy,
 *      networkPolicySchema, validateAdminTierObject);
 *   3. when the shapes are sound, the actions replayed in order from step 0: what does not exist
 *      cannot be updated, deleted or labelled, what exists cannot be created again, and a case may
 *      not hold v1alpha1 and v1alpha2 admin-tier objects across its steps.
 */
import { suggestKey } from '../util/suggest.js';
import type { SourceProblem, YamlSource } from '../util/yaml-source.js';
import { validateAdminTierObject, adminObjectLabel, type AdminTierKind } from './admin-validate.js';
import { adminTierApi } from './admin-tier.js';
import { networkPolicySchema } from './case-schema.js';
import { applyAction, baseState } from './steps.js';
import {
  STEP_ACTION_KEYS,
  STEP_OBJECT_KINDS,
  type AdminTierApi,
  type PolicyCase,
  type StepAction,
} from './types.js';
import { labelKeyProblems, labelValueProblems, validateNetworkPolicy } from './validate.js';

type Raw = Record<string, unknown>;
type Path = (string | number)[];
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields each action key takes (create/update take a whole object, checked by its own validator). */
const ACTION_FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  delete: { required: ['name'], optional: ['kind', 'namespace'] },
  setPodLabels: { required: ['pod', 'labels'], optional: [] },
  removePodLabels: { required: ['pod', 'keys'], optional: [] },
  setNamespaceLabels: { required: ['namespace', 'labels'], optional: [] },
  removeNamespaceLabels: { required: ['namespace', 'keys'], optional: [] },
};

/** Shape and object problems of every action (1 and 2 above). */
export function stepShapeProblems(source: YamlSource, data: unknown): SourceProblem[] {
  if (!isObject(data) || !Array.isArray(data.steps)) return [];
  const out: SourceProblem[] = [];
  data.steps.forEach((step: unknown, i) => {
    if (!isObject(step) || !Array.isArray(step.actions)) return; // the zod shape reports these
    step.actions.forEach((action: unknown, j) =>
      out.push(...actionProblems(source, action, ['steps', i, 'actions', j])),
    );
  });
  return out;
}

function actionProblems(source: YamlSource, action: unknown, at: Path): SourceProblem[] {
  const keys = STEP_ACTION_KEYS as readonly string[];
  if (!isObject(action))
    return [source.problem(at, `an action must be a map with one of: ${keys.join(', ')}`)];
  const present = Object.keys(action);
  const out: SourceProblem[] = [];
  for (const k of present.filter((x) => !keys.includes(x))) {
    const hint = suggestKey(k, keys);
    out.push(
      source.problem(
        [...at, k],
        `unknown action "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}; actions: ${keys.join(', ')}`,
        {
          key: k,
        },
      ),
    );
  }
  const known = present.filter((x) => keys.includes(x));
  if (known.length === 0 && out.length === 0)
    return [source.problem(at, `an action needs one of: ${keys.join(', ')}`)];
  if (known.length > 1) {
    out.push(
      source.problem(
        at,
        `an action has exactly one key; this one has ${known.join(' and ')} (split it into several actions)`,
      ),
    );
    return out;
  }
  const key = known[0];
  if (key === undefined) return out;
  const value = action[key];
  const path = [...at, key];
  if (key === 'create' || key === 'update') return [...out, ...objectProblems(source, value, path)];
  const fields = ACTION_FIELDS[key];
  if (!fields) return out;
  if (!isObject(value))
    return [...out, source.problem(path, `${key} takes a map with ${fields.required.join(', ')}`)];
  const allowed = [...fields.required, ...fields.optional];
  for (const k of Object.keys(value).filter((x) => !allowed.includes(x))) {
    const hint = suggestKey(k, allowed);
    out.push(
      source.problem([...path, k], `unknown key "${k}"${hint ? ` (did you mean "${hint}"?)` : ''}`, {
        key: k,
      }),
    );
  }
  for (const k of fields.required)
    if (value[k] === undefined) out.push(source.problem(path, `${key} needs ${k}`));
  const str = (k: string) => {
    const v = value[k];
    if (v !== undefined && (typeof v !== 'string' || v === ''))
      out.push(source.problem([...path, k], 'expected a non-empty string'));
  };
  if (key === 'delete') {
    str('name');
    str('namespace');
    const kind = value.kind ?? 'NetworkPolicy';
    if (!(STEP_OBJECT_KINDS as readonly unknown[]).includes(kind))
      out.push(
        source.problem(
          [...path, 'kind'],
          `unknown kind ${JSON.stringify(kind)}: must be one of ${STEP_OBJECT_KINDS.join(', ')}`,
        ),
      );
    else if (kind === 'NetworkPolicy' && value.namespace === undefined)
      out.push(source.problem(path, 'deleting a NetworkPolicy needs its namespace'));
    else if (kind !== 'NetworkPolicy' && value.namespace !== undefined)
      out.push(
        source.problem([...path, 'namespace'], `a ${kind as string} is cluster-scoped: it has no namespace`),
      );
    return out;
  }
  if (key === 'setPodLabels' || key === 'removePodLabels') {
    str('pod');
    if (typeof value.pod === 'string' && value.pod !== '' && !/^[^/]+\/[^/]+$/.test(value.pod))
      out.push(source.problem([...path, 'pod'], `pod "${value.pod}" must be written namespace/name`));
  } else str('namespace');
  if (key === 'setPodLabels' || key === 'setNamespaceLabels')
    out.push(...labelProblems(source, value.labels, [...path, 'labels']));
  else out.push(...keyListProblems(source, value.keys, [...path, 'keys']));
  return out;
}

function labelProblems(source: YamlSource, labels: unknown, path: Path): SourceProblem[] {
  if (labels === undefined) return [];
  if (!isObject(labels) || Object.keys(labels).length === 0)
    return [source.problem(path, 'expected a non-empty map of label keys to values')];
  const out: SourceProblem[] = [];
  for (const [k, v] of Object.entries(labels)) {
    for (const m of labelKeyProblems(k))
      out.push(source.problem([...path, k], `label key "${k}": ${m}`, { key: k }));
    if (typeof v !== 'string')
      out.push(source.problem([...path, k], 'a label value must be a string (quote it)'));
    else
      for (const m of labelValueProblems(v))
        out.push(source.problem([...path, k], `label value "${v}": ${m}`));
  }
  return out;
}

function keyListProblems(source: YamlSource, keys: unknown, path: Path): SourceProblem[] {
  if (keys === undefined) return [];
  if (!Array.isArray(keys) || keys.length === 0)
    return [source.problem(path, 'expected a non-empty list of label keys')];
  const out: SourceProblem[] = [];
  keys.forEach((k: unknown, i) => {
    if (typeof k !== 'string') out.push(source.problem([...path, i], 'expected a label key'));
    else
      for (const m of labelKeyProblems(k)) out.push(source.problem([...path, i], `label key "${k}": ${m}`));
  });
  return out;
}

/** A created or updated object: its kind, then the API server's checks for that kind. */
function objectProblems(source: YamlSource, obj: unknown, path: Path): SourceProblem[] {
  if (!isObject(obj))
    return [source.problem(path, 'expected a policy object (NetworkPolicy unless kind says otherwise)')];
  const kind = obj.kind ?? 'NetworkPolicy';
  if (!(STEP_OBJECT_KINDS as readonly unknown[]).includes(kind))
    return [
      source.problem(
        [...path, 'kind'],
        `unknown kind ${JSON.stringify(kind)}: must be one of ${STEP_OBJECT_KINDS.join(', ')}`,
      ),
    ];
  if (kind === 'NetworkPolicy') {
    const out = validateNetworkPolicy(obj).map((p) => source.problem([...path, ...p.path], p.message));
    const seen = new Set(out.map((p) => p.path.join('.')));
    const shape = networkPolicySchema.safeParse(obj);
    if (!shape.success)
      for (const issue of shape.error.issues) {
        const at = [...path, ...issue.path.filter((s): s is string | number => typeof s !== 'symbol')];
        if (issue.code === 'unrecognized_keys')
          for (const k of issue.keys) out.push(source.problem([...at, k], `unknown key "${k}"`, { key: k }));
        else if (!seen.has(at.join('.'))) out.push(source.problem(at, issue.message));
      }
    return out;
  }
  const label = adminObjectLabel(kind as AdminTierKind, obj);
  return validateAdminTierObject(kind as AdminTierKind, obj).map((p) => {
    const last = p.path[p.path.length - 1];
    const at = p.message.startsWith('unknown field') && typeof last === 'string' ? { key: last } : {};
    return source.problem([...path, ...p.path], `${label}: ${p.message}`, at);
  });
}

/**
 * The actions replayed from step 0 on the validated case (3 above). Run only when everything else
 * is sound, so each problem here is about order and existence, not about a malformed object.
 */
export function stepReplayProblems(source: YamlSource, c: PolicyCase): SourceProblem[] {
  const out: SourceProblem[] = [];
  const state = baseState(c);
  // A base that mixes the two APIs is reported by case-file.ts already.
  const first = apiOf(state);
  let api: AdminTierApi | null = first === 'mixed' ? null : first;
  (c.steps ?? []).forEach((step, i) => {
    step.actions.forEach((a: StepAction, j) => {
      const at = ['steps', i, 'actions', j];
      const why = applyAction(state, a);
      if (why !== undefined) {
        out.push(source.problem(at, `step ${i + 1}${step.name ? ` (${step.name})` : ''}: ${why}`));
        return;
      }
      const now = apiOf(state);
      if (now === 'mixed' || (api !== null && now !== null && now !== api)) {
        out.push(
          source.problem(
            at,
            `step ${i + 1}: a case may not mix v1alpha1 (AdminNetworkPolicy, BaselineAdminNetworkPolicy) with v1alpha2 (ClusterNetworkPolicy) across its steps: network-policy-api defines no order between the two APIs; split the case`,
          ),
        );
        return;
      }
      api ??= now;
    });
  });
  return out;
}

function apiOf(state: PolicyCase): AdminTierApi | 'mixed' | null {
  return adminTierApi(state);
}
