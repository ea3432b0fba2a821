/**
 * Validates an object against a real CustomResourceDefinition the way the API server does for a
 * create with strict field validation: defaults applied, the structural openAPIV3Schema (type,
 * properties, required, enum, pattern, min/max lengths, items and properties, bounds, list-type
 * set) with unknown fields refused, then every x-kubernetes-validations CEL rule evaluated with a
 * CEL implementation (@marcbachmann/cel-js) and Kubernetes' isCIDR. Independent of cnibench's own
 * validator, which the tests compare with it.
 *
 * The CRDs are read from ../shared/upstream/network-policy-api (see SOURCES.md there); `loadCrd`
 * returns undefined when that folder is absent, and the tests then say they were skipped (never in
 * CI, where it must exist).
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Environment } from '@marcbachmann/cel-js';
import { parse } from 'yaml';
import { UPSTREAM_ROOT } from '../helpers/paths.js';
import { boundProblems } from '../helpers/schema-bounds.js';

export interface Schema {
  [k: string]: unknown;
}

/** Where the shared upstream files are: next to the repository (CI and every worktree). */
export const UPSTREAM_DIR = path.join(UPSTREAM_ROOT, 'network-policy-api');

function upstreamAvailable(): boolean {
  return existsSync(UPSTREAM_DIR);
}

/** Skip reason for tests that need the CRDs, or undefined when they can run; throws in CI without them. */
export function crdSkipReason(): string | undefined {
  if (upstreamAvailable()) return undefined;
  if (process.env.CI === 'true')
    throw new Error(`${UPSTREAM_DIR} is missing in CI: the CRD tests must run there`);
  return `skipped: ${UPSTREAM_DIR} (network-policy-api's CRDs, from the shared upstream files) is not on this machine`;
}

/** The openAPIV3Schema of the CRD's only version. */
export function loadCrd(rel: string): Schema {
  const doc = parse(readFileSync(path.join(UPSTREAM_DIR, rel), 'utf8')) as {
    spec: { versions: Array<{ schema: { openAPIV3Schema: Schema } }> };
  };
  const v = doc.spec.versions[0];
  if (!v) throw new Error(`${rel}: no version`);
  return v.schema.openAPIV3Schema;
}

const KNOWN = new Set([
  'type',
  'description',
  'properties',
  'required',
  'items',
  'enum',
  'pattern',
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'maxProperties',
  'minProperties',
  'minimum',
  'maximum',
  'format',
  'default',
  'additionalProperties',
  'x-kubernetes-validations',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
]);

/** Kubernetes CEL isCIDR: netip.ParsePrefix (no zone, canonical decimal bits) and no IPv4-mapped IPv6. */
function k8sIsCidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const addr = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  if (addr.includes('%') || !/^(0|[1-9]\d{0,2})$/.test(bits)) return false;
  const family = net.isIP(addr);
  if (family === 0) return false;
  if (Number(bits) > (family === 4 ? 32 : 128)) return false;
  if (family === 6) {
    const mapped = new net.BlockList();
    mapped.addSubnet('::ffff:0:0', 96, 'ipv6');
    if (mapped.check(addr, 'ipv6')) return false;
  }
  return true;
}

const cel = new Environment({ unlistedVariablesAreDyn: true }).registerFunction(
  'isCIDR(string): bool',
  k8sIsCidr,
);

/** JSON numbers as CEL values: integers become BigInt (CEL int), as the API server decodes them. */
function toCel(v: unknown): unknown {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  return v;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Fills in schema defaults (the API server defaults before it validates). */
function applyDefaults(s: Schema, v: unknown): unknown {
  if (Array.isArray(v) && s.items) return v.map((x) => applyDefaults(s.items as Schema, x));
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    for (const [k, ps] of Object.entries(props)) {
      if (out[k] === undefined && ps.default !== undefined) out[k] = structuredClone(ps.default);
      if (out[k] !== undefined) out[k] = applyDefaults(ps, out[k]);
    }
    return out;
  }
  return v;
}

/** Every problem the API server would report for `obj` against this schema; empty when accepted. */
export function crdProblems(root: Schema, obj: unknown): string[] {
  const problems: string[] = [];
  const walk = (s: Schema, v: unknown, at: string): void => {
    for (const k of Object.keys(s))
      if (!KNOWN.has(k)) throw new Error(`schema keyword "${k}" at ${at} is not supported`);
    const t = typeOf(v);
    const want = s.type as string | undefined;
    if (want !== undefined && !(want === t || (want === 'number' && t === 'integer'))) {
      problems.push(`${at}: expected ${want}, got ${t}`);
      return;
    }
    if (Array.isArray(s.enum) && !s.enum.includes(v))
      problems.push(`${at}: unsupported value ${JSON.stringify(v)}`);
    problems.push(...boundProblems(s, v, at));
    if (t === 'array') {
      const a = v as unknown[];
      if (s['x-kubernetes-list-type'] === 'set') {
        const seen = new Set(a.map((x) => JSON.stringify(x)));
        if (seen.size !== a.length) problems.push(`${at}: duplicate entries in a set`);
      }
      if (s.items) a.forEach((x, i) => walk(s.items as Schema, x, `${at}[${i}]`));
    }
    if (t === 'object') {
      const o = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      const n = Object.keys(o).length;
      if (typeof s.minProperties === 'number' && n < s.minProperties)
        problems.push(`${at}: fewer than ${s.minProperties} properties`);
      if (typeof s.maxProperties === 'number' && n > s.maxProperties)
        problems.push(`${at}: more than ${s.maxProperties} properties`);
      for (const r of (s.required ?? []) as string[])
        if (!(r in o)) problems.push(`${at}: missing required field "${r}"`);
      for (const [k, x] of Object.entries(o)) {
        if (props[k]) walk(props[k], x, `${at}.${k}`);
        else if (typeof s.additionalProperties === 'object')
          walk(s.additionalProperties as Schema, x, `${at}.${k}`);
        // metadata is `type: object` without properties: the API server checks ObjectMeta itself.
        else if (s.properties !== undefined) problems.push(`${at}: unknown field "${k}"`);
      }
    }
    // CEL rules run on values that passed the schema (the API server skips them otherwise).
    const under = (p: string) => p.startsWith(`${at}:`) || p.startsWith(`${at}.`) || p.startsWith(`${at}[`);
    if (!problems.some(under)) {
      for (const r of (s['x-kubernetes-validations'] ?? []) as Array<{ rule: string; message?: string }>) {
        let ok: unknown;
        try {
          ok = cel.evaluate(r.rule, { self: toCel(v) });
        } catch (err) {
          problems.push(`${at}: CEL rule ${r.rule} failed: ${(err as Error).message}`);
          continue;
        }
        if (ok !== true) problems.push(`${at}: ${r.message ?? r.rule}`);
      }
    }
  };
  walk(root, applyDefaults(root, obj), '$');
  return problems;
}
