/**
 * One conformance lane of the kube driver: its own namespaces (`<prefix>-<runid>-l<k>-<logical>`,
 * lane 0 keeping `<prefix>-<runid>-<logical>`), pods, NetworkPolicies and admin-tier objects (named
 * `<prefix>-<runid>[-l<k>]-<name>`, every namespace selector narrowed to the lane's label), over the
 * run's one connection. The driver runs its own cases in lane 0 and hands out the others through
 * caseLanes() when the scenario asks for `conformanceLanes` > 1; docs/probing.md says why cases in
 * different lanes cannot decide each other's probes.
 */
import type {
  CaseLane,
  HeldFlowRequest,
  HeldFlows,
  ProbeOptions,
  ProbeRequest,
  ProbeResult,
} from '../driver.js';
import { holdBySource, readyWatcher } from '../held-flows.js';
import { hasAdminTier } from '../../netpol/admin-tier.js';
import type { AdminTierPolicies, NetworkPolicy, ResolvedCase, ResolvedPod } from '../../netpol/types.js';
import { KubeAdminTierObjects } from './admin-policies.js';
import { ensureCaseLayout } from './case-layout.js';
import { AGENT_COMMAND, execIn, spawnIn } from './pod-commands.js';
import { NetworkPolicySync } from './policy-sync.js';
import { runProbeRound, type ProbeSource } from './probe-round.js';
import type { KubeSession } from './session.js';

export class KubeLane implements CaseLane {
  readonly networkPolicies: NetworkPolicySync;
  readonly adminTier: KubeAdminTierObjects;

  /** `touch`: called before anything is written (the driver then knows it has something to clean up). */
  constructor(
    readonly session: KubeSession,
    private readonly touch: () => void,
  ) {
    this.networkPolicies = new NetworkPolicySync(session);
    this.adminTier = new KubeAdminTierObjects(() => session.connection(), session.namespaces);
  }

  get index(): number {
    return this.session.namespaces.lane;
  }

  ensureLayout(c: ResolvedCase, signal?: AbortSignal): Promise<ResolvedPod[]> {
    this.touch();
    return ensureCaseLayout(this.session, c, signal);
  }

  async setPolicies(
    policies: NetworkPolicy[],
    _pods: ResolvedPod[],
    signal?: AbortSignal,
    adminTier?: AdminTierPolicies,
  ): Promise<void> {
    this.touch();
    if (hasAdminTier(adminTier ?? {}) || this.adminTier.size > 0)
      await this.adminTier.set(adminTier ?? {}, signal);
    await this.networkPolicies.sync(policies, signal);
  }

  /**
   * One probe round (see probe-round.ts): one exec per source pod in agent mode, one per probe in
   * agnhost mode. The scenario's probeConcurrency caps the execs in flight, per lane.
   */
  probe(requests: ProbeRequest[], opts: ProbeOptions): Promise<ProbeResult[]> {
    const s = this.session;
    return runProbeRound(
      requests,
      {
        mode: s.config.probeMode,
        execConcurrency: Math.max(1, Math.min(opts.concurrency, s.config.probeConcurrency)),
        agentCommand: AGENT_COMMAND,
        source: (key): ProbeSource => {
          const r = s.pods.get(key);
          if (!r) throw new Error(`probe from ${key}: no such pod in the current layout`);
          return {
            pod: r.handle,
            container: r.containers[0] ?? '',
            ...(r.agnhost ? { agnhost: r.agnhost } : {}),
          };
        },
        // Cluster-wide failures (unreachable, credentials) come back as EnvironmentError and stop the round.
        exec: (src, argv, o) => execIn(s, src.pod, src.container, argv, o, `exec a probe in ${src.pod.key}`),
      },
      opts,
    );
  }

  /**
   * Held flows (docs/policy-change.md): the agent's `hold` mode in each source pod's agent container,
   * started and stopped through the exec API. Needs the agent (probeMode agent): agnhost pods have no
   * process that can hold a flow and report it.
   */
  holdFlows(flows: HeldFlowRequest[], signal?: AbortSignal): Promise<HeldFlows> {
    const s = this.session;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return holdBySource(flows, (from, args) => {
      const r = s.pods.get(from);
      if (!r) throw new Error(`holdFlows from ${from}: no such pod in the current layout`);
      if (!r.containers.includes('agent'))
        throw new Error(
          `holdFlows from ${from}: probeMode ${s.config.probeMode} pods have no cnibench agent to hold a flow`,
        );
      const w = readyWatcher();
      return spawnIn(s, r.handle, ['agent', ...args], w.feed).then((proc) => ({ proc, ready: w.ready }));
    });
  }

  /** Forgets what it applied (the run's namespaces were deleted). */
  forget(): void {
    this.session.forget();
    this.networkPolicies.forget();
  }
}
