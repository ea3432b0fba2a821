/**
 * `cnibench check scs-0219` against a cluster whose CNI enforces no NetworkPolicy at all (the fake API
 * server of the end-to-end tests with `ignorePolicies`: every probe connects), with the check's
 * defaults: the whole suite (no --max-cases), 4 conformance lanes, 1 s probe timeout, 10 s convergence
 * timeout, the NetworkPolicy canary on (the default). Without the canary
 * (workloads/conformance/networkpolicy-canary.ts) every case expecting a denial is probed for at least
 * two rounds (503 s under load); without the convergence budget (workloads/conformance/budget.ts) each
 * also waits out the 10 s timeout (about 16 minutes); the target is a FAIL within 3 minutes.
 *
 * Run alone: `node dist/bench/check-nonenforcing.bench.js`. bench/run.ts calls runCheckNonEnforcingBench().
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResultsFile } from '../src/results/schema.js';
import { execa } from 'execa';
import { CONTEXT, preinstallCalico, startFakeKind } from '../test/e2e/fake-kind.js';
import { CLI_MAIN } from '../test/helpers/paths.js';

export const CHECK_TARGET_SECONDS = 180;

export interface CheckNonEnforcingResult {
  seconds: number;
  exitCode: number | undefined;
  stdout: string;
  cases: number;
  failed: number;
  cutShort: number;
  /** Failed cases not probed, as the NetworkPolicy canary showed the cluster enforces none. */
  notProbed: number;
  /** Median durations (ms) of the cases that waited out the timeout, were cut short, passed. */
  medianCaseMs: { timedOut: number; cutShort: number; passed: number };
  targetSeconds: number;
  met: boolean;
}

function median(cases: { durationMs: number }[]): number {
  const d = cases.map((c) => c.durationMs).sort((a, b) => a - b);
  return d.length === 0 ? 0 : (d[Math.floor((d.length - 1) / 2)] ?? 0);
}

export async function runCheckNonEnforcingBench(
  log: (line: string) => void = () => {},
): Promise<CheckNonEnforcingResult> {
  const fk = await startFakeKind({ ignorePolicies: true });
  const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'cnibench-check-bench-'));
  try {
    preinstallCalico(fk);
    const started = performance.now();
    // The CLI as the SCS runner starts it; no time limit but the 16 minutes the check took before.
    const r = await execa(
      process.execPath,
      [
        CLI_MAIN,
        'check',
        'scs-0219',
        '-k',
        fk.kubeconfig,
        '--context',
        CONTEXT,
        '--results-dir',
        resultsDir,
        '--quiet',
        '--no-report',
        'kaas-networking-check',
      ],
      { reject: false, cwd: fk.dir, env: { ...process.env, ...fk.env }, timeout: 20 * 60_000 },
    );
    const seconds = (performance.now() - started) / 1000;
    const run = readdirSync(resultsDir)[0] ?? '';
    const results = JSON.parse(
      readFileSync(path.join(resultsDir, run, 'results.json'), 'utf8'),
    ) as ResultsFile;
    const caseResults = results.candidates[0]?.conformance?.caseResults ?? [];
    const out: CheckNonEnforcingResult = {
      seconds,
      exitCode: r.exitCode,
      stdout: String(r.stdout),
      cases: caseResults.length,
      failed: caseResults.filter((c) => c.status === 'fail').length,
      cutShort: caseResults.filter((c) => c.convergenceCutShort !== undefined).length,
      notProbed: caseResults.filter((c) => c.failReason !== undefined).length,
      medianCaseMs: {
        timedOut: median(
          caseResults.filter((c) => c.status === 'fail' && !c.convergenceCutShort && !c.failReason),
        ),
        cutShort: median(caseResults.filter((c) => c.convergenceCutShort)),
        passed: median(caseResults.filter((c) => c.status === 'pass')),
      },
      targetSeconds: CHECK_TARGET_SECONDS,
      met: false,
    };
    out.met =
      seconds <= CHECK_TARGET_SECONDS && r.exitCode === 1 && /kaas-networking-check: FAIL/.test(out.stdout);
    log(
      `check of a non-enforcing cluster: ${seconds.toFixed(1)} s, exit ${r.exitCode}, ${out.failed} of ${out.cases} cases failed (${out.notProbed} not probed after the NetworkPolicy canary, ${out.cutShort} without waiting out the timeout)`,
    );
    return out;
  } finally {
    await fk.close();
    rmSync(resultsDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await runCheckNonEnforcingBench((l) => process.stderr.write(`${l}\n`));
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
