/**
 * Multi-step policy cases (docs/policy-change.md): a case's own fields are step 0, and each step's
 * actions (create/update/delete a NetworkPolicy or an admin-tier object, set/remove pod or namespace
 * labels) change that state. The model evaluates the state after each step like any static case, so
 * everything that reads a static case (truth tables, explanations, drivers) reads a step's state.
 *
 * Actions apply in order within a step, as a user's `kubectl` commands would; a step is probed
 * after all of its actions. An action that cannot apply (updating what does not exist, labelling a
 * pod the case lacks) is an InputError naming the step and the action; case-file.ts reports the same
 * problems with file positions.
 */
import { InputError } from '../util/errors.js';
import { adminTierApi } from './admin-tier.js';
import {
  NAMESPACE_NAME_LABEL,
  type AdminNetworkPolicy,
  type AdminTierApi,
  type AdminTierPolicies,
  type BaselineAdminNetworkPolicy,
  type ClusterNetworkPolicy,
  type Labels,
  type NetworkPolicy,
  type PolicyCase,
  type PolicyStep,
  type StepAction,
  type StepObject,
  type StepObjectKind,
  type StepObjectRef,
} from './types.js';

/** The kind of an object a step creates or updates (absent `kind`: NetworkPolicy). */
function stepObjectKind(o: StepObject | StepObjectRef): StepObjectKind {
  return (o as { kind?: StepObjectKind }).kind ?? 'NetworkPolicy';
}

/**
 * What kind of change an action is, for time-to-enforce reports: `create:NetworkPolicy`,
 * `update:ClusterNetworkPolicy`, `delete:AdminNetworkPolicy`, `label:pod`, `label:namespace`.
 */
function actionKind(a: StepAction): string {
  if ('create' in a) return `create:${stepObjectKind(a.create)}`;
  if ('update' in a) return `update:${stepObjectKind(a.update)}`;
  if ('delete' in a) return `delete:${stepObjectKind(a.delete)}`;
  if ('setPodLabels' in a || 'removePodLabels' in a) return 'label:pod';
  return 'label:namespace';
}

/** A step's kind: its actions' kinds, distinct, joined by `+` in first-seen order. */
export function stepKind(step: PolicyStep): string {
  return [...new Set(step.actions.map(actionKind))].join('+');
}

/** One line per action, for tables and progress: "create NetworkPolicy x/deny", "label pod x/a pod2=updated". */
export function describeAction(a: StepAction): string {
  const labels = (l: Labels) =>
    Object.entries(l)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  if ('create' in a) return `create ${stepObjectKind(a.create)} ${objectName(a.create)}`;
  if ('update' in a) return `update ${stepObjectKind(a.update)} ${objectName(a.update)}`;
  if ('delete' in a) return `delete ${stepObjectKind(a.delete)} ${refName(a.delete)}`;
  if ('setPodLabels' in a) return `label pod ${a.setPodLabels.pod} ${labels(a.setPodLabels.labels)}`;
  if ('removePodLabels' in a)
    return `unlabel pod ${a.removePodLabels.pod} ${a.removePodLabels.keys.map((k) => `${k}-`).join(',')}`;
  if ('setNamespaceLabels' in a)
    return `label namespace ${a.setNamespaceLabels.namespace} ${labels(a.setNamespaceLabels.labels)}`;
  return `unlabel namespace ${a.removeNamespaceLabels.namespace} ${a.removeNamespaceLabels.keys.map((k) => `${k}-`).join(',')}`;
}

function objectName(o: StepObject): string {
  const m = o.metadata as { name: string; namespace?: string };
  return m.namespace !== undefined ? `${m.namespace}/${m.name}` : m.name;
}

function refName(r: StepObjectRef): string {
  return r.namespace !== undefined ? `${r.namespace}/${r.name}` : r.name;
}

/** The case without its steps: the state at step 0. */
export function baseState(c: PolicyCase): PolicyCase {
  const { steps: _steps, ...rest } = c;
  return structuredClone(rest);
}

