/**
 * Loads the compiled policy tables (NetworkPolicy and the admin tier) into the nodes. One nft
 * transaction per node whose ruleset changed (nodes are separate network namespaces, so they cannot
 * share one transaction); each transaction replaces the node's table atomically, so a node never
 * runs half a policy set. Each node keeps one `nft -i` process for its transactions (nft-shell.ts),
 * as starting nft for every change costs more than the change. Unchanged nodes are left alone, which
 * keeps a policy edit that touches one node's pods cheap.
 */
import type { AdminTierSet } from '../../netpol/admin-tier.js';
import type { Labels, NetworkPolicy } from '../../netpol/types.js';
import { nftTableName } from './names.js';
import { compileNodeRuleset, deleteTableScript, replaceTableScript, type NftPod } from './nft-compile.js';
import { NftShell } from './nft-shell.js';
import { inNetns, run } from './sh.js';
import type { LocalTopology } from './topology.js';

export interface ApplyReport {
  /** Nodes whose table was (re)loaded. */
  changedNodes: string[];
  /** Total bytes of nft script loaded. */
  scriptBytes: number;
}

export class NftPolicyDataplane {
  readonly table: string;
  private readonly applied = new Map<string, string>();
  private readonly shells = new Map<string, NftShell>();

  constructor(private readonly topo: LocalTopology) {
    this.table = nftTableName(topo.runId);
  }

  /** Compiles and loads `policies` (and the admin tier, when given) on every node. */
  async apply(
    policies: NetworkPolicy[],
    pods: NftPod[],
    namespaces: Record<string, Labels>,
    signal?: AbortSignal,
    adminTier?: AdminTierSet,
  ): Promise<ApplyReport> {
    const changedNodes: string[] = [];
    let scriptBytes = 0;
    await Promise.all(
      this.topo.nodeNames.map(async (node) => {
        const ruleset = compileNodeRuleset({
          table: this.table,
          node,
          policies,
          adminTier,
          pods,
          namespaces,
        });
        if (this.applied.get(node) === ruleset) return;
        const script = replaceTableScript(this.table, ruleset);
        scriptBytes += script.length;
        // Forget what was applied first: if loading fails, the next apply must not skip this node.
        this.applied.delete(node);
        await this.shell(node).apply(this.table, script, signal);
        this.applied.set(node, ruleset);
        changedNodes.push(node);
      }),
    );
    return { changedNodes: changedNodes.sort(), scriptBytes };
  }

  private shell(node: string): NftShell {
    let sh = this.shells.get(node);
    if (!sh)
      this.shells.set(node, (sh = new NftShell(this.topo.command(this.topo.nodeNetns(node), ['nft', '-i']))));
    return sh;
  }

  /** Ends the nodes' nft processes (before their namespaces go); the next apply starts new ones. */
  async close(): Promise<void> {
    const shells = [...this.shells.values()];
    this.shells.clear();
    await Promise.all(shells.map((s) => s.close()));
  }

  /** Removes the table from every node (no policy: everything allowed). */
  async clear(signal?: AbortSignal): Promise<void> {
    await Promise.all(
      this.topo.nodeNames.map((node) =>
        run(this.topo.command(this.topo.nodeNetns(node), ['nft', '-f', '-']), {
          input: deleteTableScript(this.table),
          signal,
        }),
      ),
    );
    this.applied.clear();
  }

  /** The ruleset currently loaded on a node, as nft prints it (for debugging and tests). */
  async listed(node: string): Promise<string> {
    const r = await run(inNetns(this.topo.nodeNetns(node), ['nft', 'list', 'table', 'inet', this.table]), {
      allowFail: true,
    });
    return r.stdout;
  }
}
