/**
 * The real-cluster CNIs, one line each. A CNI is a folder (src/cni/<name>/) whose installer implements
 * the CniInstaller contract; registering it here is all that makes the CLI's choices, the scenario
 * schema's `cni` values, the version matrix, `plan` and `install` know it (docs/architecture.md, "Add a
 * CNI"). `registerCni` adds one more at start-up (tests register a fake third CNI this way).
 */
import { calicoInstaller } from './calico/installer.js';
import { ciliumInstaller } from './cilium/installer.js';
import type { CniInstaller } from './installer.js';

const INSTALLERS: CniInstaller[] = [calicoInstaller, ciliumInstaller];

/** Adds a CNI; its name must be new. */
export function registerCni(installer: CniInstaller): void {
  if (INSTALLERS.some((i) => i.name === installer.name))
    throw new Error(`a CNI named "${installer.name}" is already registered`);
  INSTALLERS.push(installer);
}

/** Every registered CNI, in registration order. */
export function installers(): readonly CniInstaller[] {
  return INSTALLERS;
}

/** The registered CNIs' names (the CLI's choices). */
export function cniNames(): string[] {
  return INSTALLERS.map((i) => i.name);
}

/** The installer of a registered CNI; the scenario loader admits no other name. */
export function installerFor(cni: string): CniInstaller {
  const found = INSTALLERS.find((i) => i.name === cni);
  if (!found) throw new Error(`no CNI named "${cni}" is registered (have: ${cniNames().join(', ')})`);
  return found;
}

/** How a CNI is written ("Calico"); a CNI cnibench does not install keeps its detected name. */
export function cniTitle(cni: string): string {
  return INSTALLERS.find((i) => i.name === cni)?.title ?? cni;
}
