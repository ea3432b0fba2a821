/**
 * Reading the values.yaml of a Cilium chart that is on disk (a cached or local .tgz as `helm pull`
 * leaves it, or an unpacked chart directory), so a plan can name the exact images the chart pins.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { parse } from 'yaml';
import { InputError, messageOf } from '../../util/errors.js';

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The text of `<chart>/values.yaml` inside a packaged chart (the first top-level directory's). */
async function valuesFromTgz(file: string): Promise<string | undefined> {
  const tar = extract();
  createReadStream(file).pipe(createGunzip()).pipe(tar);
  for await (const entry of tar) {
    if (/^[^/]+\/values\.yaml$/.test(entry.header.name)) {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    }
    entry.resume();
  }
  return undefined;
}

/** The chart's default values, or undefined when the location holds no readable chart. */
export async function readChartValues(location: string): Promise<Record<string, unknown> | undefined> {
  if (!existsSync(location)) return undefined;
  let text: string | undefined;
  try {
    text = statSync(location).isDirectory()
      ? existsSync(join(location, 'values.yaml'))
        ? readFileSync(join(location, 'values.yaml'), 'utf8')
        : undefined
      : await valuesFromTgz(location);
  } catch (err) {
    throw new InputError(`${location}: not a readable Helm chart (${messageOf(err)})`);
  }
  if (text === undefined) return undefined;
  const values: unknown = parse(text);
  return isObject(values) ? values : undefined;
}
