import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isVexError } from '../../engine/errors.js';
import {
  listDir,
  makeDirectory,
  readRange,
  removePath,
  renamePath,
  statPath,
  writeWholeFile,
} from '../../engine/fs/pathOps.js';
import { resolveParent, resolvePath } from '../../engine/fs/paths.js';
import type { Cred } from '../../engine/fs/types.js';
import type { Vfs } from '../../engine/fs/Vfs.js';
import { fsck } from '../../engine/store/fsck.js';
import { Store } from '../../engine/store/Store.js';
import { ALICE, LONG, ROOT_CRED, withStore } from './helpers.js';

/**
 * Fuzz of every filesystem entry point: random paths ('..', NUL, 4 KiB names, empty,
 * unicode), random xattr names and values, and random operations with random
 * arguments (bad inode numbers and handles, negative offsets, NaN). Every call must
 * succeed or throw a VexError carrying an errno or domain code; never another
 * exception, never a hang. After the run the store closes, reopens and fsck is clean.
 */
const INPUTS = LONG ? 100_000 : 3_000;
const PER_RUN = 50;
const CALL_TIMEOUT_MS = 10_000;
/** VEXFS_FUZZ_SEED=N runs another sequence (fast-check prints the seed of a failure). */
const SEED = Number(process.env.VEXFS_FUZZ_SEED ?? 20261124);

type Call = (vfs: Vfs, state: State) => unknown;
interface State {
  inos: number[];
  handles: number[];
  dirHandles: number[];
}

const weirdNumber = fc.oneof(
  fc.integer({ min: -3, max: 40 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 1.5, 2 ** 53, -(2 ** 31), 2 ** 40, 2 ** 40 - 1),
  fc.integer(),
);
const anyValue = fc.oneof(weirdNumber, fc.constantFrom(undefined, null, '1', {}, [] as unknown[]));
const name = fc.oneof(
  fc.constantFrom(
    'a',
    'b',
    'dir',
    '.',
    '..',
    '',
    'a/b',
    'x\0y',
    '\u00e9t\u00e9',
    '\ud83d\ude00',
    'a'.repeat(255),
    'a'.repeat(256),
  ),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constant('n'.repeat(4096)),
);
const path = fc.oneof(
  fc.array(name, { maxLength: 5 }).map((parts) => parts.join('/')),
  fc.array(fc.constantFrom('a', 'b', '..', '.', 'dir'), { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
  fc.constantFrom('', '/', '//', '/..', '\0', 'a'.repeat(5000)),
);
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom(new Uint8Array(0), new Uint8Array(16), new Uint8Array(70_000)),
);
const xattrName = fc.oneof(
  fc.string({ maxLength: 10 }).map((s) => `user.${s}`),
  fc.constantFrom('user.vexfs.vector', 'user.', 'trusted.a', 'security.b', '', 'user.a\0b', `user.${'x'.repeat(300)}`),
  fc.string({ maxLength: 10 }),
);
const cred = fc.constantFrom<Cred>(ROOT_CRED, ALICE, { uid: 0, gid: 0, groups: [5, 6] });

/** An inode number: mostly one that exists, sometimes garbage. */
const ino = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((i) => (state: State) => state.inos[i % state.inos.length] ?? 1) },
  { weight: 1, arbitrary: anyValue.map((v) => () => v as number) },
);
const handle = fc.oneof(
  { weight: 3, arbitrary: fc.nat().map((i) => (state: State) => state.handles[i % state.handles.length] ?? 1) },
  { weight: 1, arbitrary: fc.nat().map((i) => (state: State) => state.dirHandles[i % state.dirHandles.length] ?? 1) },
  { weight: 1, arbitrary: anyValue.map((v) => () => v as number) },
);

function track(state: State, attr: unknown): void {
  const value = attr as { ino?: unknown } | null;
  if (value !== null && typeof value === 'object' && typeof value.ino === 'number') state.inos.push(value.ino);
}

