/**
 * Holds a store open for writing in its own process, for the lock tests: it creates
 * /hello, reports `R PID`, then commits one file per tick and reports `C NAME` after
 * each commit, until it is killed.
 * Usage: node --import tsx test/store/holderChild.ts STORE_DIR
 */
import { writeSync } from 'node:fs';
import { writeWholeFile } from '../../engine/fs/pathOps.js';
import { ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { Store } from '../../engine/store/Store.js';

const store = await Store.open(process.argv[2]!);
const vfs = new Vfs(store);
await writeWholeFile(vfs, '/hello', Buffer.from('hello from the writer'), 0o644, ROOT_CRED);
writeSync(1, `R ${process.pid}\n`);
let n = 0;
setInterval(() => {
  n += 1;
  const name = `tick-${n}`;
  void writeWholeFile(vfs, `/${name}`, Buffer.from(`tick ${n}`), 0o644, ROOT_CRED).then(() =>
    writeSync(1, `C ${name}\n`),
  );
}, 20);
