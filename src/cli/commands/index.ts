/** Every top-level command, one file each (or one file per command group). */
import type { CommandModule } from 'yargs';

import { commands as scenarioCommands } from './scenario.js';

// Each command file exports `commands`; add one import and one spread per file.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const allCommands: CommandModule<any, any>[] = [...scenarioCommands];
