/**
 * The fields of every built-in Kubernetes kind, as client-node's generated models declare them (each
 * model's public `getAttributeTypeMap()`: wire name and type of every field of the API version it was
 * generated from). The fake API server uses this to answer like a real one does for an object carrying
 * a field its schema lacks: prune it by default, refuse it under strict field validation or server-side
 * apply. Fields newer than the models would be reported as unknown; client-node would drop them anyway.
 */
import * as k8s from '@kubernetes/client-node';

interface Attribute {
  baseName: string;
  type: string;
}

type ModelClass = { getAttributeTypeMap(): Attribute[] };

function model(name: string): ModelClass | undefined {
  const m = (k8s as unknown as Record<string, unknown>)[name];
  return typeof m === 'function' && 'getAttributeTypeMap' in m ? (m as unknown as ModelClass) : undefined;
}

/** The model name of a kind: apps/v1 Deployment → V1Deployment (group-independent, as client-node names them). */
export function modelName(apiVersion: string, kind: string): string {
  const version = apiVersion.split('/').at(-1) ?? apiVersion;
  return `${version.charAt(0).toUpperCase()}${version.slice(1)}${kind}`;
}

export function hasModel(apiVersion: string, kind: string): boolean {
  return model(modelName(apiVersion, kind)) !== undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const ARRAY = /^Array<(.+)>$/;
const MAP = /^\{ \[key: string\]: (.+); \}$/;

/** Visits `value` as `type`; calls `onUnknown(path)` for each undeclared field, `keep` decides pruning. */
function walk(type: string, value: unknown, path: string, onUnknown: (path: string) => void): unknown {
  const arr = ARRAY.exec(type);
  if (arr)
    return Array.isArray(value)
      ? value.map((v, i) => walk(arr[1] ?? 'any', v, `${path}[${i}]`, onUnknown))
      : value;
  const map = MAP.exec(type);
  if (map) {
    if (!isObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        walk(map[1] ?? 'any', v, path ? `${path}.${k}` : k, onUnknown),
      ]),
    );
  }
  const m = model(type);
  if (!m || !isObject(value)) return value;
  const attrs = new Map(m.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    const t = attrs.get(k);
    if (t === undefined) onUnknown(at);
    else out[k] = walk(t, v, at, onUnknown);
  }
  return out;
}

/** Paths of the fields the kind's model does not declare ("spec.containers[0].imagePullPolcy"). */
export function unknownBuiltinFields(obj: { apiVersion: string; kind: string }): string[] {
  const out: string[] = [];
  walk(modelName(obj.apiVersion, obj.kind), obj, '', (p) => out.push(p));
  return out;
}

/** The object without the fields its model does not declare. */
export function pruneBuiltin<T extends { apiVersion: string; kind: string }>(obj: T): T {
  return walk(modelName(obj.apiVersion, obj.kind), obj, '', () => undefined) as T;
}

/** Unknown fields of an object's metadata (ObjectMeta), for custom resources too. */
export function unknownMetadataFields(metadata: unknown): string[] {
  const out: string[] = [];
  walk('V1ObjectMeta', metadata, 'metadata', (p) => out.push(p));
  return out;
}
