/**
 * The layout docs/architecture.md describes, checked: every file it names exists, imports only run down
 * the rooms (no circle, no arrow back up), and every workload kind the schema accepts is planned, run
 * and has its folder (the "add a workload kind" recipe, as far as kinds are not a registry).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describeWorkload } from '../src/plan/build.js';
import { scenarioJsonSchema } from '../src/run/scenario-file.js';
import { workloadSchemaFor, type Workload } from '../src/scenario/schema.js';
import { repoPath } from './helpers/paths.js';

const DOC = readFileSync(repoPath('docs/architecture.md'), 'utf8');

/** The rooms, top to bottom; rooms on one level do not import each other. */
const ROOMS = [
  ['cli'],
  ['check', 'run'],
  // What check and run share (results store, provenance, clean-up, interrupt guard, progress).
  ['context'],
  ['report'],
  ['workloads', 'scoring'],
  // The compare core, out of stats/ (branch stats).
  ['compare'],
  ['stats', 'plan'],
  ['results', 'cni'],
  ['cluster'],
  ['netpol', 'scenario'],
  ['agent', 'util'],
];
const level = new Map(ROOMS.flatMap((rooms, i) => rooms.map((r) => [r, i] as const)));
/** Same-level imports that are allowed: none (what check and run share is in context/, below both). */
const SAME_LEVEL_ALLOWED = new Set<string>();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of every file under src/, as paths relative to src/. */
function importGraph(): Map<string, string[]> {
  const src = repoPath('src');
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const rel = path.relative(src, file);
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/(?:import|export)[^'";]*?from\s+'(\.[^']+)'/g)].map((m) =>
      path.normalize(path.join(path.dirname(rel), (m[1] ?? '').replace(/\.js$/, '.ts'))),
    );
    graph.set(rel, targets);
  }
  return graph;
}

describe('architecture', () => {
  test('every file docs/architecture.md names exists', () => {
    const named = [...DOC.matchAll(/`((?:src|test|docs|scenarios|data|bench)\/[A-Za-z0-9_./-]+)`/g)].map(
      (m) => m[1] ?? '',
    );
    assert.ok(named.length > 40, `only ${named.length} paths found`);
    const missing = [...new Set(named)].filter((p) => !existsSync(repoPath(p)));
    assert.deepEqual(missing, []);
  });

  test('imports run only down the rooms, with no circle', () => {
    const graph = importGraph();
    const up: string[] = [];
    for (const [from, targets] of graph) {
      const a = from.split(path.sep)[0] ?? '';
      for (const to of targets) {
        const b = to.split(path.sep)[0] ?? '';
        if (a === b) continue;
        const la = level.get(a);
        const lb = level.get(b);
        assert.ok(la !== undefined && lb !== undefined, `${from} → ${to}: a folder the layout does not name`);
        if (la > lb || (la === lb && !SAME_LEVEL_ALLOWED.has(`${a}->${b}`))) up.push(`${from} → ${to}`);
      }
    }
    assert.deepEqual(up, []);

    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, trail: string[]) => {
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') circles.push([...trail.slice(trail.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next, [...trail, next]);
      }
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);
    assert.deepEqual(circles, []);
  });

  test('every workload kind is planned, run and has its folder (the workload-kind recipe)', () => {
    const schema = scenarioJsonSchema() as {
      properties: { workloads: { items: { oneOf: Array<{ properties: { kind: { const: string } } }> } } };
    };
    const kinds = schema.properties.workloads.items.oneOf.map((w) => w.properties.kind.const);
    assert.deepEqual(kinds, ['conformance', 'throughput', 'latency', 'policy-scale']);
    const dispatch = readFileSync(repoPath('src/run/execute-workload.ts'), 'utf8');
    for (const kind of kinds) {
      const w: Workload = workloadSchemaFor(['iperf3']).parse({ kind });
      assert.ok(describeWorkload(w).length > 0, kind);
      assert.match(dispatch, new RegExp(`case '${kind}'`), `src/run/execute-workload.ts runs ${kind}`);
      const folder = `src/workloads/${kind.replace(/^policy-/, '')}/run.ts`;
      assert.ok(existsSync(repoPath(folder)), folder);
      assert.match(DOC, new RegExp(`src/workloads/<kind>/run\\.ts`));
    }
  });
});
