/**
 * A ClusterIP-like service for the local cluster: a virtual IP that the client's node DNATs to a
 * backend pod with nftables, the way kube-proxy's nftables mode does it — real nft, real conntrack,
 * real packets. The rule sits in the nat prerouting hook of the *client's* node (where a pod's
 * packets enter the node), so a pod on that node reaching VIP:port lands on backend:port and the
 * reply is un-NATed by the same node's conntrack on its way back.
 *
 * One nft table per run (`ip cnb_<tag>_svc`, inside the node namespace, so it disappears with the
 * namespace); each service owns one chain in it, replaced atomically on every install.
 */
import { runTag } from './names.js';
import { run } from './sh.js';
import type { LocalTopology } from './topology.js';

export interface LocalServiceSpec {
  /** [a-z0-9_]+; the chain's name. */
  name: string;
  vip: string;
  /** Service port = target port, for each protocol listed. */
  ports: number[];
  /** The backend pod's IP. */
  backend: string;
  protocols?: Array<'tcp' | 'udp'>;
}

/** The default perf service VIP (inside 10.96.0.0/12, Kubernetes' default service range). */
export const PERF_SERVICE_VIP = '10.96.0.10';

export function serviceTableName(runId: string): string {
  return `cnb_${runTag(runId)}_svc`;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function check(spec: LocalServiceSpec): void {
  if (!/^[a-z0-9_]{1,30}$/.test(spec.name))
    throw new Error(`service name "${spec.name}" must be [a-z0-9_]{1,30}`);
  for (const ip of [spec.vip, spec.backend]) {
    if (!IPV4.test(ip)) throw new Error(`service ${spec.name}: "${ip}" is not an IPv4 address`);
  }
  if (spec.ports.length === 0) throw new Error(`service ${spec.name}: no ports`);
  for (const p of spec.ports) {
    if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`service ${spec.name}: bad port ${p}`);
  }
}

/** The nft script that (re)defines the service's chain; exported for tests and for `--dry-run` views. */
export function serviceScript(table: string, spec: LocalServiceSpec): string {
  check(spec);
  const chain = `svc_${spec.name}`;
  const ports = [...new Set(spec.ports)].sort((a, b) => a - b).join(', ');
  const rules = (spec.protocols ?? ['tcp', 'udp']).map(
    (proto) => `    ip daddr ${spec.vip} ${proto} dport { ${ports} } dnat to ${spec.backend}`,
  );
  // "add chain" then "flush chain" makes the install idempotent in one atomic transaction.
  return [
    `add table ip ${table}`,
    `add chain ip ${table} ${chain} { type nat hook prerouting priority dstnat; policy accept; }`,
    `flush chain ip ${table} ${chain}`,
    `table ip ${table} {`,
    `  chain ${chain} {`,
    ...rules,
    '  }',
    '}',
    '',
  ].join('\n');
}

/** Installs (or replaces) the service's DNAT on `node`. */
export async function installServiceVip(
  topology: LocalTopology,
  node: string,
  spec: LocalServiceSpec,
  signal?: AbortSignal,
): Promise<void> {
  const ns = topology.nodeNetns(node);
  const script = serviceScript(serviceTableName(topology.runId), spec);
  // Charged to the dataplane's cgroup like the policy rules: the service's rules are dataplane memory.
  await run(topology.command(ns, ['nft', '-f', '-']), { input: script, signal });
}

/** Removes the service's chain from `node` (no error when it is not there). */
export async function removeServiceVip(topology: LocalTopology, node: string, name: string): Promise<void> {
  const ns = topology.nodeNetns(node);
  await run(
    [
      'ip',
      'netns',
      'exec',
      ns,
      'nft',
      'delete',
      'chain',
      'ip',
      serviceTableName(topology.runId),
      `svc_${name}`,
    ],
    {
      allowFail: true,
    },
  );
}
