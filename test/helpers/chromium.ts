/** Headless Chromium (Debian's /usr/bin/chromium) for tests that open a report as a person would. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const CHROMIUM = '/usr/bin/chromium';

/** Runs Chromium headless with a fresh profile and no background networking; returns its stdout. */
export async function chromium(args: string[]): Promise<string> {
  const profile = mkdtempSync(path.join(tmpdir(), 'cnibench-chromium-'));
  try {
    const { stdout } = await run(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        ...args,
      ],
      { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Loads an HTML report and reads what its inline image check wrote on <body>. */
export async function loadReport(
  file: string,
): Promise<{ dom: string; attr: (name: string) => string | undefined }> {
  const dom = await chromium(['--virtual-time-budget=5000', '--dump-dom', `file://${file}`]);
  return { dom, attr: (name) => new RegExp(`<body[^>]*\\s${name}="([^"]*)"`).exec(dom)?.[1] };
}