const call: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(ino, name, cred).map(
    ([i, n, c]) =>
      (v: Vfs, s: State) =>
        track(s, v.lookup(i(s), n, c)),
  ),
  fc.tuple(ino, weirdNumber).map(
    ([i, n]) =>
      (v: Vfs, s: State) =>
        v.forget(i(s), n),
  ),
  ino.map((i) => (v: Vfs, s: State) => v.getattr(i(s))),
  fc
    .tuple(
      ino,
      fc.record({ mode: weirdNumber, uid: weirdNumber, gid: weirdNumber, size: weirdNumber }, { requiredKeys: [] }),
      cred,
    )
    .map(
      ([i, changes, c]) =>
        (v: Vfs, s: State) =>
          v.setattr(i(s), changes, c),
    ),
  fc
    .tuple(
      ino,
      fc.constantFrom('now' as const, { sec: 1, nsec: 2 }, { sec: Number.NaN, nsec: 0 }, { sec: 0, nsec: -1 }),
      cred,
    )
    .map(
      ([i, t, c]) =>
        (v: Vfs, s: State) =>
          v.setattr(i(s), { atime: t, mtime: t }, c),
    ),
  fc.tuple(ino, name, weirdNumber, cred).map(
    ([i, n, m, c]) =>
      async (v: Vfs, s: State) =>
        track(s, await v.mkdir(i(s), n, m, c)),
  ),
  fc.tuple(ino, name, cred).map(
    ([i, n, c]) =>
      (v: Vfs, s: State) =>
        v.rmdir(i(s), n, c),
  ),
  fc.tuple(ino, name, weirdNumber, weirdNumber, cred).map(([i, n, m, f, c]) => async (v: Vfs, s: State) => {
    const { attr, fh } = await v.create(i(s), n, m, f, c);
    track(s, attr);
    s.handles.push(fh);
  }),
  fc.tuple(ino, weirdNumber, cred).map(
    ([i, f, c]) =>
      async (v: Vfs, s: State) =>
        s.handles.push(await v.open(i(s), f, c)),
  ),
  fc.tuple(handle, weirdNumber, weirdNumber).map(
    ([h, o, l]) =>
      (v: Vfs, s: State) =>
        v.read(h(s), o, l),
  ),
  fc.tuple(handle, weirdNumber, bytes, cred).map(
    ([h, o, d, c]) =>
      (v: Vfs, s: State) =>
        v.write(h(s), o, d, c),
  ),
  handle.map((h) => (v: Vfs, s: State) => v.flush(h(s))),
  handle.map((h) => (v: Vfs, s: State) => v.release(h(s))),
  fc.tuple(ino, cred).map(
    ([i, c]) =>
      (v: Vfs, s: State) =>
        s.dirHandles.push(v.opendir(i(s), c)),
  ),
  fc.tuple(handle, weirdNumber, weirdNumber).map(
    ([h, o, l]) =>
      (v: Vfs, s: State) =>
        v.readdir(h(s), o, l),
  ),
  handle.map((h) => (v: Vfs, s: State) => v.releasedir(h(s))),
  fc.tuple(ino, name, ino, name, weirdNumber, cred).map(
    ([a, n, b, m, f, c]) =>
      (v: Vfs, s: State) =>
        v.rename(a(s), n, b(s), m, f, c),
  ),
  fc.tuple(ino, name, cred).map(
    ([i, n, c]) =>
      (v: Vfs, s: State) =>
        v.unlink(i(s), n, c),
  ),
  fc.tuple(ino, ino, name, cred).map(
    ([a, b, n, c]) =>
      async (v: Vfs, s: State) =>
        track(s, await v.link(a(s), b(s), n, c)),
  ),
  fc.tuple(path, ino, name, cred).map(
    ([t, i, n, c]) =>
      async (v: Vfs, s: State) =>
        track(s, await v.symlink(t, i(s), n, c)),
  ),
  ino.map((i) => (v: Vfs, s: State) => v.readlink(i(s))),
  fc.tuple(ino, weirdNumber, cred).map(
    ([i, m, c]) =>
      (v: Vfs, s: State) =>
        v.access(i(s), m, c),
  ),
  fc.constant((v: Vfs) => v.statfs()),
  fc.tuple(ino, xattrName, cred, weirdNumber).map(
    ([i, n, c, z]) =>
      (v: Vfs, s: State) =>
        v.xattr.get(i(s), n, c, z),
  ),
  fc.tuple(ino, xattrName, bytes, weirdNumber, cred).map(
    ([i, n, d, f, c]) =>
      (v: Vfs, s: State) =>
        v.xattr.set(i(s), n, d, f, c),
  ),
  fc.tuple(ino, cred).map(
    ([i, c]) =>
      (v: Vfs, s: State) =>
        v.xattr.list(i(s), c),
  ),
  fc.tuple(ino, xattrName, cred).map(
    ([i, n, c]) =>
      (v: Vfs, s: State) =>
        v.xattr.remove(i(s), n, c),
  ),
  // Path-level helpers.
  fc.tuple(path, cred, fc.boolean()).map(
    ([p, c, f]) =>
      (v: Vfs, s: State) =>
        track(s, v.getattr(resolvePath(v, p, c, f).ino)),
  ),
  fc.tuple(path, cred).map(
    ([p, c]) =>
      (v: Vfs) =>
        resolveParent(v, p, c),
  ),
  fc.tuple(path, cred).map(
    ([p, c]) =>
      (v: Vfs) =>
        statPath(v, p, c),
  ),
  fc.tuple(path, cred, weirdNumber, weirdNumber).map(
    ([p, c, o, l]) =>
      (v: Vfs) =>
        listDir(v, p, c, o, l),
  ),
  fc.tuple(path, cred, weirdNumber, weirdNumber).map(
    ([p, c, o, l]) =>
      (v: Vfs) =>
        readRange(v, p, c, o, l),
  ),
  fc.tuple(path, bytes, weirdNumber, cred).map(
    ([p, d, m, c]) =>
      async (v: Vfs, s: State) =>
        track(s, await writeWholeFile(v, p, d, m, c)),
  ),
  fc.tuple(path, weirdNumber, fc.boolean(), cred).map(
    ([p, m, r, c]) =>
      async (v: Vfs, s: State) =>
        track(s, await makeDirectory(v, p, m, r, c)),
  ),
  fc.tuple(path, fc.boolean(), cred).map(
    ([p, r, c]) =>
      (v: Vfs) =>
        removePath(v, p, r, c),
  ),
  fc.tuple(path, path, weirdNumber, cred).map(
    ([a, b, f, c]) =>
      (v: Vfs) =>
        renamePath(v, a, b, f, c),
  ),
);

