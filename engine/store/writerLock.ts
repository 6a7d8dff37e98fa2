import Database from 'better-sqlite3';
import { existsSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VexError } from '../errors.js';
import { LOCK_FILE, PID_FILE } from './layout.js';
import { lockHolderPid, parsePidFile, processExists } from './lockHolder.js';

/**
 * One writer per store across processes. The lock is an SQLite file kept in an
 * exclusive transaction by the writer: SQLite takes fcntl locks, which the kernel
 * drops when the holding process dies, so a crashed writer never wedges its store.
 * Within one process SQLite tracks the same locks per inode, so a second writer
 * there is refused too. The file holds no data: if it is damaged it is reset in
 * place (same inode, so a lock someone holds on it stays held) and that is reported.
 */
export class WriterLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly pidPath: string,
    /** What acquiring found and repaired (a damaged lock file, a stale or garbled writer.pid). */
    readonly notes: readonly string[],
  ) {}

  static acquire(dir: string): WriterLock {
    const lockPath = join(dir, LOCK_FILE);
    const notes: string[] = [];
    let db: Database.Database;
    try {
      db = lockConnection(lockPath);
    } catch (error) {
      if (isBusy(error)) throw lockedError(dir);
      if (!isDamage(error)) throw error;
      // SQLite reads a file's header only after taking its shared lock, so damage reported
      // here means nobody holds the lock: resetting the file cannot take it from anyone.
      notes.push(`${LOCK_FILE} was damaged (${(error as Error).message}); it holds no data and was reset`);
      rmSync(`${lockPath}-journal`, { force: true });
      truncateSync(lockPath, 0);
      try {
        db = lockConnection(lockPath);
      } catch (retryError) {
        if (isBusy(retryError)) throw lockedError(dir);
        throw new VexError(
          'E_CORRUPT',
          `${LOCK_FILE} in ${dir} cannot be used as the writer lock even after a reset (${(retryError as Error).message})`,
          { file: LOCK_FILE },
        );
      }
    }
    const pidPath = join(dir, PID_FILE);
    const previous = readPidFile(pidPath);
    if (previous !== null) {
      if ('problem' in previous) notes.push(`${PID_FILE} ${previous.problem}; rewritten`);
      else if (previous.pid !== process.pid) {
        notes.push(`${PID_FILE} named pid ${previous.pid}, a writer that did not close cleanly; rewritten`);
      }
    }
    try {
      writeFileSync(pidPath, `${process.pid}\n`);
    } catch (error) {
      db.close();
      throw error;
    }
    return new WriterLock(db, pidPath, notes);
  }

  release(): void {
    rmSync(this.pidPath, { force: true });
    // Closing the connection ends the exclusive transaction and drops the fcntl locks.
    this.db.close();
  }
}

function lockConnection(lockPath: string): Database.Database {
  const db = new Database(lockPath, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER)');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function lockedError(dir: string): VexError {
  const fromKernel = lockHolderPid(join(dir, LOCK_FILE));
  const fromFile = readPidFile(join(dir, PID_FILE));
  const filePid = fromFile !== null && 'pid' in fromFile ? fromFile.pid : null;
  const holder = typeof fromKernel === 'number' ? fromKernel : filePid;
  const who =
    holder === null ? 'another process (its pid is unknown: writer.pid is missing or damaged)' : `pid ${holder}`;
  return new VexError(
    'E_LOCKED',
    `the store at ${dir} is open for writing by ${who}; close it there, or open this one with --read-only`,
    { holderPid: holder },
  );
}

function readPidFile(path: string): { pid: number } | { problem: string } | null {
  if (!existsSync(path)) return null;
  try {
    return parsePidFile(readFileSync(path, 'latin1'));
  } catch (error) {
    return { problem: `cannot be read (${(error as Error).message})` };
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT'));
}

/** The writer's pid if one holds the store now, null if none, and whether writer.pid agrees. */
export function currentWriter(dir: string): { pid: number | null; pidFileAgrees: boolean; known: boolean } {
  const fromKernel = lockHolderPid(join(dir, LOCK_FILE));
  const fromFile = readPidFile(join(dir, PID_FILE));
  const filePid = fromFile !== null && 'pid' in fromFile ? fromFile.pid : null;
  if (fromKernel === undefined) {
    // No /proc/locks: trust writer.pid when its process is alive.
    const pid = filePid !== null && processExists(filePid) ? filePid : null;
    return { pid, pidFileAgrees: true, known: false };
  }
  return { pid: fromKernel, pidFileAgrees: fromKernel === filePid, known: true };
}
