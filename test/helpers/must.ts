import assert from 'node:assert/strict';

/** The value, after asserting it is there: a find() that must match, an index that must exist. */
export function must<T>(v: T | null | undefined, what = 'value'): T {
  assert.ok(v !== undefined && v !== null, `${what} is missing`);
  return v;
}