let lastFailure = '';

async function settle(body: () => unknown): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      lastFailure = `a call did not settle within ${CALL_TIMEOUT_MS} ms: ${String(body)}`;
      reject(new Error(lastFailure));
    }, CALL_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.resolve().then(body), timeout]);
  } catch (error) {
    if (!isVexError(error)) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      lastFailure = `not a VexError: ${detail}`;
      throw new Error(lastFailure, { cause: error });
    }
    assert.match(error.code, /^E[A-Z0-9_]+$/);
    assert.ok(error.message.length > 0);
  } finally {
    clearTimeout(timer);
  }
}

describe('fuzz: random calls into the Vfs and the path helpers', () => {
  it(`${INPUTS} random calls: a VexError or success every time; the store reopens and fsck is clean`, async () => {
    const f = await withStore({ dim: 4 });
    try {
      await f.vfs.setattr(1, { mode: 0o777 }, ROOT_CRED);
      const state: State = { inos: [1], handles: [], dirHandles: [] };
      let calls = 0;
      const property = fc.assert(
        fc.asyncProperty(fc.array(call, { minLength: PER_RUN, maxLength: PER_RUN }), async (calls_) => {
          for (const body of calls_) {
            await settle(() => body(f.vfs, state));
            calls += 1;
          }
        }),
        { numRuns: Math.ceil(INPUTS / PER_RUN), seed: SEED, endOnFailure: true },
      );
      await property.catch((error: unknown) => {
        throw new Error(`${lastFailure || String(error)}`, { cause: error });
      });
      assert.ok(calls >= INPUTS);
      // Let any best-effort atime update land, then close, reopen and check.
      await f.store.sync();
      await f.store.close();
      f.store = await Store.open(f.dir, { syncOnClose: false });
      f.store.db.prepare('SELECT COUNT(*) FROM inodes').get();
      await f.store.close();
      const report = await fsck(f.dir);
      assert.deepEqual(
        report.problems.filter((p) => p.severity === 'error'),
        [],
      );
      assert.equal(report.clean, true);
      f.store = await Store.open(f.dir, { syncOnClose: false });
    } finally {
      await f.cleanup();
    }
  });
});
