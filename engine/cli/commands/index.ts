import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { configCommand } from './config.js';
import { benchCommand } from './bench.js';

/** Every `vexctl` command, in the order `vexctl --help` lists them. Add one line per command module. */
export const commands: readonly Command[] = [demoCommand, configCommand, benchCommand];
