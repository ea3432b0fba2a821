/** The nftables engine: policy compiled to one table per node, in the forward hook (nft-*.ts). */
import { NftPolicyDataplane } from '../../nft-apply.js';
import { run, inNetns } from '../../sh.js';
import type { LocalPolicyEngine } from '../types.js';

export const nftablesEngine: LocalPolicyEngine = {
  name: 'nftables',
  capabilities: {
    needsBpf: false,
    requires: ['nftables (nft)'],
    enforcement: "nftables chains in each node's forward hook, one atomic table per node",
    memory:
      "bytes of the loaded ruleset as `nft list table` prints it on every node (the kernel does not report a table's memory)",
  },
  // The local preflight already checks for nft.
  preflight: () => Promise.resolve(),
  create(topology) {
    const dp = new NftPolicyDataplane(topology);
    return {
      async apply(policies, pods, namespaces, signal, adminTier) {
        await dp.apply(policies, pods, namespaces, signal, adminTier);
      },
      podsChanged: () => Promise.resolve(),
      async memoryBytes() {
        // What the kernel holds is not exposed per table; the loaded ruleset's text is the best proxy.
        let total = 0;
        for (const node of topology.nodeNames) {
          const r = await run(inNetns(topology.nodeNetns(node), ['nft', 'list', 'table', 'inet', dp.table]), {
            allowFail: true,
          });
          total += r.stdout.length;
        }
        return total;
      },
      close: () => dp.close(),
    };
  },
};
