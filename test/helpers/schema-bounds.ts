/**
 * The value bounds JSON Schema and a CRD's structural (OpenAPI v3) schema share, checked the same way
 * for both test checkers (test/cluster/kube/schema-check.ts and test/netpol/crd-check.ts): pattern,
 * minLength/maxLength, minimum/maximum, minItems/maxItems. Lengths count characters (code points), as
 * JSON Schema and the API server do; a pattern is an ECMAScript regex in unicode mode.
 */

/** Every bound of `s` that `v` breaks, each as `<at>: <what>`. */
export function boundProblems(s: Record<string, unknown>, v: unknown, at: string): string[] {
  const problems: string[] = [];
  if (typeof v === 'string') {
    const length = [...v].length;
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v))
      problems.push(`${at}: "${v}" does not match ${s.pattern}`);
    if (typeof s.maxLength === 'number' && length > s.maxLength)
      problems.push(`${at}: longer than ${s.maxLength}`);
    if (typeof s.minLength === 'number' && length < s.minLength)
      problems.push(`${at}: shorter than ${s.minLength}`);
  }
  if (typeof v === 'number') {
    if (typeof s.minimum === 'number' && v < s.minimum) problems.push(`${at}: below ${s.minimum}`);
    if (typeof s.maximum === 'number' && v > s.maximum) problems.push(`${at}: above ${s.maximum}`);
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems)
      problems.push(`${at}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems)
      problems.push(`${at}: more than ${s.maxItems} items`);
  }
  return problems;
}
