/**
 * Names and labels of everything the kube driver creates. Real namespaces are
 * `<prefix>-<runid>-<logical>` so several runs (and other tenants) can share a cluster; every object
 * carries the management labels, which is what clean-up selects on — nothing without them is touched.
 */
import { isDnsLabel } from '../../util/k8s-names.js';
import { randomBytes } from 'node:crypto';
import { InputError } from '../../util/errors.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
const MANAGED_BY_VALUE = 'cnibench';
export const RUN_ID_LABEL = 'cnibench.io/run-id';
/** The namespace's name in the case (x, y, z), kept on the real namespace for humans and clean-up. */
export const LOGICAL_NAMESPACE_LABEL = 'cnibench.io/logical-namespace';
/**
 * The conformance lane a namespace belongs to ("0", "1", ...; see lane.ts). Admin-tier selectors are
 * narrowed to it, so a lane's cluster-scoped policies select only that lane's namespaces.
 */
export const LANE_LABEL = 'cnibench.io/lane';
/** Role of a harness pod (conformance, perf-server, perf-client, ...). */
export const ROLE_LABEL = 'cnibench.io/role';
/** Hash of the spec a pod was created from, to decide between reuse and re-creation. */
export const SPEC_HASH_ANNOTATION = 'cnibench.io/spec-hash';

/** A fresh run id: 6 lower-case base-36 characters (short: it is part of every namespace name). */
export function newRunId(): string {
  const n = randomBytes(5).readUIntBE(0, 5);
  return n.toString(36).padStart(8, '0').slice(-6);
}

export function managementLabels(runId: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [RUN_ID_LABEL]: runId };
}

/** The label selector matching this run's objects, or every cnibench object when runId is undefined. */
export function managementSelector(runId?: string): string {
  return runId
    ? `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE},${RUN_ID_LABEL}=${runId}`
    : `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;
}

/**
 * Two-way mapping between a case's logical namespace names and the real namespaces of one conformance
 * lane of the run: `<prefix>-<runid>-<logical>` for lane 0 (the only lane unless the scenario asks for
 * more), `<prefix>-<runid>-l<k>-<logical>` for lane k, so cases running at once never share a namespace.
 */
export class NamespaceMap {
  private readonly toRealMap = new Map<string, string>();
  private readonly toLogicalMap = new Map<string, string>();

  constructor(
    readonly prefix: string,
    readonly runId: string,
    readonly lane = 0,
  ) {
    if (!isDnsLabel(runId)) throw new InputError(`run id "${runId}" must be a DNS label (a-z, 0-9, -)`);
    if (!Number.isInteger(lane) || lane < 0)
      throw new Error(`lane ${lane}: must be a whole number, 0 or more`);
  }

  /** What every real name of this lane starts with (namespaces, cluster-scoped admin-tier objects). */
  get base(): string {
    return this.lane === 0 ? `${this.prefix}-${this.runId}` : `${this.prefix}-${this.runId}-l${this.lane}`;
  }

  /** The labels that narrow a selector to this lane's namespaces (admin-policies.ts). */
  get laneLabels(): Record<string, string> {
    return { [RUN_ID_LABEL]: this.runId, [LANE_LABEL]: String(this.lane) };
  }

  /**
   * The real name of a logical namespace. Deterministic, so a selector naming a namespace the case
   * does not create still maps to a (non-existent) namespace of this run and matches nothing, as in
   * the model.
   */
  real(logical: string): string {
    const known = this.toRealMap.get(logical);
    if (known) return known;
    const real = `${this.base}-${logical}`;
    if (!isDnsLabel(real)) {
      throw new InputError(
        `namespace "${logical}" cannot be mapped to a Kubernetes namespace ("${real}" must be a DNS label of at most 63 characters)`,
      );
    }
    this.toRealMap.set(logical, real);
    this.toLogicalMap.set(real, logical);
    return real;
  }

  logical(real: string): string | undefined {
    return this.toLogicalMap.get(real);
  }
}
