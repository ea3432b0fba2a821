/**
 * What a scenario file may name beyond the built-in local profiles — the real-cluster CNIs and the
 * throughput tools — as data the scenario room can read without knowing any of them. The CNIs and tools
 * live in rooms above this one (src/cni/<name>/, src/workloads/tools/); their registries hand these
 * descriptors down to the loader (load.ts), so the schema's `cni` and `tool` choices, the version matrix
 * and the settings each CNI accepts come from the registries, and no import runs back up.
 */
import type { z } from 'zod';
import { hasFeature, type CniMatrix, type Feature } from './cni-versions.js';

/** A problem with a candidate's settings, at a field below `settings`. */
export interface SettingsProblem {
  /** The field below `candidates[i].settings` ([] for the settings object itself). */
  path: (string | number)[];
  message: string;
}

/** A real-cluster CNI as a scenario sees it: its name, its settings and its support matrix. */
export interface CniDescriptor<S extends Record<string, unknown> = Record<string, unknown>> {
  /** The candidate's `cni` value ("calico"). */
  readonly name: string;
  /** How people write it ("Calico"), for labels and reports. */
  readonly title: string;
  /** The candidate's `settings`: a strict object whose fields all have defaults or are optional. */
  readonly settings: z.ZodType<S>;
  /** An example of a pinned version, for the error message on a malformed one ("v3.32.1"). */
  readonly versionExample: string;
  /** The releases cnibench supports (`cnibench cni versions` prints it). */
  readonly matrix: CniMatrix;
  /** Version-dependent capabilities, by name. */
  readonly features: Readonly<Record<string, Feature>>;
  /** Settings the candidate's version (or its other settings) rule out; the version is in the matrix. */
  checkSettings?(settings: S, version: string): SettingsProblem[];
}

/** The protocol a throughput test sends. */
type ThroughputProtocol = 'TCP' | 'UDP';

/** A throughput tool as a scenario sees it: its name and which tests it can run. */
export interface ThroughputToolDescriptor {
  /** The workload's `tool` value ("iperf3"). */
  readonly name: string;
  /** Why the tool cannot run a test with this protocol, or undefined when it can. */
  isSupported(test: { protocol: ThroughputProtocol }): string | undefined;
}

/** Everything a scenario may name that a registry above this room declares. */
export interface ScenarioExtensions {
  readonly cnis: readonly CniDescriptor[];
  /** The first is the default of `tool`. */
  readonly throughputTools: readonly ThroughputToolDescriptor[];
}

/** A setting that needs `f`, which `version` does not have: one problem at `settings.<setting>`. */
export function featureProblem(cni: string, setting: string, f: Feature, version: string): SettingsProblem[] {
  return hasFeature(f, version)
    ? []
    : [
        {
          path: [setting],
          message: `needs ${cni} ${f.since} or later (${f.what}); ${version} does not have it`,
        },
      ];
}
