/** The cnibench CLI with the test CNI registered: the recipe's one registration line, then the CLI. */
import { registerCni } from '../../../src/cni/registry.js';
import { flatnetInstaller } from './installer.js';

registerCni(flatnetInstaller);
await import('../../../src/cli/main.js');
