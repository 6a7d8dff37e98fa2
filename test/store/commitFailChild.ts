/**
 * Makes a group commit fail for real: run under a file-size limit (`ulimit -f`), it puts
 * several large writes into one commit group, so that writing the group's WAL frames
 * fails (EFBIG → SQLITE_FULL/IOERR) at COMMIT. Reports how each operation ended, then
 * that the store still takes a small commit and closes.
 * Usage: (ulimit -f N; node --import tsx test/store/commitFailChild.ts STORE_DIR GROUP_OPS BYTES)
 */
import { writeSync } from 'node:fs';
import { writeWholeFile } from '../../engine/fs/pathOps.js';
import { O_WRONLY, ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { Store } from '../../engine/store/Store.js';

// With the handler in place a write past the limit fails with EFBIG instead of killing the process.
process.on('SIGXFSZ', () => undefined);
const [dir, opsText, bytesText] = process.argv.slice(2);
const groupOps = Number(opsText);
const say = (line: string): void => void writeSync(1, `${line}\n`);

const store = await Store.open(dir!);
const vfs = new Vfs(store);
await writeWholeFile(vfs, '/base', Buffer.from('base'), 0o644, ROOT_CRED);
await store.sync();
const handles: number[] = [];
for (let i = 0; i < groupOps; i++) handles.push((await vfs.create(1, `big-${i}`, 0o644, O_WRONLY, ROOT_CRED)).fh);
const before = store.commitStats.commits;
// All in one event-loop turn: one group, one COMMIT.
const outcomes = await Promise.allSettled(
  handles.map((fh, i) => vfs.write(fh, 0, Buffer.alloc(Number(bytesText), i + 1), ROOT_CRED)),
);
for (const [i, outcome] of outcomes.entries()) {
  say(
    outcome.status === 'fulfilled'
      ? `W ${i} ok`
      : `W ${i} ${(outcome.reason as { code?: string }).code ?? String(outcome.reason)}`,
  );
}
say(`G ${store.commitStats.commits - before}`);
for (const fh of handles) await vfs.release(fh);
await writeWholeFile(vfs, '/after', Buffer.from('after'), 0o644, ROOT_CRED);
say('A ok');
await store.close();
say('closed');
