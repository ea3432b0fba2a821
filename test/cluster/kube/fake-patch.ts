/**
 * Patch semantics for the fake API server: JSON merge patch (RFC 7386), JSON patch (RFC 6902: add,
 * remove, replace, test, copy, move) and the approximations it uses for strategic merge patch and
 * server-side apply (both treated as a deep merge where lists are replaced; see fake-apiserver.ts).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** RFC 7386: objects merge recursively, `null` deletes a key, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): Json {
  if (!isObject(patch)) return structuredClone(patch) as Json;
  const out: Record<string, Json> = isObject(target) ? structuredClone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function decodePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'test' | 'copy' | 'move';
  path: string;
  value?: Json;
  from?: string;
}

function getAt(doc: Json, path: string[]): Json | undefined {
  let cur: Json | undefined = doc;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isObject(cur)) cur = cur[seg];
    else return undefined;
  }
  return cur;
}

function parentOf(doc: Json, path: string[], op: string): { parent: Json; key: string } {
  const key = path.at(-1);
  if (key === undefined) throw new Error(`${op}: cannot address the document root`);
  const parent = getAt(doc, path.slice(0, -1));
  if (parent === undefined || (typeof parent !== 'object' && parent !== null)) {
    throw new Error(`${op}: no parent for /${path.join('/')}`);
  }
  return { parent, key };
}

/** RFC 6902 JSON patch; throws on a failed `test` or a missing path, as the API server does (422). */
export function jsonPatch(target: unknown, ops: unknown): Json {
  if (!Array.isArray(ops)) throw new Error('a JSON patch must be an array of operations');
  let doc = structuredClone(target) as Json;
  for (const raw of ops as JsonPatchOp[]) {
    const path = decodePointer(raw.path);
    const add = (p: string[], value: Json) => {
      if (p.length === 0) {
        doc = value;
        return;
      }
      const { parent, key } = parentOf(doc, p, raw.op);
      if (Array.isArray(parent)) {
        const i = key === '-' ? parent.length : Number(key);
        parent.splice(i, 0, value);
      } else (parent as Record<string, Json>)[key] = value;
    };
    const remove = (p: string[]) => {
      const { parent, key } = parentOf(doc, p, raw.op);
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else {
        if (!(key in (parent as object))) throw new Error(`remove: /${p.join('/')} does not exist`);
        delete (parent as Record<string, Json>)[key];
      }
    };
    switch (raw.op) {
      case 'add':
        add(path, structuredClone(raw.value ?? null));
        break;
      case 'remove':
        remove(path);
        break;
      case 'replace':
        if (getAt(doc, path) === undefined) throw new Error(`replace: ${raw.path} does not exist`);
        if (path.length === 0) doc = structuredClone(raw.value ?? null);
        else {
          remove(path);
          add(path, structuredClone(raw.value ?? null));
        }
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(raw.value))
          throw new Error(`test failed at ${raw.path}`);
        break;
      case 'copy':
      case 'move': {
        const from = decodePointer(raw.from ?? '');
        const value = getAt(doc, from);
        if (value === undefined) throw new Error(`${raw.op}: ${raw.from} does not exist`);
        if (raw.op === 'move') remove(from);
        add(path, structuredClone(value));
        break;
      }
      default:
        throw new Error(`unsupported JSON patch op "${(raw as { op: string }).op}"`);
    }
  }
  return doc;
}
