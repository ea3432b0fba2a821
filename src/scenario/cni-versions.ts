/**
 * The shape of a CNI's support matrix — which releases a scenario may name, what each minor changes for
 * cnibench, and from which release a feature exists — and the rules every matrix is read by. The
 * matrices themselves live with their CNI (src/cni/<name>/versions.ts) and reach scenario validation
 * through the CNI descriptors the loader is given (cni-descriptor.ts): this room knows no CNI by name.
 */
import { InputError } from '../util/errors.js';

/** [major, minor, patch] of "v3.29.1" or "1.16.5" ([0,0,0] for anything else). */
function versionParts(version: string): [number, number, number] {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

/** a − b by major, minor, patch: negative when a is older. */
export function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

const versionAtLeast = (version: string, since: string): boolean => compareVersions(version, since) >= 0;

/** One minor release line the installers support. */
interface SupportedMinor {
  /** "v3.32" or "1.20". */
  minor: string;
  /** Newest patch release of the line when the matrix was last reviewed, with its date. */
  newest: string;
  newestDate: string;
  /** What this minor changes for cnibench, relative to the previous one. */
  changes: string[];
}

/** A version-dependent capability: present from `since` (a release, patch included) on. */
export interface Feature {
  since: string;
  /** What it is, in the terms of the project's artifacts. */
  what: string;
  /** Last release that has it, when a later one removed it. */
  until?: string;
}

export interface CniMatrix {
  cni: string;
  project: string;
  /** Where `newest` and the dates were read. */
  source: string;
  asOf: string;
  minors: SupportedMinor[];
}

const minorOf = (version: string) => {
  const [a, b] = versionParts(version);
  return `${a}.${b}`;
};

/** "v3.28 to v3.32": the range a matrix covers. */
export function supportedRange(m: CniMatrix): string {
  return `${m.minors[0]?.minor ?? '?'} to ${m.minors.at(-1)?.minor ?? '?'}`;
}

/** The minor line of `version`, or undefined when it is outside the matrix. */
function supportedMinor(m: CniMatrix, version: string): SupportedMinor | undefined {
  return m.minors.find((x) => minorOf(x.minor.concat('.0')) === minorOf(version));
}

/** Why `version` cannot be used, or undefined when it is in the matrix. */
export function unsupportedVersion(m: CniMatrix, version: string): string | undefined {
  if (supportedMinor(m, version)) return undefined;
  return `${m.cni} ${version} is outside the supported range: cnibench supports ${m.project} ${supportedRange(m)} (newest ${m.minors.at(-1)?.newest ?? '?'}); \`cnibench cni versions\` lists what each version changes`;
}

/** Refuses (exit 2) a version outside the matrix. */
export function assertSupported(m: CniMatrix, version: string): void {
  const why = unsupportedVersion(m, version);
  if (why) throw new InputError(why);
}

/** Whether `version` has the feature. */
export function hasFeature(f: Feature, version: string): boolean {
  return (
    versionAtLeast(version, f.since) && (f.until === undefined || compareVersions(version, f.until) <= 0)
  );
}

/** The newest supported release of a CNI (what a candidate without a version gets). */
export function newestSupported(m: CniMatrix): string {
  return m.minors.at(-1)?.newest ?? '';
}
