/**
 * The cnibench agent's code, packed for a ConfigMap so stock Node.js images can run it without a
 * custom image: the compiled agent entry point, every module it imports (relative imports and the
 * npm packages it uses, e.g. tinybench), plus `package.json` files marking them as ES modules.
 * ConfigMap keys cannot contain "/", so each file gets a flat key and a volume item maps it back to
 * its relative path under the mount point.
 */
import fs from 'node:fs';
import path from 'node:path';
import { builtinModules, createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { EnvironmentError } from '../../util/errors.js';

export interface AgentBundle {
  /** Path of the entry point relative to the mount point (what `node` runs). */
  entry: string;
  /** ConfigMap data: flat key → file content. */
  data: Record<string, string>;
  /** Volume items: key → relative path. */
  items: Array<{ key: string; path: string }>;
}

/** ConfigMaps are limited to 1 MiB in total. */
const CONFIGMAP_LIMIT = 1024 * 1024 - 4096;

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The default agent entry: dist/src/agent/main.js next to this compiled file. */
export function defaultAgentEntry(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../agent/main.js');
}

/**
 * Collects the agent's files starting at `entryFile` (compiled JS). Paths in the bundle are relative
 * to the directory containing `src/` (so `src/agent/main.js` imports `../util/x.js` correctly) and npm
 * packages go under `node_modules/<name>/`.
 */
export function buildAgentBundle(entryFile = defaultAgentEntry()): AgentBundle {
  if (!fs.existsSync(entryFile))
    throw new EnvironmentError(`agent entry ${entryFile} not found (run the build first)`);
  const root = path.resolve(path.dirname(entryFile), '../..');
  const require = createRequire(entryFile);
  const files = new Map<string, string>(); // relative path → content
  const queue: string[] = [entryFile];
  const builtins = new Set(builtinModules);

  const addPackage = (spec: string, fromFile: string) => {
    const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
    let pkgJsonPath: string;
    try {
      pkgJsonPath = createRequire(fromFile).resolve(`${name}/package.json`);
    } catch {
      // Packages whose exports hide package.json: walk up from the resolved entry.
      let dir = path.dirname(require.resolve(spec));
      while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
      pkgJsonPath = path.join(dir, 'package.json');
    }
    const pkgDir = path.dirname(pkgJsonPath);
    const rel = `node_modules/${name}/package.json`;
    if (!files.has(rel)) files.set(rel, fs.readFileSync(pkgJsonPath, 'utf8'));
    const pkg = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8'));
    const exp = pkg.exports?.['.'] ?? pkg.exports;
    const entry =
      typeof exp === 'string'
        ? exp
        : (exp?.import?.default ?? exp?.import ?? exp?.default ?? pkg.module ?? pkg.main ?? 'index.js');
    if (typeof entry !== 'string')
      throw new EnvironmentError(`agent bundle: cannot find the ES module entry of package ${name}`);
    return { pkgDir, entryFile: path.resolve(pkgDir, entry), name };
  };

  const relOf = (file: string): string => {
    const nm = file.lastIndexOf(`${path.sep}node_modules${path.sep}`);
    if (nm >= 0)
      return file
        .slice(nm + 1)
        .split(path.sep)
        .join('/');
    return path.relative(root, file).split(path.sep).join('/');
  };

  while (queue.length) {
    const file = queue.shift() as string;
    const rel = relOf(file);
    if (files.has(rel)) continue;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new EnvironmentError(`agent bundle: cannot read ${file}: ${(err as Error).message}`);
    }
    files.set(rel, text);
    for (const m of text.matchAll(IMPORT_RE)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec) continue;
      if (spec.startsWith('node:') || builtins.has(spec)) continue;
      if (spec.startsWith('.')) queue.push(path.resolve(path.dirname(file), spec));
      else queue.push(addPackage(spec, file).entryFile);
    }
  }
  // The compiled harness is ESM ("type": "module" in the repository's package.json).
  files.set('package.json', JSON.stringify({ type: 'module', private: true }));

  const data: Record<string, string> = {};
  const items: Array<{ key: string; path: string }> = [];
  let size = 0;
  for (const [rel, content] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const key = rel.replace(/[^-._a-zA-Z0-9]/g, '_');
    if (key in data)
      throw new EnvironmentError(
        `agent bundle: files ${rel} and another map to the same ConfigMap key ${key}`,
      );
    data[key] = content;
    items.push({ key, path: rel });
    size += Buffer.byteLength(content) + key.length;
  }
  if (size > CONFIGMAP_LIMIT) {
    throw new EnvironmentError(`the agent bundle is ${size} bytes, more than a ConfigMap holds (1 MiB)`);
  }
  return { entry: relOf(entryFile), data, items };
}
