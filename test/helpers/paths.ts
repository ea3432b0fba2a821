/**
 * Where the repository is, for tests that read fixtures, docs or the upstream files, or spawn the
 * built CLI. Tests run from dist/test/<folder…>/, at different depths, so each computing its way up
 * from its own file broke whenever a test moved; this one file knows its depth (dist/test/helpers/).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A path inside the repository (source tree, not dist/). */
export const repoPath = (...parts: string[]): string => path.join(REPO_ROOT, ...parts);

/** The built CLI entry point. */
export const CLI_MAIN = repoPath('dist/src/cli/main.js');

/** The shared upstream files (Calico, Cilium, network-policy-api), beside the repository. */
export const UPSTREAM_ROOT = path.resolve(REPO_ROOT, '../shared/upstream');
