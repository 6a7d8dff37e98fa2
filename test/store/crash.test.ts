import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readRange } from '../../engine/fs/pathOps.js';
import { ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { fsck } from '../../engine/store/fsck.js';
import { VECTOR_XATTR } from '../../engine/store/layout.js';
import { Store } from '../../engine/store/Store.js';
import { applyOp, CRASH_DIM, CRASH_DIRS, emptySlot, type CrashOp, type SlotState } from './crashModel.js';
import { bundleHelper, LONG, prng, removeBundles, spawnHelper, tempRoot } from './helpers.js';

const TRIALS = LONG ? 1000 : 20;
const SLOTS = 8;
const { root, cleanup } = tempRoot('crash');
before(() => bundleHelper('crashChild.ts'));
after(() => {
  cleanup();
  removeBundles();
});

interface TrialLog {
  ops: CrashOp[];
  committed: Set<number>;
  synced: Set<number>;
}

/** Runs the writer child until a random moment, SIGKILLs it, and returns what it reported. */
async function runChild(dir: string, seed: number): Promise<TrialLog> {
  const random = prng(seed ^ 0x5eed);
  const log: TrialLog = { ops: [], committed: new Set(), synced: new Set() };
  const child = spawnHelper('crashChild.ts', [dir, String(seed), String(SLOTS)]);
  let buffered = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Most trials kill a running writer; some kill it at any moment from its start (during open and recovery too).
  const fromStart = random() < 0.15;
  const delayMs = fromStart ? random() * 900 : 5 + random() * 400;
  let timer: NodeJS.Timeout | undefined;
  const killLater = (): void => void (timer = setTimeout(() => child.kill('SIGKILL'), delayMs));
  if (fromStart) killLater();
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line === 'R') {
        if (!fromStart) killLater();
      } else if (line.startsWith('I ')) log.ops.push(JSON.parse(line.slice(2)) as CrashOp);
      else if (line.startsWith('C ')) log.committed.add(Number(line.slice(2)));
      else if (line.startsWith('S ')) log.synced.add(Number(line.slice(2)));
    }
  });
  const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (c, s) => resolve({ code: c, signal: s })),
  );
  clearTimeout(timer);
  assert.equal(signal, 'SIGKILL', `the writer should only end by our SIGKILL (exit ${code}): ${stderr}`);
  return log;
}

async function makeStore(dir: string): Promise<void> {
  const store = await Store.create(dir, { dim: CRASH_DIM, metric: 'l2' });
  const vfs = new Vfs(store);
  for (let i = 0; i < CRASH_DIRS; i++) await vfs.mkdir(1, `d${i}`, 0o755, ROOT_CRED);
  await store.close();
}

/** What each slot may hold: the state after its last acknowledged op, or after the one op in flight. */
function candidates(log: TrialLog): Map<number, SlotState[]> {
  const result = new Map<number, SlotState[]>();
  for (let slot = 0; slot < SLOTS; slot++) {
    const ops = log.ops.filter((op) => op.slot === slot);
    let state = emptySlot();
    let index = 0;
    for (; index < ops.length && log.committed.has(ops[index]!.seq); index++) state = applyOp(state, ops[index]!);
    const options = [state];
    // Ops of one slot run one after another: at most one is issued but unacknowledged.
    assert.ok(ops.length - index <= 1, `slot ${slot} has ${ops.length - index} unacknowledged ops`);
    if (index < ops.length) options.push(applyOp(state, ops[index]!));
    result.set(slot, options);
  }
  return result;
}

function actualSlots(vfs: Vfs): Map<number, SlotState> {
  const found = new Map<number, SlotState>();
  for (let d = 0; d < CRASH_DIRS; d++) {
    const dirIno = vfs.childIno(1, `d${d}`);
    const fh = vfs.opendir(dirIno, ROOT_CRED);
    for (const entry of vfs.readdir(fh, 2, 100_000)) {
      const slot = Number(/^s(\d+)-/.exec(entry.name)?.[1]);
      assert.ok(!found.has(slot), `slot ${slot} has two files`);
      let vector: Buffer | null = null;
      try {
        vector = Buffer.from(vfs.xattr.get(entry.ino, VECTOR_XATTR, ROOT_CRED));
      } catch (error) {
        assert.equal((error as { code?: string }).code, 'ENODATA');
      }
      found.set(slot, { dir: d, name: entry.name, content: Buffer.alloc(0), vector });
    }
    vfs.releasedir(fh);
  }
  return found;
}

test(`a writer SIGKILLed at random moments loses no acknowledged write (${TRIALS} trials)`, async () => {
  let committedTotal = 0;
  let syncedTotal = 0;
  let nextTrial = 0;
  const runTrials = async (): Promise<void> => {
    for (let trial = nextTrial++; trial < TRIALS; trial = nextTrial++) {
      const dir = join(root, `t${trial}`);
      await makeStore(dir);
      const seed = 1000 + trial;
      const log = await runChild(dir, seed);
      committedTotal += log.committed.size;
      syncedTotal += log.synced.size;
      for (const s of log.synced) assert.ok(log.committed.has(s), `op ${s} was reported synced before committed`);

      // Before any writer reopens it, a read-only check finds no damage (a torn WAL tail is a warning).
      const before = await fsck(dir);
      assert.ok(before.clean, `seed ${seed}: fsck before reopening: ${JSON.stringify(before.problems)}`);

      const store = await Store.open(dir);
      const vfs = new Vfs(store);
      const expected = candidates(log);
      const actual = actualSlots(vfs);
      for (const [slot, options] of expected) {
        const got = actual.get(slot);
        if (got !== undefined) {
          got.content = await readRange(vfs, `/d${got.dir}/${got.name}`, ROOT_CRED, 0, 1 << 20);
        }
        const matches = options.some((want) =>
          want.name === null
            ? got === undefined
            : got !== undefined &&
              got.name === want.name &&
              got.dir === want.dir &&
              got.content.equals(want.content) &&
              (got.vector === null ? want.vector === null : want.vector !== null && got.vector.equals(want.vector)),
        );
        assert.ok(matches, `seed ${seed}, slot ${slot}: the store holds none of the acknowledged states`);
      }
      await store.close();
      const report = await fsck(dir);
      assert.deepEqual(report.problems, [], `seed ${seed}: fsck after reopening`);
    }
  };
  // Two trials at a time: each spends most of its time waiting for its child.
  await Promise.all([runTrials(), runTrials()]);
  // The trials must have exercised something: acknowledged writes were checked.
  assert.ok(committedTotal > TRIALS, `only ${committedTotal} committed writes over ${TRIALS} trials`);
  assert.ok(syncedTotal > 0, 'no synced write was reported');
  console.log(`crash test: ${TRIALS} trials, ${committedTotal} committed and ${syncedTotal} synced writes checked`);
});
