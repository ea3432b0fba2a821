/**
 * Ctrl-C whenever it comes: `cnibench run` on a small two-profile scenario (both clusters exist at
 * once; conformance, iperf3 throughput with its baseline namespaces, request/response latency),
 * interrupted at 20 seeded random moments, each attempt resuming the run the last one interrupted.
 * Every time: exit 130, nothing of that run left on the machine (namespaces, nft tables, processes),
 * and a results.json that reads back with every finished step's measurements, as they were, and no
 * error recorded.
 *
 * Half the interrupts go to the CLI's whole process group, as a terminal's Ctrl-C does; the other
 * half to cnibench alone, as `kill -INT` does. Other developers' runs share this machine, so every
 * check filters by the run's own id, and processes are found by a marker in their environment (every
 * descendant inherits it), which also finds one that left its namespace or its process group.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { readResultsFile } from '../../src/results/store.js';
import type { ResultsFile } from '../../src/results/schema.js';
import { must } from '../helpers/must.js';
import { seededRandom } from '../../src/stats/prng.js';
import { cleanupLocal } from '../../src/cluster/local/cleanup.js';
import { CLI, networkObjects, runIds, writeScenario } from './helpers-local.js';
import { PROJECT_ROOT } from '../../src/util/version.js';

const POINTS = 20;
const SEED = 21;
/** Moments are drawn from the first this many ms after the run announced its results directory. */
const MAX_DELAY_MS = 5000;
const MARK = 'CNB_INTERRUPT_TEST_MARK';

interface Attempt {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** From "results in" (the run's store exists, the guard is installed) to the signal, ms. */
  sentAfterMs?: number;
}

/**
 * Runs the CLI in its own process group; `delayMs` after the run announced its results directory,
 * sends SIGINT to the group (`group`) or to the CLI alone. Without a delay, lets the run finish.
 */
function runOnce(args: string[], mark: string, delayMs?: number, group = false): Promise<Attempt> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
      env: { ...process.env, [MARK]: mark },
    });
    let stderr = '';
    let started: number | undefined;
    let sentAfterMs: number | undefined;
    const killer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 240_000);
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (started !== undefined || delayMs === undefined || !/results in /.test(stderr)) return;
      started = performance.now();
      setTimeout(() => {
        if (child.exitCode !== null || child.pid === undefined) return;
        sentAfterMs = performance.now() - (started ?? 0);
        process.kill(group ? -child.pid : child.pid, 'SIGINT');
      }, delayMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stderr, ...(sentAfterMs !== undefined ? { sentAfterMs } : {}) });
    });
  });
}

/** Pids of live processes whose environment carries `mark` (zombies have an empty environ). */
function markedProcesses(mark: string): number[] {
  const needle = `${MARK}=${mark}\0`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(needle)) pids.push(Number(entry));
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return pids;
}

/** Processes still there after a short grace (a SIGKILLed process takes a moment to be reaped). */
async function leftoverProcesses(mark: string): Promise<number[]> {
  let left = markedProcesses(mark);
  for (let i = 0; i < 20 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = markedProcesses(mark);
  }
  return left;
}

