import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { VexError } from '../errors.js';
import { checkWal } from './fileChecks.js';
import { isOpenHere, readHeaderHere } from './openHere.js';
import { APPLICATION_ID, DB_FILE, WAL_FILE } from './layout.js';
import { metaChecksum } from './rows.js';
import { MIGRATIONS, type Migration } from './schema.js';
import { translateSqliteError } from './sqliteErrors.js';
import { currentFormatVersion, migrationPath } from './formatVersion.js';
import { configureConnection, fsyncDir, Store } from './Store.js';
import { WriterLock } from './writerLock.js';

export interface MigrateResult {
  fromVersion: number;
  toVersion: number;
  /** Descriptions of the steps run, in order; empty when the store was current. */
  applied: string[];
}

/**
 * Brings an older store to this build's format: every registered step from the version
 * found to the current one, in one transaction (a failure leaves the store as it was),
 * under the writer lock. A newer or unknown format is refused.
 */
export async function migrateStore(
  dirArg: string,
  options: { migrations?: readonly Migration[] } = {},
): Promise<MigrateResult> {
  const dir = resolve(dirArg);
  const dbPath = join(dir, DB_FILE);
  if (!existsSync(dbPath)) {
    throw new VexError('E_NOT_FOUND', `no store at ${dir}: it has no ${DB_FILE}`);
  }
  const migrations = options.migrations ?? MIGRATIONS;
  const target = currentFormatVersion(migrations);
  const lock = WriterLock.acquire(dir);
  try {
    const { header, problems } = readHeaderHere(dir, dbPath, DB_FILE);
    const fatal = problems.filter((p) => p.severity === 'error');
    if (header === null || fatal.length > 0) {
      throw new VexError('E_CORRUPT', `${fatal.map((p) => p.message).join('; ')}; not migrating a damaged store`, {
        file: DB_FILE,
      });
    }
    if (header.applicationId !== APPLICATION_ID) {
      throw new VexError('E_FORMAT', `${dbPath} is not a VexFS store`);
    }
    const found = header.userVersion;
    if (found === target) return { fromVersion: found, toVersion: found, applied: [] };
    if (found > target || found === 0) {
      throw new VexError(
        'E_FORMAT',
        `the store uses format version ${found}, newer than this build's ${target}; use a newer vexctl`,
        { foundVersion: found },
      );
    }
    const steps = migrationPath(found, target, migrations);
    if (steps === null) {
      throw new VexError('E_FORMAT', `this build has no migration path from format version ${found} to ${target}`, {
        foundVersion: found,
      });
    }
    const walPath = join(dir, WAL_FILE);
    const walErrors =
      existsSync(walPath) && !isOpenHere(dir)
        ? checkWal(walPath, WAL_FILE, header.pageSizeBytes).problems.filter((p) => p.severity === 'error')
        : [];
    if (walErrors.length > 0) {
      throw new VexError('E_CORRUPT', `${walErrors.map((p) => p.message).join('; ')}; not migrating a damaged store`, {
        file: WAL_FILE,
      });
    }
    const db = new Database(dbPath, { fileMustExist: true, timeout: 5000 });
    try {
      configureConnection(db, false);
      db.transaction(() => {
        for (const step of steps) step.apply(db);
        db.pragma(`user_version = ${target}`);
        db.prepare('INSERT OR REPLACE INTO meta (key, value, crc) VALUES (?, ?, ?)').run(
          'format_version',
          String(target),
          metaChecksum('format_version', String(target)),
        );
      })();
      db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      const translated = translateSqliteError(error, dirArg);
      if (translated instanceof VexError) throw translated;
      throw new VexError(
        'E_FORMAT',
        `migrating from format ${found} to ${target} failed (${translated instanceof Error ? translated.message : String(translated)}); the store is unchanged at format ${found}`,
        { foundVersion: found },
      );
    } finally {
      db.close();
    }
    fsyncDir(dir);
    return {
      fromVersion: found,
      toVersion: target,
      applied: steps.map((s) => `${s.from} → ${s.to}: ${s.description}`),
    };
  } finally {
    lock.release();
  }
}

export interface CompactResult {
  beforeBytes: number;
  afterBytes: number;
}

/** Reclaims free pages: checkpoint, VACUUM, checkpoint again (truncating the WAL), under the writer lock. */
export async function compactStore(
  dirArg: string,
  options: { migrations?: readonly Migration[] } = {},
): Promise<CompactResult> {
  const store = await Store.open(dirArg, { ...options, syncOnClose: true });
  try {
    await store.sync();
    const beforeBytes = databaseBytes(store.dir);
    try {
      store.db.pragma('wal_checkpoint(TRUNCATE)');
      store.db.exec('VACUUM');
      store.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch (error) {
      throw store.fail(error);
    }
    await store.sync();
    return { beforeBytes, afterBytes: databaseBytes(store.dir) };
  } finally {
    await store.close();
  }
}

export interface RecoverResult {
  /** Where the damaged WAL was copied; null when the log had no damage to accept. */
  walCopy: string | null;
  warnings: string[];
}

/**
 * Opens a store whose WAL is damaged inside, accepting the loss of the commits from the
 * damage on: the log is copied aside first (store.db-wal.damaged-TIME), then the intact
 * prefix is checkpointed into the database.
 */
export async function recoverStore(dirArg: string): Promise<RecoverResult> {
  const store = await Store.open(dirArg, { acceptDamagedWal: true });
  const result = { walCopy: store.recovery.walCopy ?? null, warnings: [...store.recovery.warnings] };
  try {
    store.db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (error) {
    await store.close().catch(() => undefined);
    throw store.fail(error);
  }
  await store.close();
  return result;
}

/** Bytes of the database and its WAL: what compaction can shrink. */
export function databaseBytes(dir: string): number {
  let total = 0;
  for (const name of [DB_FILE, WAL_FILE]) {
    const path = join(dir, name);
    if (existsSync(path)) total += statSync(path).size;
  }
  return total;
}