/** How many states a case has: 1 for a static case, 1 + steps for a multi-step one. */
function stateCount(c: PolicyCase): number {
  return 1 + (c.steps?.length ?? 0);
}

/**
 * Every state of the case: [0] the case's own fields, [i] after steps 1..i. Each is a static case
 * (no `steps`) under the case's name. Throws InputError at the first action that cannot apply.
 */
export function caseStates(c: PolicyCase): PolicyCase[] {
  const states = [baseState(c)];
  let state = states[0] as PolicyCase;
  (c.steps ?? []).forEach((step, i) => {
    state = structuredClone(state);
    step.actions.forEach((a, j) => {
      const why = applyAction(state, a);
      if (why !== undefined)
        throw new InputError(`case "${c.name}": steps[${i}].actions[${j}] (${describeAction(a)}): ${why}`);
    });
    states.push(state);
  });
  return states;
}

/** The state after step `n` (0: before any step). */
export function stateAt(c: PolicyCase, n: number): PolicyCase {
  const count = stateCount(c);
  if (!Number.isInteger(n) || n < 0 || n >= count)
    throw new InputError(
      count === 1
        ? `--step ${n}: case "${c.name}" has no steps (only step 0)`
        : `--step ${n}: case "${c.name}" has steps 0 to ${count - 1}`,
    );
  const state = caseStates(c)[n];
  if (!state) throw new Error(`no state ${n}`);
  return state;
}

/**
 * Applies one action to a state in place; returns why it cannot apply, or undefined. The rules are
 * the API server's: create needs a free name, update and delete an existing object, labels an
 * existing pod or namespace, and the namespace name label is the server's to set.
 */
export function applyAction(state: PolicyCase, a: StepAction): string | undefined {
  if ('create' in a || 'update' in a) {
    const creating = 'create' in a;
    const obj = structuredClone(creating ? a.create : a.update);
    const kind = stepObjectKind(obj);
    const list = objectList(state, kind);
    const name = obj.metadata.name;
    const ns = kind === 'NetworkPolicy' ? (obj as NetworkPolicy).metadata.namespace : undefined;
    const at = list.findIndex((o) => sameObject(o, name, ns));
    const label = `${kind} "${ns !== undefined ? `${ns}/${name}` : name}"`;
    if (creating && at >= 0) return `${label} already exists at this step (use update)`;
    if (!creating && at < 0) return `${label} does not exist at this step (use create)`;
    if (kind === 'NetworkPolicy' && ns !== undefined && !(ns in state.namespaces))
      return `namespace "${ns}" is not declared under namespaces`;
    if (at >= 0) list[at] = obj;
    else list.push(obj);
    storeList(state, kind, list);
    return undefined;
  }
  if ('delete' in a) {
    const kind = stepObjectKind(a.delete);
    const list = objectList(state, kind);
    const at = list.findIndex((o) => sameObject(o, a.delete.name, a.delete.namespace));
    if (at < 0) return `${kind} "${refName(a.delete)}" does not exist at this step`;
    list.splice(at, 1);
    storeList(state, kind, list);
    return undefined;
  }
  if ('setPodLabels' in a || 'removePodLabels' in a) {
    const key = 'setPodLabels' in a ? a.setPodLabels.pod : a.removePodLabels.pod;
    const pod = state.pods.find((p) => `${p.namespace}/${p.name}` === key);
    if (!pod) return `no pod "${key}" in the case (pods are named namespace/name)`;
    if ('setPodLabels' in a) pod.labels = { ...pod.labels, ...a.setPodLabels.labels };
    else {
      const labels = { ...pod.labels };
      for (const k of a.removePodLabels.keys) delete labels[k];
      pod.labels = labels;
    }
    return undefined;
  }
  const ns = 'setNamespaceLabels' in a ? a.setNamespaceLabels.namespace : a.removeNamespaceLabels.namespace;
  const current = state.namespaces[ns];
  if (current === undefined) return `namespace "${ns}" is not declared under namespaces`;
  const keys =
    'setNamespaceLabels' in a ? Object.keys(a.setNamespaceLabels.labels) : a.removeNamespaceLabels.keys;
  if (keys.includes(NAMESPACE_NAME_LABEL))
    return `${NAMESPACE_NAME_LABEL} is set by the API server to the namespace's name and cannot be changed`;
  if ('setNamespaceLabels' in a) state.namespaces[ns] = { ...current, ...a.setNamespaceLabels.labels };
  else {
    const labels = { ...current };
    for (const k of a.removeNamespaceLabels.keys) delete labels[k];
    state.namespaces[ns] = labels;
  }
  return undefined;
}

