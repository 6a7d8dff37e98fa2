import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolvePath } from '../../engine/fs/paths.js';
import { O_RDONLY, O_RDWR, O_WRONLY, S_ISGID, S_ISVTX, type Cred } from '../../engine/fs/types.js';
import { ALICE, BOB, ROOT, ROOT_CRED, makeFile, rejects, withStore, type Fixture } from './helpers.js';

const CAROL: Cred = { uid: 1002, gid: 1002, groups: [] };

describe('permissions as unprivileged callers', () => {
  let f: Fixture;
  before(async () => {
    f = await withStore();
    await f.vfs.setattr(ROOT, { mode: 0o777 }, ROOT_CRED);
  });
  after(async () => f.cleanup());

  it('EACCES: search, read, write and listing follow owner, group and other bits', async () => {
    const home = await f.vfs.mkdir(ROOT, 'alice', 0o750, ALICE);
    assert.equal(home.uid, ALICE.uid);
    assert.equal(home.gid, ALICE.gid);
    const secret = await makeFile(f.vfs, home.ino, 'secret', 'x', ALICE, 0o600);
    await rejects(() => f.vfs.lookup(home.ino, 'secret', BOB), 'EACCES'); // no x for others
    await rejects(() => f.vfs.opendir(home.ino, BOB), 'EACCES');
    await rejects(() => f.vfs.create(home.ino, 'intrude', 0o644, O_WRONLY, BOB), 'EACCES');
    await rejects(() => f.vfs.open(secret, O_RDONLY, BOB), 'EACCES');
    await rejects(() => resolvePath(f.vfs, '/alice/secret', BOB), 'EACCES');
    // Group membership through a supplementary group: Bob is in 2000.
    await f.vfs.setattr(home.ino, { gid: 2000 }, ROOT_CRED);
    assert.equal(f.vfs.lookup(home.ino, 'secret', BOB).ino, secret);
    await rejects(() => f.vfs.create(home.ino, 'intrude', 0o644, O_WRONLY, BOB), 'EACCES'); // group has r-x only
    await rejects(() => f.vfs.unlink(home.ino, 'secret', BOB), 'EACCES');
    // Owner bits win even when they give less than group or other would.
    const odd = await makeFile(f.vfs, ROOT, 'odd', 'x', ALICE, 0o077);
    await rejects(() => f.vfs.open(odd, O_RDONLY, ALICE), 'EACCES');
    const fh = await f.vfs.open(odd, O_RDWR, BOB);
    await f.vfs.release(fh);
    // Root reads and writes anything, and searches any directory.
    const rootFh = await f.vfs.open(odd, O_RDWR, ROOT_CRED);
    await f.vfs.release(rootFh);
    await f.vfs.setattr(home.ino, { mode: 0o000 }, ALICE);
    assert.equal(f.vfs.lookup(home.ino, 'secret', ROOT_CRED).ino, secret);
  });

  it('EPERM vs EACCES: chmod and chown by a non-owner are EPERM, data access EACCES', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'bobs', 'b', BOB, 0o644);
    await rejects(() => f.vfs.setattr(ino, { mode: 0o777 }, ALICE), 'EPERM');
    await rejects(() => f.vfs.setattr(ino, { uid: ALICE.uid }, ALICE), 'EPERM');
    await rejects(() => f.vfs.open(ino, O_WRONLY, ALICE), 'EACCES');
    await rejects(() => f.vfs.setattr(ino, { size: 0 }, ALICE), 'EACCES');
    const attr = await f.vfs.setattr(ino, { gid: 2000 }, BOB); // Bob's supplementary group
    assert.equal(attr.gid, 2000);
  });

  it('sticky directories: only the entry owner, the directory owner or root may remove or rename', async () => {
    const tmp = await f.vfs.mkdir(ROOT, 'tmp', 0o777 | S_ISVTX, CAROL);
    assert.equal(tmp.mode & S_ISVTX, S_ISVTX);
    await makeFile(f.vfs, tmp.ino, 'alices', 'a', ALICE, 0o666);
    await makeFile(f.vfs, tmp.ino, 'bobs', 'b', BOB, 0o666);
    await rejects(() => f.vfs.unlink(tmp.ino, 'alices', BOB), 'EPERM');
    await rejects(() => f.vfs.rename(tmp.ino, 'alices', tmp.ino, 'stolen', 0, BOB), 'EPERM');
    await rejects(() => f.vfs.rename(tmp.ino, 'bobs', tmp.ino, 'alices', 0, BOB), 'EPERM'); // replacing hers
    await f.vfs.rename(tmp.ino, 'bobs', tmp.ino, 'bobs2', 0, BOB);
    await f.vfs.unlink(tmp.ino, 'bobs2', BOB);
    await f.vfs.unlink(tmp.ino, 'alices', CAROL); // the directory's owner may
    await f.vfs.mkdir(tmp.ino, 'alicedir', 0o777, ALICE);
    await rejects(() => f.vfs.rmdir(tmp.ino, 'alicedir', BOB), 'EPERM');
    await f.vfs.rmdir(tmp.ino, 'alicedir', ROOT_CRED);
  });

  it('set-group-ID directories: new entries take the group; new directories keep the bit', async () => {
    const shared = await f.vfs.mkdir(ROOT, 'shared', 0o2777, ROOT_CRED);
    assert.equal(shared.mode & S_ISGID, 0, 'mkdir(2) ignores set-group-ID in its mode, as Linux does');
    await f.vfs.setattr(shared.ino, { gid: 2000, mode: 0o2777 }, ROOT_CRED);
    assert.equal(f.vfs.getattr(shared.ino).mode & S_ISGID, S_ISGID);
    const file = await makeFile(f.vfs, shared.ino, 'f', '', ALICE);
    assert.equal(f.vfs.getattr(file).gid, 2000);
    const dir = await f.vfs.mkdir(shared.ino, 'd', 0o755, ALICE);
    assert.equal(dir.gid, 2000);
    assert.equal(dir.mode & S_ISGID, S_ISGID);
    const link = await f.vfs.symlink('f', shared.ino, 'l', ALICE);
    assert.equal(link.gid, 2000);
    const plain = await f.vfs.mkdir(ROOT, 'plain', 0o777, ROOT_CRED);
    assert.equal((await f.vfs.mkdir(plain.ino, 'd', 0o755, ALICE)).gid, ALICE.gid);
  });

  it('moving a directory to another parent needs write permission on it', async () => {
    const from = await f.vfs.mkdir(ROOT, 'from', 0o777, ROOT_CRED);
    const to = await f.vfs.mkdir(ROOT, 'to', 0o777, ROOT_CRED);
    await f.vfs.mkdir(from.ino, 'ro', 0o555, ALICE);
    await rejects(() => f.vfs.rename(from.ino, 'ro', to.ino, 'ro', 0, ALICE), 'EACCES');
    await f.vfs.rename(from.ino, 'ro', from.ino, 'ro2', 0, ALICE); // same parent: '..' does not change
  });

  it('access() reports the same answers as the operations', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'acc', '', ALICE, 0o640);
    f.vfs.access(ino, 6, ALICE);
    await rejects(() => f.vfs.access(ino, 1, ALICE), 'EACCES');
    await rejects(() => f.vfs.access(ino, 4, BOB), 'EACCES');
    f.vfs.access(ino, 0, BOB);
    await f.vfs.setattr(ino, { gid: 2000 }, ROOT_CRED);
    f.vfs.access(ino, 4, BOB);
    await rejects(() => f.vfs.access(ino, 2, BOB), 'EACCES');
  });
});
