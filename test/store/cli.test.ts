import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { removePath, writeWholeFile } from '../../engine/fs/pathOps.js';
import { ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { DB_FILE, VECTOR_XATTR } from '../../engine/store/layout.js';
import { Store } from '../../engine/store/Store.js';
import { randomBytes } from './damage.js';
import { prng, tempRoot, vexctl } from './helpers.js';

const { root, cleanup } = tempRoot('store-cli');
after(cleanup);

test('vexctl store create: options, and bad input exits 2 (usage) or 1 (refused)', async () => {
  const dir = join(root, 'created');
  const created = await vexctl(['store', 'create', dir, '--dim', '16', '--metric', 'l2']);
  assert.equal(created.code, 0, created.err);
  assert.match(created.out, /format 1, dim 16, metric l2/);
  const store = await Store.open(dir, { readOnly: true });
  assert.deepEqual([store.meta.dim, store.meta.metric], [16, 'l2']);
  await store.close();

  for (const args of [
    ['store', 'create'],
    ['store', 'create', join(root, 'x'), '--dim', 'ten'],
    ['store', 'create', join(root, 'x'), '--dim', '-3'],
    ['store', 'create', join(root, 'x'), '--metric', 'euclid'],
    ['store', 'create', join(root, 'x'), '--frobnicate'],
    ['store', 'create', join(root, 'x'), join(root, 'y')],
    ['store'],
  ]) {
    const result = await vexctl(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.err}`);
    assert.match(result.err, /^E_USAGE: /);
  }
  const exists = await vexctl(['store', 'create', dir]);
  assert.equal(exists.code, 1);
  assert.match(exists.err, /^E_EXISTS: .*not empty/);
  const tooBig = await vexctl(['store', 'create', join(root, 'big-dim'), '--dim', '70000']);
  assert.equal(tooBig.code, 1);
  assert.match(tooBig.err, /^E_INVALID: dimension/);
});

test('vexctl store info reports format, counts, sizes on disk, acknowledgement levels and the writer', async () => {
  const dir = join(root, 'info');
  const store = await Store.create(dir, { dim: 2 });
  const vfs = new Vfs(store);
  await vfs.mkdir(1, 'sub', 0o755, ROOT_CRED);
  const a = await writeWholeFile(vfs, '/a', Buffer.alloc(1000, 1), 0o644, ROOT_CRED);
  await writeWholeFile(vfs, '/sub/b', Buffer.alloc(70_000, 2), 0o644, ROOT_CRED);
  await vfs.symlink('/a', 1, 'link', ROOT_CRED);
  await vfs.xattr.set(a.ino, VECTOR_XATTR, Buffer.from(new Float32Array([1, 2]).buffer), 0, ROOT_CRED);
  // Sparse: a write at 1 MiB leaves a hole, so logical bytes exceed stored ones.
  const sparse = await vfs.create(1, 'sparse', 0o644, 1, ROOT_CRED);
  await vfs.write(sparse.fh, 1 << 20, Buffer.from('end'), ROOT_CRED);
  await vfs.release(sparse.fh);

  const json = await vexctl(['store', 'info', dir, '--json']);
  assert.equal(json.code, 0, json.err);
  const info = JSON.parse(json.out);
  assert.equal(info.formatVersion, 1);
  assert.equal(info.storeId, store.meta.storeId);
  assert.deepEqual(info.counts, {
    files: 3,
    dirs: 2,
    symlinks: 1,
    bytes: 1000 + 70_000 + (1 << 20) + 3,
    storedBytes: 1000 + 70_000 + 3,
    vectors: 1,
    orphans: 0,
  });
  assert.equal(info.writer.pid, process.pid, 'this process holds the store open for writing');
  assert.equal(info.acknowledgement.syncOnClose, true);
  assert.match(info.acknowledgement.committed, /crash of the process/);
  assert.match(info.acknowledgement.synced, /crash of the OS/);
  assert.ok(info.diskFiles.some((f: { name: string; sizeBytes: number }) => f.name === DB_FILE && f.sizeBytes > 0));
  assert.equal(
    info.diskTotalBytes,
    info.diskFiles.reduce((sum: number, f: { sizeBytes: number }) => sum + f.sizeBytes, 0),
  );
  await store.close();

  writeFileSync(join(dir, 'vexfs.toml'), '[general]\nsync_on_close = false\n');
  const text = await vexctl(['store', 'info', dir]);
  assert.equal(text.code, 0);
  assert.match(text.out, /3 files, 2 directories, 1 symlinks/);
  assert.match(text.out, /writer +none/);
  assert.match(text.out, /sync-on-close off/);
  assert.match(text.out, /store\.db +\d+ bytes/);

  assert.equal((await vexctl(['store', 'info'])).code, 2);
  assert.equal((await vexctl(['store', 'info', dir, '--verbose'])).code, 2);
  const missing = await vexctl(['store', 'info', join(root, 'nope')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^E_NOT_FOUND: /);
});

test('vexctl store compact reclaims the space of deleted files', async () => {
  const dir = join(root, 'compact');
  const store = await Store.create(dir, { dim: 2 });
  const vfs = new Vfs(store);
  const random = prng(3);
  for (let i = 0; i < 20; i++) await writeWholeFile(vfs, `/f${i}`, randomBytes(100_000, random), 0o644, ROOT_CRED);
  for (let i = 0; i < 18; i++) await removePath(vfs, `/f${i}`, false, ROOT_CRED);
  await store.close();
  const result = await vexctl(['store', 'compact', dir]);
  assert.equal(result.code, 0, result.err);
  const match = /(\d+) bytes before, (\d+) after/.exec(result.out);
  assert.ok(match !== null, result.out);
  assert.ok(Number(match[2]) < Number(match[1]) / 2, result.out);
  assert.equal((await vexctl(['fsck', dir])).code, 0);
  const reopened = await Store.open(dir, { readOnly: true });
  assert.equal(new Vfs(reopened).getattr(new Vfs(reopened).childIno(1, 'f19')).size, 100_000);
  await reopened.close();
});

test('vexctl fsck: exit 0 clean, 1 with problems (text and JSON), 2 on bad usage', async () => {
  const dir = join(root, 'fsck');
  await (await Store.create(dir, { dim: 2 })).close();
  const clean = await vexctl(['fsck', dir]);
  assert.equal(clean.code, 0);
  assert.match(clean.out, /clean/);
  const cleanJson = JSON.parse((await vexctl(['fsck', dir, '--json'])).out);
  assert.equal(cleanJson.clean, true);
  assert.deepEqual(cleanJson.problems, []);

  writeFileSync(join(dir, 'writer.pid'), 'garbage');
  const damaged = await vexctl(['fsck', dir]);
  assert.equal(damaged.code, 1);
  assert.match(damaged.out, /^error: writer\.pid does not hold a process id/m);
  const report = JSON.parse((await vexctl(['fsck', dir, '--json'])).out);
  assert.equal(report.clean, false);
  assert.deepEqual(
    report.problems.map((p: { file: string; severity: string }) => [p.file, p.severity]),
    [['writer.pid', 'error']],
  );

  for (const args of [['fsck'], ['fsck', dir, dir], ['fsck', dir, '--repair']]) {
    assert.equal((await vexctl(args)).code, 2, args.join(' '));
  }
  const nowhere = await vexctl(['fsck', join(root, 'nowhere')]);
  assert.equal(nowhere.code, 1);
  assert.match(nowhere.out, /does not exist/);
});

test('vexctl store recover on a healthy store changes nothing', async () => {
  const dir = join(root, 'recover');
  await (await Store.create(dir, { dim: 2 })).close();
  const result = await vexctl(['store', 'recover', dir]);
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /no damage to give up/);
  assert.equal((await vexctl(['fsck', dir])).code, 0);
});

test('vexctl --help lists store and fsck', async () => {
  const help = await vexctl(['--help']);
  assert.match(help.out, /^ {2}store +/m);
  assert.match(help.out, /^ {2}fsck +/m);
  assert.match((await vexctl(['store', '--help'])).out, /compact DIR/);
});