function sameObject(o: StepObject, name: string, namespace: string | undefined): boolean {
  const m = o.metadata as { name: string; namespace?: string };
  return m.name === name && (namespace === undefined || m.namespace === namespace);
}

function objectList(state: PolicyCase, kind: StepObjectKind): StepObject[] {
  switch (kind) {
    case 'NetworkPolicy':
      return [...state.policies];
    case 'ClusterNetworkPolicy':
      return [...(state.clusterNetworkPolicies ?? [])];
    case 'AdminNetworkPolicy':
      return [...(state.adminNetworkPolicies ?? [])];
    case 'BaselineAdminNetworkPolicy':
      return state.baselineAdminNetworkPolicy ? [state.baselineAdminNetworkPolicy] : [];
  }
}

function storeList(state: PolicyCase, kind: StepObjectKind, list: StepObject[]): void {
  switch (kind) {
    case 'NetworkPolicy':
      state.policies = list as NetworkPolicy[];
      return;
    case 'ClusterNetworkPolicy':
      if (list.length > 0) state.clusterNetworkPolicies = list as ClusterNetworkPolicy[];
      else delete state.clusterNetworkPolicies;
      return;
    case 'AdminNetworkPolicy':
      if (list.length > 0) state.adminNetworkPolicies = list as AdminNetworkPolicy[];
      else delete state.adminNetworkPolicies;
      return;
    case 'BaselineAdminNetworkPolicy': {
      const [banp] = list as BaselineAdminNetworkPolicy[];
      if (banp) state.baselineAdminNetworkPolicy = banp;
      else delete state.baselineAdminNetworkPolicy;
    }
  }
}

/**
 * Every admin-tier object the case holds at any step, so a driver's support and the lane rules
 * (a BaselineAdminNetworkPolicy runs in lane 0) are decided once for the whole case.
 */
export function adminTierOverSteps(c: PolicyCase): AdminTierPolicies {
  // By name, the last version wins: a refusal check sees each object once.
  const cnps = new Map<string, ClusterNetworkPolicy>();
  const anps = new Map<string, AdminNetworkPolicy>();
  let banp: BaselineAdminNetworkPolicy | undefined;
  const states = c.steps?.length ? caseStates(c) : [c];
  for (const s of states) {
    for (const o of s.clusterNetworkPolicies ?? []) cnps.set(o.metadata.name, o);
    for (const o of s.adminNetworkPolicies ?? []) anps.set(o.metadata.name, o);
    if (s.baselineAdminNetworkPolicy) banp = s.baselineAdminNetworkPolicy;
  }
  return {
    ...(cnps.size > 0 ? { clusterNetworkPolicies: [...cnps.values()] } : {}),
    ...(anps.size > 0 ? { adminNetworkPolicies: [...anps.values()] } : {}),
    ...(banp ? { baselineAdminNetworkPolicy: banp } : {}),
  };
}

/** The admin-tier API the case uses at any step (null: none; `mixed`: both, which validation refuses). */
export function adminTierApiOverSteps(c: PolicyCase): AdminTierApi | 'mixed' | null {
  return adminTierApi(adminTierOverSteps(c));
}
