/**
 * Small git repositories the tests build themselves: commits with chosen authors and dates, tags,
 * a few files. SYNTHETIC history: nothing here was read from a real project.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface CommitSpec {
  /** ISO date-time (UTC), used as author and committer date. */
  at: string;
  name: string;
  email: string;
  /** Files written (path → contents) before this commit. */
  files?: Record<string, string>;
  /** Tags on this commit: lightweight, or annotated (dated by this commit's date). */
  tags?: Array<string | { name: string; annotated: true }>;
}

export function git(repo: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync('git', ['-C', repo, ...args], {
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo, ...env },
    encoding: 'utf8',
  });
}

export function makeRepo(commits: CommitSpec[]): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'cnibench-git-'));
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['config', 'user.name', 'Test Runner']);
  git(repo, ['config', 'user.email', 'runner@example.test']);
  git(repo, ['config', 'commit.gpgsign', 'false']);
  git(repo, ['config', 'tag.gpgsign', 'false']);
  for (const [i, c] of commits.entries()) {
    for (const [f, text] of Object.entries(c.files ?? {})) {
      mkdirSync(path.dirname(path.join(repo, f)), { recursive: true });
      writeFileSync(path.join(repo, f), text);
    }
    git(repo, ['add', '-A']);
    const env = {
      GIT_AUTHOR_NAME: c.name,
      GIT_AUTHOR_EMAIL: c.email,
      GIT_AUTHOR_DATE: c.at,
      GIT_COMMITTER_NAME: c.name,
      GIT_COMMITTER_EMAIL: c.email,
      GIT_COMMITTER_DATE: c.at,
    };
    git(repo, ['commit', '-q', '--allow-empty', '-m', `commit ${i}`], env);
    for (const t of c.tags ?? []) {
      if (typeof t === 'string') git(repo, ['tag', t], env);
      else git(repo, ['tag', '-a', t.name, '-m', `release ${t.name}`], env);
    }
  }
  return repo;
}
