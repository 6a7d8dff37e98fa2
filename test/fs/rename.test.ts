import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RENAME_EXCHANGE, RENAME_NOREPLACE } from '../../engine/fs/types.js';
import { ROOT, ROOT_CRED, listNames, makeFile, readAll, rejects, withStore, type Fixture } from './helpers.js';

describe('rename', () => {
  let f: Fixture;
  before(async () => {
    f = await withStore();
  });
  after(async () => f.cleanup());

  async function dir(parent: number, name: string): Promise<number> {
    return (await f.vfs.mkdir(parent, name, 0o755, ROOT_CRED)).ino;
  }

  it('moves a file within and across directories', async () => {
    const a = await dir(ROOT, 'a');
    const b = await dir(ROOT, 'b');
    const ino = await makeFile(f.vfs, a, 'f', 'payload');
    await f.vfs.rename(a, 'f', a, 'g', 0, ROOT_CRED);
    assert.deepEqual(listNames(f.vfs, a), ['g']);
    await f.vfs.rename(a, 'g', b, 'h', 0, ROOT_CRED);
    assert.deepEqual(listNames(f.vfs, a), []);
    assert.equal(f.vfs.lookup(b, 'h', ROOT_CRED).ino, ino);
    assert.equal((await readAll(f.vfs, ino)).toString(), 'payload');
    await rejects(() => f.vfs.rename(a, 'missing', b, 'x', 0, ROOT_CRED), 'ENOENT');
    await rejects(() => f.vfs.rename(b, 'h', 999, 'x', 0, ROOT_CRED), 'ENOENT');
    await rejects(() => f.vfs.rename(b, 'h', b, 'x/y', 0, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.rename(b, '.', b, 'x', 0, ROOT_CRED), 'EBUSY');
    await rejects(() => f.vfs.rename(b, 'h', b, 'x', 4, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.rename(b, 'h', b, 'x', RENAME_EXCHANGE | RENAME_NOREPLACE, ROOT_CRED), 'EINVAL');
  });

  it('over an existing file replaces it; the old inode is freed', async () => {
    const d = await dir(ROOT, 'over');
    const src = await makeFile(f.vfs, d, 'src', 'new');
    const old = await makeFile(f.vfs, d, 'dst', 'old');
    await f.vfs.rename(d, 'src', d, 'dst', 0, ROOT_CRED);
    assert.deepEqual(listNames(f.vfs, d), ['dst']);
    assert.equal(f.vfs.lookup(d, 'dst', ROOT_CRED).ino, src);
    await rejects(() => f.vfs.getattr(old), 'ENOENT');
    // Two names of one inode: nothing happens.
    await f.vfs.link(src, d, 'alias', ROOT_CRED);
    await f.vfs.rename(d, 'dst', d, 'alias', 0, ROOT_CRED);
    assert.deepEqual(listNames(f.vfs, d).sort(), ['alias', 'dst']);
    assert.equal(f.vfs.getattr(src).nlink, 2);
  });

  it('over an existing directory: only when empty, and types must match', async () => {
    const d = await dir(ROOT, 'dirs');
    const s = await dir(d, 's');
    await makeFile(f.vfs, s, 'inside', 'x');
    const t = await dir(d, 't');
    await makeFile(f.vfs, d, 'file');
    assert.equal(f.vfs.getattr(d).nlink, 4);
    await rejects(() => f.vfs.rename(d, 's', d, 'file', 0, ROOT_CRED), 'ENOTDIR');
    await rejects(() => f.vfs.rename(d, 'file', d, 't', 0, ROOT_CRED), 'EISDIR');
    await makeFile(f.vfs, t, 'blocker');
    await rejects(() => f.vfs.rename(d, 's', d, 't', 0, ROOT_CRED), 'ENOTEMPTY');
    await f.vfs.unlink(t, 'blocker', ROOT_CRED);
    await f.vfs.rename(d, 's', d, 't', 0, ROOT_CRED);
    assert.equal(f.vfs.getattr(d).nlink, 3);
    assert.equal(f.vfs.lookup(d, 't', ROOT_CRED).ino, s);
    assert.deepEqual(listNames(f.vfs, s), ['inside']);
  });

  it('directory nlink bookkeeping when a directory changes parent', async () => {
    const p1 = await dir(ROOT, 'p1');
    const p2 = await dir(ROOT, 'p2');
    const child = await dir(p1, 'child');
    assert.equal(f.vfs.getattr(p1).nlink, 3);
    await f.vfs.rename(p1, 'child', p2, 'moved', 0, ROOT_CRED);
    assert.equal(f.vfs.getattr(p1).nlink, 2);
    assert.equal(f.vfs.getattr(p2).nlink, 3);
    assert.equal(f.vfs.lookup(child, '..', ROOT_CRED).ino, p2);
    // Replacing an empty directory in another parent: that parent loses the old one's link and gains the new.
    await dir(p1, 'victim');
    await f.vfs.rename(p2, 'moved', p1, 'victim', 0, ROOT_CRED);
    assert.equal(f.vfs.getattr(p1).nlink, 3);
    assert.equal(f.vfs.getattr(p2).nlink, 2);
  });

  it('into its own subtree is EINVAL; onto its ancestor is ENOTEMPTY', async () => {
    const top = await dir(ROOT, 'top');
    const mid = await dir(top, 'mid');
    await dir(mid, 'low');
    await rejects(() => f.vfs.rename(ROOT, 'top', mid, 'x', 0, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.rename(ROOT, 'top', top, 'x', 0, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.rename(top, 'mid', mid, 'low', 0, ROOT_CRED), 'EINVAL');
    await rejects(() => f.vfs.rename(mid, 'low', ROOT, 'top', 0, ROOT_CRED), 'ENOTEMPTY');
    assert.deepEqual(listNames(f.vfs, top), ['mid']);
  });

  it('RENAME_NOREPLACE refuses an existing target', async () => {
    const d = await dir(ROOT, 'noreplace');
    await makeFile(f.vfs, d, 'a', 'A');
    await makeFile(f.vfs, d, 'b', 'B');
    await rejects(() => f.vfs.rename(d, 'a', d, 'b', RENAME_NOREPLACE, ROOT_CRED), 'EEXIST');
    await f.vfs.rename(d, 'a', d, 'c', RENAME_NOREPLACE, ROOT_CRED);
    assert.deepEqual(listNames(f.vfs, d).sort(), ['b', 'c']);
  });

  it('RENAME_EXCHANGE swaps two names, files or directories, and fixes nlink', async () => {
    const x = await dir(ROOT, 'x');
    const y = await dir(ROOT, 'y');
    const file = await makeFile(f.vfs, x, 'f', 'file');
    const sub = await dir(y, 'sub');
    await rejects(() => f.vfs.rename(x, 'f', y, 'none', RENAME_EXCHANGE, ROOT_CRED), 'ENOENT');
    await f.vfs.rename(x, 'f', y, 'sub', RENAME_EXCHANGE, ROOT_CRED);
    assert.equal(f.vfs.lookup(x, 'f', ROOT_CRED).ino, sub);
    assert.equal(f.vfs.lookup(y, 'sub', ROOT_CRED).ino, file);
    assert.equal(f.vfs.getattr(x).nlink, 3);
    assert.equal(f.vfs.getattr(y).nlink, 2);
    assert.equal(f.vfs.lookup(sub, '..', ROOT_CRED).ino, x);
    // A directory may not be exchanged into its own subtree.
    const inner = await dir(sub, 'inner');
    await makeFile(f.vfs, inner, 'leaf');
    await rejects(() => f.vfs.rename(x, 'f', inner, 'leaf', RENAME_EXCHANGE, ROOT_CRED), 'EINVAL');
  });

  it('renames survive reopening', async () => {
    const d = await dir(ROOT, 'persist');
    await makeFile(f.vfs, d, 'one', '1');
    await f.vfs.rename(d, 'one', ROOT, 'two', 0, ROOT_CRED);
    const vfs = await f.reopen();
    assert.equal((await readAll(vfs, vfs.lookup(ROOT, 'two', ROOT_CRED).ino)).toString(), '1');
    assert.deepEqual(listNames(vfs, vfs.lookup(ROOT, 'persist', ROOT_CRED).ino), []);
  });
});
