/**
 * `cnibench netpol ...`: the NetworkPolicy model from the command line, no cluster needed.
 *   netpol validate CASE                      check a case file
 *   netpol expect CASE [--output json|table]  the model's truth table
 *   netpol explain CASE --from --to --port    why one probe is allowed or denied
 *   netpol explain --run ID --case NAME       the same for a case of a finished run, with its real pod IPs
 *   netpol suite list|export|expect           the built-in conformance suite
 * CASE is a case file (YAML or JSON) or the name of a built-in suite case.
 */
import { existsSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { defineCommand, type ArgsOf } from '../command.js';
import { InputError } from '../../util/errors.js';
import { suggestKey } from '../../util/suggest.js';
import { loadCaseFile, writeCaseFiles } from '../../netpol/case-file.js';
import { countTruthTable, formatTruthTable, probeLabel } from '../../netpol/format-table.js';
import { resolveCase } from '../../netpol/resolve.js';
import { computeTruthTable, computeTruthTableWithTies } from '../../netpol/truth-table.js';
import { formatTies } from '../../netpol/tiers.js';
import { explain, formatExplanation } from '../../netpol/explain.js';
import { caseStates, describeAction, stateAt } from '../../netpol/steps.js';
import { explainRunCase, formatRunExplanation } from '../explain-run.js';
import { builtinSuite, filterByTags, SUITE_TAGS, type SuiteFilter } from '../../netpol/suite/index.js';
import { PROTOCOLS, type PolicyCase, type Protocol, type TruthTable } from '../../netpol/types.js';

/** A case file path, or else a built-in case name. */
function loadCaseArg(arg: string): PolicyCase {
  if (existsSync(arg)) return loadCaseFile(arg);
  const builtin = builtinSuite();
  const found = builtin.find((c) => c.name === arg);
  if (found) return found;
  const hint = suggestKey(
    arg,
    builtin.map((c) => c.name),
  );
  throw new InputError(
    `${arg}: no such case file, and no built-in case of that name${hint ? ` (did you mean "${hint}"?)` : ''}; see cnibench netpol suite list`,
  );
}

/** The truth table with keys in the documented order: name, probes[{port, protocol, allowed}]. */
function truthTableJson(t: TruthTable): string {
  const ordered = {
    name: t.name,
    probes: t.probes.map((p) => ({ port: p.port, protocol: p.protocol, allowed: p.allowed })),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function parseProtocol(v: string): Protocol {
  const up = v.toUpperCase();
  if (!(PROTOCOLS as readonly string[]).includes(up))
    throw new InputError(`unsupported protocol "${v}": must be one of ${PROTOCOLS.join(', ')}`);
  return up as Protocol;
}

function filterOptions(y: Argv) {
  return y
    .option('tag', {
      type: 'string',
      array: true,
      describe: 'keep cases carrying this tag (repeat to narrow further)',
    })
    .option('exclude-tag', { type: 'string', array: true, describe: 'drop cases carrying this tag' })
    .option('protocol', {
      type: 'string',
      array: true,
      describe: 'keep only probes of these protocols (e.g. --protocol TCP UDP to skip SCTP)',
    });
}

type FilterArgs = ArgsOf<typeof filterOptions>;

/** Refuses tags the suite does not use, naming the closest one. */
export function checkTags(tags: readonly string[], flag: string): void {
  for (const t of tags) {
    if ((SUITE_TAGS as readonly string[]).includes(t)) continue;
    const hint = suggestKey(t, SUITE_TAGS);
    throw new InputError(
      `--${flag} ${t}: unknown tag${hint ? ` (did you mean "${hint}"?)` : ''}; tags: ${SUITE_TAGS.join(', ')}`,
    );
  }
}

function selectSuite(argv: FilterArgs): PolicyCase[] {
  const filter: SuiteFilter = { tags: argv.tag ?? [], excludeTags: argv['exclude-tag'] ?? [] };
  checkTags(filter.tags ?? [], 'tag');
  checkTags(filter.excludeTags ?? [], 'exclude-tag');
  if (argv.protocol && argv.protocol.length > 0) filter.protocols = argv.protocol.map(parseProtocol);
  return filterByTags(builtinSuite(), filter);
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - s.length));
}

/** Where command output goes; tests pass a buffer instead of the process's stdout. */
export interface Output {
  write(text: string): unknown;
}

/** "2 ClusterNetworkPolicies" and the like, for `netpol validate`; empty when the case has none. */
function adminTierSummary(c: PolicyCase): string {
  const parts: string[] = [];
  const n = (count: number, what: string) => parts.push(`${count} ${what}${count === 1 ? 'y' : 'ies'}`);
  if (c.clusterNetworkPolicies?.length) n(c.clusterNetworkPolicies.length, 'ClusterNetworkPolic');
  if (c.adminNetworkPolicies?.length) n(c.adminNetworkPolicies.length, 'AdminNetworkPolic');
  if (c.baselineAdminNetworkPolicy) parts.push('a BaselineAdminNetworkPolicy');
  return parts.length > 0 ? `, ${parts.join(', ')}` : '';
}

/** The `netpol` command tree, writing results to `out` and warnings to `err`. */
export function netpolCommands(
  out: Output = process.stdout,
  err: Output = process.stderr,
): CommandModule<object, object> {
  const validate = defineCommand({
    command: 'validate <case>',
    describe: 'Check a policy case file; reports every problem with file, line, column and field',
    builder: (y) =>
      y.positional('case', { type: 'string', demandOption: true, describe: 'case file (YAML or JSON)' }),
    handler: (argv) => {
      const c = loadCaseFile(argv.case);
      out.write(
        `${argv.case}: valid case "${c.name}" (${c.pods.length} pods, ${c.policies.length} policies${adminTierSummary(c)}, ${c.probes.length} probes${c.steps?.length ? `, ${c.steps.length} steps` : ''})\n`,
      );
    },
  });

  const expect = defineCommand({
    command: 'expect <case>',
    describe: "Print the model's truth table for a case: which pod reaches which, per probe",
    builder: (y) =>
      y
        .positional('case', {
          type: 'string',
          demandOption: true,
          describe: 'case file, or a built-in case name',
        })
        .option('output', { choices: ['table', 'json'], default: 'table', describe: 'output format' }),
    handler: (argv) => {
      const c = loadCaseArg(argv.case);
      if (!c.steps?.length) {
        const { table, ties } = computeTruthTableWithTies(resolveCase(c));
        // Ties are implementation-defined pairs: say so on stderr, never change the table's format.
        for (const line of formatTies(ties)) err.write(`warning: ${line}\n`);
        out.write(argv.output === 'json' ? truthTableJson(table) : `${formatTruthTable(table)}\n`);
        return;
      }
      // A multi-step case: one table per step, step 0 being the case before any step.
      const tables = caseStates(c).map((state, n) => {
        const { table, ties } = computeTruthTableWithTies(resolveCase(state));
        for (const line of formatTies(ties)) err.write(`warning: step ${n}: ${line}\n`);
        return table;
      });
      if (argv.output === 'json') {
        const steps = tables.map((t, n) => {
          const step = n === 0 ? undefined : c.steps?.[n - 1];
          return {
            step: n,
            ...(step?.name !== undefined ? { name: step.name } : {}),
            actions: step ? step.actions.map(describeAction) : [],
            probes: t.probes.map((p) => ({ port: p.port, protocol: p.protocol, allowed: p.allowed })),
          };
        });
        out.write(`${JSON.stringify({ name: c.name, steps }, null, 2)}\n`);
        return;
      }
      const parts = tables.map((t, n) => {
        const step = n === 0 ? undefined : c.steps?.[n - 1];
        const head =
          n === 0
            ? 'step 0: before any change'
            : `step ${n}${step?.name ? `: ${step.name}` : ''}\n${(step?.actions ?? []).map((a) => `  ${describeAction(a)}`).join('\n')}`;
        return `${head}\n${formatTruthTable(t)}\n`;
      });
      out.write(parts.join('\n'));
    },
  });

  const explainCmd = defineCommand({
    command: 'explain [case]',
    describe:
      'Explain why one probe between two pods is allowed or denied; with --run, a case of a finished run (every mismatch by default)',
    builder: (y) =>
      y
        .positional('case', { type: 'string', describe: 'case file, or a built-in case name' })
        .option('case', {
          type: 'string',
          describe: 'the case (same as the positional; reads well with --run)',
        })
        .option('run', {
          type: 'string',
          describe:
            'a finished run (id under --results-dir, or its directory): explain its result for the case',
        })
        .option('results-dir', {
          type: 'string',
          default: 'results',
          describe: 'where --run ids are looked up',
        })
        .option('candidate', {
          type: 'string',
          describe: 'with --run: the candidate, when several ran the case',
        })
        .option('from', { type: 'string', describe: 'source pod, namespace/name' })
        .option('to', { type: 'string', describe: 'destination pod, namespace/name' })
        .option('port', { type: 'number', describe: 'destination port' })
        .option('protocol', { type: 'string', default: 'TCP', describe: 'TCP, UDP or SCTP' })
        .option('step', {
          type: 'number',
          describe:
            'a multi-step case: explain the state after step N (0: before any step; default the last)',
        })
        .option('json', { type: 'boolean', default: false, describe: 'print the explanation as JSON' }),
    handler: (argv) => {
      if (argv.case === undefined)
        throw new InputError('explain: name a case (a case file, or --case NAME with --run)');
      // As yargs words it: without --run the three are required; with it, all three or none.
      const missing = (['from', 'to', 'port'] as const).filter((k) => argv[k] === undefined);
      if (missing.length > 0 && (argv.run === undefined || missing.length < 3))
        throw new InputError(
          `Missing required argument${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}${argv.run === undefined ? '' : ' (with --run: give --from, --to and --port together, or none)'}`,
        );
      if (argv.port !== undefined && (!Number.isInteger(argv.port) || argv.port < 1 || argv.port > 65535))
        throw new InputError(`--port ${String(argv.port)}: must be a whole number between 1 and 65535`);
      const probe =
        argv.from !== undefined && argv.to !== undefined && argv.port !== undefined
          ? { from: argv.from, to: argv.to, port: argv.port, protocol: parseProtocol(argv.protocol) }
          : undefined;
      if (argv.run !== undefined) {
        const r = explainRunCase({
          run: argv.run,
          resultsDir: argv['results-dir'],
          caseName: argv.case,
          ...(argv.candidate !== undefined ? { candidate: argv.candidate } : {}),
          ...(probe ? { probe } : {}),
        });
        out.write(argv.json ? `${JSON.stringify(r, null, 2)}\n` : formatRunExplanation(r));
        return;
      }
      if (!probe) throw new InputError('Missing required arguments: from, to, port');
      const c = loadCaseArg(argv.case);
      const step = argv.step ?? c.steps?.length ?? 0;
      const e = explain(resolveCase(stateAt(c, step)), probe.from, probe.to, probe);
      if (c.steps?.length && !argv.json) out.write(`step ${step} of ${c.steps.length}\n`);
      out.write(argv.json ? `${JSON.stringify(e, null, 2)}\n` : `${formatExplanation(e)}\n`);
    },
  });

  const suiteList = defineCommand({
    command: 'list',
    describe: 'List the built-in cases (name, tags, number of policies, admin-tier objects included)',
    builder: (y) =>
      filterOptions(y).option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
    handler: (argv) => {
      const cases = selectSuite(argv);
      // Admin-tier objects count as policies too (a ClusterNetworkPolicy case may have no NetworkPolicy).
      const count = (c: PolicyCase) =>
        c.policies.length +
        (c.clusterNetworkPolicies?.length ?? 0) +
        (c.adminNetworkPolicies?.length ?? 0) +
        (c.baselineAdminNetworkPolicy ? 1 : 0);
      const rows = cases.map((c) => ({
        name: c.name,
        tags: c.tags ?? [],
        policies: count(c),
        ...(c.steps?.length ? { steps: c.steps.length } : {}),
      }));
      if (argv.json) {
        out.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const w = Math.max(4, ...rows.map((r) => r.name.length));
      const anySteps = rows.some((r) => r.steps !== undefined);
      const lines = [`${pad('name', w)}  policies  ${anySteps ? 'steps  ' : ''}tags`];
      for (const r of rows)
        lines.push(
          `${pad(r.name, w)}  ${pad(String(r.policies), 8)}  ${anySteps ? pad(String(r.steps ?? 0), 5) + '  ' : ''}${r.tags.join(' ')}`,
        );
      lines.push(`${rows.length} cases`);
      out.write(`${lines.join('\n')}\n`);
    },
  });

  const suiteExport = defineCommand({
    command: 'export <dir>',
    describe: 'Write each built-in case as a YAML case file into DIR',
    builder: (y) =>
      filterOptions(y).positional('dir', {
        type: 'string',
        demandOption: true,
        describe: 'output directory',
      }),
    handler: (argv) => {
      const cases = selectSuite(argv);
      const written = writeCaseFiles(argv.dir, cases);
      out.write(`wrote ${written.length} case files to ${argv.dir}\n`);
    },
  });

  const suiteExpect = defineCommand({
    command: 'expect',
    describe: "Compute the model's truth table for every built-in case and summarize allowed pairs",
    builder: (y) =>
      filterOptions(y).option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
    handler: (argv) => {
      const cases = selectSuite(argv);
      const rows = cases.map((c) => {
        // A multi-step case counts the pairs of every step's table.
        const counts = caseStates(c)
          .map((state) => countTruthTable(computeTruthTable(resolveCase(state))))
          .reduce((acc, cur) =>
            acc.map((p, i) => ({
              ...p,
              allowed: p.allowed + (cur[i]?.allowed ?? 0),
              total: p.total + (cur[i]?.total ?? 0),
            })),
          );
        return {
          name: c.name,
          probes: counts,
          allowed: counts.reduce((s, p) => s + p.allowed, 0),
          total: counts.reduce((s, p) => s + p.total, 0),
        };
      });
      if (argv.json) {
        out.write(`${JSON.stringify({ cases: rows.length, results: rows }, null, 2)}\n`);
        return;
      }
      const w = Math.max(4, ...rows.map((r) => r.name.length));
      const lines = [`${pad('case', w)}  allowed/pairs  per probe`];
      for (const r of rows) {
        const per = r.probes.map((p) => `${probeLabel(p)} ${p.allowed}/${p.total}`).join('  ');
        lines.push(`${pad(r.name, w)}  ${pad(`${r.allowed}/${r.total}`, 13)}  ${per}`);
      }
      const allowed = rows.reduce((s, r) => s + r.allowed, 0);
      const total = rows.reduce((s, r) => s + r.total, 0);
      lines.push(`${rows.length} cases, ${allowed} of ${total} probed pairs allowed by the model`);
      out.write(`${lines.join('\n')}\n`);
    },
  });

  const suite = defineCommand({
    command: 'suite <command>',
    describe: 'The built-in NetworkPolicy conformance suite',
    builder: (y) => y.command(suiteList).command(suiteExport).command(suiteExpect).demandCommand(1),
    handler: () => {},
  });

  const netpol = defineCommand({
    command: 'netpol <command>',
    describe: 'NetworkPolicy model: case files, truth tables, explanations, the built-in suite',
    builder: (y) => y.command(validate).command(expect).command(explainCmd).command(suite).demandCommand(1),
    handler: () => {},
  });
  return netpol;
}

export const commands = [netpolCommands()];
