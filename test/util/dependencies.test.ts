/**
 * What an installed cnibench needs at run time is a dependency; what only tests, lint and benchmarks
 * use is a devDependency (tinybench serves bench/ alone). Checked from the sources: no file of src/
 * imports a devDependency, and every import of bench/ that is no dependency is a devDependency.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repoPath } from '../helpers/paths.js';

const pkg = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(repoPath(dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

/** The packages a file imports (bare specifiers, scope kept, node: builtins left out). */
function packagesOf(file: string): string[] {
  const text = readFileSync(repoPath(file), 'utf8');
  return [...text.matchAll(/\bfrom '([^'.][^']*)'/g)]
    .map((m) => m[1] ?? '')
    .filter((s) => !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s)));
}

test('src/ imports no devDependency; tinybench is one, used by bench/ only', () => {
  const dev = new Set(Object.keys(pkg.devDependencies));
  for (const f of sources('src'))
    for (const p of packagesOf(f)) assert.ok(!dev.has(p), `${f} imports the devDependency ${p}`);
  assert.ok(dev.has('tinybench'));
  assert.ok(!('tinybench' in pkg.dependencies));
  const users = [...sources('src'), ...sources('test'), ...sources('bench')].filter((f) =>
    packagesOf(f).includes('tinybench'),
  );
  assert.ok(users.length > 0);
  for (const f of users) assert.match(f, /^bench\//);
});
