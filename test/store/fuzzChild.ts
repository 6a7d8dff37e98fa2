/**
 * Random bytes as store files, in a process of its own: every input must end in a typed
 * error or a working store, from fsck, a read-only open with reads, and a writer open
 * with a write; never an exception of another kind, an abort or a hang (the parent
 * watches the clock). Prints `BAD <json>` for an untyped failure and a final `DONE <json>`.
 * Usage: node --import tsx test/store/fuzzChild.ts CLOSED_GOLDEN CRASHED_GOLDEN WORK_DIR SEED INPUTS
 */
import {
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
  mkdirSync,
} from 'node:fs';
import { join } from 'node:path';
import { isVexError } from '../../engine/errors.js';
import { readRange, writeWholeFile } from '../../engine/fs/pathOps.js';
import { ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { fsck } from '../../engine/store/fsck.js';
import { DB_FILE, WAL_FILE } from '../../engine/store/layout.js';
import { Store } from '../../engine/store/Store.js';
import { randomBytes } from './damage.js';
import { prng } from './helpers.js';

const [closedGolden, crashedGolden, work, seedText, inputsText] = process.argv.slice(2);
const random = prng(Number(seedText));
const say = (line: string): void => void writeSync(1, `${line}\n`);
const goldenDb = readFileSync(join(closedGolden!, DB_FILE));
const crashedDb = readFileSync(join(crashedGolden!, DB_FILE));
const crashedWal = readFileSync(join(crashedGolden!, WAL_FILE));
const dir = join(work!, `fuzz-${seedText}`);
mkdirSync(dir, { recursive: true });
const outcomes: Record<string, number> = {};
let bad = 0;

function mutate(source: Buffer, edits: number): Buffer {
  const out = Buffer.from(source);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * out.length);
    if (random() < 0.5) out[at] = Math.floor(random() * 256);
    else randomBytes(Math.min(64, out.length - at), random).copy(out, at);
  }
  return out;
}

/** One input: the bytes of store.db and, maybe, of its WAL. */
function makeInput(i: number): { kind: string; db: Buffer; wal: Buffer | null } {
  switch (i % 6) {
    case 0:
      return { kind: 'random', db: randomBytes(Math.floor(random() * 20_000), random), wal: null };
    case 1: {
      const pages = 1 + Math.floor(random() * 8);
      const db = randomBytes(pages * 4096, random);
      goldenDb.copy(db, 0, 0, 100);
      return { kind: 'header+random', db, wal: null };
    }
    case 2:
      return { kind: 'mutated db', db: mutate(goldenDb, 1 + Math.floor(random() * 20)), wal: null };
    case 3: {
      const db = Buffer.from(goldenDb);
      const length = 1 + Math.floor(random() * 8192);
      const at = 100 + Math.floor(random() * (db.length - 100));
      randomBytes(Math.min(length, db.length - at), random).copy(db, at);
      return { kind: 'random range in db', db, wal: null };
    }
    case 4: {
      const wal = randomBytes(Math.floor(random() * 3) * 4120 + Math.floor(random() * 200), random);
      if (random() < 0.5 && wal.length >= 32) crashedWal.copy(wal, 0, 0, 32);
      return { kind: 'random wal', db: crashedDb, wal };
    }
    default:
      return random() < 0.5
        ? { kind: 'mutated wal', db: crashedDb, wal: mutate(crashedWal, 1 + Math.floor(random() * 10)) }
        : { kind: 'mutated db + wal', db: mutate(crashedDb, 1 + Math.floor(random() * 10)), wal: crashedWal };
  }
}

function record(step: string, kind: string, error: unknown): void {
  if (isVexError(error)) {
    const key = `${step}:${error.code}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    return;
  }
  bad += 1;
  say(
    `BAD ${JSON.stringify({ step, kind, error: error instanceof Error ? (error.stack ?? error.message) : String(error) })}`,
  );
}

for (let i = 0; i < Number(inputsText); i++) {
  for (const name of readdirSync(dir)) rmSync(join(dir, name), { force: true, recursive: true });
  const input = makeInput(i);
  writeFileSync(join(dir, DB_FILE), input.db);
  if (input.wal !== null) writeFileSync(join(dir, WAL_FILE), input.wal);
  // A copy of the lock file of a real store: the lock must work whatever the database holds.
  if (existsSync(join(closedGolden!, 'writer.lock')))
    copyFileSync(join(closedGolden!, 'writer.lock'), join(dir, 'writer.lock'));
  try {
    await fsck(dir);
  } catch (error) {
    record('fsck', input.kind, error);
  }
  let readable = false;
  try {
    const store = await Store.open(dir, { readOnly: true });
    try {
      const vfs = new Vfs(store);
      const fh = vfs.opendir(1, ROOT_CRED);
      for (const entry of vfs.readdir(fh, 0, 50)) {
        if (entry.kind === 'file') await readRange(vfs, `/${entry.name}`, ROOT_CRED, 0, 1 << 20);
      }
      vfs.releasedir(fh);
      outcomes['read:ok'] = (outcomes['read:ok'] ?? 0) + 1;
      readable = true;
    } finally {
      await store.close();
    }
  } catch (error) {
    record('read', input.kind, error);
  }
  // A writer open runs the same checks as a read-only one, plus the lock and recovery: try it on
  // every store that opened, and on a quarter of the refused ones.
  if (!readable && i % 4 !== 0) continue;
  try {
    const store = await Store.open(dir);
    try {
      await writeWholeFile(new Vfs(store), '/fuzz-write', Buffer.from('x'), 0o644, ROOT_CRED);
      outcomes['write:ok'] = (outcomes['write:ok'] ?? 0) + 1;
    } finally {
      await store.close();
    }
  } catch (error) {
    record('write', input.kind, error);
  }
}
rmSync(dir, { recursive: true, force: true });
say(`DONE ${JSON.stringify({ inputs: Number(inputsText), bad, outcomes })}`);
