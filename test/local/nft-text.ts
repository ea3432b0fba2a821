/**
 * Reading compiled nft tables in tests: the rules of one chain, the elements of one set.
 */
import assert from 'node:assert/strict';

/** Lines of one chain, without indentation. */
export function chain(text: string, name: string): string[] {
  const start = text.indexOf(`\tchain ${name} {`);
  assert.ok(start >= 0, `chain ${name} missing`);
  const end = text.indexOf('\n\t}', start);
  return text
    .slice(start, end)
    .split('\n')
    .slice(1)
    .map((l) => l.trim());
}

export function setElements(text: string, name: string): string | undefined {
  const m = new RegExp(`set ${name} \\{[^}]*?elements = \\{ ([^}]*) \\}`).exec(text);
  return m?.[1];
}
