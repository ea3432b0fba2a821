/**
 * `cnibench netpol explain --run ID --case NAME [--from --to --port]`: why the model decided what it
 * did for a case of a finished run (`cnibench run` or `cnibench check`), evaluated with the pod
 * addresses the cluster really gave (recorded per case in results.json), next to what the cluster did.
 * Without --from/--to/--port it explains every mismatch of the case.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { explain, formatExplanation, type Explanation } from '../netpol/explain.js';
import { resolveWithAddresses } from '../netpol/resolve.js';
import { builtinSuite } from '../netpol/suite/index.js';
import type { Probe } from '../netpol/types.js';
import type { CaseResult, Mismatch } from '../results/schema.js';
import { readResultsFile } from '../results/store.js';
import { InputError } from '../util/errors.js';
import { suggestKey } from '../util/suggest.js';

export interface RunExplainRequest {
  /** A run directory, its results.json, or a run id under `resultsDir`. */
  run: string;
  resultsDir: string;
  caseName: string;
  /** Which candidate's result, when the run has several that ran the case. */
  candidate?: string;
  /** One probe to explain; absent: every mismatch of the case. */
  probe?: { from: string; to: string } & Probe;
}

interface RunExplanation {
  explanation: Explanation;
  /** What the cluster did for this probe, when it was a mismatch. */
  mismatch?: Mismatch;
}

export interface RunExplainResult {
  runId: string;
  candidate: string;
  result: CaseResult;
  explanations: RunExplanation[];
}

function runPath(run: string, resultsDir: string): string {
  if (existsSync(run)) return run;
  const under = path.join(resultsDir, run);
  if (existsSync(under)) return under;
  throw new InputError(`--run ${run}: no such run directory (looked for ${run} and ${under})`);
}

function findResult(
  candidates: Array<{ name: string; conformance?: { caseResults: CaseResult[] } }>,
  req: RunExplainRequest,
  runId: string,
): { candidate: string; result: CaseResult } {
  const pool = req.candidate ? candidates.filter((c) => c.name === req.candidate) : candidates;
  if (req.candidate && pool.length === 0)
    throw new InputError(
      `--candidate ${req.candidate}: run ${runId} has no such candidate (it has ${candidates.map((c) => c.name).join(', ')})`,
    );
  const hits = pool.flatMap((c) =>
    (c.conformance?.caseResults ?? [])
      .filter((r) => r.name === req.caseName)
      .map((result) => ({ candidate: c.name, result })),
  );
  if (hits.length > 1)
    throw new InputError(
      `--case ${req.caseName}: run ${runId} ran it for ${hits.map((h) => h.candidate).join(' and ')}; add --candidate NAME`,
    );
  const hit = hits[0];
  if (hit) return hit;
  const names = [...new Set(pool.flatMap((c) => (c.conformance?.caseResults ?? []).map((r) => r.name)))];
  const hint = suggestKey(req.caseName, names);
  throw new InputError(
    `--case ${req.caseName}: run ${runId} has no result for that case${hint ? ` (did you mean "${hint}"?)` : ''}`,
  );
}

export function explainRunCase(req: RunExplainRequest): RunExplainResult {
  const results = readResultsFile(runPath(req.run, req.resultsDir));
  const { candidate, result } = findResult(results.candidates, req, results.runId);
  const c = builtinSuite().find((x) => x.name === req.caseName);
  if (!c) throw new InputError(`--case ${req.caseName}: not a case of this cnibench's built-in suite`);
  if (result.status === 'skip' || result.status === 'unsupported')
    throw new InputError(
      `--case ${req.caseName}: not run in ${results.runId} (${result.status}${notRunWhy(result)})`,
    );
  const resolved = resolveWithAddresses(c, result.pods);
  const sameProbe = (m: Mismatch, p: NonNullable<RunExplainRequest['probe']>) =>
    m.from === p.from && m.to === p.to && m.port === p.port && m.protocol === p.protocol;
  const explanations: RunExplanation[] = req.probe
    ? [
        {
          explanation: explain(resolved, req.probe.from, req.probe.to, req.probe),
          ...withMismatch(result.mismatches.find((m) => req.probe !== undefined && sameProbe(m, req.probe))),
        },
      ]
    : result.mismatches.map((m) => ({
        explanation: explain(resolved, m.from, m.to, { port: m.port, protocol: m.protocol }),
        mismatch: m,
      }));
  return { runId: results.runId, candidate, result, explanations };
}

const notRunWhy = (r: CaseResult) => {
  const why = r.skipReason ?? r.unsupportedReason;
  return why ? `: ${why}` : '';
};

const withMismatch = (m: Mismatch | undefined) => (m ? { mismatch: m } : {});

const word = (allowed: boolean) => (allowed ? 'ALLOWED' : 'DENIED');

export function formatRunExplanation(r: RunExplainResult): string {
  const head = `run ${r.runId}, ${r.candidate}, case ${r.result.name}: ${r.result.status}, ${r.result.mismatches.length} mismatch${r.result.mismatches.length === 1 ? '' : 'es'}`;
  if (r.explanations.length === 0)
    return `${head}\nnothing to explain: the cluster did what the model says for every probe (give --from --to --port to explain one)\n`;
  const parts = r.explanations.map(({ explanation, mismatch }) => {
    const cluster = mismatch
      ? `on the cluster: ${word(mismatch.observed)}${mismatch.detail ? ` (${mismatch.detail})` : ''} — a mismatch`
      : 'on the cluster: as the model says';
    return `${formatExplanation(explanation)}\n  ${cluster}`;
  });
  return `${head}\n\n${parts.join('\n\n')}\n`;
}
