import type { Command } from '../command.js';
import { demoCommand } from './demo.js';
import { configCommand } from './config.js';
import { benchCommand } from './bench.js';
import { storeCommand } from './store.js';
import { fsckCommand } from './fsck.js';
import { fsCommand } from './fs.js';
import { collectionCommand } from './collection.js';
import { vectorCommand } from './vector.js';
import { datasetCommand } from './dataset.js';
import { serveCommand } from './serve.js';

/** Every `vexctl` command, in the order `vexctl --help` lists them. Add one line per command module. */
export const commands: readonly Command[] = [
  demoCommand,
  configCommand,
  benchCommand,
  storeCommand,
  fsckCommand,
  fsCommand,
  collectionCommand,
  vectorCommand,
  datasetCommand,
  serveCommand,
];
