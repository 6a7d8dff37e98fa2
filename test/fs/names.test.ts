import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NAME_MAX_BYTES, SYMLINK_MAX_BYTES } from '../../engine/store/layout.js';
import { resolveParent, resolvePath } from '../../engine/fs/paths.js';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from '../../engine/fs/types.js';
import { ALICE, ROOT, ROOT_CRED, listNames, makeFile, readAll, rejects, withStore, type Fixture } from './helpers.js';

describe('names: lookup, forget, mkdir, rmdir, create, unlink, link, symlink, readlink', () => {
  let f: Fixture;
  before(async () => {
    f = await withStore();
  });
  after(async () => f.cleanup());

  it('mkdir makes a directory with nlink 2 and bumps the parent', async () => {
    const before = f.vfs.getattr(ROOT);
    const attr = await f.vfs.mkdir(ROOT, 'd1', 0o750, ROOT_CRED);
    assert.equal(attr.kind, 'dir');
    assert.equal(attr.mode, S_IFDIR | 0o750);
    assert.equal(attr.nlink, 2);
    assert.equal(f.vfs.getattr(ROOT).nlink, before.nlink + 1);
    assert.equal(f.vfs.lookup(ROOT, 'd1', ROOT_CRED).ino, attr.ino);
    await rejects(() => f.vfs.mkdir(ROOT, 'd1', 0o755, ROOT_CRED), 'EEXIST');
    await rejects(() => f.vfs.mkdir(ROOT, '.', 0o755, ROOT_CRED), 'EEXIST');
    await rejects(() => f.vfs.mkdir(ROOT, '', 0o755, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.mkdir(ROOT, 'a/b', 0o755, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.mkdir(ROOT, 'a\0b', 0o755, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.mkdir(ROOT, 'x'.repeat(NAME_MAX_BYTES + 1), 0o755, ROOT_CRED), 'ENAMETOOLONG');
    await f.vfs.mkdir(ROOT, 'é'.repeat(NAME_MAX_BYTES / 2 - 1), 0o755, ROOT_CRED); // 2-byte characters: 252 bytes fit
    await rejects(() => f.vfs.mkdir(ROOT, 'é'.repeat(128), 0o755, ROOT_CRED), 'ENAMETOOLONG');
    await rejects(() => f.vfs.mkdir(9999, 'x', 0o755, ROOT_CRED), 'ENOENT');
    const file = await makeFile(f.vfs, ROOT, 'plain');
    await rejects(() => f.vfs.mkdir(file, 'x', 0o755, ROOT_CRED), 'ENOTDIR');
  });

  it('lookup answers ENOENT, ENOTDIR, and . and ..', async () => {
    const d = await f.vfs.mkdir(ROOT, 'look', 0o755, ROOT_CRED);
    const sub = await f.vfs.mkdir(d.ino, 'sub', 0o755, ROOT_CRED);
    assert.equal(f.vfs.lookup(sub.ino, '..', ROOT_CRED).ino, d.ino);
    assert.equal(f.vfs.lookup(sub.ino, '.', ROOT_CRED).ino, sub.ino);
    assert.equal(f.vfs.lookup(ROOT, '..', ROOT_CRED).ino, ROOT);
    await rejects(() => f.vfs.lookup(d.ino, 'missing', ROOT_CRED), 'ENOENT');
    const file = await makeFile(f.vfs, d.ino, 'file');
    await rejects(() => f.vfs.lookup(file, 'x', ROOT_CRED), 'ENOTDIR');
    await rejects(() => f.vfs.lookup(0, 'x', ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.getattr(Number.NaN), 'EINVAL');
  });

  it('rmdir: ENOTEMPTY, ENOTDIR, EINVAL for ., and the parent loses a link', async () => {
    const d = await f.vfs.mkdir(ROOT, 'rm', 0o755, ROOT_CRED);
    const inner = await f.vfs.mkdir(d.ino, 'inner', 0o755, ROOT_CRED);
    await makeFile(f.vfs, inner.ino, 'f');
    await rejects(() => f.vfs.rmdir(d.ino, 'inner', ROOT_CRED), 'ENOTEMPTY');
    await rejects(() => f.vfs.rmdir(inner.ino, 'f', ROOT_CRED), 'ENOTDIR');
    await rejects(() => f.vfs.rmdir(inner.ino, '.', ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.rmdir(inner.ino, '..', ROOT_CRED), 'ENOTEMPTY');
    await rejects(() => f.vfs.rmdir(inner.ino, 'nope', ROOT_CRED), 'ENOENT');
    await f.vfs.unlink(inner.ino, 'f', ROOT_CRED);
    assert.equal(f.vfs.getattr(d.ino).nlink, 3);
    await f.vfs.rmdir(d.ino, 'inner', ROOT_CRED);
    assert.equal(f.vfs.getattr(d.ino).nlink, 2);
    await rejects(() => f.vfs.getattr(inner.ino), 'ENOENT');
    assert.deepEqual(listNames(f.vfs, d.ino), []);
  });

  it('a removed directory that is still looked up takes no new entries', async () => {
    const d = await f.vfs.mkdir(ROOT, 'gone', 0o755, ROOT_CRED);
    f.vfs.lookup(ROOT, 'gone', ROOT_CRED);
    await f.vfs.rmdir(ROOT, 'gone', ROOT_CRED);
    assert.equal(f.vfs.getattr(d.ino).nlink, 0);
    await rejects(() => f.vfs.mkdir(d.ino, 'x', 0o755, ROOT_CRED), 'ENOENT');
    await rejects(() => f.vfs.create(d.ino, 'x', 0o644, 2, ROOT_CRED), 'ENOENT');
    await f.vfs.forget(d.ino, 1);
    await rejects(() => f.vfs.getattr(d.ino), 'ENOENT');
  });

  it('create makes a regular file and opens it; an existing name is EEXIST', async () => {
    const { attr, fh } = await f.vfs.create(ROOT, 'new.txt', 0o640, 2, ROOT_CRED);
    assert.equal(attr.mode & S_IFMT, S_IFREG);
    assert.equal(attr.mode & 0o7777, 0o640);
    assert.equal(attr.nlink, 1);
    assert.equal(attr.size, 0);
    await f.vfs.write(fh, 0, Buffer.from('hi'), ROOT_CRED);
    await f.vfs.release(fh);
    await rejects(() => f.vfs.create(ROOT, 'new.txt', 0o644, 2, ROOT_CRED), 'EEXIST');
    await rejects(() => f.vfs.create(ROOT, '..', 0o644, 2, ROOT_CRED), 'EEXIST');
    assert.equal((await readAll(f.vfs, attr.ino)).toString(), 'hi');
  });

  it('unlink removes a name; directories are EISDIR', async () => {
    const d = await f.vfs.mkdir(ROOT, 'ul', 0o755, ROOT_CRED);
    const ino = await makeFile(f.vfs, d.ino, 'f', 'x');
    await f.vfs.mkdir(d.ino, 'sub', 0o755, ROOT_CRED);
    await rejects(() => f.vfs.unlink(d.ino, 'sub', ROOT_CRED), 'EISDIR');
    await rejects(() => f.vfs.unlink(d.ino, 'missing', ROOT_CRED), 'ENOENT');
    await f.vfs.unlink(d.ino, 'f', ROOT_CRED);
    await rejects(() => f.vfs.getattr(ino), 'ENOENT');
    assert.deepEqual(listNames(f.vfs, d.ino), ['sub']);
  });

  it('unlink while open: the data stays readable until release, then the inode is gone', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'open-unlinked', 'still here');
    const fh = await f.vfs.open(ino, 2, ROOT_CRED);
    await f.vfs.unlink(ROOT, 'open-unlinked', ROOT_CRED);
    await rejects(() => f.vfs.lookup(ROOT, 'open-unlinked', ROOT_CRED), 'ENOENT');
    assert.equal(f.vfs.getattr(ino).nlink, 0);
    assert.equal(f.vfs.read(fh, 0, 100).toString(), 'still here');
    await f.vfs.write(fh, 10, Buffer.from('!'), ROOT_CRED);
    assert.equal(f.vfs.read(fh, 0, 100).toString(), 'still here!');
    await rejects(() => f.vfs.link(ino, ROOT, 'relinked', ROOT_CRED), 'ENOENT');
    await f.vfs.release(fh);
    await rejects(() => f.vfs.getattr(ino), 'ENOENT');
    const blocks = f.store.db.prepare('SELECT COUNT(*) FROM blocks WHERE key >= ? AND key < ?').pluck();
    assert.equal(blocks.get(ino * 2 ** 24, (ino + 1) * 2 ** 24), 0);
  });

  it('lookup counts hold an unlinked inode until forget', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'looked', 'abc');
    f.vfs.lookup(ROOT, 'looked', ROOT_CRED);
    f.vfs.lookup(ROOT, 'looked', ROOT_CRED);
    await f.vfs.unlink(ROOT, 'looked', ROOT_CRED);
    assert.equal(f.vfs.getattr(ino).size, 3);
    await f.vfs.forget(ino, 1);
    assert.equal(f.vfs.getattr(ino).nlink, 0);
    await f.vfs.forget(ino, 1);
    await rejects(() => f.vfs.getattr(ino), 'ENOENT');
    await rejects(() => f.vfs.forget(ino, -1), 'EINVAL');
  });

  it('link adds a name to the same inode; directories are EPERM', async () => {
    const ino = await makeFile(f.vfs, ROOT, 'orig', 'same');
    const d = await f.vfs.mkdir(ROOT, 'links', 0o755, ROOT_CRED);
    const attr = await f.vfs.link(ino, d.ino, 'alias', ROOT_CRED);
    assert.equal(attr.nlink, 2);
    assert.equal(f.vfs.lookup(d.ino, 'alias', ROOT_CRED).ino, ino);
    await rejects(() => f.vfs.link(ino, d.ino, 'alias', ROOT_CRED), 'EEXIST');
    await rejects(() => f.vfs.link(d.ino, ROOT, 'dirlink', ROOT_CRED), 'EPERM');
    await rejects(() => f.vfs.link(ino, ino, 'x', ROOT_CRED), 'ENOTDIR');
    await f.vfs.unlink(ROOT, 'orig', ROOT_CRED);
    assert.equal(f.vfs.getattr(ino).nlink, 1);
    assert.equal((await readAll(f.vfs, ino)).toString(), 'same');
  });

  it('symlink and readlink keep the target bytes; bad targets are refused', async () => {
    const attr = await f.vfs.symlink('../some/where ü', ROOT, 'sl', ROOT_CRED);
    assert.equal(attr.mode & S_IFMT, S_IFLNK);
    assert.equal(attr.mode & 0o777, 0o777);
    assert.equal(attr.size, Buffer.byteLength('../some/where ü'));
    assert.equal(f.vfs.readlink(attr.ino), '../some/where ü');
    await rejects(() => f.vfs.symlink('', ROOT, 'sl2', ROOT_CRED), 'ENOENT');
    await rejects(() => f.vfs.symlink('a\0b', ROOT, 'sl2', ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.symlink('t'.repeat(SYMLINK_MAX_BYTES + 1), ROOT, 'sl2', ROOT_CRED), 'ENAMETOOLONG');
    await rejects(() => f.vfs.symlink('t', ROOT, 'sl', ROOT_CRED), 'EEXIST');
    await rejects(() => f.vfs.readlink(ROOT), 'EINVAL');
    await rejects(() => f.vfs.open(attr.ino, 0, ROOT_CRED), 'ELOOP');
    const max = await f.vfs.symlink('t'.repeat(SYMLINK_MAX_BYTES), ROOT, 'slmax', ROOT_CRED);
    assert.equal(f.vfs.readlink(max.ino).length, SYMLINK_MAX_BYTES);
  });

  it('path resolution: symlinks followed, loops are ELOOP, long paths ENAMETOOLONG', async () => {
    const d = await f.vfs.mkdir(ROOT, 'walk', 0o755, ROOT_CRED);
    await makeFile(f.vfs, d.ino, 'target', 't');
    await f.vfs.symlink('target', d.ino, 'rel', ROOT_CRED);
    await f.vfs.symlink('/walk/target', d.ino, 'abs', ROOT_CRED);
    await f.vfs.symlink('loop2', d.ino, 'loop1', ROOT_CRED);
    await f.vfs.symlink('loop1', d.ino, 'loop2', ROOT_CRED);
    const target = f.vfs.lookup(d.ino, 'target', ROOT_CRED).ino;
    assert.equal(resolvePath(f.vfs, '/walk/rel', ROOT_CRED).ino, target);
    assert.equal(resolvePath(f.vfs, 'walk/abs', ROOT_CRED).ino, target);
    assert.equal(resolvePath(f.vfs, '/walk/../walk/./rel', ROOT_CRED).ino, target);
    assert.notEqual(resolvePath(f.vfs, '/walk/rel', ROOT_CRED, false).ino, target);
    await rejects(() => resolvePath(f.vfs, '/walk/loop1', ROOT_CRED), 'ELOOP');
    await rejects(() => resolvePath(f.vfs, '/walk/target/x', ROOT_CRED), 'ENOTDIR');
    await rejects(() => resolvePath(f.vfs, `/${'a/'.repeat(2100)}`, ROOT_CRED), 'ENAMETOOLONG');
    await rejects(() => resolvePath(f.vfs, '/walk/a\0b', ROOT_CRED), 'EINVAL');
    await rejects(() => resolveParent(f.vfs, '/', ROOT_CRED), 'EEXIST');
    assert.deepEqual(resolveParent(f.vfs, '/walk/.', ROOT_CRED), { parent: d.ino, name: '.' });
  });

  it('statfs and access', async () => {
    const stat = f.vfs.statfs();
    assert.equal(stat.nameMax, NAME_MAX_BYTES);
    assert.ok(stat.files >= 1);
    assert.ok(stat.blockSize > 0);
    f.vfs.access(ROOT, 7, ROOT_CRED);
    f.vfs.access(ROOT, 0, ALICE);
    await rejects(() => f.vfs.access(ROOT, 8, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.access(ROOT, 2, ALICE), 'EACCES');
    const ino = await makeFile(f.vfs, ROOT, 'noexec', '', ROOT_CRED, 0o644);
    await rejects(() => f.vfs.access(ino, 1, ROOT_CRED), 'EACCES'); // root needs some x bit to execute
    const before = f.vfs.statfs().files;
    await makeFile(f.vfs, ROOT, 'count-me');
    assert.equal(f.vfs.statfs().files, before + 1);
  });

  it('everything survives a close and reopen from disk', async () => {
    const d = await f.vfs.mkdir(ROOT, 'persist', 0o711, ROOT_CRED);
    const ino = await makeFile(f.vfs, d.ino, 'data', 'durable bytes');
    await f.vfs.symlink('data', d.ino, 'ln', ROOT_CRED);
    await f.vfs.link(ino, d.ino, 'hard', ROOT_CRED);
    const vfs = await f.reopen();
    const again = vfs.lookup(ROOT, 'persist', ROOT_CRED);
    assert.equal(again.mode & 0o7777, 0o711);
    assert.deepEqual(listNames(vfs, again.ino).sort(), ['data', 'hard', 'ln']);
    assert.equal((await readAll(vfs, ino)).toString(), 'durable bytes');
    assert.equal(vfs.getattr(ino).nlink, 2);
    assert.equal(vfs.readlink(vfs.lookup(again.ino, 'ln', ROOT_CRED).ino), 'data');
  });
});
