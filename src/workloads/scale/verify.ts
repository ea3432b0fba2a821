/**
 * Checks a generated policy set against the exact NetworkPolicy model: the perf pair must be allowed
 * on every perf port, and the probe pair must be allowed (or denied, with the extra policy). A
 * violation is a bug in the generator, never a property of the CNI, so it throws before anything is
 * measured.
 */
import { isAllowed } from '../../netpol/truth-table.js';
import {
  NAMESPACE_NAME_LABEL,
  servePortName,
  type Labels,
  type NetworkPolicy,
  type ResolvedCase,
  type ResolvedPod,
} from '../../netpol/types.js';
import { fillerPodLabels, PROBE_CLIENT, PROBE_SERVER, type ScaleLayout } from './layout.js';

/**
 * The model's view of the sweep's cluster. `layoutPods` are the pods ensureLayout returned (real IPs);
 * without them synthetic addresses from 100.64.0.0/10 (never used by pods or by the generated
 * ipBlocks) stand in.
 */
export function scaleModelCase(
  layout: ScaleLayout,
  policies: NetworkPolicy[],
  layoutPods?: ResolvedPod[],
): ResolvedCase {
  const namespaces: Record<string, Labels> = {};
  const addNs = (ns: string, labels: Labels = {}) => {
    namespaces[ns] = { ...(namespaces[ns] ?? {}), ...labels, [NAMESPACE_NAME_LABEL]: ns };
  };
  for (const ns of layout.fillerNamespaces) addNs(ns, layout.namespaceLabels[ns]);
  addNs(layout.probeNamespace, { purpose: 'probe' });
  addNs(layout.perf.clientNamespace);
  addNs(layout.perf.serverNamespace);

  const probePorts = [{ name: servePortName(layout.probe.port, layout.probe.protocol), ...layout.probe }];
  const perfPorts = layout.perf.ports.map((p) => ({ name: servePortName(p.port, p.protocol), ...p }));
  let next = 0;
  const synthIp = () => {
    next++;
    return `100.64.${Math.floor(next / 250)}.${(next % 250) + 1}`;
  };
  const pod = (
    namespace: string,
    name: string,
    labels: Labels,
    ports = probePorts,
    ip?: string,
  ): ResolvedPod => ({
    namespace,
    name,
    key: `${namespace}/${name}`,
    labels,
    ip: ip ?? synthIp(),
    ports,
  });
  let pods: ResolvedPod[];
  if (layoutPods) pods = layoutPods.map((p) => ({ ...p }));
  else {
    pods = [];
    for (const ns of layout.fillerNamespaces)
      for (let i = 0; i < layout.fillerPodsPerNamespace; i++)
        pods.push(pod(ns, `filler-${i}`, fillerPodLabels(i)));
    pods.push(pod(layout.probeNamespace, PROBE_CLIENT, { role: PROBE_CLIENT }));
    pods.push(pod(layout.probeNamespace, PROBE_SERVER, { role: PROBE_SERVER }));
  }
  const { perf } = layout;
  // Perf pods' labels are the driver's business; the perf allow selects by namespace only.
  pods.push(pod(perf.clientNamespace, perf.clientName, {}, perfPorts, perf.clientIp));
  if (`${perf.serverNamespace}/${perf.serverName}` !== `${perf.clientNamespace}/${perf.clientName}`)
    pods.push(pod(perf.serverNamespace, perf.serverName, {}, perfPorts, perf.serverIp));
  return {
    name: `policy-scale (${policies.length} policies)`,
    tags: ['policy-scale'],
    namespaces,
    pods,
    policies,
    probes: [layout.probe, ...layout.perf.ports],
  };
}

export interface ScaleCheck {
  perfAllowed: boolean;
  /** Ports (e.g. "5201/TCP") on which the perf pair would be denied. */
  perfDenied: string[];
  probeAllowed: boolean;
}

export function checkScalePolicies(
  layout: ScaleLayout,
  policies: NetworkPolicy[],
  layoutPods?: ResolvedPod[],
): ScaleCheck {
  const c = scaleModelCase(layout, policies, layoutPods);
  const { perf } = layout;
  const client = `${perf.clientNamespace}/${perf.clientName}`;
  const server = `${perf.serverNamespace}/${perf.serverName}`;
  const perfDenied = perf.ports
    .filter((p) => !isAllowed(c, client, server, { port: p.port, protocol: p.protocol }))
    .map((p) => `${p.port}/${p.protocol}`);
  const probeAllowed = isAllowed(
    c,
    `${layout.probeNamespace}/${PROBE_CLIENT}`,
    `${layout.probeNamespace}/${PROBE_SERVER}`,
    layout.probe,
  );
  return { perfAllowed: perfDenied.length === 0, perfDenied, probeAllowed };
}

/** Throws unless the perf pair is allowed and the probe pair is as expected. */
export function assertScalePolicies(
  layout: ScaleLayout,
  policies: NetworkPolicy[],
  expectProbeAllowed: boolean,
  layoutPods?: ResolvedPod[],
): void {
  const r = checkScalePolicies(layout, policies, layoutPods);
  if (!r.perfAllowed) {
    throw new Error(
      `policy-scale generator bug: with ${policies.length} policies the model denies the perf pair on ${r.perfDenied.join(', ')}`,
    );
  }
  if (r.probeAllowed !== expectProbeAllowed) {
    throw new Error(
      `policy-scale generator bug: with ${policies.length} policies the model says the probe pair is ${r.probeAllowed ? 'allowed' : 'denied'}, expected ${expectProbeAllowed ? 'allowed' : 'denied'}`,
    );
  }
}
