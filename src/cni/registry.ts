/** The installer for each real-cluster CNI. */
import { calicoInstaller } from './calico/installer.js';
import { ciliumInstaller } from './cilium/installer.js';
import type { CniInstaller, CniName } from './installer.js';

const INSTALLERS: Record<CniName, CniInstaller> = { calico: calicoInstaller, cilium: ciliumInstaller };

export function installerFor(cni: CniName): CniInstaller {
  return INSTALLERS[cni];
}
