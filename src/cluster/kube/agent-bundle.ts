/**
 * The cnibench agent's code, packed for a ConfigMap so stock Node.js images can run it without a
 * custom image: esbuild bundles the compiled agent entry point and everything it imports into one ES
 * module file (`cnibench-agent.mjs`, runnable by `node` anywhere, no package.json or node_modules
 * beside it). Bundling runs when a driver first needs the agent (a few tens of milliseconds).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { EnvironmentError, messageOf } from '../../util/errors.js';

export interface AgentBundle {
  /** Path of the entry point relative to the mount point (what `node` runs). */
  entry: string;
  /** ConfigMap data: key → file content. */
  data: Record<string, string>;
  /** Volume items: key → relative path. */
  items: Array<{ key: string; path: string }>;
  /** npm packages inside the bundle (the agent should need none; listed so a test can hold that). */
  packages: string[];
}

/** The file name of the bundle in the ConfigMap and under the mount point. */
export const AGENT_BUNDLE_FILE = 'cnibench-agent.mjs';

/** ConfigMaps are limited to 1 MiB in total. */
const CONFIGMAP_LIMIT = 1024 * 1024 - 4096;

/** The default agent entry: dist/src/agent/main.js next to this compiled file. */
function defaultAgentEntry(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../agent/main.js');
}

/** The npm package an esbuild input path belongs to ("node_modules/@scope/name/..." → "@scope/name"). */
function packageOf(input: string): string | undefined {
  const parts = input.split(/[\\/]/);
  const i = parts.lastIndexOf('node_modules');
  if (i < 0) return undefined;
  const first = parts[i + 1] ?? '';
  return first.startsWith('@') ? `${first}/${parts[i + 2] ?? ''}` : first;
}

/** Bundles the agent starting at `entryFile` (compiled JS). */
export function buildAgentBundle(entryFile = defaultAgentEntry()): AgentBundle {
  if (!fs.existsSync(entryFile))
    throw new EnvironmentError(`agent entry ${entryFile} not found (run the build first)`);
  let text: string;
  let inputs: string[];
  try {
    const r = buildSync({
      entryPoints: [entryFile],
      bundle: true,
      platform: 'node',
      format: 'esm',
      // The oldest Node the agent image may carry: the harness's own minimum.
      target: 'node22',
      write: false,
      metafile: true,
      logLevel: 'silent',
      legalComments: 'inline',
    });
    const out = r.outputFiles[0];
    if (!out) throw new Error('esbuild produced no output');
    text = out.text;
    inputs = Object.keys(r.metafile.inputs);
  } catch (err) {
    throw new EnvironmentError(`cannot bundle the agent from ${entryFile}: ${messageOf(err)}`);
  }
  const size = Buffer.byteLength(text) + AGENT_BUNDLE_FILE.length;
  if (size > CONFIGMAP_LIMIT) {
    throw new EnvironmentError(`the agent bundle is ${size} bytes, more than a ConfigMap holds (1 MiB)`);
  }
  const packages = [...new Set(inputs.map(packageOf).filter((p): p is string => p !== undefined))].sort();
  return {
    entry: AGENT_BUNDLE_FILE,
    data: { [AGENT_BUNDLE_FILE]: text },
    items: [{ key: AGENT_BUNDLE_FILE, path: AGENT_BUNDLE_FILE }],
    packages,
  };
}
