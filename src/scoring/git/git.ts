/**
 * The one way cnibench runs `git` on a repository: a process per question (never one per commit),
 * its output streamed line by line. A missing `git`, a path that is not a repository and a failing
 * command become one-line errors with the exit code they deserve.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { EnvironmentError, InputError } from '../../util/errors.js';

/** Runs `git -C repo ...args`, calling onLine for every output line as it arrives. */
export function gitLines(
  repo: string,
  args: readonly string[],
  onLine: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', repo, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4000) stderr += d.toString();
    });
    const rl = createInterface({ input: child.stdout, crlfDelay: Infinity });
    rl.on('line', onLine);
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'ENOENT'
          ? new EnvironmentError(
              'git is not installed (apt-get install git): facts measure reads history with it',
            )
          : err,
      );
    });
    child.on('close', (code) => {
      rl.close();
      if (code === 0) resolve();
      else {
        const first = stderr.trim().split('\n')[0] ?? '';
        reject(new InputError(`${repo}: git ${args[0] ?? ''} failed: ${first || `exit ${code}`}`));
      }
    });
  });
}

/** The whole output of a git command (small outputs only). */
export async function gitText(repo: string, args: readonly string[]): Promise<string> {
  const lines: string[] = [];
  await gitLines(repo, args, (l) => lines.push(l));
  return lines.join('\n');
}
