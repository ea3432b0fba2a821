/** Every top-level command, one file each (or one file per command group). */
import type { CommandModule } from 'yargs';

import { commands as scenarioCommands } from './scenario.js';
import { commands as runCommands } from './run.js';
import { commands as compareCommands } from './compare.js';
import { commands as netpolCommands } from './netpol.js';
import { commands as installCommands } from './install.js';
import { commands as detectCommands } from './detect.js';
import { commands as cniCommands } from './cni.js';
import { commands as clusterCommands } from './cluster.js';
import { commands as rbacCommands } from './rbac.js';
import { commands as cleanupCommands } from './cleanup.js';
import { commands as reportCommands } from './report.js';
import { commands as factsCommands } from './facts.js';
import { commands as checkCommands } from './check.js';

// Each command file exports `commands`; add one import and one spread per file.
// Each command's argument type differs and CommandModule is invariant in it, so the list is untyped
// here; every module was type-checked against its own builder (see ../command.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const allCommands: CommandModule<object, any>[] = [
  ...runCommands,
  ...scenarioCommands,
  ...compareCommands,
  ...netpolCommands,
  ...installCommands,
  ...detectCommands,
  ...cniCommands,
  ...clusterCommands,
  ...rbacCommands,
  ...cleanupCommands,
  ...reportCommands,
  ...factsCommands,
  ...checkCommands,
];
