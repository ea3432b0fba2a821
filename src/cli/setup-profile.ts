/**
 * Which part of the set-up a command line needs, printed for `./cnibench` before it runs the command:
 * `core` (npm packages and the build only), `report` (+ the native chart renderer) or `local` (+ the
 * embedded cluster's dataplane tools). Commands that read only files need no Debian package; a run
 * on the local cluster needs everything. A scenario that does not load gets `core`: the command then
 * reports the problem without installing anything first.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadScenario } from '../run/scenario-file.js';

export type SetupProfile = 'core' | 'report' | 'local';

export function setupProfile(argv: string[]): SetupProfile {
  const { positionals, values } = parseArgs({
    args: argv,
    strict: false,
    allowPositionals: true,
    options: { context: { type: 'string' }, report: { type: 'boolean' }, 'no-report': { type: 'boolean' } },
  });
  const [command, first] = positionals;
  switch (command) {
    case 'report':
      return 'report';
    case 'cleanup':
      return values.context === undefined ? 'local' : 'core';
    case 'run': {
      if (first === undefined) return 'core';
      let local: boolean;
      try {
        local = loadScenario(first).scenario.cluster.kind === 'local';
      } catch {
        return 'core';
      }
      if (local && values.context === undefined) return 'local';
      return values['no-report'] === true || values.report === false ? 'core' : 'report';
    }
    case 'check':
      return 'report';
    default:
      return 'core';
  }
}

// Run as a program by ./cnibench; imported by the tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${setupProfile(process.argv.slice(2))}\n`);
}
