/**
 * Kubernetes label selector matching (metav1.LabelSelector), as NetworkPolicy uses it.
 *
 * Only matching lives here; whether a selector is *absent* or *empty* changes the meaning of a
 * NetworkPolicyPeer and is decided by the caller (see peer.ts). An empty selector `{}` matches
 * every label set.
 */
import type { LabelSelector, LabelSelectorRequirement, Labels } from './types.js';

/** Whether one matchExpressions requirement holds for a label set. */
function requirementMatches(req: LabelSelectorRequirement, labels: Labels): boolean {
  const value = Object.prototype.hasOwnProperty.call(labels, req.key) ? labels[req.key] : undefined;
  const has = value !== undefined;
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      // An In requirement with no values is rejected by validation; matching nothing is the
      // only reading that cannot widen a policy if one slips through.
      return has && values.includes(value);
    case 'NotIn':
      // NotIn also matches objects that do not carry the key at all (apimachinery semantics).
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default: {
      // Unknown operators are a validation error; never match rather than silently allow.
      return false;
    }
  }
}

/** matchLabels AND every matchExpressions requirement; `{}` matches everything. */
export function labelSelectorMatches(selector: LabelSelector, labels: Labels): boolean {
  const ml = selector.matchLabels;
  if (ml) {
    for (const key of Object.keys(ml)) {
      if (!Object.prototype.hasOwnProperty.call(labels, key) || labels[key] !== ml[key]) return false;
    }
  }
  const exprs = selector.matchExpressions;
  if (exprs) {
    for (const req of exprs) {
      if (!requirementMatches(req, labels)) return false;
    }
  }
  return true;
}

/** True for a selector that selects everything: no matchLabels entries and no expressions. */
export function isEmptySelector(selector: LabelSelector): boolean {
  return (
    Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0
  );
}

/** Human-readable form in kubectl's style, e.g. `app=web,tier in (a,b),!legacy`; `<all>` for `{}`. */
export function formatSelector(selector: LabelSelector): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const vals = (r.values ?? []).join(',');
    switch (r.operator) {
      case 'In':
        parts.push(`${r.key} in (${vals})`);
        break;
      case 'NotIn':
        parts.push(`${r.key} notin (${vals})`);
        break;
      case 'Exists':
        parts.push(r.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${r.key}`);
        break;
      default:
        parts.push(`${r.key} ${String(r.operator)} (${vals})`);
    }
  }
  return parts.length === 0 ? '<all>' : parts.join(',');
}
