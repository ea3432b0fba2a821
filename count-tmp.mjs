import { parseAllDocuments } from 'yaml';
import { execFileSync } from 'node:child_process';
const repo = '/work/.mirror/projectcalico+calico/repo';
for (const t of process.argv.slice(2)) {
  for (const f of ['tigera-operator.yaml', 'operator-crds.yaml']) {
    let text;
    try { text = execFileSync('git', ['-C', repo, 'show', `${t}:manifests/${f}`], { maxBuffer: 1e9 }).toString(); } catch { console.log(t, f, 'missing'); continue; }
    const docs = parseAllDocuments(text).map(d => d.toJS()).filter(Boolean);
    const crds = docs.filter(d => d.kind === 'CustomResourceDefinition');
    const other = docs.filter(d => d.kind !== 'CustomResourceDefinition').map(d => d.kind + '/' + d.metadata.name);
    const inst = crds.find(d => d.metadata.name === 'installations.operator.tigera.io');
    let hasName = '';
    if (inst) { const ip = inst.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.calicoNetwork.properties.ipPools.items.properties; hasName = 'ipPools.name=' + ('name' in ip) + ' preserveUnknown=' + inst.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-preserve-unknown-fields']; }
    const op = docs.find(d => d.kind === 'Deployment');
    const npapi = crds.filter(d => d.spec.group === 'policy.networking.k8s.io').map(d => d.metadata.name + '@' + d.spec.versions.map(v => v.name).join(','));
    console.log(t, f, 'crds', crds.length, hasName, 'npapi', npapi.join(' '), op ? op.spec.template.spec.containers[0].image : '', other.join(' '));
  }
}
