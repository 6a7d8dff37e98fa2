import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isVexError } from '../../engine/errors.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import type { Cred } from '../../engine/fs/types.js';
import { VECTOR_XATTR } from '../../engine/store/layout.js';
import { Store } from '../../engine/store/Store.js';
import { collectionsOf } from '../../engine/vector/Collections.js';

const root = mkdtempSync(join(tmpdir(), 'vexfs-files-collection-'));
after(() => rmSync(root, { recursive: true, force: true }));
const cred: Cred = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, groups: [] };
const bytes = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

test('files with user.vexfs.vector are the _files collection: ids are paths, path-prefix filters', async () => {
  const store = await Store.create(join(root, 'files'), { dim: 3, metric: 'l2' });
  try {
    const vfs = new Vfs(store);
    const docs = await vfs.mkdir(1, 'docs', 0o755, cred);
    const deep = await vfs.mkdir(docs.ino, 'deep', 0o755, cred);
    const other = await vfs.mkdir(1, 'docsx', 0o755, cred);
    const make = async (parent: number, name: string, vector: number[] | null) => {
      const { attr, fh } = await vfs.create(parent, name, 0o644, 0o2, cred);
      await vfs.release(fh);
      if (vector) await vfs.xattr.set(attr.ino, VECTOR_XATTR, bytes(vector), 0, cred);
      return attr.ino;
    };
    await make(docs.ino, 'a.txt', [1, 0, 0]);
    await make(deep.ino, 'b.txt', [0.9, 0, 0]);
    await make(other.ino, 'c.txt', [1, 0, 0.1]);
    await make(1, 'plain.txt', null);
    const collections = await collectionsOf(store);
    assert.equal(await collectionsOf(store), collections, 'one Collections per store');
    const files = collections.get('_files');
    assert.equal(files.count(), 3);
    const all = await files.search([1, 0, 0], { k: 10 });
    assert.deepEqual(
      all.map((h) => h.id),
      ['/docs/a.txt', '/docsx/c.txt', '/docs/deep/b.txt'],
    );
    const under = await files.search([1, 0, 0], { k: 10, pathPrefix: '/docs/' });
    assert.deepEqual(
      under.map((h) => h.id),
      ['/docs/a.txt', '/docs/deep/b.txt'],
      "'/docs' does not match '/docsx'",
    );
    assert.deepEqual(files.get('/docs/deep/b.txt')?.vector, [Math.fround(0.9), 0, 0]);
    assert.equal(files.get('/plain.txt'), null);
    await assert.rejects(files.search([1, 0, 0], { k: 1, pathPrefix: 'docs' }), (e: unknown) =>
      isVexError(e, 'E_INVALID'),
    );

    // A committed setxattr / removexattr is seen by the next search.
    const late = await make(1, 'late.txt', [5, 5, 5]);
    assert.equal((await files.search([5, 5, 5], { k: 1 }))[0]?.id, '/late.txt');
    await vfs.xattr.remove(late, VECTOR_XATTR, cred);
    assert.equal(files.count(), 3);
    assert.equal(files.info().fileBacked, true);
    assert.throws(
      () => collections.collection('_files'),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
    await assert.rejects(files.search([1, 0], { k: 1 }), (e: unknown) => isVexError(e, 'E_DIM_MISMATCH'));
  } finally {
    await store.close();
  }
});
