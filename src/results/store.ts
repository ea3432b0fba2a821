/**
 * The results directory of one run. Every update rewrites results.json atomically (temp file, fsync,
 * rename), so a run killed at any moment leaves the last complete state on disk and `--resume` can
 * continue from it.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  writeSync,
  existsSync,
} from 'node:fs';
import path from 'node:path';
import { InputError, messageOf } from '../util/errors.js';
import { readOrigin, type LegacyFields } from './origin.js';
import { READABLE_SCHEMA_VERSIONS, RESULTS_SCHEMA_VERSION, type ResultsFile } from './schema.js';

/** A sortable, unique run id: 20261124-221503-a1b2c3. The last 6 hex digits name the run's objects. */
export function newRunId(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}-${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

/** The short id that goes into the names of network namespaces, links and Kubernetes objects. */
export function shortRunId(runId: string): string {
  return runId.slice(-6);
}

export class ResultsStore {
  private constructor(
    readonly dir: string,
    private current: ResultsFile,
  ) {}

  get file(): string {
    return path.join(this.dir, 'results.json');
  }

  get data(): Readonly<ResultsFile> {
    return this.current;
  }

  static create(resultsRoot: string, initial: ResultsFile): ResultsStore {
    const dir = path.join(resultsRoot, initial.runId);
    if (existsSync(path.join(dir, 'results.json')))
      throw new InputError(`${dir}: a run with this id already exists`);
    mkdirSync(dir, { recursive: true });
    const store = new ResultsStore(dir, initial);
    store.flush();
    return store;
  }

  /** Opens an existing run directory (for --resume, report and compare). */
  static open(dirOrFile: string): ResultsStore {
    const file = dirOrFile.endsWith('.json') ? dirOrFile : path.join(dirOrFile, 'results.json');
    return new ResultsStore(path.dirname(file), readResultsFile(file));
  }

  /** Applies a change and writes the whole file atomically. */
  update(change: (r: ResultsFile) => void): void {
    const next = structuredClone(this.current);
    change(next);
    this.current = next;
    this.flush();
  }

  private flush(): void {
    writeFileAtomic(this.file, `${JSON.stringify(this.current, null, 2)}\n`);
  }
}

/**
 * Reads a results file, given as a run directory (results/<run-id>) or its results.json. Every stage
 * that reads results (resume, compare, report) comes through here, so they refuse the same files with
 * the same messages.
 */
export function readResultsFile(dirOrFile: string): ResultsFile {
  let file = dirOrFile;
  try {
    if (statSync(dirOrFile).isDirectory()) file = path.join(dirOrFile, 'results.json');
  } catch {
    throw new InputError(
      `${dirOrFile}: no such file or directory (expected results/<run-id> or its results.json)`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${file}: no results file there (expected results/<run-id>/results.json)`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON (${messageOf(err)})`);
  }
  const r = parsed as (Partial<ResultsFile> & LegacyFields) | null;
  if (r === null || typeof r !== 'object') throw new InputError(`${file}: not a cnibench results file`);
  if (typeof r.schemaVersion !== 'number' || !READABLE_SCHEMA_VERSIONS.includes(r.schemaVersion)) {
    throw new InputError(
      `${file}: results schemaVersion ${String(r.schemaVersion)} is not supported (this cnibench reads ${READABLE_SCHEMA_VERSIONS.slice(0, -1).join(', ')} and ${String(READABLE_SCHEMA_VERSIONS.at(-1))}; it writes ${RESULTS_SCHEMA_VERSION})`,
    );
  }
  const origin = readOrigin(r);
  if (!Array.isArray(r.candidates) || !origin || !r.provenance) {
    throw new InputError(
      `${file}: not a cnibench results file (expected origin (or scenario), provenance and a candidates list)`,
    );
  }
  // Older files name their scenario at the top level: read into `origin`, the one shape readers see.
  const { scenarioFile: _file, scenario: _scenario, ...rest } = r;
  return { ...rest, origin } as ResultsFile;
}

/** Writes via a temp file in the same directory, fsyncs, and renames over the target. */
function writeFileAtomic(file: string, content: string | Buffer): void {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`,
  );
  const fd = openSync(tmp, 'w');
  try {
    if (typeof content === 'string') writeSync(fd, content);
    else writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
