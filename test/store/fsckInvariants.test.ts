import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeWholeFile } from '../../engine/fs/pathOps.js';
import { ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { fsck } from '../../engine/store/fsck.js';
import { DB_FILE, VECTOR_XATTR } from '../../engine/store/layout.js';
import {
  blockChecksum,
  direntChecksum,
  inodeChecksum,
  INODE_COLUMNS,
  metaChecksum,
  xattrChecksum,
  type InodeRow,
} from '../../engine/store/rows.js';
import { BLOCKS_PER_FILE } from '../../engine/store/schema.js';
import { Store } from '../../engine/store/Store.js';
import { tempRoot } from './helpers.js';

/**
 * Each invariant of the filesystem tables broken on its own, with valid row checksums, so
 * that only fsck's referential checks can see it.
 */
const { root, cleanup } = tempRoot('fsck-invariants');
const golden = join(root, 'golden');
let inos: Record<string, number> = {};
let copies = 0;

before(async () => {
  const store = await Store.create(golden, { dim: 2, metric: 'l2' });
  const vfs = new Vfs(store);
  const dir = await vfs.mkdir(1, 'dir', 0o755, ROOT_CRED);
  const file = await writeWholeFile(vfs, '/dir/file', Buffer.alloc(70_000, 7), 0o644, ROOT_CRED);
  const link = await vfs.symlink('/dir/file', 1, 'link', ROOT_CRED);
  await vfs.xattr.set(file.ino, VECTOR_XATTR, Buffer.from(new Float32Array([1, 2]).buffer), 0, ROOT_CRED);
  inos = { dir: dir.ino, file: file.ino, link: link.ino };
  await store.close();
  assert.deepEqual((await fsck(golden)).problems, []);
});
after(cleanup);

function inode(db: Database.Database, ino: number): Omit<InodeRow, 'crc'> {
  const { crc: _crc, ...row } = db.prepare(`SELECT ${INODE_COLUMNS} FROM inodes WHERE ino = ?`).get(ino) as InodeRow;
  return row;
}

function putInode(db: Database.Database, row: Omit<InodeRow, 'crc'>): void {
  const columns = INODE_COLUMNS.split(',').map((c) => c.trim());
  db.prepare(`INSERT OR REPLACE INTO inodes (${INODE_COLUMNS}) VALUES (${columns.map(() => '?').join(', ')})`).run(
    ...columns.slice(0, -1).map((c) => row[c as keyof typeof row]),
    inodeChecksum(row),
  );
}

function putDirent(db: Database.Database, parent: number, name: string, ino: number, cookie: number): void {
  db.prepare('INSERT OR REPLACE INTO dirents (parent, name, ino, cookie, crc) VALUES (?, ?, ?, ?, ?)').run(
    parent,
    name,
    ino,
    cookie,
    direntChecksum(parent, name, ino, cookie),
  );
}

/** Copies the golden store, breaks it with `edit`, and returns fsck's error messages. */
async function errorsAfter(edit: (db: Database.Database) => void): Promise<string[]> {
  const dir = join(root, `copy-${copies++}`);
  cpSync(golden, dir, { recursive: true });
  const db = new Database(join(dir, DB_FILE));
  edit(db);
  db.close();
  const report = await fsck(dir);
  assert.equal(report.clean, false, 'fsck should find the broken invariant');
  return report.problems.filter((p) => p.severity === 'error').map((p) => p.message);
}

test('a name pointing at no inode, and an inode no name reaches', async () => {
  const dangling = await errorsAfter((db) => putDirent(db, 1, 'ghost', 999, 100));
  assert.ok(
    dangling.some((m) => /'ghost'.*inode 999, which does not exist/.test(m)),
    dangling.join('\n'),
  );
  const unreachable = await errorsAfter((db) => db.prepare('DELETE FROM dirents WHERE name = ?').run('link'));
  assert.ok(
    unreachable.some((m) => new RegExp(`inode ${inos.link} cannot be reached`).test(m)),
    unreachable.join('\n'),
  );
});

test('nlink unlike the names of a file, or 2 + subdirectories of a directory', async () => {
  const file = await errorsAfter((db) => putInode(db, { ...inode(db, inos.file!), nlink: 2 }));
  assert.ok(
    file.some((m) => new RegExp(`inode ${inos.file} has nlink 2 but 1 name`).test(m)),
    file.join('\n'),
  );
  const dir = await errorsAfter((db) => putInode(db, { ...inode(db, 1), nlink: 2 }));
  assert.ok(
    dir.some((m) => /inode 1 has nlink 2 .*expected 3/.test(m)),
    dir.join('\n'),
  );
  const twoNames = await errorsAfter((db) => {
    putDirent(db, 1, 'dir-again', inos.dir!, 200);
    putInode(db, { ...inode(db, 1), nlink: 4 });
  });
  assert.ok(
    twoNames.some((m) => /has 2 names/.test(m)),
    twoNames.join('\n'),
  );
});

test('blocks past a file size, on a non-file, of no inode; alloc unlike the blocks', async () => {
  const past = await errorsAfter((db) => putInode(db, { ...inode(db, inos.file!), size: 1000 }));
  assert.ok(
    past.some((m) => /past the file's size 1000/.test(m)),
    past.join('\n'),
  );
  const onLink = await errorsAfter((db) => {
    const key = inos.link! * BLOCKS_PER_FILE;
    db.prepare('INSERT INTO blocks (key, data, crc) VALUES (?, ?, ?)').run(
      key,
      Buffer.alloc(4),
      blockChecksum(key, Buffer.alloc(4)),
    );
  });
  assert.ok(
    onLink.some((m) => /only regular files have blocks/.test(m)),
    onLink.join('\n'),
  );
  const orphanBlock = await errorsAfter((db) => {
    const key = 777 * BLOCKS_PER_FILE + 3;
    db.prepare('INSERT INTO blocks (key, data, crc) VALUES (?, ?, ?)').run(
      key,
      Buffer.alloc(4),
      blockChecksum(key, Buffer.alloc(4)),
    );
  });
  assert.ok(
    orphanBlock.some((m) => /block 3 of inode 777 belongs to no inode/.test(m)),
    orphanBlock.join('\n'),
  );
  const alloc = await errorsAfter((db) => putInode(db, { ...inode(db, inos.file!), alloc: 5 }));
  assert.ok(
    alloc.some((m) => /counts 5 stored bytes but its blocks hold 70000/.test(m)),
    alloc.join('\n'),
  );
});

test('attributes of no inode, a vector of the wrong length, incomplete metadata', async () => {
  const stray = await errorsAfter((db) =>
    db
      .prepare('INSERT INTO xattrs (ino, name, value, crc) VALUES (?, ?, ?, ?)')
      .run(555, 'user.x', Buffer.from('v'), xattrChecksum(555, 'user.x', Buffer.from('v'))),
  );
  assert.ok(
    stray.some((m) => /'user\.x' of inode 555: the inode does not exist/.test(m)),
    stray.join('\n'),
  );
  const vector = await errorsAfter((db) => {
    const value = Buffer.alloc(12);
    db.prepare('UPDATE xattrs SET value = ?, crc = ? WHERE ino = ? AND name = ?').run(
      value,
      xattrChecksum(inos.file!, VECTOR_XATTR, value),
      inos.file,
      VECTOR_XATTR,
    );
  });
  assert.ok(
    vector.some((m) => /is 12 bytes; the store's vectors are 8/.test(m)),
    vector.join('\n'),
  );
  const meta = await errorsAfter((db) => db.prepare("DELETE FROM meta WHERE key = 'dim'").run());
  assert.ok(
    meta.some((m) => /metadata row 'dim' is missing/.test(m)),
    meta.join('\n'),
  );
  const metric = await errorsAfter((db) =>
    db.prepare("UPDATE meta SET value = 'euclid', crc = ? WHERE key = 'metric'").run(metaChecksum('metric', 'euclid')),
  );
  assert.ok(
    metric.some((m) => /metric 'euclid' is not one of/.test(m)),
    metric.join('\n'),
  );
});

test('a row whose checksum fails, in each table', async () => {
  for (const [table, where] of [
    ['inodes', `ino = ${inos.file}`],
    ['dirents', "name = 'file'"],
    ['xattrs', `ino = ${inos.file}`],
    ['blocks', `key = ${inos.file! * BLOCKS_PER_FILE}`],
    ['meta', "key = 'store_id'"],
  ] as const) {
    const errors = await errorsAfter((db) => db.prepare(`UPDATE ${table} SET crc = crc + 1 WHERE ${where}`).run());
    assert.ok(
      errors.some((m) => /fails its checksum/.test(m)),
      `${table}: ${errors.join('\n')}`,
    );
  }
});

test('a damaged schema (a renamed column) is E_CORRUPT on open and an fsck error', async () => {
  const dir = join(root, `copy-${copies++}`);
  cpSync(golden, dir, { recursive: true });
  const db = new Database(join(dir, DB_FILE));
  db.exec('ALTER TABLE inodes RENAME COLUMN nlink TO nlinks');
  db.close();
  await assert.rejects(Store.open(dir), { code: 'E_CORRUPT', message: /schema.*'inodes'/ });
  const report = await fsck(dir);
  assert.ok(report.problems.some((p) => /schema: 'inodes' is defined as/.test(p.message)));
});
