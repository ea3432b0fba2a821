/**
 * Where the repository is, for tests that read fixtures, docs or the upstream files, or spawn the
 * built CLI. Tests run from dist/test/<folder…>/, at different depths, so each computing its way up
 * from its own file broke whenever a test moved; this one file knows its depth (dist/test/helpers/).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A path inside the repository (source tree, not dist/). */
export const repoPath = (...parts: string[]): string => path.join(REPO_ROOT, ...parts);

/** The built CLI entry point. */
export const CLI_MAIN = repoPath('dist/src/cli/main.js');

/**
 * The shared upstream files (Calico, Cilium, network-policy-api; never copied into the project):
 * `$CNIBENCH_UPSTREAM` when set, else `../shared/upstream` beside the repository, else — for a clone
 * of a local checkout (`git clone /work/main /tmp/x`, as a clean-clone CI run makes) — beside the
 * checkout it was cloned from. Where none exists the tests that need them say so (and fail in CI).
 */
export const UPSTREAM_ROOT = upstreamRoot();

function upstreamRoot(): string {
  const fromEnv = process.env.CNIBENCH_UPSTREAM;
  if (fromEnv) return path.resolve(fromEnv);
  const beside = path.resolve(REPO_ROOT, '../shared/upstream');
  if (existsSync(beside)) return beside;
  const origin = cloneOrigin();
  const besideOrigin = origin && path.resolve(origin, '../shared/upstream');
  return besideOrigin && existsSync(besideOrigin) ? besideOrigin : beside;
}

/** The local directory this repository was cloned from, if it was cloned from one. */
function cloneOrigin(): string | undefined {
  try {
    const url = execFileSync('git', ['-C', REPO_ROOT, 'remote', 'get-url', 'origin'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const dir = url.startsWith('file://') ? fileURLToPath(url) : url;
    return path.isAbsolute(dir) ? dir : undefined;
  } catch {
    return undefined; // not a git checkout, or no origin: only the places above count
  }
}
