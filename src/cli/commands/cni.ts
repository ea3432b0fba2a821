/**
 * `cnibench cni fetch calico|cilium --version V [--from URL|FILE]`: download a release's operator
 * manifest or Helm chart into the cache (~/.cache/cnibench or $CNIBENCH_CACHE), on a connected machine,
 * so runs on machines without internet can use it. `cnibench cni cache` lists what is cached.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandModule } from 'yargs';
import { cacheRoot, fetchToCache, readCacheEntry, type CacheKey } from '../../cni/cache.js';
import { calicoCacheKey, calicoManifestUrl } from '../../cni/calico/release.js';
import { ciliumCacheKey, ciliumChartUrl } from '../../cni/cilium/release.js';
import { collectImages, parseManifest } from '../../cni/manifest.js';
import { InputError } from '../../util/errors.js';

interface FetchArgs {
  cni: string;
  version: string;
  from?: string;
}

const VERSION = /^v?\d+\.\d+\.\d+$/;

const fetchCmd: CommandModule<object, FetchArgs> = {
  command: 'fetch <cni>',
  describe: 'Download the Calico operator manifest or the Cilium chart of a version into the cache',
  // The brief's flag is --version, which yargs reserves for the program version: free it here.
  builder: (y) =>
    y
      .version(false)
      .positional('cni', { type: 'string', choices: ['calico', 'cilium'], demandOption: true })
      .option('version', {
        type: 'string',
        demandOption: true,
        describe: 'pinned release, e.g. v3.29.1 or 1.16.5',
      })
      .option('from', {
        type: 'string',
        describe: 'mirror URL or local file instead of the upstream release',
      }) as never,
  handler: async (argv) => {
    if (!VERSION.test(argv.version))
      throw new InputError(`--version: expected a pinned version like v3.29.1, got "${argv.version}"`);
    const root = cacheRoot();
    const key: CacheKey = argv.cni === 'calico' ? calicoCacheKey(argv.version) : ciliumCacheKey(argv.version);
    const from =
      argv.from ?? (argv.cni === 'calico' ? calicoManifestUrl(argv.version) : ciliumChartUrl(argv.version));
    const entry = await fetchToCache(root, key, from);
    let summary = `${entry.bytes} bytes`;
    if (argv.cni === 'calico') {
      // Refuse to leave something unusable in the cache (an HTML error page, a truncated file).
      const objects = parseManifest(readFileSync(entry.path, 'utf8'), entry.path);
      const images = [...new Set(collectImages(objects))];
      summary += `, ${objects.length} objects, images: ${images.join(', ') || 'none'}`;
    }
    process.stdout.write(
      `cached ${argv.cni} ${key.version} from ${entry.origin}\n  ${entry.path}\n  sha256 ${entry.sha256} (${summary})\n`,
    );
  },
};

const cacheCmd: CommandModule<object, object> = {
  command: 'cache',
  describe: 'List the cached CNI manifests and charts',
  handler: () => {
    const root = cacheRoot();
    const rows: string[] = [];
    for (const cni of ['calico', 'cilium']) {
      const dir = join(root, cni);
      if (!existsSync(dir)) continue;
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

const cni: CommandModule<object, object> = {
  command: 'cni <command>',
  describe: 'Manage the CNI release cache (for sites without internet)',
  builder: (y) => y.command(fetchCmd).command(cacheCmd).demandCommand(1),
  handler: () => undefined,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [cni];
