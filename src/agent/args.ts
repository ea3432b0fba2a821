/**
 * The agent's command-line parsing, for every mode: `node:util` `parseArgs` (strict: an unknown flag or
 * a missing value is an error, never silently ignored) plus the number checks the modes share. The
 * agent runs in pods from one bundled file, so it uses nothing outside Node's standard library.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** Bad command-line input; main.ts prints the message and exits 2. */
export class UsageError extends Error {}

/** Parses `--flag value` / `--flag` arguments of one mode; positional arguments are refused. */
export function parseFlags<const O extends ParseArgsOptionsConfig>(mode: string, args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    throw new UsageError(`${mode}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * A non-negative number flag (`--port 7001`), or `def` when it is absent. Without a default the flag
 * is required.
 */
export function numberFlag(
  mode: string,
  value: string | undefined,
  name: string,
  def?: number,
  check: { positive?: boolean; integer?: boolean } = {},
): number {
  if (value === undefined) {
    if (def === undefined) throw new UsageError(`${mode}: missing --${name}`);
    return def;
  }
  const n = Number(value);
  const ok =
    value.trim() !== '' &&
    Number.isFinite(n) &&
    n >= 0 &&
    (!check.positive || n > 0) &&
    (!check.integer || Number.isInteger(n));
  if (!ok) {
    const what = `${check.positive ? 'a positive' : 'a non-negative'} ${check.integer ? 'whole number' : 'number'}`;
    throw new UsageError(`${mode}: --${name}: expected ${what}, got "${value}"`);
  }
  return n;
}

/** A required string flag. */
export function stringFlag(mode: string, value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`${mode}: missing --${name}`);
  return value;
}
