import Database from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VexError } from '../errors.js';
import { LOCK_FILE, PID_FILE } from './layout.js';

/**
 * One writer per store across processes. The lock is an SQLite file kept in an
 * exclusive transaction by the writer: SQLite takes fcntl locks, which the kernel
 * drops when the holding process dies, so a crashed writer never wedges its store.
 * Within one process SQLite tracks the same locks per inode, so a second writer
 * there is refused too.
 */
export class WriterLock {
  private constructor(
    private readonly db: Database.Database,
    private readonly pidPath: string,
  ) {}

  static acquire(dir: string): WriterLock {
    const db = new Database(join(dir, LOCK_FILE), { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER)');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('DELETE FROM holder');
      db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
    } catch (error) {
      db.close();
      if (isBusy(error)) {
        const holder = readHolderPid(dir);
        throw new VexError(
          'E_LOCKED',
          `the store at ${dir} is open for writing by ${holder === null ? 'another process' : `pid ${holder}`}; ` +
            'close it there, or open this one with --read-only',
          { holderPid: holder },
        );
      }
      throw error;
    }
    const pidPath = join(dir, PID_FILE);
    writeFileSync(pidPath, `${process.pid}\n`);
    return new WriterLock(db, pidPath);
  }

  release(): void {
    rmSync(this.pidPath, { force: true });
    // Closing the connection ends the exclusive transaction and drops the fcntl locks.
    this.db.close();
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function readHolderPid(dir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(join(dir, PID_FILE), 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
