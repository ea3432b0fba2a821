/**
 * What a Calico plan needs from outside: the release manifests (operator-crds.yaml from v3.30, then
 * tigera-operator.yaml) from settings.manifest, the cache or a download, and for the eBPF dataplane the
 * API server address as nodes reach it.
 */
import { InputError } from '../../util/errors.js';
import { siblingOf } from '../artifacts.js';
import { apiServerEndpoint } from '../cluster-facts.js';
import type { KubeCandidate } from '../../scenario/schema.js';
import type { Artifact, PlanInputs, PrepareEnv } from '../installer.js';
import { calicoManifests, CALICO_OPERATOR_FILE } from './release.js';
import { calicoSettingsOf } from './settings.js';

export async function prepareCalico(candidate: KubeCandidate, env: PrepareEnv): Promise<PlanInputs> {
  const s = calicoSettingsOf(candidate);
  const explicit = s.manifest;
  const manifests: Record<string, Artifact> = {};
  for (const file of calicoManifests(candidate.version)) {
    // settings.manifest names tigera-operator.yaml; the CRD manifest is looked for next to it.
    const at =
      explicit === undefined
        ? undefined
        : file.key.file === CALICO_OPERATOR_FILE
          ? explicit
          : siblingOf(explicit, file.key.file);
    const artifact = await env.resolve(file, { explicit: at }).catch((err: unknown) => {
      if (err instanceof InputError && at !== explicit)
        throw new InputError(
          `candidate "${candidate.name}": Calico ${candidate.version} also needs ${file.key.file} (${file.role}) next to settings.manifest: ${err.message}`,
        );
      throw err;
    });
    if (artifact) manifests[file.key.file] = artifact;
  }
  const inputs: PlanInputs = { manifests };
  if (env.kube && s.dataplane === 'BPF') inputs.apiServer = await apiServerEndpoint(env.kube);
  return inputs;
}
