/**
 * `cnibench check scs-0219 -k KUBECONFIG [--context C] [testcase-id…]`: a compliance check of the
 * cluster as it is (src/check/run-check.ts); verdict lines on stdout, all else on stderr; exit 0 when
 * every MUST passes, 1 when one fails, 3 when the check could not run, 2 for bad arguments.
 */
import { CHECK_LANES, runScs0219Check, type CheckIo } from '../../check/run-check.js';
import { IPBLOCK_MODES } from '../../check/exceptions.js';
import { TESTCASE_IDS } from '../../check/scs-0219.js';
import { CONFORMANCE_LANES } from '../../scenario/schema.js';
import { createProgress } from '../../context/progress.js';
import { installInterruptGuard } from '../../context/signals.js';
import { InputError } from '../../util/errors.js';
import { defineCommand } from '../command.js';
import { checkTags } from './netpol.js';

const STANDARDS = ['scs-0219'] as const;

/** Streams and the exit status of the command; tests pass buffers and read the status. */
export interface CheckCommandIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  setExitCode: (code: number) => void;
  /** For tests: the agent entry point, and a guard of their own. */
  agentEntry?: string;
  guard?: CheckIo['guard'];
}

export function checkCommand(
  io: CheckCommandIo = {
    out: process.stdout,
    err: process.stderr,
    setExitCode: (code) => {
      process.exitCode = code;
    },
  },
) {
  return defineCommand({
    command: 'check <standard> [testcases..]',
    describe:
      'Check the cluster as it is against a standard (scs-0219: SCS KaaS networking); prints "<testcase-id>: PASS|FAIL|ABORT" lines for the SCS compliance runner',
    builder: (y) =>
      y
        .positional('standard', { type: 'string', choices: STANDARDS, demandOption: true })
        .positional('testcases', {
          type: 'string',
          array: true,
          describe: `testcase ids to check (default all): ${TESTCASE_IDS.join(', ')}`,
        })
        .option('kubeconfig', {
          alias: 'k',
          type: 'string',
          describe: 'kubeconfig file (default: KUBECONFIG or ~/.kube/config)',
        })
        .option('context', { type: 'string', describe: 'kubeconfig context (default: the current one)' })
        .option('results-dir', {
          type: 'string',
          default: 'results',
          describe: 'where the run directory (results.json, reports) is written',
        })
        .option('image-registry', {
          type: 'string',
          describe: "pull the harness's images from this registry or mirror",
        })
        .option('probe-mode', {
          choices: ['agent', 'agnhost'] as const,
          describe: 'agent (default: one exec per source pod and round) or agnhost (upstream images only)',
        })
        .option('tag', {
          type: 'string',
          array: true,
          describe:
            'only cases carrying every one of these tags (a quick look; the verdict then covers only them)',
        })
        .option('exclude-tag', {
          type: 'string',
          array: true,
          describe: 'leave out cases carrying any of these tags',
        })
        .option('max-cases', {
          type: 'number',
          default: 0,
          describe: 'at most this many cases per group and API version (0: all, the default)',
        })
        .option('lanes', {
          type: 'number',
          describe: `conformance cases in flight at once, each in its own namespaces (${CONFORMANCE_LANES.min}-${CONFORMANCE_LANES.max}, default ${CHECK_LANES})`,
        })
        .option('probe-timeout', { type: 'number', describe: 'seconds per probe (default 1)' })
        .option('convergence-timeout', {
          type: 'number',
          describe: 'seconds a case may take to match the model after its policies are applied (default 10)',
        })
        .option('ipblock-exception', {
          choices: IPBLOCK_MODES,
          default: 'sonobuoy' as const,
          describe:
            "how the standard's ipBlock exceptions apply: sonobuoy (as scs-sonobuoy-config-v1.yaml: the cases transcribing its three excepted tests excepted whole), narrow (stricter: only the cilium#9209 mismatches excepted), none (no ipBlock exception); docs/scs.md",
        })
        .option('optional', {
          type: 'boolean',
          default: true,
          describe:
            'check and print the optional ids (SCTP); --no-optional leaves them out (the SCS runner exits 1 on any FAIL line, even under preview)',
        })
        .option('canary', {
          type: 'boolean',
          default: true,
          describe:
            'probe one deny-all NetworkPolicy canary first; if the cluster never enforces it, fail the NetworkPolicy cases with its evidence instead of probing each (--no-canary probes every case anyway)',
        })
        .option('report', {
          type: 'boolean',
          default: true,
          describe: 'render report.md, report.html, report.json and junit.xml (--no-report to skip)',
        })
        .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' }),
    handler: async (argv) => {
      const maxCases = argv['max-cases'];
      if (!Number.isInteger(maxCases) || maxCases < 0)
        throw new InputError(`--max-cases ${String(maxCases)}: must be a whole number, 0 or more`);
      const lanes = argv.lanes;
      const { min, max } = CONFORMANCE_LANES;
      if (lanes !== undefined && !(Number.isInteger(lanes) && lanes >= min && lanes <= max))
        throw new InputError(`--lanes ${String(lanes)}: must be a whole number from ${min} to ${max}`);
      for (const [flag, v] of [
        ['--probe-timeout', argv['probe-timeout']],
        ['--convergence-timeout', argv['convergence-timeout']],
      ] as const) {
        if (v !== undefined && !(v > 0))
          throw new InputError(`${flag} ${String(v)}: must be a positive number of seconds`);
      }
      checkTags(argv.tag ?? [], 'tag');
      checkTags(argv['exclude-tag'] ?? [], 'exclude-tag');
      const guard = io.guard ?? installInterruptGuard({ log: (l) => io.err.write(`${l}\n`) });
      try {
        const outcome = await runScs0219Check(
          {
            testcases: argv.testcases ?? [],
            ...(argv.kubeconfig !== undefined ? { kubeconfig: argv.kubeconfig } : {}),
            ...(argv.context !== undefined ? { context: argv.context } : {}),
            ...(argv['image-registry'] !== undefined ? { imageRegistry: argv['image-registry'] } : {}),
            ...(argv['probe-mode'] !== undefined ? { probeMode: argv['probe-mode'] } : {}),
            ...(lanes !== undefined ? { lanes } : {}),
            narrowing: { tags: argv.tag ?? [], excludeTags: argv['exclude-tag'] ?? [], maxCases },
            timing: {
              ...(argv['probe-timeout'] !== undefined ? { probeTimeout: argv['probe-timeout'] } : {}),
              ...(argv['convergence-timeout'] !== undefined
                ? { convergenceTimeout: argv['convergence-timeout'] }
                : {}),
            },
            resultsRoot: argv['results-dir'],
            report: argv.report,
            ipBlockException: argv['ipblock-exception'],
            optional: argv.optional,
            canary: argv.canary,
          },
          {
            out: io.out,
            err: io.err,
            progress: createProgress({ quiet: argv.quiet, out: io.err }),
            guard,
            ...(io.agentEntry ? { agentEntry: io.agentEntry } : {}),
          },
        );
        io.setExitCode(outcome.exitCode);
      } finally {
        if (!io.guard) {
          await guard.runAll();
          guard.dispose();
        }
      }
    },
  });
}

export const commands = [checkCommand()];
