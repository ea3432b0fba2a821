import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
for (const v of process.argv.slice(2)) {
  const vals = parse(readFileSync(`/tmp/charts/${v}/cilium/values.yaml`, 'utf8'));
  const out = [];
  const walk = (n, p) => { if (n && typeof n === 'object' && !Array.isArray(n)) { if ('repository' in n && typeof n.repository === 'string') out.push(`${p.join('.')}=${n.repository}:${n.tag ?? ''}${n.useDigest ? ' (digest)' : ''}`); for (const [k, x] of Object.entries(n)) walk(x, [...p, k]); } };
  walk(vals, []);
  console.log('==', v, out.length); console.log(out.join('\n'));
  console.log('operator.replicas', vals.operator.replicas, JSON.stringify(vals.operator.affinity));
  console.log('kpr', JSON.stringify(vals.kubeProxyReplacement), 'routingMode', vals.routingMode, 'tunnelProtocol', vals.tunnelProtocol, 'cnpol', JSON.stringify(vals.k8sClusterNetworkPolicy));
}
