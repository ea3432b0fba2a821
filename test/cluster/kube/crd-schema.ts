/**
 * What an API server checks a custom resource against: the structural `openAPIV3Schema` of the CRD
 * version it is sent as. Two separate checks, because the server answers them differently:
 * - unknown fields (a field the schema does not declare, outside `x-kubernetes-preserve-unknown-fields`):
 *   pruned silently by default, refused under strict field validation and by server-side apply;
 * - values (type, enum, pattern, bounds, required): always refused, 422 Invalid.
 * Values are checked with ajv on a JSON Schema derived from the structural schema (nullable,
 * int-or-string and the Kubernetes extensions translated). CEL rules (`x-kubernetes-validations`) are
 * not evaluated. Used by the fake API server and by the tests against the projects' real CRDs.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** One node of a structural schema (JSONSchemaProps as the wire carries it). */
export interface StructuralSchema {
  type?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [k: string]: unknown;
}

interface CrdVersion {
  name: string;
  served?: boolean;
  schema?: { openAPIV3Schema?: StructuralSchema };
}

/** The schema of `version` in a CRD object (wire JSON), or undefined when it declares none. */
export function crdVersionSchema(crd: unknown, version: string): StructuralSchema | undefined {
  const versions = (crd as { spec?: { versions?: CrdVersion[] } }).spec?.versions ?? [];
  return versions.find((v) => v.name === version)?.schema?.openAPIV3Schema;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields every object has whatever its schema says (metadata is checked as ObjectMeta elsewhere). */
const ROOT_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * Paths of every field `value` carries that `schema` does not declare, as the API server names them
 * ("spec.calicoNetwork.ipPools[0].nmae").
 */
export function unknownFields(schema: StructuralSchema, value: unknown, path = ''): string[] {
  const out: string[] = [];
  const at = (k: string) => (path ? `${path}.${k}` : k);
  if (Array.isArray(value)) {
    if (schema.items)
      value.forEach((v, i) =>
        out.push(...unknownFields(schema.items as StructuralSchema, v, `${path}[${i}]`)),
      );
    return out;
  }
  if (!isObject(value) || schema['x-kubernetes-preserve-unknown-fields'] === true) return out;
  const embedded = schema['x-kubernetes-embedded-resource'] === true || path === '';
  for (const [k, v] of Object.entries(value)) {
    const prop = schema.properties?.[k];
    if (embedded && ROOT_FIELDS.has(k)) continue;
    else if (prop) out.push(...unknownFields(prop, v, at(k)));
    else if (isObject(schema.additionalProperties))
      out.push(...unknownFields(schema.additionalProperties, v, at(k)));
    else if (schema.additionalProperties !== true) out.push(at(k));
  }
  return out;
}

/** Removes the fields unknownFields reports (what the server stores under fieldValidation Warn/Ignore). */
export function pruneUnknown(schema: StructuralSchema, value: unknown, path = ''): unknown {
  if (Array.isArray(value))
    return schema.items
      ? value.map((v) => pruneUnknown(schema.items as StructuralSchema, v, `${path}[]`))
      : value;
  if (!isObject(value) || schema['x-kubernetes-preserve-unknown-fields'] === true) return value;
  const embedded = schema['x-kubernetes-embedded-resource'] === true || path === '';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const prop = schema.properties?.[k];
    if ((embedded && ROOT_FIELDS.has(k)) || schema.additionalProperties === true) out[k] = v;
    else if (prop) out[k] = pruneUnknown(prop, v, `${path}.${k}`);
    else if (isObject(schema.additionalProperties))
      out[k] = pruneUnknown(schema.additionalProperties, v, `${path}.${k}`);
  }
  return out;
}

/** The structural schema as a JSON Schema ajv can check (Kubernetes extensions translated). */
export function toJsonSchema(s: StructuralSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (
      k.startsWith('x-kubernetes-') ||
      k === 'nullable' ||
      k === 'format' ||
      k === 'default' ||
      k === 'example'
    )
      continue;
    if (k === 'properties' && isObject(v)) {
      out.properties = Object.fromEntries(
        Object.entries(v).map(([name, p]) => [name, toJsonSchema(p as StructuralSchema)]),
      );
    } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && isObject(v)) {
      out[k] = toJsonSchema(v);
    } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
      out[k] = v.map((x) => toJsonSchema(x as StructuralSchema));
    } else out[k] = v;
  }
  // Unknown fields are a separate check (their answer differs): values are checked here only.
  delete out.additionalProperties;
  if (isObject(s.additionalProperties)) out.additionalProperties = toJsonSchema(s.additionalProperties);
  if (s['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (s.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (s.nullable === true && Array.isArray(out.enum)) out.enum = [...(out.enum as unknown[]), null];
  return out;
}

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const compiled = new WeakMap<StructuralSchema, ValidateFunction>();

/** JSON path "/spec/ipPools/0/cidr" → the API server's field path "spec.ipPools[0].cidr". */
function fieldPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter((p) => p !== '');
  if (extra) parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function describe(e: ErrorObject, value: unknown): string {
  const path = fieldPath(
    e.instancePath,
    e.keyword === 'required' ? String(e.params.missingProperty) : undefined,
  );
  const shown = JSON.stringify(value);
  switch (e.keyword) {
    case 'required':
      return `${path}: Required value`;
    case 'enum':
      return `${path}: Unsupported value: ${shown}: supported values: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `${path}: Invalid value: "${typeof value}": ${path} in body must be of type ${String(e.params.type)}: ${shown}`;
    default:
      return `${path}: Invalid value: ${shown}: ${e.message ?? e.keyword}`;
  }
}

function valueAt(root: unknown, instancePath: string): unknown {
  let node = root;
  for (const p of instancePath.split('/').filter((x) => x !== '')) {
    if (Array.isArray(node)) node = node[Number(p)];
    else if (isObject(node)) node = node[p];
    else return undefined;
  }
  return node;
}

/** Every value the schema refuses, each as the API server words it ("spec.x: Required value"). */
export function valueProblems(schema: StructuralSchema, value: unknown): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema));
    compiled.set(schema, validate);
  }
  if (validate(value)) return [];
  // anyOf branches repeat themselves; keep one line per path and keyword.
  const lines = (validate.errors ?? [])
    .filter((e) => e.keyword !== 'anyOf')
    .map((e) => describe(e, valueAt(value, e.instancePath)));
  return [...new Set(lines)];
}
