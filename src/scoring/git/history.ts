/**
 * Reading a repository's history for `facts measure`: every commit reachable from the as-of commit
 * in one streamed `git log`, every tag in one `git for-each-ref`. Nothing here interprets the data.
 */
import { gitLines, gitText } from './git.js';

export interface CommitRecord {
  /** Committer time (when it landed on the branch), seconds since the epoch. */
  time: number;
  /** Author name and e-mail, after the repository's .mailmap. */
  name: string;
  email: string;
}

export interface TagRecord {
  name: string;
  /** Tagger time of an annotated tag, else the tagged commit's committer time (seconds). */
  time: number;
  annotated: boolean;
  signed: boolean;
}

export interface RepositoryHistory {
  /** The commit measured (the newest commit at or before the as-of date). */
  commit: string;
  commitTime: number;
  shallow: boolean;
  commits: CommitRecord[];
  tags: TagRecord[];
  /** Where the repository came from, when it says so (remote.origin.url), else null. */
  origin: string | null;
}

const SEP = '\x1f';

export interface ReadOptions {
  /** Measure as of this instant: the newest commit of HEAD at or before it. Default: HEAD. */
  asOf?: Date;
  /** Called every `every` commits read, and once at the end. */
  onProgress?: (commitsRead: number) => void;
  every?: number;
}

export async function readHistory(repo: string, opts: ReadOptions = {}): Promise<RepositoryHistory> {
  // Fails with a clear line when `repo` is not a repository.
  const shallow = (await gitText(repo, ['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  const rev = opts.asOf
    ? (await gitText(repo, ['rev-list', '-1', `--before=${opts.asOf.toISOString()}`, 'HEAD'])).trim()
    : (await gitText(repo, ['rev-parse', 'HEAD'])).trim();
  if (rev === '') return { commit: '', commitTime: 0, shallow, commits: [], tags: [], origin: null };
  const commitTime = Number((await gitText(repo, ['show', '-s', '--format=%ct', rev])).trim());
  const commits: CommitRecord[] = [];
  const every = opts.every ?? 10_000;
  await gitLines(
    repo,
    ['log', '--no-merges', '--use-mailmap', `--format=%ct${SEP}%aN${SEP}%aE`, rev],
    (line) => {
      const [t, name, email] = line.split(SEP);
      if (t === undefined || name === undefined || email === undefined) return;
      commits.push({ time: Number(t), name, email: email.toLowerCase() });
      if (commits.length % every === 0) opts.onProgress?.(commits.length);
    },
  );
  opts.onProgress?.(commits.length);
  const tags: TagRecord[] = [];
  await gitLines(
    repo,
    [
      'for-each-ref',
      `--format=%(refname:strip=2)${SEP}%(objecttype)${SEP}%(creatordate:unix)${SEP}%(if)%(contents:signature)%(then)signed%(else)-%(end)`,
      'refs/tags',
    ],
    (line) => {
      const [name, type, time, sig] = line.split(SEP);
      if (name === undefined || time === undefined || time === '') return;
      tags.push({ name, time: Number(time), annotated: type === 'tag', signed: sig === 'signed' });
    },
  );
  let origin: string | null;
  try {
    origin = (await gitText(repo, ['config', '--get', 'remote.origin.url'])).trim() || null;
  } catch {
    origin = null; // no remote configured: a local repository, named by its path
  }
  return { commit: rev, commitTime, shallow, commits, tags, origin };
}

/** Every path in the tree of `commit`. */
export async function treePaths(repo: string, commit: string): Promise<string[]> {
  const out: string[] = [];
  await gitLines(repo, ['ls-tree', '-r', '--name-only', commit], (l) => out.push(l));
  return out;
}

/** The contents of a few files at `commit` (one `git show` each: callers ask for a handful). */
export async function fileContents(
  repo: string,
  commit: string,
  paths: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const p of paths) {
    // git show is one process per file; the callers ask for a handful (licenses, workflows).
    out.set(p, await gitText(repo, ['show', `${commit}:${p}`]));
  }
  return out;
}

/** Paths at `commit` whose contents match a pattern (one `git grep`). */
export async function grepPaths(
  repo: string,
  commit: string,
  pattern: string,
  pathspec: string[],
): Promise<string[]> {
  const out: string[] = [];
  try {
    await gitLines(repo, ['grep', '-l', '-E', pattern, commit, '--', ...pathspec], (l) =>
      out.push(l.slice(commit.length + 1)),
    );
  } catch {
    // git grep exits 1 when nothing matches
  }
  return out;
}
