/** Running the real `cnibench` executable in a child process, and snapshots of the machine's network state. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { PROJECT_ROOT } from '../../src/util/version.js';

export const CLI = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Called with stderr as it grows; return a signal to send it once. */
  interruptWhen?: (stderr: string) => NodeJS.Signals | undefined;
  timeoutMs?: number;
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const sig = !sent ? opts.interruptWhen?.(stderr) : undefined;
      if (sig) {
        sent = true;
        child.kill(sig);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Network namespaces and nft tables of the host whose names contain `needle`. */
export function networkObjects(needle: string): string[] {
  const netns = execFileSync('ip', ['netns', 'list']).toString().split('\n');
  const tables = execFileSync('nft', ['list', 'tables']).toString().split('\n');
  return [...netns, ...tables].map((l) => l.trim()).filter((l) => l.includes(needle));
}

/** The run id a `cnibench run` announced, and the object id (cnb-xxxxxx) its namespaces carry. */
export function runIds(stderr: string): { runId: string; objectId: string } {
  const m = /run (\d{8}-\d{6}-([0-9a-f]{6})): results in/.exec(stderr);
  const [, runId, id] = m ?? [];
  if (runId === undefined || id === undefined) throw new Error(`no run id in the output:\n${stderr}`);
  return { runId, objectId: `cnb-${id}` };
}

/** A scenario written to a fresh temporary directory: the file (`<name>.yaml`) and its directory. */
export function writeScenario(doc: { name: string } & Record<string, unknown>): {
  dir: string;
  file: string;
} {
  const dir = mkdtempSync(path.join(tmpdir(), `cnibench-${doc.name}-`));
  const file = path.join(dir, `${doc.name}.yaml`);
  writeFileSync(file, stringify(doc));
  return { dir, file };
}

/** The routed local profile alone. */
export const ROUTED = [{ name: 'routed', cni: 'local-routed' }];
