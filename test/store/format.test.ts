import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fsck } from '../../engine/store/fsck.js';
import { DB_FILE } from '../../engine/store/layout.js';
import { migrateStore } from '../../engine/store/maintenance.js';
import type { Migration } from '../../engine/store/schema.js';
import { Store } from '../../engine/store/Store.js';
import { tempRoot, vexctl } from './helpers.js';

const { root, cleanup } = tempRoot('format');
after(cleanup);
let counter = 0;

async function newStore(): Promise<string> {
  const dir = join(root, `s${counter++}`);
  await (await Store.create(dir, { dim: 4 })).close();
  return dir;
}

function setUserVersion(dir: string, version: number): void {
  const db = new Database(join(dir, DB_FILE));
  db.pragma(`user_version = ${version}`);
  db.close();
}

/** A migration for tests only: format 1 → 2 adds a table (the build itself has none yet). */
const toTwo: Migration = {
  from: 1,
  to: 2,
  description: 'add a notes table',
  apply: (db) => void db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)'),
};

test('an SQLite file that is not a VexFS store is E_FORMAT on open and an error in fsck', async () => {
  const dir = join(root, 'foreign');
  mkdirSync(dir);
  const db = new Database(join(dir, DB_FILE));
  db.exec('CREATE TABLE t (x)');
  db.close();
  await assert.rejects(Store.open(dir), { code: 'E_FORMAT', message: /not a VexFS store/ });
  const report = await fsck(dir);
  assert.ok(report.problems.some((p) => p.file === DB_FILE && /not a VexFS store/.test(p.message)));
  assert.equal((await vexctl(['fsck', dir])).code, 1);
});

test('a newer format is E_FORMAT naming the version found, and migrate refuses it', async () => {
  const dir = await newStore();
  setUserVersion(dir, 7);
  await assert.rejects(
    Store.open(dir),
    (error: { code?: string; message: string; details?: { foundVersion?: number } }) => {
      assert.equal(error.code, 'E_FORMAT');
      assert.match(error.message, /format version 7\b/);
      assert.equal(error.details?.foundVersion, 7);
      return true;
    },
  );
  await assert.rejects(Store.open(dir, { readOnly: true }), { code: 'E_FORMAT' });
  await assert.rejects(migrateStore(dir), { code: 'E_FORMAT', message: /7/ });
  const cli = await vexctl(['store', 'migrate', dir]);
  assert.equal(cli.code, 1);
  assert.match(cli.err, /^E_FORMAT: .*format version 7/);
  assert.ok((await fsck(dir)).problems.some((p) => p.severity === 'error' && /format version 7/.test(p.message)));
});

test('an older format is refused with the command to run, then migrated in one transaction', async () => {
  const dir = await newStore();
  const migrations = [toTwo];
  await assert.rejects(Store.open(dir, { migrations }), {
    code: 'E_FORMAT',
    message: new RegExp(`vexctl store migrate ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`),
  });
  const report = await fsck(dir, { migrations });
  assert.ok(report.clean, 'an older format is no damage');
  assert.ok(report.problems.some((p) => p.severity === 'warning' && /vexctl store migrate/.test(p.message)));

  const result = await migrateStore(dir, { migrations });
  assert.deepEqual(result, { fromVersion: 1, toVersion: 2, applied: ['1 → 2: add a notes table'] });
  const store = await Store.open(dir, { migrations });
  assert.equal(store.meta.formatVersion, 2);
  assert.equal(store.db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'notes'").pluck().get(), 1);
  await store.close();
  assert.deepEqual((await fsck(dir, { migrations })).problems, []);
  // A build that knows only format 1 now sees a newer store.
  await assert.rejects(Store.open(dir), { code: 'E_FORMAT', message: /format version 2\b/ });
  // Migrating again says the store is current.
  assert.deepEqual(await migrateStore(dir, { migrations }), { fromVersion: 2, toVersion: 2, applied: [] });
});

test('a migration that fails leaves the store at its old format, unchanged', async () => {
  const dir = await newStore();
  const failing: Migration = {
    from: 1,
    to: 2,
    description: 'fails half way',
    apply: (db) => {
      db.exec('CREATE TABLE half (x)');
      throw new Error('step failed on purpose');
    },
  };
  await assert.rejects(migrateStore(dir, { migrations: [failing] }), {
    code: 'E_FORMAT',
    message: /step failed on purpose.*unchanged at format 1/,
  });
  const store = await Store.open(dir);
  assert.equal(store.meta.formatVersion, 1);
  assert.equal(store.db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'").pluck().get(), 0);
  await store.close();
  assert.deepEqual((await fsck(dir)).problems, []);
});

test('a gap in the migration chain is refused, saying so', async () => {
  const dir = await newStore();
  const gap: Migration = { from: 2, to: 3, description: 'needs format 2', apply: () => undefined };
  await assert.rejects(Store.open(dir, { migrations: [gap] }), { code: 'E_FORMAT', message: /cannot migrate/ });
  await assert.rejects(migrateStore(dir, { migrations: [gap] }), { code: 'E_FORMAT', message: /no migration path/ });
});

test('vexctl store migrate on a current store says so; bad usage exits 2', async () => {
  const dir = await newStore();
  const current = await vexctl(['store', 'migrate', dir]);
  assert.equal(current.code, 0);
  assert.match(current.out, /is current \(format version 1\)/);
  assert.equal((await vexctl(['store', 'migrate'])).code, 2);
  assert.equal((await vexctl(['store', 'migrate', dir, 'extra'])).code, 2);
  assert.equal((await vexctl(['store', 'migrate', dir, '--force'])).code, 2);
  assert.equal((await vexctl(['store', 'frobnicate', dir])).code, 2);
  const missing = await vexctl(['store', 'migrate', join(root, 'nothing-here')]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /^E_NOT_FOUND/);
});
