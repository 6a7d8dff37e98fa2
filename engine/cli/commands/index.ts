import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { configCommand } from './config.js';
import { benchCommand } from './bench.js';
import { storeCommand } from './store.js';
import { fsckCommand } from './fsck.js';

/** Every `vexctl` command, in the order `vexctl --help` lists them. Add one line per command module. */
export const commands: readonly Command[] = [demoCommand, configCommand, benchCommand, storeCommand, fsckCommand];
