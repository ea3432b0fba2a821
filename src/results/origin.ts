/**
 * What produced a results file (`origin`, version 4), and the reading of older files into it. Before
 * version 4 a file named its scenario at the top level (`scenarioFile`, `scenario`), and a check run
 * carried a stand-in scenario made up for it; both are read into the origin they stand for, so every
 * reader sees one shape whatever the file's version.
 */
import type { KubeClusterConfig, Scenario } from '../scenario/schema.js';
import type { CheckOrigin, ComplianceCheck, ResultsFile, RunOrigin } from './schema.js';

/** The scenario a run was made of; undefined for a compliance check, which has none. */
export function scenarioOf(r: Pick<ResultsFile, 'origin'>): Scenario | undefined {
  return r.origin.kind === 'scenario' ? r.origin.scenario : undefined;
}

/** How reports title the run: the scenario's name, or the standard checked. */
export function originTitle(o: RunOrigin): string {
  return o.kind === 'scenario' ? o.scenario.name : `SCS ${o.standard} compliance check`;
}

/** Where the run came from, as reports cite it: the scenario file, or the command of the check. */
export function originSource(o: RunOrigin): string {
  return o.kind === 'scenario' ? o.file : o.command;
}

/** The reports a run renders by default: the scenario's `report`, or the check's formats without charts. */
export function reportSettingsOf(o: RunOrigin): Scenario['report'] {
  return o.kind === 'scenario' ? o.scenario.report : { formats: o.options.reportFormats, charts: false };
}

/** A file of version 1 to 3 as read from disk: the scenario at the top level, no origin. */
export interface LegacyFields {
  scenarioFile?: unknown;
  scenario?: unknown;
  check?: ComplianceCheck;
}

/**
 * The origin of a parsed file: its own (version 4), or the one its top-level scenario stands for.
 * Undefined when it has neither (not a results file).
 */
export function readOrigin(raw: Partial<ResultsFile> & LegacyFields): RunOrigin | undefined {
  if (raw.origin) return raw.origin;
  if (typeof raw.scenarioFile !== 'string' || typeof raw.scenario !== 'object' || raw.scenario === null)
    return undefined;
  const scenario = raw.scenario as Scenario;
  return raw.check
    ? legacyCheckOrigin(raw.scenarioFile, scenario, raw.check)
    : { kind: 'scenario', file: raw.scenarioFile, scenario };
}

/** A check of version 3 or older: what its stand-in scenario recorded of the command and its options. */
function legacyCheckOrigin(command: string, stand: Scenario, check: ComplianceCheck): CheckOrigin {
  const cluster: Partial<KubeClusterConfig> = stand.cluster.kind === 'kube' ? stand.cluster : {};
  const timing = stand.workloads.find((w) => w.kind === 'conformance');
  return {
    kind: 'check',
    command,
    standard: check.standard,
    testcases: check.requested,
    ...(cluster.kubeconfig !== undefined ? { kubeconfig: cluster.kubeconfig } : {}),
    ...(cluster.context !== undefined ? { context: cluster.context } : {}),
    options: {
      lanes: cluster.conformanceLanes ?? 1,
      ...(cluster.probeMode !== undefined ? { probeMode: cluster.probeMode } : {}),
      ...(cluster.imageRegistry !== undefined ? { imageRegistry: cluster.imageRegistry } : {}),
      ...(timing ? { probeTimeout: timing.probeTimeout, convergenceTimeout: timing.convergenceTimeout } : {}),
      ...(check.narrowed ? { narrowed: check.narrowed } : {}),
      reportFormats: stand.report.formats,
      report: true,
    },
  };
}
