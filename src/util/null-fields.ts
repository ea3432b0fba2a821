/**
 * A field set to null is the field left out, as the Kubernetes API server decodes it: JSON null
 * leaves a Go field at its zero value (a nil pointer, slice or map; an empty struct), so
 * `podSelector:` with nothing after it in a NetworkPolicy is the empty selector, and
 * `baselineAdminNetworkPolicy: null` is no BaselineAdminNetworkPolicy. Every validator reads its
 * input through here, so null never reaches a check that asks "is it there?" as a present value.
 *
 * Two exceptions follow Go as well: a null inside a list stays (a list element has no "absent"; the
 * validators refuse it), and in a string map (labels, annotations, matchLabels) a null value is the
 * empty string, Go's zero value for it, not a missing key.
 */

const STRING_MAPS: ReadonlySet<string> = new Set(['matchLabels', 'labels', 'annotations']);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `value` with every object field whose value is null left out, at any depth (see above). */
export function nullFieldsAbsent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullFieldsAbsent);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    out[k] =
      STRING_MAPS.has(k) && isPlainObject(v)
        ? Object.fromEntries(Object.entries(v).map(([mk, mv]) => [mk, mv ?? '']))
        : nullFieldsAbsent(v);
  }
  return out;
}
