import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';
import { HARNESS_PERMISSIONS, renderRbac } from '../../src/cluster/kube/permissions.js';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');

describe('RBAC manifest', () => {
  test('deploy/rbac.yaml is exactly what `cnibench rbac` generates', () => {
    assert.equal(fs.readFileSync(path.join(repo, 'deploy/rbac.yaml'), 'utf8'), renderRbac());
  });

  test('the ClusterRole grants every permission the preflight checks, and nothing else', () => {
    const docs = parseAllDocuments(renderRbac({ namespace: 'bench', name: 'runner' })).map((d) => d.toJS());
    assert.deepEqual(
      docs.map((d) => d.kind),
      ['ServiceAccount', 'ClusterRole', 'ClusterRoleBinding'],
    );
    const role = docs[1];
    const granted = new Set<string>();
    for (const r of role.rules as Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>) {
      for (const g of r.apiGroups)
        for (const res of r.resources) for (const v of r.verbs) granted.add(`${g}|${res}|${v}`);
    }
    const needed = new Set(
      HARNESS_PERMISSIONS.flatMap((p) =>
        p.verbs.map(
          (v) => `${p.group}|${p.subresource ? `${p.resource}/${p.subresource}` : p.resource}|${v}`,
        ),
      ),
    );
    assert.deepEqual([...granted].sort(), [...needed].sort());
    assert.deepEqual(docs[2].subjects, [{ kind: 'ServiceAccount', name: 'runner', namespace: 'bench' }]);
    assert.equal(docs[2].roleRef.name, 'runner');
  });

  test('`cnibench rbac` prints it', () => {
    const out = execFileSync(
      process.execPath,
      [path.join(repo, 'dist/src/cli/main.js'), 'rbac', '--namespace', 'ops'],
      { encoding: 'utf8' },
    );
    assert.equal(out, renderRbac({ namespace: 'ops' }));
  });
});
