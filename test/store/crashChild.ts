/**
 * The crash test's writer: opens a store and changes files through the Vfs from several
 * concurrent workers until it is killed. Every line goes out with a synchronous write
 * before the next step: `I <op json>` before an operation starts, `C <seq>` once it is
 * committed, `S <seq>` for every operation a completed sync() covers.
 * Usage: node --import tsx test/store/crashChild.ts STORE_DIR SEED SLOTS
 */
import { writeSync } from 'node:fs';
import { Vfs } from '../../engine/fs/Vfs.js';
import { O_WRONLY, ROOT_CRED } from '../../engine/fs/types.js';
import { VECTOR_XATTR } from '../../engine/store/layout.js';
import { Store } from '../../engine/store/Store.js';
import { applyOp, CRASH_DIRS, emptySlot, vectorFor, WRITE_BYTES, type CrashOp, type SlotState } from './crashModel.js';
import { prng, seededBytes } from './helpers.js';

const [dir, seedText, slotsText] = process.argv.slice(2);
const random = prng(Number(seedText));
const slots = Number(slotsText ?? 8);
const say = (line: string): void => void writeSync(1, `${line}\n`);

const store = await Store.open(dir!, {});
const vfs = new Vfs(store);
const cred = ROOT_CRED;
const dirInos = Array.from({ length: CRASH_DIRS }, (_, i) => vfs.childIno(1, `d${i}`));
let seq = 0;
const acked: number[] = [];
say('R');

function nextOp(slot: number, state: SlotState): CrashOp {
  seq += 1;
  const r = random();
  if (state.name === null) {
    return { seq, slot, kind: 'create', dir: Math.floor(random() * CRASH_DIRS), name: `s${slot}-${seq}` };
  }
  if (r < 0.55) return { seq, slot, kind: 'write', offset: Math.floor(random() * 4) * WRITE_BYTES, seed: seq };
  if (r < 0.75) return { seq, slot, kind: 'rename', dir: Math.floor(random() * CRASH_DIRS), name: `s${slot}-${seq}` };
  if (r < 0.95) return { seq, slot, kind: 'xattr', seed: seq };
  return { seq, slot, kind: 'unlink' };
}

async function perform(op: CrashOp, state: SlotState): Promise<void> {
  const parent = dirInos[state.dir]!;
  switch (op.kind) {
    case 'create': {
      const { fh } = await vfs.create(dirInos[op.dir]!, op.name, 0o644, O_WRONLY, cred);
      await vfs.release(fh);
      return;
    }
    case 'write': {
      const ino = vfs.childIno(parent, state.name!);
      const fh = await vfs.open(ino, O_WRONLY, cred);
      await vfs.write(fh, op.offset, seededBytes(op.seed, WRITE_BYTES), cred);
      await vfs.release(fh);
      return;
    }
    case 'rename':
      return vfs.rename(parent, state.name!, dirInos[op.dir]!, op.name, 0, cred);
    case 'xattr':
      return vfs.xattr.set(vfs.childIno(parent, state.name!), VECTOR_XATTR, vectorFor(op.seed), 0, cred);
    case 'unlink':
      return vfs.unlink(parent, state.name!, cred);
  }
}

async function worker(slot: number): Promise<never> {
  let state = emptySlot();
  for (;;) {
    const op = nextOp(slot, state);
    say(`I ${JSON.stringify(op)}`);
    await perform(op, state);
    acked.push(op.seq);
    say(`C ${op.seq}`);
    state = applyOp(state, op);
  }
}

async function syncer(): Promise<never> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2 + random() * 30));
    const covered = acked.splice(0);
    await store.sync();
    for (const s of covered) say(`S ${s}`);
  }
}

await Promise.all([...Array.from({ length: slots }, (_, slot) => worker(slot)), syncer()]);
