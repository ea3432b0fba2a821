/**
 * Label-selector parsing and matching for the fake API server, with the string syntax the real API
 * server accepts in `?labelSelector=` (equality, inequality, set-based `in`/`notin`, existence).
 */

export type LabelMap = Record<string, string>;

type Requirement =
  | { key: string; op: 'eq'; value: string }
  | { key: string; op: 'ne'; value: string }
  | { key: string; op: 'in'; values: string[] }
  | { key: string; op: 'notin'; values: string[] }
  | { key: string; op: 'exists' }
  | { key: string; op: 'absent' };

/** Splits on commas that are not inside parentheses: "a in (x,y),b" → ["a in (x,y)", "b"]. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') parts.push(cur);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseLabelSelector(selector: string): Requirement[] {
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(selector)) {
    // Every group of these patterns takes part in any match, so the '' defaults are never used.
    let m: RegExpMatchArray | null;
    if ((m = part.match(/^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/))) {
      const [, key = '', op, list = ''] = m;
      const values = list
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      reqs.push({ key, op: op === 'in' ? 'in' : 'notin', values });
    } else if ((m = part.match(/^([^\s!=]+)\s*!=\s*(\S*)$/))) {
      const [, key = '', value = ''] = m;
      reqs.push({ key, op: 'ne', value });
    } else if ((m = part.match(/^([^\s!=]+)\s*==?\s*(\S*)$/))) {
      const [, key = '', value = ''] = m;
      reqs.push({ key, op: 'eq', value });
    } else if ((m = part.match(/^!\s*(\S+)$/))) {
      const [, key = ''] = m;
      reqs.push({ key, op: 'absent' });
    } else if ((m = part.match(/^(\S+)$/))) {
      const [, key = ''] = m;
      reqs.push({ key, op: 'exists' });
    } else {
      throw new Error(`unable to parse requirement: "${part}"`);
    }
  }
  return reqs;
}

export function matchesLabelSelector(labels: LabelMap | undefined, selector: string | undefined): boolean {
  if (!selector) return true;
  const l = labels ?? {};
  return parseLabelSelector(selector).every((r) => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'eq':
        return has && l[r.key] === r.value;
      case 'ne':
        return !has || l[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(l[r.key] ?? '');
      case 'notin':
        return !has || !r.values.includes(l[r.key] ?? '');
      case 'exists':
        return has;
      case 'absent':
        return !has;
    }
  });
}

/** Field selectors: only `a.b.c=value` / `!=` conjunctions over dotted paths, as the driver needs. */
export function matchesFieldSelector(obj: unknown, selector: string | undefined): boolean {
  if (!selector) return true;
  return splitTopLevel(selector).every((part) => {
    const m = part.match(/^([^!=]+?)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw new Error(`unable to parse field selector: "${part}"`);
    const [, field = '', op, want] = m;
    let v: unknown = obj;
    for (const seg of field.split('.'))
      v = v && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
    // Field selectors address scalar fields (metadata.name, spec.nodeName, status.phase).
    const s = typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
    return op === '!=' ? s !== want : s === want;
  });
}
