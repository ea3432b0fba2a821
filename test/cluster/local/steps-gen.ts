/**
 * Random multi-step cases for the differential test: a random policy set on the 3×3 layout
 * (policy-gen.ts), then 3 to 6 steps of 1 or 2 random actions each — create, update or delete a
 * NetworkPolicy, set or remove pod and namespace labels, using the label keys and values the random
 * selectors test (pod, app, ns) — every action valid at its step, as validation requires.
 */
import { POD_NAMES, NAMESPACES } from '../../../src/netpol/suite/layout.js';
import { applyAction } from '../../../src/netpol/steps.js';
import type { PolicyCase, PolicyStep, StepAction } from '../../../src/netpol/types.js';
import type { Random } from '../../../src/stats/prng.js';
import { must } from '../../helpers/must.js';
import { randomCase, randomPolicy } from './policy-gen.js';

const pick = <T>(r: Random, xs: readonly T[]): T => must(xs[Math.floor(r() * xs.length)], 'a choice');

function randomAction(r: Random, state: PolicyCase, next: () => number): StepAction {
  const k = Math.floor(r() * 7);
  const pod = `${pick(r, NAMESPACES)}/${pick(r, POD_NAMES)}`;
  const ns = pick(r, NAMESPACES);
  const existing = state.policies;
  switch (k) {
    case 0:
      return { create: randomPolicy(r, next()) };
    case 1:
      if (existing.length > 0) {
        const old = pick(r, existing);
        const fresh = randomPolicy(r, 0);
        return { update: { ...fresh, metadata: { ...old.metadata } } };
      }
      return { create: randomPolicy(r, next()) };
    case 2:
      if (existing.length > 0) {
        const old = pick(r, existing);
        return { delete: { name: old.metadata.name, namespace: old.metadata.namespace } };
      }
      return { create: randomPolicy(r, next()) };
    case 3:
      return {
        setPodLabels: { pod, labels: r() < 0.5 ? { pod: pick(r, ['a', 'b', 'c', 'nope']) } : { app: 'web' } },
      };
    case 4:
      return { removePodLabels: { pod, keys: [pick(r, ['pod', 'app'])] } };
    case 5:
      return { setNamespaceLabels: { namespace: ns, labels: { ns: pick(r, NAMESPACES) } } };
    default:
      return { removeNamespaceLabels: { namespace: ns, keys: ['ns'] } };
  }
}

export function randomStepsCase(r: Random, name: string): PolicyCase {
  const c = randomCase(r, name);
  let serial = 100;
  const next = () => serial++;
  const state = structuredClone(c);
  const steps: PolicyStep[] = [];
  const n = 3 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const actions: StepAction[] = [];
    const m = 1 + Math.floor(r() * 2);
    for (let j = 0; j < m; j++) {
      const a = randomAction(r, state, next);
      // Every generated action applies at its step (a name free for create, an object to update).
      const why = applyAction(state, a);
      if (why !== undefined) throw new Error(`generator made an invalid action: ${why}`);
      actions.push(a);
    }
    steps.push({ name: `random step ${i + 1}`, actions });
  }
  return { ...c, steps };
}
