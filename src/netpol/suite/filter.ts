/** Narrowing the suite by tags and by the protocols a driver can probe. */
import type { PolicyCase, Protocol } from '../types.js';
import { withProtocolTags } from './layout.js';

export interface SuiteFilter {
  /** Keep cases carrying every one of these tags (an intersection, so repeated --tag narrows). */
  tags?: readonly string[];
  /** Drop cases carrying any of these tags. */
  excludeTags?: readonly string[];
  /**
   * Keep only probes of these protocols; a case left without probes is dropped, and its protocol:*
   * tags are recomputed so they still describe what the case probes.
   */
  protocols?: readonly Protocol[];
}

export function filterByTags(cases: readonly PolicyCase[], filter: SuiteFilter = {}): PolicyCase[] {
  const want = filter.tags ?? [];
  const avoid = filter.excludeTags ?? [];
  const out: PolicyCase[] = [];
  for (const c of cases) {
    const tags = c.tags ?? [];
    if (!want.every((t) => tags.includes(t))) continue;
    if (avoid.some((t) => tags.includes(t))) continue;
    if (filter.protocols === undefined) {
      out.push(c);
      continue;
    }
    const allowed = new Set(filter.protocols);
    const probes = c.probes.filter((p) => allowed.has(p.protocol));
    if (probes.length === 0) continue;
    out.push(probes.length === c.probes.length ? c : { ...c, probes, tags: withProtocolTags(tags, probes) });
  }
  return out;
}
