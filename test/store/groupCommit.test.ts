import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readRange, statPath } from '../../engine/fs/pathOps.js';
import { O_WRONLY, ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { fsck } from '../../engine/store/fsck.js';
import { Store } from '../../engine/store/Store.js';
import { bundleHelper, removeBundles, runHelper, tempRoot } from './helpers.js';

const { root, cleanup } = tempRoot('group');
before(() => bundleHelper('commitFailChild.ts'));
after(() => {
  cleanup();
  removeBundles();
});

test('concurrent writers share commits: fewer commits than committed operations', async () => {
  const dir = join(root, 'share');
  const store = await Store.create(dir, { dim: 4 });
  const vfs = new Vfs(store);
  const start = store.commitStats;
  const writers = 64;
  const attrs = await Promise.all(
    Array.from({ length: writers }, (_, i) => vfs.create(1, `f${i}`, 0o644, O_WRONLY, ROOT_CRED)),
  );
  await Promise.all(attrs.map(({ fh }, i) => vfs.write(fh, 0, Buffer.from(`content ${i}`), ROOT_CRED)));
  const end = store.commitStats;
  const ops = end.committedOps - start.committedOps;
  const commits = end.commits - start.commits;
  assert.equal(ops, 2 * writers);
  assert.ok(commits < ops, `${commits} commits for ${ops} operations: no commit was shared`);
  for (const { fh } of attrs) await vfs.release(fh);
  await store.close();
  const reopened = await Store.open(dir, { readOnly: true });
  const reader = new Vfs(reopened);
  for (let i = 0; i < writers; i++) {
    assert.equal((await readRange(reader, `/f${i}`, ROOT_CRED, 0, 100)).toString(), `content ${i}`);
  }
  await reopened.close();
});

test('an operation that fails inside a group undoes only itself', async () => {
  const dir = join(root, 'isolate');
  const store = await Store.create(dir, { dim: 4 });
  const vfs = new Vfs(store);
  const commitsBefore = store.commitStats.commits;
  const [first, duplicate, third, badWrite] = await Promise.allSettled([
    vfs.mkdir(1, 'a', 0o755, ROOT_CRED),
    vfs.mkdir(1, 'a', 0o755, ROOT_CRED),
    vfs.mkdir(1, 'b', 0o755, ROOT_CRED),
    // A raw mutation that changes a row and then fails: its change must be rolled back alone.
    store.write(() => {
      store.db.prepare("UPDATE meta SET value = 'changed' WHERE key = 'store_id'").run();
      throw new Error('fails after changing a row');
    }),
  ]);
  assert.equal(first.status, 'fulfilled');
  assert.equal(third.status, 'fulfilled');
  assert.equal(duplicate.status, 'rejected');
  assert.equal((duplicate as PromiseRejectedResult).reason.code, 'EEXIST');
  assert.equal(badWrite.status, 'rejected');
  assert.equal(store.commitStats.commits - commitsBefore, 1, 'the four operations formed one group');
  await store.close();
  const reopened = await Store.open(dir);
  const reader = new Vfs(reopened);
  assert.equal(statPath(reader, '/a', ROOT_CRED).kind, 'dir');
  assert.equal(statPath(reader, '/b', ROOT_CRED).kind, 'dir');
  assert.notEqual(reopened.meta.storeId, 'changed');
  assert.equal(reader.getattr(1).nlink, 4);
  await reopened.close();
  assert.deepEqual((await fsck(dir)).problems, []);
});

test('a commit that fails (file-size limit: the WAL cannot grow) rejects every operation of its group', async () => {
  const dir = join(root, 'fail');
  await (await Store.create(dir, { dim: 4 })).close();
  const groupOps = 12;
  // 12 × 512 KiB in one group; the limit (1 MiB in dash's 512-byte units) stops the WAL first.
  const result = await runHelper('commitFailChild.ts', [dir, String(groupOps), String(512 * 1024)], 'ulimit -f 2048');
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trim().split('\n');
  const outcomes = lines.filter((l) => l.startsWith('W ')).map((l) => l.split(' ')[2]);
  assert.equal(outcomes.length, groupOps);
  for (const outcome of outcomes)
    assert.ok(outcome === 'EIO' || outcome === 'ENOSPC', `an operation ended with ${outcome}`);
  assert.ok(lines.includes('G 0'), 'the group did not commit');
  assert.ok(lines.includes('A ok') && lines.includes('closed'), 'the store took a commit after the failed one');

  const store = await Store.open(dir);
  const vfs = new Vfs(store);
  assert.equal((await readRange(vfs, '/base', ROOT_CRED, 0, 10)).toString(), 'base');
  assert.equal((await readRange(vfs, '/after', ROOT_CRED, 0, 10)).toString(), 'after');
  for (let i = 0; i < groupOps; i++) assert.equal(statPath(vfs, `/big-${i}`, ROOT_CRED).size, 0);
  await store.close();
  assert.deepEqual((await fsck(dir)).problems, []);
});
