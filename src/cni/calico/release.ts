/**
 * The files a Calico release is installed from, per version: from v3.30.0 the CRDs are published as
 * their own manifest, operator-crds.yaml, and tigera-operator.yaml no longer contains any (v3.28 and
 * v3.29 ship them inside tigera-operator.yaml, and operator-crds.yaml only as a duplicate).
 */
import { compareVersions, hasFeature } from '../../scenario/cni-versions.js';
import { CALICO_FEATURES } from './versions.js';
import type { ReleaseFile } from '../release-file.js';

/** Calico tags carry a leading "v" (v3.29.1); scenarios may omit it. */
export const calicoTag = (version: string): string => (version.startsWith('v') ? version : `v${version}`);

export const CALICO_OPERATOR_FILE = 'tigera-operator.yaml';
export const CALICO_CRDS_FILE = 'operator-crds.yaml';

function calicoManifestUrl(version: string, file = CALICO_OPERATOR_FILE): string {
  return `https://raw.githubusercontent.com/projectcalico/calico/${calicoTag(version)}/manifests/${file}`;
}

/** The manifests to apply, in order: the CRDs (from v3.30.0 a file of their own), then the operator. */
export function calicoManifests(version: string): ReleaseFile[] {
  const tag = calicoTag(version);
  const file = (name: string, role: string): ReleaseFile => ({
    key: { cni: 'calico', version: tag, file: name },
    url: calicoManifestUrl(tag, name),
    role,
    text: true,
  });
  return hasFeature(CALICO_FEATURES.separateCrdManifest, tag)
    ? [
        file(CALICO_CRDS_FILE, 'the operator and Calico CRDs'),
        file(CALICO_OPERATOR_FILE, 'the Tigera operator'),
      ]
    : [file(CALICO_OPERATOR_FILE, 'the Tigera operator and its CRDs')];
}

/**
 * The registry the Tigera operator pulls Calico's own images from when the Installation names none
 * (`CalicoRegistry` in tigera/operator pkg/components/images.go): docker.io up to operator v1.38.6
 * (Calico v3.28.x, v3.29.x and v3.30.0–v3.30.3, operators v1.34, v1.36 and v1.38.0–v1.38.6), quay.io
 * from operator v1.38.7 (Calico v3.30.4) on. The operator's own image is in tigera-operator.yaml.
 */
const CALICO_QUAY_SINCE = { calico: 'v3.30.4', operator: 'v1.38.7' } as const;

export function calicoImageRegistry(version: string): 'docker.io' | 'quay.io' {
  return compareVersions(calicoTag(version), CALICO_QUAY_SINCE.calico) >= 0 ? 'quay.io' : 'docker.io';
}

/** The same rule keyed by the operator release (the tag of quay.io/tigera/operator in the manifest). */
export function operatorCalicoRegistry(operatorVersion: string): 'docker.io' | 'quay.io' {
  return compareVersions(operatorVersion, CALICO_QUAY_SINCE.operator) >= 0 ? 'quay.io' : 'docker.io';
}
