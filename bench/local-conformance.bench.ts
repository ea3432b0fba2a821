/**
 * Local conformance benchmark: the whole built-in suite (NetworkPolicy and the admin tier, TCP and
 * UDP probes) on the embedded local cluster, per profile, timed end to end (cluster creation, every
 * case, clean-up). Target: ≤ 120 s per profile on a 2-core machine. tinybench is not used here: one suite run is the sample, and a
 * few are enough (each takes tens of seconds).
 *
 * Run alone: `node dist/bench/local-conformance.bench.js [--profile routed|vxlan] [--runs N]` (root;
 * exit 1 when a case fails or the target is missed). The lead's bench/run.ts calls
 * runLocalConformanceBench().
 */
import { pathToFileURL } from 'node:url';
import { LocalDriver } from '../src/cluster/local/driver.js';
import { newRunId } from '../src/cluster/local/names.js';
import type { LocalNetworkMode } from '../src/cluster/local/topology.js';
import { builtinSuite, filterByTags, isAdminTierCase } from '../src/netpol/suite/index.js';
import { medianOf } from '../src/stats/quantile.js';
import { runConformance } from '../src/workloads/conformance/run.js';

export interface LocalConformanceBenchOptions {
  profiles?: LocalNetworkMode[];
  /** Suite runs per profile; default 1. */
  runs?: number;
  /** Seconds a suite run may take; default 120. */
  targetSeconds?: number;
  log?: (line: string) => void;
}

export interface LocalConformanceRun {
  profile: LocalNetworkMode;
  cases: number;
  passed: number;
  failed: number;
  skipped: number;
  probes: number;
  /** Cluster creation + suite + clean-up. */
  totalSeconds: number;
  /** runConformance alone. */
  suiteSeconds: number;
  medianCaseMs: number;
  medianProgrammingLatencyMs: number | null;
  /** Admin-tier cases among `cases`, and the seconds they took (sum of their case durations). */
  adminCases: number;
  adminSeconds: number;
}

export interface LocalConformanceBenchReport {
  targetSeconds: number;
  runs: LocalConformanceRun[];
  ok: boolean;
}

function median(xs: number[]): number | null {
  return xs.length === 0 ? null : medianOf(xs);
}

export async function runLocalConformanceBench(
  opts: LocalConformanceBenchOptions = {},
): Promise<LocalConformanceBenchReport> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const targetSeconds = opts.targetSeconds ?? 120;
  const cases = filterByTags(builtinSuite(), { protocols: ['TCP', 'UDP'] });
  const runs: LocalConformanceRun[] = [];
  for (const profile of opts.profiles ?? (['routed', 'vxlan'] as LocalNetworkMode[])) {
    for (let i = 0; i < (opts.runs ?? 1); i++) {
      const driver = new LocalDriver({ runId: newRunId(), mode: profile });
      await driver.preflight();
      const t0 = performance.now();
      let suiteMs: number;
      try {
        const s0 = performance.now();
        const result = await runConformance(driver, cases, {
          probeTimeoutMs: 1000,
          convergenceTimeoutMs: 10_000,
          concurrency: 64,
          protocols: ['TCP', 'UDP'],
        });
        suiteMs = performance.now() - s0;
        await driver.cleanup();
        const run: LocalConformanceRun = {
          profile,
          cases: result.cases,
          passed: result.passed,
          failed: result.failed,
          skipped: result.skipped,
          probes: result.caseResults.reduce((n, c) => n + c.probes, 0),
          totalSeconds: round((performance.now() - t0) / 1000),
          suiteSeconds: round(suiteMs / 1000),
          medianCaseMs: median(result.caseResults.map((c) => c.durationMs)) ?? 0,
          medianProgrammingLatencyMs: median(
            result.caseResults.flatMap((c) =>
              c.programmingLatencyMs === null ? [] : [c.programmingLatencyMs],
            ),
          ),
          adminCases: result.caseResults.filter((c) => isAdminTierCase(c.tags)).length,
          adminSeconds: round(
            result.caseResults.filter((c) => isAdminTierCase(c.tags)).reduce((n, c) => n + c.durationMs, 0) /
              1000,
          ),
        };
        runs.push(run);
        log(
          `local-conformance ${profile}: ${run.cases} cases (${run.passed} pass, ${run.failed} fail, ` +
            `${run.skipped} skip), ${run.probes} probes in ${run.totalSeconds} s total ` +
            `(suite ${run.suiteSeconds} s, of which ${run.adminCases} admin-tier cases ${run.adminSeconds} s; ` +
            `median case ${run.medianCaseMs} ms, median programming latency ${run.medianProgrammingLatencyMs} ms)`,
        );
      } finally {
        await driver.cleanup();
      }
    }
  }
  const ok = runs.every((r) => r.failed === 0 && r.totalSeconds <= targetSeconds);
  return { targetSeconds, runs, ok };
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const profile = arg('profile') as LocalNetworkMode | undefined;
  runLocalConformanceBench({
    profiles: profile ? [profile] : undefined,
    runs: arg('runs') ? Number(arg('runs')) : undefined,
  }).then(
    (report) => {
      process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      process.exitCode = report.ok ? 0 : 1;
    },
    (err: unknown) => {
      process.stderr.write(`local-conformance bench: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
