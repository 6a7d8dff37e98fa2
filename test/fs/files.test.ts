import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_FILE_SIZE } from '../../engine/store/layout.js';
import { O_APPEND, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, S_IFDIR, S_ISGID, S_ISUID } from '../../engine/fs/types.js';
import { ALICE, BOB, ROOT, ROOT_CRED, makeFile, readAll, rejects, withStore, type Fixture } from './helpers.js';

const GiB = 2 ** 30;

describe('files: open, read, write, flush, fsync, release, setattr', () => {
  let f: Fixture;
  before(async () => {
    f = await withStore();
  });
  after(async () => f.cleanup());

  it('access modes: read on O_WRONLY and write on O_RDONLY are EBADF; bad modes EINVAL', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'modes', 'abc');
    const ro = await f.vfs.open(ino, O_RDONLY, ROOT_CRED);
    const wo = await f.vfs.open(ino, O_WRONLY, ROOT_CRED);
    assert.equal(f.vfs.read(ro, 0, 10).toString(), 'abc');
    await rejects(() => f.vfs.write(ro, 0, Buffer.from('x'), ROOT_CRED), 'EBADF');
    await rejects(() => f.vfs.read(wo, 0, 1), 'EBADF');
    await rejects(() => f.vfs.open(ino, 3, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.open(ino, Number.NaN, ROOT_CRED), 'EINVAL');
    await f.vfs.flush(ro);
    await f.vfs.fsync(wo);
    await f.vfs.release(ro);
    await f.vfs.release(wo);
    await rejects(() => f.vfs.release(ro), 'EBADF');
    await rejects(() => f.vfs.flush(ro), 'EBADF');
    await rejects(() => f.vfs.fsync(12345), 'EBADF');
    await rejects(() => f.vfs.read(12345, 0, 1), 'EBADF');
    assert.equal(f.vfs.openHandleCount, 0);
  });

  it('O_TRUNC empties the file (and needs write permission); O_APPEND writes at the end', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'trunc', '0123456789');
    const fh = await f.vfs.open(ino, O_WRONLY | O_TRUNC, ROOT_CRED);
    assert.equal(f.vfs.getattr(ino).size, 0);
    assert.equal(f.vfs.getattr(ino).blocks, 0);
    await f.vfs.write(fh, 0, Buffer.from('ab'), ROOT_CRED);
    await f.vfs.release(fh);
    const app = await f.vfs.open(ino, O_WRONLY | O_APPEND, ROOT_CRED);
    await f.vfs.write(app, 0, Buffer.from('cd'), ROOT_CRED); // the offset is ignored with O_APPEND
    await f.vfs.write(app, 0, Buffer.from('ef'), ROOT_CRED);
    await f.vfs.release(app);
    assert.equal((await readAll(f.vfs, ino)).toString(), 'abcdef');
    await rejects(() => f.vfs.open(ino, O_RDONLY | O_TRUNC, ALICE), 'EACCES');
    await rejects(() => f.vfs.open(ROOT, O_RDWR, ROOT_CRED), 'EISDIR');
    await rejects(() => f.vfs.open(ROOT, O_RDONLY | O_TRUNC, ROOT_CRED), 'EISDIR');
    const dirFh = await f.vfs.open(ROOT, O_RDONLY, ROOT_CRED);
    await rejects(() => f.vfs.read(dirFh, 0, 1), 'EISDIR');
    await f.vfs.release(dirFh);
  });

  it('read: past the end is empty, bad ranges are EINVAL; write: bad offsets EINVAL, past the max EFBIG', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'ranges', 'hello');
    const fh = await f.vfs.open(ino, O_RDWR, ROOT_CRED);
    assert.equal(f.vfs.read(fh, 5, 10).length, 0);
    assert.equal(f.vfs.read(fh, 100, 10).length, 0);
    assert.equal(f.vfs.read(fh, 1, 3).toString(), 'ell');
    assert.equal(f.vfs.read(fh, 0, 0).length, 0);
    await rejects(() => f.vfs.read(fh, -1, 1), 'EINVAL');
    await rejects(() => f.vfs.read(fh, 0, Number.NaN), 'EINVAL');
    await rejects(() => f.vfs.read(fh, 0.5, 1), 'EINVAL');
    await rejects(() => f.vfs.write(fh, -1, Buffer.from('x'), ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.write(fh, Number.POSITIVE_INFINITY, Buffer.from('x'), ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.write(fh, MAX_FILE_SIZE, Buffer.from('x'), ROOT_CRED), 'EFBIG');
    await rejects(() => f.vfs.write(fh, 0, 'text' as unknown as Uint8Array, ROOT_CRED), 'EINVAL');
    assert.equal(await f.vfs.write(fh, 3, new Uint8Array(0), ROOT_CRED), 0);
    assert.equal(f.vfs.getattr(ino).size, 5);
    await f.vfs.release(fh);
  });

  it('writes across block boundaries and overwrites in the middle read back exactly', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'blocks');
    const fh = await f.vfs.open(ino, O_RDWR, ROOT_CRED);
    const expected = Buffer.alloc(300_000);
    for (let i = 0; i < expected.length; i++) expected[i] = (i * 7 + 3) & 0xff;
    for (let at = 0; at < expected.length; at += 77_777) {
      await f.vfs.write(fh, at, expected.subarray(at, at + 77_777), ROOT_CRED);
    }
    const patch = Buffer.alloc(70_000, 0xaa);
    await f.vfs.write(fh, 60_000, patch, ROOT_CRED);
    patch.copy(expected, 60_000);
    assert.deepEqual(f.vfs.read(fh, 0, 400_000), expected);
    assert.deepEqual(f.vfs.read(fh, 65_530, 20), expected.subarray(65_530, 65_550));
    await f.vfs.release(fh);
  });

  it('sparse files past 1 GiB: holes read as zeros and use no blocks', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'sparse');
    const fh = await f.vfs.open(ino, O_RDWR, ROOT_CRED);
    await f.vfs.write(fh, 3 * GiB, Buffer.from('end'), ROOT_CRED);
    await f.vfs.write(fh, 1 * GiB + 5, Buffer.from('mid'), ROOT_CRED);
    const attr = f.vfs.getattr(ino);
    assert.equal(attr.size, 3 * GiB + 3);
    assert.ok(attr.blocks <= 2 * 128, `st_blocks ${attr.blocks} should cover two small blocks at most`);
    assert.deepEqual(f.vfs.read(fh, 2 * GiB, 4096), Buffer.alloc(4096));
    assert.equal(f.vfs.read(fh, 3 * GiB - 2, 10).toString('latin1'), '\0\0end');
    assert.equal(f.vfs.read(fh, GiB + 4, 5).toString('latin1'), '\0mid\0');
    await f.vfs.setattr(ino, { size: 2 * GiB }, ROOT_CRED, fh);
    assert.equal(f.vfs.getattr(ino).size, 2 * GiB);
    assert.deepEqual(f.vfs.read(fh, 2 * GiB - 10, 100), Buffer.alloc(10));
    await f.vfs.setattr(ino, { size: 4 * GiB }, ROOT_CRED);
    assert.deepEqual(f.vfs.read(fh, 3 * GiB, 3), Buffer.alloc(3)); // the old tail is gone, not back
    await f.vfs.release(fh);
  });

  it('truncate shrinks and grows with zeros; bad sizes are refused', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'tr', 'abcdefgh');
    await f.vfs.setattr(ino, { size: 3 }, ROOT_CRED);
    await f.vfs.setattr(ino, { size: 6 }, ROOT_CRED);
    assert.equal((await readAll(f.vfs, ino)).toString('latin1'), 'abc\0\0\0');
    await rejects(() => f.vfs.setattr(ino, { size: -1 }, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.setattr(ino, { size: Number.NaN }, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.setattr(ino, { size: MAX_FILE_SIZE + 1 }, ROOT_CRED), 'EFBIG');
    await rejects(() => f.vfs.setattr(ROOT, { size: 0 }, ROOT_CRED), 'EISDIR');
    const link = await f.vfs.symlink('tr', ROOT, 'trlink', ROOT_CRED);
    await rejects(() => f.vfs.setattr(link.ino, { size: 0 }, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.setattr(ino, { size: 0 }, ALICE), 'EACCES');
    assert.equal(f.vfs.getattr(ino).size, 6, 'a refused setattr changes nothing');
  });

  it('chmod, chown and utimens follow the owner rules', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'owned');
    await f.vfs.setattr(ino, { uid: ALICE.uid, gid: ALICE.gid }, ROOT_CRED);
    let attr = await f.vfs.setattr(ino, { mode: 0o600 }, ALICE);
    assert.equal(attr.mode & 0o7777, 0o600);
    await rejects(() => f.vfs.setattr(ino, { mode: 0o777 }, BOB), 'EPERM');
    await rejects(() => f.vfs.setattr(ino, { uid: BOB.uid }, ALICE), 'EPERM');
    await rejects(() => f.vfs.setattr(ino, { uid: ALICE.uid }, BOB), 'EPERM');
    await rejects(() => f.vfs.setattr(ino, { gid: 2000 }, ALICE), 'EPERM'); // not her group
    await rejects(() => f.vfs.setattr(ino, { gid: 2000 }, BOB), 'EPERM'); // not his file
    await rejects(() => f.vfs.setattr(ino, { uid: -5 }, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.setattr(ino, { mode: Number.NaN }, ROOT_CRED), 'EINVAL');
    attr = await f.vfs.setattr(ino, { uid: ALICE.uid }, ALICE); // her own uid: allowed
    assert.equal(attr.uid, ALICE.uid);
    attr = await f.vfs.setattr(ino, { mtime: { sec: 1_000_000, nsec: 5 }, atime: { sec: 2_000, nsec: 0 } }, ALICE);
    assert.deepEqual(attr.mtime, { sec: 1_000_000, nsec: 5 });
    assert.deepEqual(attr.atime, { sec: 2_000, nsec: 0 });
    await rejects(() => f.vfs.setattr(ino, { mtime: { sec: 1, nsec: 0 } }, BOB), 'EPERM');
    await rejects(() => f.vfs.setattr(ino, { mtime: 'now' }, BOB), 'EACCES'); // 0600: no write for Bob
    await rejects(() => f.vfs.setattr(ino, { mtime: { sec: 1, nsec: 1e9 } }, ALICE), 'EINVAL');
    await f.vfs.setattr(ino, { mode: 0o666 }, ALICE);
    attr = await f.vfs.setattr(ino, { mtime: 'now' }, BOB); // write permission is enough for 'now'
    assert.ok(attr.mtime.sec > 1_000_000);
    // A group Alice is not in: chmod drops set-group-ID; chown drops set-user-ID.
    await f.vfs.setattr(ino, { gid: 2000 }, ROOT_CRED);
    attr = await f.vfs.setattr(ino, { mode: 0o6755 }, ALICE);
    assert.equal(attr.mode & 0o7777, 0o4755);
    attr = await f.vfs.setattr(ino, { mode: 0o6755 }, ROOT_CRED);
    assert.equal(attr.mode & 0o7777, 0o6755);
    attr = await f.vfs.setattr(ino, { gid: 0 }, ROOT_CRED);
    assert.equal(attr.mode & (S_ISUID | S_ISGID), 0);
  });

  it('-0 in setattr is stored as 0 (the row still passes its checksum after reopening)', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'negzero', 'abc');
    await f.vfs.setattr(ino, { uid: -0, gid: -0, size: -0, mtime: { sec: -0, nsec: -0 } }, ROOT_CRED);
    const vfs = await f.reopen();
    assert.equal(Object.is(vfs.getattr(ino).uid, 0), true);
    assert.equal(vfs.getattr(ino).size, 0);
  });

  it('a write by a non-root caller clears set-user-ID', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'suid', 'x', ROOT_CRED, 0o4777);
    const fh = await f.vfs.open(ino, O_WRONLY, ALICE);
    await f.vfs.write(fh, 0, Buffer.from('y'), ALICE);
    await f.vfs.release(fh);
    assert.equal(f.vfs.getattr(ino).mode & 0o7777, 0o777);
  });

  it('timestamps: write moves mtime and ctime; chmod moves only ctime; atime is relatime', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'times', 'content');
    const past = { sec: 1_600_000_000, nsec: 0 };
    await f.vfs.setattr(ino, { atime: past, mtime: past }, ROOT_CRED);
    const fh = await f.vfs.open(ino, O_RDWR, ROOT_CRED);
    // atime (== mtime) is not newer than mtime: a read moves it.
    f.vfs.read(fh, 0, 1);
    await f.store.sync();
    const afterRead = f.vfs.getattr(ino);
    assert.ok(afterRead.atime.sec > past.sec, 'relatime: a stale atime moves on read');
    // Now atime is newer than mtime and ctime, and less than a day old: a read leaves it.
    f.vfs.read(fh, 0, 1);
    await f.store.sync();
    assert.deepEqual(f.vfs.getattr(ino).atime, afterRead.atime);
    // More than a day old moves it again even though it is newer than mtime.
    await f.vfs.setattr(ino, { mtime: { sec: 1_000, nsec: 0 } }, ROOT_CRED);
    await f.vfs.setattr(ino, { atime: { sec: 2_000, nsec: 0 } }, ROOT_CRED);
    const attr = f.vfs.getattr(ino);
    f.vfs.read(fh, 0, 1);
    await f.store.sync();
    assert.ok(f.vfs.getattr(ino).atime.sec > attr.atime.sec);
    const beforeWrite = f.vfs.getattr(ino);
    await f.vfs.write(fh, 0, Buffer.from('C'), ROOT_CRED);
    const afterWrite = f.vfs.getattr(ino);
    assert.ok(afterWrite.mtime.sec > beforeWrite.mtime.sec);
    assert.ok(
      afterWrite.ctime.sec > beforeWrite.ctime.sec ||
        (afterWrite.ctime.sec === beforeWrite.ctime.sec && afterWrite.ctime.nsec > beforeWrite.ctime.nsec),
    );
    const chmodded = await f.vfs.setattr(ino, { mode: 0o600 }, ROOT_CRED);
    assert.deepEqual(chmodded.mtime, afterWrite.mtime);
    assert.notDeepEqual(chmodded.ctime, afterWrite.ctime);
    await f.vfs.release(fh);
  });

  it('adding a name moves the directory mtime', async () => {
    const dir = await f.vfs.mkdir(ROOT, 'dtimes', 0o755, ROOT_CRED);
    assert.equal(dir.mode & S_IFDIR, S_IFDIR);
    await f.vfs.setattr(dir.ino, { mtime: { sec: 5, nsec: 0 } }, ROOT_CRED);
    await makeFile(f.vfs, dir.ino, 'child');
    assert.ok(f.vfs.getattr(dir.ino).mtime.sec > 5, 'adding a name moves the directory mtime');
  });
});
