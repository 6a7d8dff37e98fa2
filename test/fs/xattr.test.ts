import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { VECTOR_XATTR, XATTR_NAME_MAX_BYTES, XATTR_VALUE_MAX_BYTES } from '../../engine/store/layout.js';
import { S_ISVTX, XATTR_CREATE, XATTR_REPLACE } from '../../engine/fs/types.js';
import { ALICE, BOB, ROOT, ROOT_CRED, makeFile, rejects, withStore, type Fixture } from './helpers.js';

describe('extended attributes', () => {
  let f: Fixture;
  before(async () => {
    f = await withStore({ dim: 4 });
    await f.vfs.setattr(ROOT, { mode: 0o777 }, ROOT_CRED);
  });
  after(async () => f.cleanup());

  it('set, get, list, remove; CREATE and REPLACE flags', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'x1');
    await f.vfs.xattr.set(ino, 'user.b', Buffer.from('two'), 0, ROOT_CRED);
    await f.vfs.xattr.set(ino, 'user.a', Buffer.from('one'), XATTR_CREATE, ROOT_CRED);
    await rejects(() => f.vfs.xattr.set(ino, 'user.a', Buffer.from('1'), XATTR_CREATE, ROOT_CRED), 'EEXIST');
    await rejects(() => f.vfs.xattr.set(ino, 'user.c', Buffer.from('3'), XATTR_REPLACE, ROOT_CRED), 'ENODATA');
    await f.vfs.xattr.set(ino, 'user.a', Buffer.from('uno'), XATTR_REPLACE, ROOT_CRED);
    await rejects(() => f.vfs.xattr.set(ino, 'user.a', Buffer.from('x'), 4, ROOT_CRED), 'EINVAL');
    assert.equal(f.vfs.xattr.get(ino, 'user.a', ROOT_CRED).toString(), 'uno');
    assert.deepEqual(f.vfs.xattr.list(ino, ROOT_CRED), ['user.a', 'user.b']);
    await f.vfs.xattr.remove(ino, 'user.a', ROOT_CRED);
    await rejects(() => f.vfs.xattr.get(ino, 'user.a', ROOT_CRED), 'ENODATA');
    await rejects(() => f.vfs.xattr.remove(ino, 'user.a', ROOT_CRED), 'ENODATA');
    assert.deepEqual(f.vfs.xattr.list(ino, ROOT_CRED), ['user.b']);
    await f.vfs.xattr.set(ino, 'user.empty', new Uint8Array(0), 0, ROOT_CRED);
    assert.equal(f.vfs.xattr.get(ino, 'user.empty', ROOT_CRED).length, 0);
  });

  it('ERANGE for a small buffer, E2BIG for a large value, ENOTSUP outside user., bad names', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'x2');
    await f.vfs.xattr.set(ino, 'user.long', Buffer.alloc(100, 1), 0, ROOT_CRED);
    await rejects(() => f.vfs.xattr.get(ino, 'user.long', ROOT_CRED, 99), 'ERANGE');
    assert.equal(f.vfs.xattr.get(ino, 'user.long', ROOT_CRED, 100).length, 100);
    assert.equal(f.vfs.xattr.get(ino, 'user.long', ROOT_CRED, 0).length, 100); // size query
    await f.vfs.xattr.set(ino, 'user.max', Buffer.alloc(XATTR_VALUE_MAX_BYTES), 0, ROOT_CRED);
    await rejects(
      () => f.vfs.xattr.set(ino, 'user.big', Buffer.alloc(XATTR_VALUE_MAX_BYTES + 1), 0, ROOT_CRED),
      'E2BIG',
    );
    for (const name of ['trusted.x', 'security.selinux', 'system.posix_acl_access', 'user.', 'other']) {
      await rejects(() => f.vfs.xattr.set(ino, name, Buffer.from('v'), 0, ROOT_CRED), 'ENOTSUP');
      await rejects(() => f.vfs.xattr.get(ino, name, ROOT_CRED), 'ENOTSUP');
    }
    await rejects(() => f.vfs.xattr.get(ino, '', ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.xattr.get(ino, 'user.a\0b', ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.xattr.get(ino, `user.${'n'.repeat(XATTR_NAME_MAX_BYTES)}`, ROOT_CRED), 'ERANGE');
    await rejects(() => f.vfs.xattr.set(ino, 'user.s', 'text' as unknown as Uint8Array, 0, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.xattr.get(9999, 'user.a', ROOT_CRED), 'ENOENT');
  });

  it('user.vexfs.vector: exactly dim float32, a wrong length names the expected size', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'vec');
    const good = new Float32Array([0.1, 0.2, 0.3, 0.4]);
    await f.vfs.xattr.set(ino, VECTOR_XATTR, new Uint8Array(good.buffer), 0, ROOT_CRED);
    const back = f.vfs.xattr.get(ino, VECTOR_XATTR, ROOT_CRED);
    assert.deepEqual(new Float32Array(new Uint8Array(back).buffer), good);
    await rejects(
      () => f.vfs.xattr.set(ino, VECTOR_XATTR, new Uint8Array(12), 0, ROOT_CRED),
      'EINVAL',
      /must be 16 bytes \(4 little-endian float32\); got 12/,
    );
    const nan = new Float32Array([0, Number.NaN, 0, 0]);
    await rejects(() => f.vfs.xattr.set(ino, VECTOR_XATTR, new Uint8Array(nan.buffer), 0, ROOT_CRED), 'EINVAL');
  });

  it('permissions: reading needs read, writing needs write; symlinks carry none; sticky directories need ownership', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'x3', '', ALICE, 0o640);
    await f.vfs.xattr.set(ino, 'user.k', Buffer.from('v'), 0, ALICE);
    await rejects(() => f.vfs.xattr.get(ino, 'user.k', BOB), 'EACCES');
    await rejects(() => f.vfs.xattr.set(ino, 'user.k', Buffer.from('w'), 0, BOB), 'EACCES');
    await rejects(() => f.vfs.xattr.remove(ino, 'user.k', BOB), 'EACCES');
    assert.deepEqual(f.vfs.xattr.list(ino, BOB), ['user.k']);
    const link = await f.vfs.symlink('x3', ROOT, 'x3link', ROOT_CRED);
    await rejects(() => f.vfs.xattr.set(link.ino, 'user.k', Buffer.from('v'), 0, ROOT_CRED), 'EPERM');
    await rejects(() => f.vfs.xattr.get(link.ino, 'user.k', ROOT_CRED), 'ENODATA');
    const sticky = await f.vfs.mkdir(ROOT, 'sticky', 0o777 | S_ISVTX, ALICE);
    await rejects(() => f.vfs.xattr.set(sticky.ino, 'user.k', Buffer.from('v'), 0, BOB), 'EPERM');
    await f.vfs.xattr.set(sticky.ino, 'user.k', Buffer.from('v'), 0, ALICE);
  });

  it('setting an attribute moves ctime; attributes go with the inode and survive reopening', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'x4');
    const before = f.vfs.getattr(ino).ctime;
    await f.vfs.xattr.set(ino, 'user.keep', Buffer.from('kept'), 0, ROOT_CRED);
    assert.notDeepEqual(f.vfs.getattr(ino).ctime, before);
    const vfs = await f.reopen();
    assert.equal(vfs.xattr.get(ino, 'user.keep', ROOT_CRED).toString(), 'kept');
    await vfs.unlink(ROOT, 'x4', ROOT_CRED);
    const left = vfs.store.db.prepare('SELECT COUNT(*) FROM xattrs WHERE ino = ?').pluck().get(ino);
    assert.equal(left, 0);
  });
});
