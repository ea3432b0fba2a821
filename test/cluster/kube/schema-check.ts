/**
 * A tiny validator for the subset of JSON Schema (draft-07) used by test/fixtures/kube-schemas/:
 * type, properties, required, additionalProperties (boolean or schema), propertyNames, items,
 * minItems, enum, pattern, minLength, maxLength, minimum, maximum, anyOf and local $ref
 * (#/definitions/X). Returns every problem with its JSON path; unknown keywords are an error so a
 * fixture cannot silently use something this checker ignores.
 */
import fs from 'node:fs';
import { repoPath } from '../../helpers/paths.js';
import { boundProblems } from '../../helpers/schema-bounds.js';

export interface Schema {
  [k: string]: unknown;
}

const KNOWN = new Set([
  '$schema',
  'title',
  'description',
  'definitions',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'minItems',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'anyOf',
  '$ref',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function validate(root: Schema, value: unknown): string[] {
  const problems: string[] = [];
  const defs = (root.definitions ?? {}) as Record<string, Schema>;
  const walk = (s: Schema, v: unknown, at: string) => {
    for (const k of Object.keys(s))
      if (!KNOWN.has(k)) throw new Error(`schema keyword "${k}" at ${at} is not supported`);
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/definitions/', '');
      if (!defs[name]) throw new Error(`unresolved $ref ${s.$ref}`);
      return walk(defs[name], v, at);
    }
    if (Array.isArray(s.anyOf)) {
      const ok = (s.anyOf as Schema[]).some((alt) => {
        const sub: string[] = [];
        const saved = problems.length;
        walk(alt, v, at);
        sub.push(...problems.splice(saved));
        return sub.length === 0;
      });
      if (!ok) problems.push(`${at}: matches none of the allowed forms`);
      return;
    }
    const t = typeOf(v);
    if (s.type !== undefined) {
      const want = s.type as string;
      const fits = want === t || (want === 'number' && t === 'integer');
      if (!fits) {
        problems.push(`${at}: expected ${want}, got ${t}`);
        return;
      }
    }
    if (Array.isArray(s.enum) && !s.enum.includes(v))
      problems.push(`${at}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
    problems.push(...boundProblems(s, v, at));
    if (t === 'array') {
      const a = v as unknown[];
      if (s.items) a.forEach((x, i) => walk(s.items as Schema, x, `${at}[${i}]`));
    }
    if (t === 'object') {
      const o = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[])
        if (!(r in o)) problems.push(`${at}: missing required field "${r}"`);
      for (const [k, x] of Object.entries(o)) {
        if (x === undefined) continue;
        if (s.propertyNames) walk(s.propertyNames as Schema, k, `${at}{key ${k}}`);
        if (props[k]) walk(props[k], x, `${at}.${k}`);
        else if (s.additionalProperties === false) problems.push(`${at}: unknown field "${k}"`);
        else if (typeof s.additionalProperties === 'object')
          walk(s.additionalProperties as Schema, x, `${at}.${k}`);
      }
    }
  };
  walk(root, value, '$');
  return problems;
}

/** Loads test/fixtures/kube-schemas/<name>.v1.json (from the compiled test's location or the repo root). */
export function loadKubeSchema(name: string): Schema {
  const file = repoPath('test/fixtures/kube-schemas', `${name}.v1.json`);
  if (!fs.existsSync(file)) throw new Error(`schema fixture ${name}.v1.json not found`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Schema;
}

/** The schema for a manifest's kind. */
export function schemaFor(kind: string): Schema {
  return loadKubeSchema(kind.toLowerCase());
}
