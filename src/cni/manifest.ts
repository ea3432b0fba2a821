/**
 * Multi-document Kubernetes manifests as plain JSON objects: parsing, finding and rewriting the
 * container images of every pod template, and printing them back as YAML.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments, stringify } from 'yaml';
import { InputError } from '../util/errors.js';
import { rewriteImage } from '../cluster/kube/images.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses every document; empty documents are skipped, `kind: List` is flattened. */
export function parseManifest(text: string, origin: string): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  const docs = parseAllDocuments(text);
  docs.forEach((doc, i) => {
    const [error] = doc.errors;
    if (error) throw new InputError(`${origin}: document ${i + 1}: ${error.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return;
    if (!isObject(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
      throw new InputError(
        `${origin}: document ${i + 1} is not a Kubernetes object (needs apiVersion and kind)`,
      );
    }
    if (value.kind.endsWith('List') && Array.isArray(value.items)) {
      for (const item of value.items) if (isObject(item)) out.push(item);
      return;
    }
    const meta = value.metadata;
    if (!isObject(meta) || typeof meta.name !== 'string') {
      throw new InputError(`${origin}: document ${i + 1} (${value.kind}) has no metadata.name`);
    }
    out.push(value);
  });
  return out;
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/**
 * Visits every container list below `node` (pod templates of Deployments, DaemonSets, Jobs, CronJobs,
 * bare Pods). CRD schemas are skipped by the callers: their `image` properties are schema, not images.
 */
function visitContainers(node: unknown, fn: (container: Json) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visitContainers(item, fn);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (CONTAINER_LISTS.includes(key) && Array.isArray(value)) {
      for (const c of value) if (isObject(c)) fn(c);
    } else {
      visitContainers(value, fn);
    }
  }
}

const isCrd = (o: KubernetesObject) => o.kind === 'CustomResourceDefinition';

/** Every container image in the objects, in order of appearance. */
export function collectImages(objects: KubernetesObject[]): string[] {
  const images: string[] = [];
  for (const o of objects) {
    if (isCrd(o)) continue;
    visitContainers(o, (c) => {
      if (typeof c.image === 'string') images.push(c.image);
    });
  }
  return images;
}

/** Copies of the objects with every container image moved to `registry` (path, tag and digest kept). */
export function rewriteImages(objects: KubernetesObject[], registry: string): KubernetesObject[] {
  return objects.map((o) => {
    if (isCrd(o)) return o;
    const copy = structuredClone(o);
    visitContainers(copy, (c) => {
      if (typeof c.image === 'string') c.image = rewriteImage(c.image, registry);
    });
    return copy;
  });
}

/** Adds pull secrets to every pod template (a private mirror needs them on the operator's own pod too). */
export function addImagePullSecrets(objects: KubernetesObject[], names: string[]): KubernetesObject[] {
  if (names.length === 0) return objects;
  return objects.map((o) => {
    const spec = podSpecOf(o);
    if (!spec) return o;
    const copy = structuredClone(o);
    const s = podSpecOf(copy);
    if (!s) throw new Error('structuredClone lost the pod spec of a manifest');
    const existing = Array.isArray(s.imagePullSecrets) ? (s.imagePullSecrets as Json[]) : [];
    const have = new Set(existing.map((e) => e.name));
    s.imagePullSecrets = [...existing, ...names.filter((n) => !have.has(n)).map((name) => ({ name }))];
    return copy;
  });
}

function podSpecOf(o: KubernetesObject): Json | undefined {
  const spec = (o as unknown as Json).spec;
  if (!isObject(spec)) return undefined;
  if (o.kind === 'Pod') return spec;
  if (o.kind === 'CronJob') {
    const jt = spec.jobTemplate;
    const tpl = isObject(jt) && isObject(jt.spec) ? jt.spec.template : undefined;
    return isObject(tpl) && isObject(tpl.spec) ? tpl.spec : undefined;
  }
  const tpl = spec.template;
  return isObject(tpl) && isObject(tpl.spec) ? tpl.spec : undefined;
}

/**
 * "apiVersion|kind" of every kind the CRDs define (each served version), mapped to the CRD's name: the
 * objects that must wait until that CRD is Established.
 */
export function crdKinds(crds: KubernetesObject[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const crd of crds) {
    const spec = (crd as unknown as Json).spec;
    if (!isObject(spec) || !isObject(spec.names) || typeof spec.group !== 'string') continue;
    const kind = spec.names.kind;
    const versions = Array.isArray(spec.versions) ? spec.versions : [];
    for (const v of versions) {
      if (isObject(v) && typeof v.name === 'string' && typeof kind === 'string')
        out.set(`${spec.group}/${v.name}|${kind}`, crd.metadata?.name ?? '');
    }
  }
  return out;
}

export function objectRef(o: KubernetesObject): string {
  const ns = o.metadata?.namespace ? `${o.metadata.namespace}/` : '';
  return `${o.kind} ${ns}${o.metadata?.name ?? '?'}`;
}

export interface YamlOptions {
  /** Print CRDs in full; by default they are one comment line each (their schemas run to thousands of lines). */
  fullCrds?: boolean;
}

/** The objects as one multi-document YAML stream. */
export function objectsToYaml(objects: KubernetesObject[], opts: YamlOptions = {}): string {
  const parts: string[] = [];
  for (const o of objects) {
    if (isCrd(o) && !opts.fullCrds) {
      parts.push(`# ${objectRef(o)} (schema not shown; --full prints it)\n`);
      continue;
    }
    parts.push('---\n' + stringify(o, { lineWidth: 0 }));
  }
  return parts.join('');
}
