/**
 * Fills in a policy case's defaults so the model and every driver see exactly the same cluster:
 * the implicit namespace name label, pod IPs and container ports.
 */
import { InputError, messageOf } from '../util/errors.js';
import { canonicalIp, parseIp } from './cidr.js';
import {
  NAMESPACE_NAME_LABEL,
  servePortName,
  type ContainerPort,
  type Labels,
  type PolicyCase,
  type Probe,
  type ResolvedCase,
  type ResolvedPod,
} from './types.js';

/** Key of a pod in truth tables and explanations: "namespace/name". */
function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** One container port per distinct probe, named servePortName(port, protocol). */
function defaultPorts(probes: Probe[]): ContainerPort[] {
  const seen = new Set<string>();
  const out: ContainerPort[] = [];
  for (const p of probes) {
    const name = servePortName(p.port, p.protocol);
    if (seen.has(name)) continue;
    seen.add(name);
    out.push({ name, port: p.port, protocol: p.protocol });
  }
  return out;
}

/**
 * Resolves a case. Namespaces get index j in order of first appearance (the namespaces map
 * first, then pods); the i-th pod of a namespace without an explicit ip gets 10.244.(j+1).(i+10).
 * Throws InputError on duplicate pod keys, duplicate IPs, bad IPs or duplicate port names.
 */
export function resolveCase(c: PolicyCase): ResolvedCase {
  const where = `case "${c.name}"`;
  const namespaces: Record<string, Labels> = {};
  const nsIndex = new Map<string, number>();
  const addNamespace = (ns: string, labels: Labels): void => {
    if (!nsIndex.has(ns)) nsIndex.set(ns, nsIndex.size);
    // The API server sets this label on every namespace and it cannot be overridden.
    namespaces[ns] = { ...labels, [NAMESPACE_NAME_LABEL]: ns };
  };
  /** The index of a pod's namespace; a namespace only pods name gets plain labels. */
  const namespaceIndex = (ns: string): number => {
    const known = nsIndex.get(ns);
    if (known !== undefined) return known;
    addNamespace(ns, {});
    return nsIndex.size - 1;
  };
  for (const [ns, labels] of Object.entries(c.namespaces ?? {})) addNamespace(ns, labels ?? {});
  for (const p of c.pods) namespaceIndex(p.namespace);

  const probePorts = defaultPorts(c.probes);
  const perNamespaceCount = new Map<string, number>();
  const keys = new Set<string>();
  const ips = new Map<string, string>();
  const pods: ResolvedPod[] = c.pods.map((p, idx) => {
    const key = podKey(p.namespace, p.name);
    if (keys.has(key)) throw new InputError(`${where}: pods[${idx}]: duplicate pod "${key}"`);
    keys.add(key);
    const i = perNamespaceCount.get(p.namespace) ?? 0;
    perNamespaceCount.set(p.namespace, i + 1);
    let ip: string;
    if (p.ip !== undefined) {
      try {
        parseIp(p.ip);
      } catch (e) {
        throw new InputError(`${where}: pods[${idx}].ip: ${messageOf(e)}`);
      }
      ip = canonicalIp(p.ip);
    } else {
      const j = namespaceIndex(p.namespace);
      // 10.244.x.y leaves room for 254 namespaces of 245 pods; beyond that addresses would be invalid.
      if (j + 1 > 255 || i + 10 > 254) {
        throw new InputError(`${where}: pods[${idx}]: too many pods/namespaces to assign an IP; set "ip"`);
      }
      ip = `10.244.${j + 1}.${i + 10}`;
    }
    const other = ips.get(ip);
    if (other !== undefined)
      throw new InputError(`${where}: pods[${idx}]: IP ${ip} of "${key}" is also used by "${other}"`);
    ips.set(ip, key);
    const ports = p.ports ? p.ports.map((cp) => ({ ...cp })) : probePorts.map((cp) => ({ ...cp }));
    const names = new Set<string>();
    for (const cp of ports) {
      // Pod validation rejects two container ports with the same name; named-port lookup relies on it.
      if (names.has(cp.name))
        throw new InputError(`${where}: pods[${idx}]: duplicate port name "${cp.name}" in "${key}"`);
      names.add(cp.name);
    }
    return { namespace: p.namespace, name: p.name, key, labels: { ...(p.labels ?? {}) }, ip, ports };
  });

  return {
    name: c.name,
    ...(c.description !== undefined ? { description: c.description } : {}),
    tags: [...(c.tags ?? [])],
    namespaces,
    pods,
    policies: c.policies,
    ...(c.clusterNetworkPolicies !== undefined ? { clusterNetworkPolicies: c.clusterNetworkPolicies } : {}),
    ...(c.adminNetworkPolicies !== undefined ? { adminNetworkPolicies: c.adminNetworkPolicies } : {}),
    ...(c.baselineAdminNetworkPolicy !== undefined
      ? { baselineAdminNetworkPolicy: c.baselineAdminNetworkPolicy }
      : {}),
    probes: c.probes.map((p) => ({ port: p.port, protocol: p.protocol })),
  };
}

/**
 * A case resolved with the addresses its pods really had (a real cluster assigns its own), as the
 * conformance workload evaluated it: pods listed in `addresses` get that IP, the others keep the
 * layout's.
 */
export function resolveWithAddresses(
  c: PolicyCase,
  addresses: ReadonlyArray<{ key: string; ip: string }> | undefined,
): ResolvedCase {
  const resolved = resolveCase(c);
  const real = new Map((addresses ?? []).map((p) => [p.key, p.ip]));
  return { ...resolved, pods: resolved.pods.map((p) => ({ ...p, ip: real.get(p.key) ?? p.ip })) };
}
