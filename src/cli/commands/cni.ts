/**
 * `cnibench cni versions`: the support matrix of every registered CNI (which releases cnibench installs,
 * and what each minor changes). `cnibench cni fetch <cni> --version V [--from DIR|URL|FILE]`:
 * download every file a release needs (manifests, chart, CRDs) into the cache (~/.cache/cnibench or
 * $CNIBENCH_CACHE) on a connected machine, so runs on machines without internet can use it.
 * `cnibench cni cache` lists what is cached.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { CommandModule } from 'yargs';
import { defineCommand } from '../command.js';
import { cacheRoot, fetchToCache, isUrl, readCacheEntry } from '../../cni/cache.js';
import { collectImages, parseManifest } from '../../cni/manifest.js';
import type { ReleaseFile } from '../../cni/release-file.js';
import { cniNames, installerFor, installers } from '../../cni/registry.js';
import { assertSupported, supportedRange } from '../../scenario/cni-versions.js';
import { InputError } from '../../util/errors.js';

const VERSION = /^v?\d+\.\d+\.\d+$/;

/** Where to take `file` from with `--from`: a directory or URL prefix holds every file by name. */
function sourceOf(file: ReleaseFile, from: string | undefined, all: ReleaseFile[]): string {
  if (from === undefined) return file.url;
  const isBase = from.endsWith('/') || (!isUrl(from) && existsSync(from) && statSync(from).isDirectory());
  if (isBase) return isUrl(from) ? `${from}${file.key.file}` : join(from, file.key.file);
  const named = all.find((f) => f.key.file === basename(from.split('?')[0] ?? from));
  if (!named && all.length === 1) return from;
  if (!named)
    throw new InputError(
      `--from ${from}: this release needs ${all.map((f) => f.key.file).join(' and ')}; give a directory or URL prefix holding them, or one of these files`,
    );
  return named === file ? from : file.url;
}

const fetchCmd = defineCommand({
  command: 'fetch <cni>',
  describe: 'Download every file a CNI release needs (manifests, chart, CRDs) into the cache',
  // The brief's flag is --version, which yargs reserves for the program version: free it here.
  builder: (y) =>
    y
      .version(false)
      .positional('cni', { type: 'string', choices: cniNames(), demandOption: true })
      .option('version', {
        type: 'string',
        demandOption: true,
        describe: 'pinned release, e.g. v3.32.1 or 1.20.0 (see cnibench cni versions)',
      })
      .option('from', {
        type: 'string',
        describe: 'a mirror: directory or URL prefix holding the release files, or one of the files',
      }),
  handler: async (argv) => {
    if (!VERSION.test(argv.version))
      throw new InputError(`--version: expected a pinned version like v3.32.1, got "${argv.version}"`);
    const installer = installerFor(argv.cni);
    assertSupported(installer.matrix, argv.version);
    const root = cacheRoot();
    const files = installer.releaseFiles(argv.version);
    const lines: string[] = [];
    for (const file of files) {
      const entry = await fetchToCache(root, file.key, sourceOf(file, argv.from, files));
      let summary = `${entry.bytes} bytes`;
      if (file.text) {
        // Refuse to leave something unusable in the cache (an HTML error page, a truncated file).
        const objects = parseManifest(readFileSync(entry.path, 'utf8'), entry.path);
        const images = [...new Set(collectImages(objects))];
        summary += `, ${objects.length} objects${images.length ? `, images: ${images.join(', ')}` : ''}`;
      }
      lines.push(
        `cached ${file.key.file} (${file.role}) from ${entry.origin}\n  ${entry.path}\n  sha256 ${entry.sha256} (${summary})`,
      );
    }
    process.stdout.write(`${argv.cni} ${argv.version}: ${files.length} file(s)\n${lines.join('\n')}\n`);
  },
});

const cacheCmd: CommandModule<object, object> = {
  command: 'cache',
  describe: 'List the cached CNI manifests, charts and CRDs',
  handler: () => {
    const root = cacheRoot();
    const rows: string[] = [];
    for (const cni of existsSync(root) ? readdirSync(root).sort() : []) {
      const dir = join(root, cni);
      if (!statSync(dir).isDirectory()) continue;
      for (const version of readdirSync(dir).sort()) {
        for (const file of readdirSync(join(dir, version)).filter(
          (f) => !f.endsWith('.source.json') && !f.endsWith('.tmp'),
        )) {
          const e = readCacheEntry(root, { cni, version, file });
          if (e)
            rows.push(`  ${cni} ${version}  ${file}  sha256 ${e.sha256.slice(0, 16)}…  from ${e.origin}`);
        }
      }
    }
    process.stdout.write(
      rows.length ? `${root}:\n${rows.join('\n')}\n` : `${root}: empty (fill it with cnibench cni fetch)\n`,
    );
  },
};

/** The support matrix as text. */
function formatMatrix(): string {
  const out: string[] = [];
  for (const installer of installers()) {
    const m = installer.matrix;
    out.push(`${m.project}: ${supportedRange(m)} (newest patches as of ${m.asOf}, ${m.source})`);
    for (const minor of m.minors) {
      const files = installer.releaseFiles(minor.newest).map((f) => f.key.file);
      out.push(
        `  ${minor.minor.padEnd(6)} newest ${minor.newest} (${minor.newestDate}); files: ${files.join(', ')}`,
      );
      for (const c of minor.changes) out.push(`         - ${c}`);
    }
    out.push('  features by version:');
    for (const [name, f] of Object.entries(installer.features))
      out.push(`    ${name}: since ${f.since}${f.until ? `, until ${f.until}` : ''} (${f.what})`);
    out.push('');
  }
  out.push('A version outside these ranges is refused (exit 2).');
  return `${out.join('\n')}\n`;
}

const versionsCmd = defineCommand({
  command: 'versions',
  describe: 'Print the CNI releases cnibench supports (Calico, Cilium) and what changes between them',
  builder: (y) => y.option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
  handler: (argv) => {
    process.stdout.write(
      argv.json
        ? `${JSON.stringify(
            installers().map((i) => ({ ...i.matrix, features: i.features })),
            null,
            2,
          )}\n`
        : formatMatrix(),
    );
  },
});

const cni = defineCommand({
  command: 'cni <command>',
  describe: 'The supported CNI releases, and the release cache for sites without internet',
  builder: (y) => y.command(versionsCmd).command(fetchCmd).command(cacheCmd).demandCommand(1),
  handler: () => undefined,
});

export const commands = [cni];
