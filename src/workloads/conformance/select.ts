/**
 * What a conformance workload of a scenario runs: its cases (the built-in suite narrowed by its tags,
 * protocols and maxCases) and the options of runConformance. `cnibench run` and `cnibench check` both
 * read a workload through here, so the same workload selects the same cases in either.
 */
import { builtinSuite, filterByTags } from '../../netpol/suite/index.js';
import type { PolicyCase } from '../../netpol/types.js';
import type { Workload } from '../../scenario/schema.js';
import type { ConformanceOptions } from './run.js';

export type ConformanceWorkload = Extract<Workload, { kind: 'conformance' }>;

export function selectCases(w: ConformanceWorkload, suite: PolicyCase[] = builtinSuite()): PolicyCase[] {
  const cases = filterByTags(suite, { tags: w.tags, excludeTags: w.excludeTags, protocols: w.protocols });
  return w.maxCases > 0 ? cases.slice(0, w.maxCases) : cases;
}

/** runConformance's options for this workload; `concurrency` is the cluster's probeConcurrency. */
export function conformanceOptions(
  w: ConformanceWorkload,
  concurrency: number,
): Pick<ConformanceOptions, 'probeTimeoutMs' | 'convergenceTimeoutMs' | 'concurrency' | 'protocols'> {
  return {
    probeTimeoutMs: w.probeTimeout * 1000,
    convergenceTimeoutMs: w.convergenceTimeout * 1000,
    concurrency,
    protocols: w.protocols,
  };
}
