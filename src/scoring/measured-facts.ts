/**
 * Writes measured facts (`facts measure`, scoring/git/) into the facts file, in place: comments,
 * order and style of everything else survive (yaml's Document API, as `facts refresh` does). A
 * declared fact that the measurement contradicts is replaced, with a warning naming both.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, parseDocument, Scalar, type Document } from 'yaml';
import { InputError } from '../util/errors.js';
import { loadFacts, UNKNOWN, type Fact, type FactValue } from './facts.js';
import type { MeasuredProject } from './git/measure.js';

export interface WriteResult {
  written: string[];
  warnings: string[];
}

const same = (a: FactValue, b: FactValue) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Facts where a declared value can know more than the repository: a project older than its
 * repository (Calico's monorepo starts at v2) had its first stable release elsewhere. There the
 * declared value stays when it is earlier.
 */
const EARLIEST_WINS = new Set(['firstStableRelease']);

interface Contradiction {
  key: string;
  message: string;
  /** Whether the measured value replaces the declared one. */
  replaced: boolean;
}

function contradictions(
  project: string,
  declared: Record<string, Fact>,
  m: MeasuredProject,
): Contradiction[] {
  const out: Contradiction[] = [];
  for (const [key, value] of Object.entries(m.facts)) {
    const d = declared[key];
    if (!d || d.measured || d.value === UNKNOWN || same(d.value, value)) continue;
    const keep = EARLIEST_WINS.has(key) && String(d.value) < String(value);
    out.push({
      key,
      replaced: !keep,
      message:
        `${project}.${key}: declared ${JSON.stringify(d.value)} (${d.source ?? 'no source'}, ${d.asOf}) but measured ${JSON.stringify(value)} from ${m.provenance.repository}@${m.provenance.commit.slice(0, 12)}: ` +
        (keep
          ? 'the earlier declared value is kept (the project is older than its repository)'
          : 'the measured value is written'),
    });
  }
  return out;
}

function quoted(text: string): Scalar<string> {
  const s = new Scalar(text);
  s.type = Scalar.QUOTE_SINGLE;
  return s;
}

function setMeasured(
  doc: Document,
  project: string,
  key: string,
  value: FactValue,
  m: MeasuredProject,
): void {
  const asOf = m.history.measured.window.slice(-10);
  const node = doc.createNode({ value, source: null, asOf, measured: m.provenance });
  const pairs = node.items;
  for (const p of pairs) {
    const k = (p.key as Scalar).value;
    if (k === 'asOf') p.value = quoted(asOf);
    if (k === 'measured' && isMap(p.value)) p.value.flow = true;
  }
  doc.setIn(['projects', project, 'facts', key], node);
}

export function writeMeasuredFacts(file: string, project: string, m: MeasuredProject): WriteResult {
  const { facts } = loadFacts(file); // validates before anything is written
  const p = facts.projects[project];
  if (!p)
    throw new InputError(
      `${file}: no project "${project}" (projects: ${Object.keys(facts.projects).join(', ')})`,
    );
  const found = contradictions(project, p.facts, m);
  const kept = new Set(found.filter((c) => !c.replaced).map((c) => c.key));
  const warnings = found.map((c) => c.message);
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const keys = Object.keys(m.facts)
    .filter((k) => !kept.has(k))
    .sort();
  for (const key of keys) {
    const value = m.facts[key];
    if (value !== undefined) setMeasured(doc, project, key, value, m);
  }
  const hist = doc.createNode(m.history);
  doc.setIn(['projects', project, 'history'], hist);
  const measuredNode = doc.getIn(['projects', project, 'history', 'measured'], true);
  if (isMap(measuredNode)) measuredNode.flow = true;
  for (const item of ['monthly', 'releases']) {
    const seq = doc.getIn(['projects', project, 'history', item], true);
    if (seq && typeof seq === 'object' && 'items' in seq && Array.isArray(seq.items))
      for (const x of seq.items) if (isMap(x)) x.flow = true;
  }
  if (Number(doc.get('factsVersion')) < 3) doc.set('factsVersion', 3);
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  loadFacts(file, text); // what is written must load
  writeFileSync(file, text);
  return { written: keys, warnings };
}