test(
  'Ctrl-C at 20 random points of a run leaves no namespace, nft table or process, and a valid results.json',
  { timeout: 600_000 },
  async () => {
    const { file: scenario } = writeScenario({
      name: 'interrupt-points',
      cluster: { kind: 'local', nodes: 2 },
      candidates: [
        { name: 'routed', cni: 'local-routed' },
        { name: 'vxlan', cni: 'local-vxlan' },
      ],
      workloads: [
        { kind: 'conformance', protocols: ['TCP'], maxCases: 6 },
        { kind: 'throughput', paths: ['same-node'], duration: 0.5 },
        { kind: 'latency', paths: ['cross-node'], duration: 0.3, baseline: false },
      ],
      repetitions: { count: 2, warmup: 0, adaptive: false },
      report: { formats: ['json'], charts: false },
    });
    const resultsDir = mkdtempSync(path.join(tmpdir(), 'cnibench-interrupt-points-'));
    const objectIds = new Set<string>();
    const random = seededRandom(SEED);
    // One run interrupted again and again: each attempt resumes it, so the 20 moments fall in every
    // phase (start-up, cluster set-up, conformance, iperf3, latency, the end) while each attempt
    // stays short. A run that finishes before its moment comes is followed by a new one.
    let resume: string | undefined;
    let before: ResultsFile | undefined;
    let interrupted = 0;
    let attempts = 0;
    const started = performance.now();
    try {
      for (let attempt = 0; interrupted < POINTS; attempt++) {
        attempts = attempt + 1;
        assert.ok(attempt < POINTS * 2, `only ${interrupted} of ${attempt} attempts were interrupted`);
        const delayMs = Math.floor(random() * MAX_DELAY_MS);
        const group = attempt % 2 === 0;
        const mark = randomBytes(6).toString('hex');
        const args = ['run', scenario, '--results-dir', resultsDir, '--no-report'];
        const a = await runOnce(resume ? [...args, '--resume', resume] : args, mark, delayMs, group);
        const where = `attempt ${attempt} (${resume ? 'resumed' : 'new'} run, SIGINT after ${delayMs} ms to the ${group ? 'process group' : 'process'})`;
        const { runId, objectId } = runIds(a.stderr);
        objectIds.add(objectId);
        assert.deepEqual(networkObjects(objectId), [], `${where}: namespaces or nft tables left`);
        assert.deepEqual(await leftoverProcesses(mark), [], `${where}: processes left`);
        const r = readResultsFile(path.join(resultsDir, runId));
        if (a.sentAfterMs === undefined) {
          assert.equal(a.code, 0, `${where}: ${a.stderr}`);
          assert.equal(r.status, 'complete', where);
        } else {
          interrupted++;
          assert.equal(a.code, 130, `${where}: ${a.stderr}`);
          assert.equal(r.status, 'interrupted', where);
        }
        checkResults(r, `${where}\n${a.stderr}`);
        // What an earlier attempt of this run finished is still there, as it was.
        if (before && resume === runId) {
          for (const c of before.candidates) {
            const now = must(
              r.candidates.find((x) => x.name === c.name),
              `${where}: ${c.name}`,
            );
            for (const step of c.completedSteps)
              assert.ok(now.completedSteps.includes(step), `${where}: ${step}`);
            for (const m of c.measurements)
              assert.deepEqual(
                now.measurements.find((x) => x.id === m.id)?.samples,
                m.samples,
                `${where}: ${c.name} ${m.id}`,
              );
          }
        }
        before = r;
        resume = r.status === 'complete' ? undefined : runId;
      }
      console.log(
        `  ${interrupted} interrupts in ${attempts} attempts, ${((performance.now() - started) / 1000).toFixed(0)} s`,
      );
    } finally {
      // Only this test's runs, whatever happened above.
      for (const id of objectIds) await cleanupLocal({ prefix: id });
    }
  },
);

/** No error recorded; every finished step kept what it measured; every kept figure is whole. */
function checkResults(r: ResultsFile, where: string): void {
  for (const c of r.candidates) {
    assert.deepEqual(c.errors, [], `${where}: ${c.name} recorded an error`);
    for (const step of c.completedSteps) {
      const kind = /-(conformance|throughput|latency)$/.exec(step)?.[1];
      if (kind === 'conformance') assert.ok((c.conformance?.cases ?? 0) > 0, `${where}: ${step}`);
      else
        assert.ok(
          c.measurements.some((m) => m.workload === kind),
          `${where}: ${step}`,
        );
    }
    for (const m of c.measurements) {
      assert.ok(m.samples.length > 0 && m.samples.every(Number.isFinite), `${where}: ${m.id}`);
      assert.equal(m.summary.n, m.samples.length, `${where}: ${m.id}`);
    }
  }
}
