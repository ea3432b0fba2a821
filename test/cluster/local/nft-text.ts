/**
 * For tests of compiled nft tables: the three pods they compile for (x/a and y/a on node-0, x/b on
 * node-1, labelled pod=<name>), the rules of one chain, the elements of one set.
 */
import assert from 'node:assert/strict';
import type { NftPod } from '../../../src/cluster/local/nft-compile.js';
import type { ContainerPort } from '../../../src/netpol/types.js';

/** A pod labelled pod=<name>. */
export function nftPod(ns: string, name: string, ip: string, node: string, ports: ContainerPort[]): NftPod {
  return {
    key: `${ns}/${name}`,
    namespace: ns,
    labels: { pod: name },
    ip,
    node,
    ports: ports.map((p) => ({ ...p })),
  };
}

export function threePods(ports: ContainerPort[]): NftPod[] {
  const pod = (ns: string, name: string, ip: string, node: string) => nftPod(ns, name, ip, node, ports);
  return [
    pod('x', 'a', '10.244.1.10', 'node-0'),
    pod('x', 'b', '10.244.1.11', 'node-1'),
    pod('y', 'a', '10.244.2.10', 'node-0'),
  ];
}

/** Lines of one chain, without indentation. */
export function chain(text: string, name: string): string[] {
  const start = text.indexOf(`\tchain ${name} {`);
  assert.ok(start >= 0, `chain ${name} missing`);
  const end = text.indexOf('\n\t}', start);
  return text
    .slice(start, end)
    .split('\n')
    .slice(1)
    .map((l) => l.trim());
}

export function setElements(text: string, name: string): string | undefined {
  const m = new RegExp(`set ${name} \\{[^}]*?elements = \\{ ([^}]*) \\}`).exec(text);
  return m?.[1];
}
